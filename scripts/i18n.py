"""Translation chores: `update` the .ts files, `build` the .qm files, `check` nothing is missing.

Run with the project's venv: `python scripts/i18n.py check`. Two catalogues:
- translations/console_vi.ts, our own strings, updated from the sources by pyside6-lupdate;
- translations/qtbase_vi.ts, our Vietnamese for Qt's own dialogs and buttons (Qt ships none), updated from
  Qt's catalogues by scripts/qtbase_vi.py.
The check fails when a string has no finished Vietnamese translation, when a translation's placeholders
({name} in ours, %1/%n in Qt's) differ from the source's, when a Qt accelerator (&) is lost or not on an
ASCII letter, when qtbase_vi.ts lists a string Qt's catalogue does not have, or when a committed .ts is out
of date (someone added a tr() or upgraded PySide6 without running `update`).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import qtbase_vi
from qt_catalogue import catalogue

ROOT = Path(__file__).resolve().parents[1]
TS = ROOT / "translations" / "console_vi.ts"
QM = TS.with_suffix(".qm")
QT_TS = ROOT / "translations" / "qtbase_vi.ts"
QT_QM = QT_TS.with_suffix(".qm")
_FIELD = re.compile(r"\{(\w*)\}")
_QT_ARG = re.compile(r"%L?(?:\d{1,2}|n)")
_ACCELERATOR = re.compile(r"&(&?)(.?)")


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
    for ts, qm in ((TS, QM), (QT_TS, QT_QM)):
        subprocess.run([_tool("pyside6-lrelease"), str(ts), "-qm", str(qm)], check=True, stdout=subprocess.DEVNULL)


def _texts(translation: ET.Element | None) -> list[str]:
    if translation is None:
        return []
    forms = [form.text or "" for form in translation.iter("numerusform")]
    return forms or [translation.text or ""]


def _accelerators(text: str) -> list[str]:
    """The accelerator letters of a Qt text ("&&" is a literal ampersand)."""
    return [letter for double, letter in _ACCELERATOR.findall(text) if not double]


def _accelerator_problem(source: str, text: str) -> str | None:
    letters = _accelerators(text)
    if len(_accelerators(source)) != len(letters):
        return "accelerator (&) lost or added"
    if any(not (letter.isascii() and letter.isalnum()) for letter in letters):
        return "accelerator (&) not on an ASCII letter or digit"
    return None


def problems(ts: Path, fields: re.Pattern[str] = _FIELD,
             extra: Callable[[str, str], str | None] | None = None) -> list[str]:
    found = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            translation = message.find("translation")
            texts = _texts(translation)
            kind = translation.get("type") if translation is not None else "missing"
            if kind in ("unfinished", "missing") or not texts or not all(text.strip() for text in texts):
                found.append(f"{name}: untranslated: {source!r}")
                continue
            if kind in ("vanished", "obsolete"):
                found.append(f"{name}: obsolete entry (run update): {source!r}")
                continue
            for text in texts:
                if sorted(fields.findall(source)) != sorted(fields.findall(text)):
                    found.append(f"{name}: placeholders differ: {source!r} -> {text!r}")
                elif extra is not None and (issue := extra(source, text)):
                    found.append(f"{name}: {issue}: {source!r} -> {text!r}")
    return found


def unknown_to_qt(ts: Path) -> list[str]:
    """Entries of qtbase_vi.ts whose (context, source) Qt's catalogue lacks: Qt would never look them up."""
    root = ET.parse(ts).getroot()
    listed = [(c.findtext("name") or "", m.findtext("source") or "") for c in root.iter("context")
              for m in c.iter("message")]
    known = {(m.context, m.source) for m in catalogue({context for context, _ in listed})}
    return [f"{context}: not in Qt's catalogue: {source!r}" for context, source in listed
            if (context, source) not in known]


def qt_problems(ts: Path) -> list[str]:
    return problems(ts, _QT_ARG, _accelerator_problem) + unknown_to_qt(ts)


def _refreshed(committed: Path, refresh: Callable[[Path], None], problems_of: Callable[[Path], list[str]]) -> list[str]:
    """The problems of a refreshed copy of a committed .ts, or one saying the committed file is out of date."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / committed.name
        shutil.copy(committed, fresh)
        refresh(fresh)
        issues = problems_of(fresh)
        if fresh.read_text("utf-8") != committed.read_text("utf-8") and not issues:
            issues.append(f"{committed.relative_to(ROOT)} is out of date: run `python scripts/i18n.py update`")
    return issues


def check() -> int:
    issues = _refreshed(TS, update, problems) + unknown_to_qt(QT_TS) + _refreshed(QT_TS, qtbase_vi.update, qt_problems)
    for issue in issues:
        print(issue)
    print(f"i18n: {len(issues)} problem(s)")
    return 1 if issues else 0


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "update":
        update()
        qtbase_vi.update(QT_TS)
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
