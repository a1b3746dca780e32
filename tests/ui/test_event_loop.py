"""Qt's event loop is the asyncio loop (qasync): coroutines run on the GUI thread while widgets live."""

from __future__ import annotations

import asyncio
import threading

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel

from console.ui.shell.event_loop import run_event_loop


def test_coroutines_and_qt_timers_share_the_gui_loop(qapp: QApplication) -> None:
    seen: list[str] = []
    label = QLabel("…")

    async def uplink_like() -> None:
        await asyncio.sleep(0.05)  # an asyncio wait, interleaved with Qt's timer below
        seen.append(f"coroutine on {threading.current_thread().name}")
        label.setText("đã kết nối")  # widgets are safe to touch: this is the GUI thread
        await asyncio.sleep(0.05)
        qapp.quit()

    QTimer.singleShot(10, lambda: seen.append("qt timer"))
    QTimer.singleShot(0, lambda: asyncio.ensure_future(uplink_like()))
    QTimer.singleShot(5000, qapp.quit)  # never hang the suite
    assert run_event_loop(qapp) == 0
    assert seen == ["qt timer", "coroutine on MainThread"] and label.text() == "đã kết nối"
