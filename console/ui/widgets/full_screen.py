"""Full screen that holds without a window manager (a kiosk wall monitor, Xvfb): nothing there honours the
full-screen state, so the window takes the whole screen itself; setting a geometry drops the state, so it is
set again."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget


def take_whole_screen(window: QWidget) -> None:
    window.setGeometry(window.screen().geometry())
    window.setWindowState(window.windowState() | Qt.WindowState.WindowFullScreen)
