"""The suite fails loudly: a Qt warning in a test fails it (pyproject's qt_log_level_fail)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

NOISY = '''
from PySide6.QtCore import qWarning


def test_emits_a_qt_warning(qapp):
    qWarning("QObject::connect: No such signal Tile::frame(int)")


def test_quiet(qapp):
    pass
'''


def test_a_qt_warning_fails_the_test_that_caused_it(tmp_path: Path) -> None:
    noisy = tmp_path / "test_noisy.py"
    noisy.write_text(NOISY, "utf-8")
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-c",
                          str(ROOT / "pyproject.toml"), "--rootdir", str(tmp_path), str(noisy)],
                         capture_output=True, text=True, timeout=120, cwd=tmp_path,
                         env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert "1 failed, 1 passed" in run.stdout, run.stdout + run.stderr
    assert "No such signal" in run.stdout
