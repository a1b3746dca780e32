"""After an unclean stop the window is up at once and says it is repairing recordings; nobody waits 30 s."""

from __future__ import annotations

import os
from pathlib import Path

from pytestqt.qtbot import QtBot

from console.core.config import load_config
from console.core.paths import demo_config_path
from console.core.recording import RecordingSettings
from console.media.recording import Recorder
from console.store.recordings import RecordingIndex, index_opener
from console.ui.shell.main_window import MainWindow
from tests.support.databases import OpenDb
from tests.support.stamped_clip import write_stamped_segment

LEFT_OPEN = 400  # segments a power cut left open: their repair takes seconds


def test_window_shows_at_once_and_says_recordings_are_being_repaired(qtbot: QtBot, tmp_path: Path,
                                                                       vietnamese: object, open_db: OpenDb) -> None:
    root = tmp_path / "rec"
    clip = tmp_path / "clip.ts"
    write_stamped_segment(clip, 10.0, 320, 180, 15)
    index = RecordingIndex(open_db(tmp_path / "console.db"))
    for n in range(LEFT_OPEN):
        name = f"C01/2026-12-01/{n:04d}.ts"
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        os.link(clip, root / name)
        index.open_segment("C01", 1_790_000_000_000 + n * 10_000, name, "h264", 320, 180)

    recorder = Recorder(root, index_opener(tmp_path / "console.db"), RecordingSettings())
    recorder.start()
    try:
        assert recorder.recovering  # start() has returned with the repair still running: it did not wait for it
        window = MainWindow(load_config(demo_config_path()), demo=True)
        qtbot.addWidget(window)
        try:
            window.show()
            window.watch_recovery(lambda: recorder.recovering)
            qtbot.waitExposed(window)  # the window is on screen ...
            label = window.recovery_label
            assert label is not None and label.isVisible() and label.text() == "Đang khôi phục bản ghi…"
            assert recorder.recovering  # ... saying so while the repair still runs
            qtbot.waitUntil(lambda: window.recovery_label is None, timeout=120_000)
            assert recorder.recovered == LEFT_OPEN
            assert window.statusBar().currentMessage() == "Đã khôi phục bản ghi"
        finally:
            window.pool.close()
    finally:
        recorder.close()
    assert index.unclosed() == []
