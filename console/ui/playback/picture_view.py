"""A recorded picture, painted fitted and centred (black bars), or a message in its place."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from console.media.player import ShownPicture
from console.ui.widgets.overrides import qt_override


class PictureView(QWidget):
    """Paints the player's last picture, fitted and centred (black bars), like a live tile."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("playbackPicture")
        self.setMinimumSize(320, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.image: QImage | None = None
        self.message = ""
        self._shown = -1  # the player's picture count last painted

    def show_image(self, image: QImage | None, message: str = "") -> None:
        self.image, self.message = image, message
        self.update()

    def show_new(self, picture: ShownPicture) -> None:
        """Paint the player's picture if it changed since the last one (and no message stands instead).

        Called every 40 ms: an unchanged picture (paused, or between frames) costs a comparison, not a
        3.7 MB copy."""
        if picture.shown == self._shown or self.message:
            return
        pixels, shown = picture.copy()
        self._shown = shown
        width, height = picture.width, picture.height
        self.show_image(QImage(pixels.data, width, height, width * 4, QImage.Format.Format_RGB32).copy())

    @qt_override
    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.black)
        if self.image is not None and not self.message:
            size = self.image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(0, 0, size.width(), size.height())
            target.moveCenter(self.rect().center())
            painter.drawImage(target, self.image)
        if self.message:
            painter.setPen(Qt.GlobalColor.white)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.message)
        painter.end()
