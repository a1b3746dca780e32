"""The translation file rewritten under a running console (an update, a rebuild) must not crash it: Qt used
to map the .qm file, and the rewrite pulled the pages from under `translate` (SIGBUS)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

REWRITE = """
import sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication
import console.ui.shell.i18n as i18n

copy = Path(sys.argv[1])
i18n.qm_path = lambda lang, catalogue="console": copy.with_name(f"{catalogue}_{lang}.qm")
app = QCoreApplication([])
assert i18n.install_translator(app, "vi") is not None
before = QCoreApplication.translate("MainWindow", "&About")
copy.write_bytes(b"")  # truncated in place, as a rebuild does before writing the new file
after = QCoreApplication.translate("MainWindow", "&About")
print(before, after)
"""


def test_the_console_survives_its_translation_being_rewritten(tmp_path: Path) -> None:
    for name in ("console_vi.qm", "qtbase_vi.qm"):
        shutil.copy(ROOT / "translations" / name, tmp_path / name)
    run = subprocess.run([sys.executable, "-c", REWRITE, str(tmp_path / "console_vi.qm")], capture_output=True,
                         text=True, timeout=60, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == ["&Giới", "thiệu", "&Giới", "thiệu"]
