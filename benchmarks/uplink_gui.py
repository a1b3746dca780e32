"""The province window during the uplink benchmark: a real QApplication (offscreen when there is no display) runs
the window over the benchmark's receiver and its store, refreshing as the load arrives, while the benchmark's phases
run on a thread of their own; the project's EventLoopWatch (a 10 ms heartbeat) says the longest the GUI thread went
without running its event loop. That longest block is `province_gui_block_max_ms`."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from console.province.receiver import ProvinceReceiver

CHECK_MS = 100  # how often the GUI thread looks whether the phases have ended


@dataclass
class GuiMeasure:
    block_max_ms: float | None = None
    gc_max_ms: float | None = None
    overviews: int = 0  # how many overviews the window showed while the load arrived


def run_with_window(receiver: ProvinceReceiver, phases: Callable[[], Any], measuring: threading.Event,
                    measure: GuiMeasure) -> Any:
    """Run `phases` on a thread while the province window shows `receiver`'s store; its result (or its exception,
    raised again here). The heartbeat counts from when `measuring` is set (the load is arriving)."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from console.ui.province.window import ProvinceWindow
    from console.ui.shell.bench_report import EventLoopWatch

    found = QApplication.instance()
    app = found if isinstance(found, QApplication) else QApplication(["benchmarks.uplink"])
    window = ProvinceWindow(receiver.config, receiver.status, receiver.queries)
    window.overview_shown.connect(lambda _shown: _count(measure, measuring))
    window.resize(1600, 900)
    window.show()
    watch = EventLoopWatch()
    outcome: list[Any] = []
    failure: list[BaseException] = []

    def body() -> None:
        try:
            outcome.append(phases())
        except BaseException as exc:
            failure.append(exc)

    worker = threading.Thread(target=body, name="uplink-bench-phases", daemon=True)
    started = [False]

    def check() -> None:
        if measuring.is_set() and not started[0]:
            started[0] = True
            watch.reset()  # the window's first layout and reads before the load are not the load's
        if not worker.is_alive():
            app.quit()

    timer = QTimer()
    timer.timeout.connect(check)
    timer.start(CHECK_MS)
    worker.start()
    try:
        app.exec()
    finally:
        timer.stop()
        measure.block_max_ms = round(watch.max_block_ms, 1) if started[0] else None
        measure.gc_max_ms = round(watch.max_gc_ms, 1) if started[0] else None
        window.shutdown()
        window.close()
        window.deleteLater()
        worker.join()
    if failure:
        raise failure[0]
    return outcome[0]


def _count(measure: GuiMeasure, measuring: threading.Event) -> None:
    if measuring.is_set():
        measure.overviews += 1
