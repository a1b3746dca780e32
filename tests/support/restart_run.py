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
from console.ui.shell.main_window import MainWindow

SETTLE_MS = 1500


def main() -> int:
    site, changed, out = (Path(a) for a in sys.argv[1:4])
    seen: list[list[str]] = []

    def probe(window: MainWindow, _writer: AlertWriter, _recorder: Recorder) -> None:
        seen.append([c.id for c in window.config.cameras] + [f"tree:{window.camera_tree.camera_count()}"])
        if len(seen) == 1:
            shutil.copyfile(changed, site)  # the site file as the wizard writes it: one camera more
            QTimer.singleShot(SETTLE_MS, window.restart_requested.emit)
        else:
            QTimer.singleShot(SETTLE_MS, window.close)

    code = run(LaunchOptions(demo=False, config=site, lang="vi"), sys.argv[:1], probe=probe)
    out.write_text(json.dumps({"code": code, "seen": seen}), "utf-8")
    return code


if __name__ == "__main__":
    sys.exit(main())
