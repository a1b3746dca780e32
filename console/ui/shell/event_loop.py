"""The console's one event loop: Qt's, driven through qasync so asyncio code (ONVIF, the province uplink) runs
on it beside the widgets, without a second loop thread to hand results across."""

from __future__ import annotations

import asyncio

import qasync
from PySide6.QtWidgets import QApplication


def run_event_loop(app: QApplication) -> int:
    """Run until the application quits; returns Qt's exit code. Coroutines scheduled with asyncio (before or
    during) run on the GUI thread between Qt's events."""
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        return int(loop.run_forever())
    finally:
        asyncio.set_event_loop(None)
        loop.close()  # while Qt's objects live: closed at interpreter exit it reaches deleted signals
