"""Run the real console (`console.app.run`) on a site file, change the file as the camera wizard does, ask the
window to rebuild the wall, and write down which cameras each window showed (tests/ui/test_camera_menu.py)."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from PySide6.QtCore import QTimer

from console.app import LaunchOptions, run
from console.media.recording import Recorder
from console.store.alerts import AlertWriter
from console.ui.officers.lock_screen import LockScreen
from console.ui.shell.main_window import MainWindow

SETTLE_MS = 1500
PASSWORD = "Dung-Mat-Khau-1"  # in tests/support/secrets_sweep.py's SUITE_PASSWORDS


def main() -> int:
    site, changed, out = (Path(a) for a in sys.argv[1:4])
    seen: list[list[str]] = []

    def probe(window: MainWindow, _writer: AlertWriter, _recorder: Recorder) -> None:
        screen = window.findChild(LockScreen)
        assert screen is not None
        seen.append([c.id for c in window.config.cameras] + [f"tree:{window.camera_tree.camera_count()}",
                                                             f"login:{screen.isVisible() and screen.mode.value}"])
        if len(seen) == 1:  # the first start: the technician creates the admin, then the wizard's change lands
            screen.login.setText("quantri")
            screen.full_name.setText("Trần Văn Kỹ")
            screen.password.setText(PASSWORD)
            screen.repeat.setText(PASSWORD)
            screen.button.click()
            shutil.copyfile(changed, site)  # the site file as the wizard writes it: one camera more
            QTimer.singleShot(SETTLE_MS, window.restart_requested.emit)
        else:
            QTimer.singleShot(SETTLE_MS, window.close)

    code = run(LaunchOptions(demo=False, config=site, lang="vi"), sys.argv[:1], probe=probe)
    out.write_text(json.dumps({"code": code, "seen": seen}), "utf-8")
    return code


if __name__ == "__main__":
    sys.exit(main())
