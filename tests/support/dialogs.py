"""Acting on a modal dialog from a test: its exec() runs its own event loop, so the test answers it from a
timer once it is on screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

W = TypeVar("W", bound=QWidget)


def when_shown(kind: type[W], act: Callable[[W], None], poll_ms: int = 50) -> None:
    """Call `act(dialog)` as soon as a visible top-level widget of `kind` exists."""
    def look() -> None:
        found = next((w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None)
        if found is None:
            QTimer.singleShot(poll_ms, look)
            return
        act(found)
    QTimer.singleShot(poll_ms, look)
