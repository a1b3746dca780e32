"""A part of the main window found from any widget in it: a playback window is the main window's child, so the
desk, dock or link it needs is looked up under its topmost parent (none: a window built alone, in tools or tests)."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject

T = TypeVar("T", bound=QObject)


def main_window_part(widget: QObject, kind: type[T], name: str) -> T | None:
    root = widget
    while (up := root.parent()) is not None:
        root = up
    found = root.findChild(kind, name)
    return found if isinstance(found, kind) else None
