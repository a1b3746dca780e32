"""Playback windows close what they own: opening and closing one never leaves a database connection open."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent
from pytestqt.qtbot import QtBot

from console.core.config import load_config
from console.core.paths import demo_config_path
from console.store.database import open_database
from console.ui.shell.main_window import MainWindow


def open_db_files(name: str) -> int:
    """File descriptors of this process on `name` (SQLite keeps the file, -wal and -shm open)."""
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        count += Path(target).name.startswith(name)
    return count


def open_and_close(qtbot: QtBot, window: MainWindow, times: int) -> None:
    for _ in range(times):
        playback = window.open_playback("C01", 1_790_000_000_000)
        assert playback is not None and playback.isVisible()
        playback.close()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        qtbot.waitUntil(lambda: window._playback is None, timeout=3000)


def test_playback_windows_leave_no_database_connection_open(qtbot: QtBot, tmp_path: Path) -> None:
    data = tmp_path / "data"
    config = load_config(demo_config_path())
    window = MainWindow(config, demo=True, data=data, recordings=tmp_path / "rec")
    qtbot.addWidget(window)
    open_database(data / "console.db").close()
    before = open_db_files("console.db")
    open_and_close(qtbot, window, 5)  # a window of its own: it opens the file and closes it with the window
    assert open_db_files("console.db") == before

    shared = open_database(data / "console.db")
    with_shared = open_db_files("console.db")
    given = MainWindow(config, demo=True, data=data, recordings=tmp_path / "rec", database=shared)
    qtbot.addWidget(given)
    open_and_close(qtbot, given, 5)  # the console's connection, handed over by app.py: used, not reopened
    assert open_db_files("console.db") == with_shared
    assert shared.execute("select 1").fetchone() == (1,)  # and not closed by the window either
    shared.close()
    window.pool.close()
    given.pool.close()
