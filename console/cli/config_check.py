"""`python -m console.config check FILE`: validate a site configuration and print every problem."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from console.core.config import ConfigIssue, Severity, check_site_file
from console.core.config_messages import Note, render

_LABELS = {"vi": ("LỖI", "CẢNH BÁO"), "en": ("ERROR", "WARNING")}


def _other(lang: str) -> str:
    return "en" if lang == "vi" else "vi"


def _print(issue: ConfigIssue, lang: str) -> None:
    errors, warnings = _LABELS[lang]
    label = errors if issue.severity is Severity.ERROR else warnings
    print(f"{label} {issue.describe(lang)}")
    print(f"    ({_other(lang)}) {issue.message(_other(lang))}")


def _say(note: Note, lang: str, **params: str) -> None:
    print(render(note, lang, params))
    print(f"    ({_other(lang)}) {render(note, _other(lang), params)}")


def check(path: Path, lang: str) -> int:
    """The same checks as the console at start (the file, its credentials store, every reference)."""
    _, _, issues = check_site_file(path)
    errors = [i for i in issues if i.severity is Severity.ERROR]
    for issue in issues:
        _print(issue, lang)
    if errors:
        _say(Note.CHECK_ERRORS, lang, path=str(path), count=str(len(errors)))
        return 1
    _say(Note.CHECK_VALID, lang, path=str(path))
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
