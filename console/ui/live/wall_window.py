"""The live wall in a window of its own, for a second monitor (the main window keeps the tree, the map and
the alarm list). Closing it brings the wall back; F11 and Esc work there as in the main window."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QVBoxLayout, QWidget

from console.ui.live.wall import LiveWall
from console.ui.widgets.full_screen import take_whole_screen
from console.ui.widgets.overrides import qt_override


class WallWindow(QWidget):
    closing = Signal()  # the officer closed it: the wall goes back to the main window

    def __init__(self, title: str) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.setObjectName("wallWindow")
        self.setWindowTitle(title)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.wall: LiveWall | None = None
        QShortcut(QKeySequence("F11"), self, self.toggle_full_screen)

    def hold(self, wall: LiveWall) -> None:
        self.wall = wall
        self._layout.addWidget(wall)
        wall.show()

    def release(self) -> LiveWall | None:
        wall, self.wall = self.wall, None
        if wall is not None:
            self._layout.removeWidget(wall)
        return wall

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()
            take_whole_screen(self)  # also without a window manager (a wall monitor)

    @qt_override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.isFullScreen():
            self.toggle_full_screen()
            return
        super().keyPressEvent(event)

    @qt_override
    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.emit()
        super().closeEvent(event)
