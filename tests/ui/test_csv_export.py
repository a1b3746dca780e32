"""The alarm list's CSV export runs on a worker: 150,000 rows written while the GUI thread goes on handling
its events, with progress, and Hủy leaves no file behind. (How long the GUI may wait meanwhile is measured by
benchmarks/alerts.py, `csv_export_gui_block_max_ms`.)"""

from __future__ import annotations

import csv
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from console.core.alerts import AlertEvent, AlertKind, AlertState
from console.core.config import SiteConfig
from console.core.vntime import now_ms
from console.store.alerts import AlertWriter, Transition
from console.ui.shell.main_window import MainWindow
from tests.ui.test_alarm_panel import alert_window

ROWS = 150_000


@pytest.fixture()
def window(qtbot: QtBot, demo_site: SiteConfig, tmp_path: Path, vietnamese: object) -> Iterator[MainWindow]:
    writer = AlertWriter(tmp_path / "console.db", tmp_path / "alerts")
    start = now_ms() - ROWS * 1000
    cameras = [(c.id, c.site_id) for c in demo_site.cameras]
    for n in range(ROWS):
        camera, site = cameras[n % len(cameras)]
        writer.submit(AlertEvent(writer.next_id(), camera, site, AlertKind.MOTION, start + n * 1000, 0.5, "start"))
    done = threading.Event()
    writer.submit(Transition(0, AlertState.CLOSED, "-", "", lambda _e: done.set()))
    assert done.wait(300)
    writer.close()
    with alert_window(qtbot, demo_site, tmp_path) as win:
        yield win


def gui_ticks(qtbot: QtBot, until: Callable[[], bool], seconds: float) -> int:
    """How many 10 ms waits of the GUI thread's event loop completed before `until` (the export) was done."""
    ticks, deadline = 0, time.monotonic() + seconds
    while time.monotonic() < deadline and not until():
        qtbot.wait(10)
        ticks += 1
    return ticks


def test_a_big_export_runs_beside_the_gui_with_progress(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    assert window.alert_center is not None
    panel = window.alert_center.panel
    panel.period.setCurrentIndex(panel.period.findData(0))  # "everything": all 150,000
    target = tmp_path / "canh-bao.csv"
    progress: list[int] = []
    outcome: list[object] = []
    export = panel.start_csv_export(target)
    export.progressed.connect(progress.append)
    export.finished.connect(outcome.append)
    threads: list[str] = []
    export.progressed.connect(lambda _n: threads.append(threading.current_thread().name),
                              Qt.ConnectionType.DirectConnection)
    ticks = gui_ticks(qtbot, lambda: bool(outcome), 120)
    assert outcome == [ROWS] and progress and progress[-1] >= ROWS - 10_000
    assert set(threads) == {"csv export"}  # the rows are written on the worker
    assert ticks >= 5  # and the GUI thread went on with its events meanwhile
    with target.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][0] == "Mã" and len(rows) == ROWS + 1
    qtbot.waitUntil(lambda: "150000" in window.statusBar().currentMessage(), timeout=3000)


def test_cancel_leaves_no_file(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    assert window.alert_center is not None
    panel = window.alert_center.panel
    panel.period.setCurrentIndex(panel.period.findData(0))
    target = tmp_path / "huy.csv"
    outcome: list[object] = []
    export = panel.start_csv_export(target)
    export.finished.connect(outcome.append)
    export.cancel()
    qtbot.waitUntil(lambda: bool(outcome), timeout=60_000)
    assert outcome == [None] and not target.exists()
