"""`python -m console.config check FILE`: validate a site configuration and print every problem."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from console.core.config import ConfigIssue, Severity, credentials_path, parse_config, read_toml
from console.core.credentials import CredentialStore, CredentialStoreError


def _print(issue: ConfigIssue, lang: str) -> None:
    tag = {"vi": ("LỖI", "CẢNH BÁO"), "en": ("ERROR", "WARNING")}[lang]
    label = tag[0] if issue.severity is Severity.ERROR else tag[1]
    other = "en" if lang == "vi" else "vi"
    print(f"{label} {issue.describe(lang)}")
    print(f"    ({other}) {issue.message(other)}")


def check(path: Path, lang: str) -> int:
    data, issues = read_toml(path)
    refs = None
    if data is not None:
        creds_path = credentials_path(data, path)
        # A store that is not on this machine yet (prepared elsewhere) is not an error for the check.
        if creds_path is not None and creds_path.exists():
            try:
                refs = CredentialStore.load(creds_path).refs
            except CredentialStoreError as exc:
                print(("LỖI " if lang == "vi" else "ERROR ") + exc.message(lang))
                return 1
        _, issues = parse_config(data, path, refs)
    errors = [i for i in issues if i.severity is Severity.ERROR]
    for issue in issues:
        _print(issue, lang)
    if errors:
        print(f"{path}: {len(errors)} lỗi / errors" if lang == "vi" else f"{path}: {len(errors)} errors")
        return 1
    print(f"{path}: hợp lệ / valid" if lang == "vi" else f"{path}: valid")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m console.config",
                                     description="Kiểm tra tệp cấu hình điểm/camera (site configuration check)")
    sub = parser.add_subparsers(dest="command", required=True)
    check_cmd = sub.add_parser("check", help="validate FILE and print every problem; exit 1 on errors")
    check_cmd.add_argument("file", type=Path)
    check_cmd.add_argument("--lang", choices=("vi", "en"), default="vi")
    args = parser.parse_args(argv)
    return check(args.file, args.lang)


if __name__ == "__main__":
    sys.exit(main())
