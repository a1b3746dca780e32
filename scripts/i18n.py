"""Translation chores: `update` the .ts from the sources, `build` the .qm, `check` nothing is missing.

Run with the project's venv: `python scripts/i18n.py check`. The check fails when a source string has no
finished Vietnamese translation, when a translation's {placeholders} differ from the source's, or when
the committed .ts is out of date with the code (someone added a tr() without running `update`).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TS = ROOT / "translations" / "console_vi.ts"
QM = TS.with_suffix(".qm")
_FIELD = re.compile(r"\{(\w*)\}")


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found: install PySide6 in this venv")
    return found


def _sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "console").rglob("*.py"))


def update(ts: Path = TS) -> None:
    subprocess.run([_tool("pyside6-lupdate"), *_sources(), "-no-obsolete", "-locations", "none",
                    "-target-language", "vi_VN", "-ts", str(ts)], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)


def build() -> None:
    subprocess.run([_tool("pyside6-lrelease"), str(TS), "-qm", str(QM)], check=True, stdout=subprocess.DEVNULL)


def problems(ts: Path) -> list[str]:
    found = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            translation = message.find("translation")
            text = translation.text if translation is not None and translation.text else ""
            kind = translation.get("type") if translation is not None else "missing"
            if kind in ("unfinished", "missing") or not text.strip():
                found.append(f"{name}: untranslated: {source!r}")
            elif kind in ("vanished", "obsolete"):
                found.append(f"{name}: obsolete entry (run update): {source!r}")
            elif sorted(_FIELD.findall(source)) != sorted(_FIELD.findall(text)):
                found.append(f"{name}: placeholders differ: {source!r} -> {text!r}")
    return found


def check() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / TS.name
        shutil.copy(TS, fresh)
        update(fresh)
        issues = problems(fresh)
        if fresh.read_text("utf-8") != TS.read_text("utf-8") and not issues:
            issues.append(f"{TS.relative_to(ROOT)} is out of date: run `python scripts/i18n.py update`")
    for issue in issues:
        print(issue)
    print(f"i18n: {len(issues)} problem(s)")
    return 1 if issues else 0


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "update":
        update()
        return 0
    if command == "build":
        build()
        return 0
    if command == "check":
        return check()
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
