"""One tile of the live wall: paints the latest frame, the overlay and the health; drag, drop, zoom.

Which stream it pulls and the hand-over between two are its `TileStream`'s (ui/live/tile_stream.py): the
tile tells it the camera, the layout and its size, and paints the pictures it is given.
"""

from __future__ import annotations

import time
from enum import Enum

from PySide6.QtCore import QMimeData, QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QDrag,
    QDragEnterEvent,
    QDropEvent,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QApplication, QWidget

from console.core.config import SiteConfig, StreamKind
from console.core.health import Shown
from console.core.layouts import StreamPolicy
from console.media.display import VideoImage
from console.media.pool import StreamPool
from console.ui.live.feed import PoolFrames, to_qimage
from console.ui.live.status_text import StatusText, describe
from console.ui.live.tile_ptz import TilePtz
from console.ui.live.tile_stream import FrameSource, TileStream
from console.ui.widgets.drag_drop import CAMERA_MIME, TILE_MIME, dropped_camera
from console.ui.widgets.overrides import qt_override

MAX_ZOOM = 8.0
ZOOM_STEP = 1.25
OVERLAY_ALPHA = 150


REVEAL_S = 4.0  # an auto-hidden name bar shows this long after a camera arrives in the tile


class NameBar(Enum):
    """Where the tile's name bar goes. Cameras burn their own date/time into the top of the picture
    (Hikvision and Dahua both default to top left), so the bar stays off the top unless asked."""

    AUTO = "auto"  # hidden while the camera is live; shown under the pointer, on trouble, after a change
    BOTTOM = "bottom"
    TOP = "top"


ALERT_BORDER = "#e03131"
ALERT_BORDER_PX = 4


def camera_title(camera_id: str, camera_name: str) -> str:
    """"C01 · name", without repeating the id when the name starts with it (tiles and the tree alike)."""
    return camera_name if camera_name.startswith(camera_id) else f"{camera_id} · {camera_name}"


def overlay_label(camera_id: str, camera_name: str, site_name: str) -> str:
    """"C01 · name — site", without repeating the id or the site when the name already holds them."""
    label = camera_title(camera_id, camera_name)
    return label if site_name in camera_name else f"{label} — {site_name}"


class VideoTile(QWidget):
    double_clicked = Signal(int)
    camera_dropped = Signal(int, str)
    tiles_swapped = Signal(int, int)
    menu_requested = Signal(int, QPoint)
    first_frame = Signal(int, str)  # tile, stream kind: a new camera or stream is on screen
    pressed = Signal(int)  # a click selects the tile (where a camera clicked on the map goes)

    def __init__(self, index: int, pool: StreamPool, config: SiteConfig, parent: QWidget | None = None,
                 frames: FrameSource | None = None) -> None:
        super().__init__(parent)
        self.index = index
        self.setObjectName(f"tile{index}")
        self._pool = pool
        self._config = config
        self.stream = TileStream(frames or PoolFrames(pool), config, self._show)
        self._image: VideoImage | None = None
        self._qimage: QImage | None = None
        self._status = StatusText(describe(None, 0).shown, "", ())
        self.show_latency = False
        self.name_bar = NameBar.AUTO
        self._hovered = False
        self._placed_at = time.monotonic()
        self.site_down = False
        self.selected = False
        self.alert_lit = False  # a new alert on this camera: the border blinks red until acknowledged
        self.ptz = TilePtz(self)
        self._drop_hover = False
        self._zoom = 1.0
        self._centre = QPointF(0.5, 0.5)
        self._press: QPoint | None = None
        self._bar_cache: tuple[tuple[object, ...], QPixmap] | None = None
        self.setAcceptDrops(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMinimumSize(64, 36)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)

    # --- what the tile shows ------------------------------------------------------------------------
    @property
    def camera_id(self) -> str | None:
        return self.stream.camera_id

    @property
    def policy(self) -> StreamPolicy:
        return self.stream.policy

    @property
    def override(self) -> StreamPolicy | None:
        return self.stream.override

    @property
    def stream_kind(self) -> StreamKind | None:
        return self.stream.kind

    @property
    def pending_kind(self) -> StreamKind | None:
        return self.stream.pending_kind

    @property
    def frames_shown(self) -> int:
        return self.stream.frames

    @property
    def image(self) -> VideoImage | None:
        return self._image

    @property
    def zoom(self) -> float:
        return self._zoom

    @property
    def ptz_mode(self) -> bool:
        return self.ptz.mode

    def set_ptz_mode(self, on: bool) -> None:
        self.ptz.set_mode(on)

    @property
    def status(self) -> StatusText:
        return self._status

    def set_camera(self, camera_id: str | None) -> None:
        self.place(camera_id, self.stream.tiles, self.stream.maximized)

    def set_context(self, tiles: int, maximized: bool) -> None:
        self.place(self.camera_id, tiles, maximized)

    def place(self, camera_id: str | None, tiles: int, maximized: bool) -> None:
        """Show `camera_id` on a layout of `tiles` tiles, maximized or not (one stream decision)."""
        maximized_changed = maximized != self.stream.maximized
        self._sync_geometry()
        self.ptz.set_camera(camera_id)
        if self.stream.place(camera_id, tiles, maximized):
            self._image = self._qimage = None
            self.site_down = False
            self._placed_at = time.monotonic()
            maximized_changed = True
        if maximized_changed:
            self._zoom, self._centre = 1.0, QPointF(0.5, 0.5)
            self._sync_geometry()
        self._update_tooltip()
        self.update()

    def set_active(self, active: bool) -> None:
        """Inactive tiles (hidden by a maximized tile, window minimized) stop decoding."""
        self.stream.set_active(active)

    def set_policy(self, policy: StreamPolicy) -> None:
        self.stream.set_policy(policy)

    def set_override(self, override: StreamPolicy | None) -> None:
        self.stream.set_override(override)

    def wanted_kind(self) -> StreamKind | None:
        return self.stream.wanted()

    def _box(self) -> tuple[int, int]:
        ratio = self.devicePixelRatioF() * self._zoom
        rect = self.rect()
        return max(2, int(rect.width() * ratio)), max(2, int(rect.height() * ratio))

    def _sync_geometry(self) -> None:
        """Tell the stream controller the picture's height (it picks the stream) and the decode box."""
        self.stream.set_geometry(self._video_rect().height(), self._box())

    def _show(self, image: VideoImage, switched: bool) -> None:
        first = switched or self._image is None
        self._image = image
        self._qimage = to_qimage(image)
        self.update()
        if first and self.stream.kind is not None:
            self.first_frame.emit(self.index, self.stream.kind.value)

    def refresh_status(self, now: float) -> None:
        status = None
        if self.camera_id is not None:
            kind = self.stream_kind or StreamKind.SUB
            status = self._pool.status(self.camera_id, kind) or self._pool.camera_status(self.camera_id)
        if status is not None and self.stream.kind is not None and self._image is not None:
            status = status.with_picture(self._image.captured)  # health is the picture on screen
        text = describe(status, now, self.site_down)
        if text != self._status:
            self._status = text
            self._update_tooltip()
            self.update()
        elif self.show_latency:
            self.update()

    def _update_tooltip(self) -> None:
        """The camera's full name and site (the bar may be hidden or elided), and what is wrong, if anything."""
        if self.camera_id is None:
            self.setToolTip("")
            return
        camera = self._config.camera(self.camera_id)
        lines = [overlay_label(camera.id, camera.name, self._config.site(camera.site_id).name)]
        lines += [line for line in (self._status.headline, *self._status.lines, self._status.path) if line]
        self.setToolTip("\n".join(lines))

    # --- geometry -----------------------------------------------------------------------------------
    def _video_rect(self) -> QRect:
        """Where the picture is painted: the source aspect ratio, letterboxed in the tile."""
        rect = self.rect()
        image = self._image
        src_w, src_h = (image.source_width, image.source_height) if image else (16, 9)
        scale = min(rect.width() / src_w, rect.height() / src_h)
        width, height = int(src_w * scale), int(src_h * scale)
        return QRect(rect.x() + (rect.width() - width) // 2, rect.y() + (rect.height() - height) // 2,
                     width, height)

    def video_rect_global(self) -> QRect:
        rect = self._video_rect()
        return QRect(self.mapToGlobal(rect.topLeft()), rect.size())

    def _source_rect(self, image: QImage) -> QRectF:
        width, height = image.width() / self._zoom, image.height() / self._zoom
        left = min(max(0.0, self._centre.x() * image.width() - width / 2), image.width() - width)
        top = min(max(0.0, self._centre.y() * image.height() - height / 2), image.height() - height)
        return QRectF(left, top, width, height)

    @qt_override
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._sync_geometry()

    @qt_override
    def showEvent(self, event: object) -> None:
        self.stream.set_visible(True)
        self._sync_geometry()

    @qt_override
    def hideEvent(self, event: object) -> None:
        self.ptz.end()
        self.stream.set_visible(False)

    @qt_override
    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.ptz.end()
        super().focusOutEvent(event)

    @qt_override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.ptz.key(event):
            super().keyPressEvent(event)

    # --- painting -----------------------------------------------------------------------------------
    @qt_override
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#101010"))
        video = self._video_rect()
        if self._qimage is not None:
            painter.drawImage(QRectF(video), self._qimage, self._source_rect(self._qimage))
        if self.camera_id is not None:
            self._paint_overlay(painter, video)
            if self._status.headline:
                self._paint_status(painter)
        else:
            self._paint_empty(painter)
        self._paint_frame(painter)
        painter.end()

    def name_bar_rect(self) -> QRect | None:
        """Where the name bar is painted now (tile coordinates), None while it is hidden."""
        if self.camera_id is None or not self._name_bar_shown():
            return None
        height = QFontMetrics(self._bar_font()).height() + 6
        top = 0 if self.name_bar is NameBar.TOP else self.height() - height
        return QRect(0, top, self.width(), height)

    def _name_bar_shown(self) -> bool:
        if self.name_bar is not NameBar.AUTO:
            return True
        return (self._hovered or self.selected or self._status.shown is not Shown.LIVE
                or time.monotonic() - self._placed_at < REVEAL_S)

    def _paint_overlay(self, painter: QPainter, video: QRect) -> None:
        where = self.name_bar_rect()
        if where is not None:
            bar = self._bar()
            painter.drawPixmap(where.topLeft(), bar)
            badge = self._latency_badge()
            if badge:
                painter.setFont(self._bar_font())
                painter.setPen(QColor("#f2f2f2"))
                painter.drawText(where.adjusted(0, 0, -6, 0),
                                 Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, badge)
        self.ptz.paint(painter, video)
        if self._zoom > 1.0:
            painter.setPen(QColor("#f2f2f2"))
            bottom = where is not None and self.name_bar is not NameBar.TOP
            corner = Qt.AlignmentFlag.AlignTop if bottom else Qt.AlignmentFlag.AlignBottom
            painter.drawText(video.adjusted(6, 6, -6, -6), corner | Qt.AlignmentFlag.AlignLeft, f"{self._zoom:.1f}×")

    def _bar_font(self) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(max(10, min(15, self.height() // 16)))
        return font

    def _bar(self) -> QPixmap:
        """The name bar, drawn once per name/size/status: shaping Vietnamese text 375 times a second is not
        free, and the GUI thread has 25 pictures to paint."""
        camera = self._config.camera(self.camera_id or "")
        label = overlay_label(camera.id, camera.name, self._config.site(camera.site_id).name)
        key = (self.width(), self.height(), label, self._status.color, self.show_latency, self.devicePixelRatioF())
        if self._bar_cache is not None and self._bar_cache[0] == key:
            return self._bar_cache[1]
        font = self._bar_font()
        metrics = QFontMetrics(font)
        ratio = self.devicePixelRatioF()
        size = QSize(self.width(), metrics.height() + 6)
        pixmap = QPixmap(size * ratio)
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(QColor(0, 0, 0, OVERLAY_ALPHA))
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(font)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(self._status.color))
        dot = metrics.height() // 2
        painter.drawEllipse(6, size.height() // 2 - dot // 2, dot, dot)
        badge_w = metrics.horizontalAdvance(self.tr("Latency: {ms} ms").format(ms=9999)) + 12 \
            if self.show_latency else 0
        text_rect = QRect(12 + dot, 0, self.width() - 18 - dot - badge_w, size.height())
        painter.setPen(QColor("#f2f2f2"))
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                         metrics.elidedText(label, Qt.TextElideMode.ElideRight, text_rect.width()))
        painter.end()
        self._bar_cache = (key, pixmap)
        return pixmap

    def _latency_badge(self) -> str:
        if not self.show_latency or self._image is None or self._status.headline:
            return ""
        ms = round((time.monotonic() - self._image.received) * 1000)
        return self.tr("Latency: {ms} ms").format(ms=ms)

    def _paint_status(self, painter: QPainter) -> None:
        if self._qimage is not None:
            painter.fillRect(self.rect(), QColor(0, 0, 0, 120))
        font = QFont(self.font())
        size = max(11, min(22, self.height() // 10))
        font.setPixelSize(size)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor(self._status.color))
        head = QRect(0, self.height() // 2 - size * 2, self.width(), size + 8)
        painter.drawText(head, Qt.AlignmentFlag.AlignCenter, self._status.headline)
        font.setBold(False)
        font.setPixelSize(max(10, size * 2 // 3))
        painter.setFont(font)
        painter.setPen(QColor("#e8e8e8"))
        metrics = QFontMetrics(font)
        top = head.bottom() + 4
        for line in self._status.lines:
            painter.drawText(QRect(4, top, self.width() - 8, metrics.height()), Qt.AlignmentFlag.AlignCenter,
                             metrics.elidedText(line, Qt.TextElideMode.ElideRight, self.width() - 8))
            top += metrics.height() + 2

    def _paint_empty(self, painter: QPainter) -> None:
        painter.setPen(QColor("#6b6b6b"))
        painter.drawText(self.rect().adjusted(8, 8, -8, -8), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                         self.tr("Drag a camera here"))

    def picture(self) -> QImage | None:
        """A copy of the picture on show (for the zone editor), None before the first frame."""
        return self._qimage.copy() if self._qimage is not None else None

    def set_alert_lit(self, lit: bool) -> None:
        if lit != self.alert_lit:
            self.alert_lit = lit
            self.update()

    def _paint_frame(self, painter: QPainter) -> None:
        if self.alert_lit:
            painter.setPen(QPen(QColor(ALERT_BORDER), ALERT_BORDER_PX))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self.rect().adjusted(2, 2, -2, -2))
            return
        color = "#4dabf7" if self._drop_hover else ("#f2f2f2" if self.selected else "#333333")
        painter.setPen(QPen(QColor(color), 2 if (self._drop_hover or self.selected) else 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))

    # --- mouse --------------------------------------------------------------------------------------
    @qt_override
    def enterEvent(self, event: object) -> None:
        self._hovered = True
        self.update()

    @qt_override
    def leaveEvent(self, event: object) -> None:
        self._hovered = False
        self.update()

    @qt_override
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.ptz.press(event):
            self.pressed.emit(self.index)
            return
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
            self.pressed.emit(self.index)
        super().mousePressEvent(event)

    @qt_override
    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self.ptz.move(event, self._video_rect()):
            return
        if self._press is None or not event.buttons() & Qt.MouseButton.LeftButton:
            return
        delta = event.position().toPoint() - self._press
        if self._zoom > 1.0:  # zoomed: dragging pans the picture
            self._pan(delta)
            self._press = event.position().toPoint()
            return
        if delta.manhattanLength() >= QApplication.startDragDistance() and self.camera_id is not None:
            self._press = None
            self.start_drag()

    @qt_override
    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self.ptz.release(event, self._video_rect())
        self._press = None
        super().mouseReleaseEvent(event)

    def start_drag(self) -> None:
        mime = QMimeData()
        mime.setData(TILE_MIME, str(self.index).encode())
        drag = QDrag(self)
        drag.setMimeData(mime)
        if self._qimage is not None:
            drag.setPixmap(self.grab().scaledToWidth(160))
        drag.exec(Qt.DropAction.MoveAction)

    @qt_override
    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.double_clicked.emit(self.index)

    @qt_override
    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self.menu_requested.emit(self.index, event.globalPos())

    @qt_override
    def wheelEvent(self, event: QWheelEvent) -> None:
        """The PTZ camera's lens in PTZ control, else digital zoom on a maximized tile around the mouse."""
        if self.ptz.wheel(event):
            return
        if not self.stream.maximized or self._qimage is None:
            event.ignore()
            return
        steps = event.angleDelta().y() / 120
        if not steps:
            return
        video = self._video_rect()
        source = self._source_rect(self._qimage)
        pos = event.position()
        fx = (pos.x() - video.x()) / max(1, video.width())
        fy = (pos.y() - video.y()) / max(1, video.height())
        anchor = QPointF((source.x() + fx * source.width()) / self._qimage.width(),
                         (source.y() + fy * source.height()) / self._qimage.height())
        self.set_zoom(self._zoom * ZOOM_STEP ** steps, anchor)

    def set_zoom(self, zoom: float, anchor: QPointF | None = None) -> None:
        zoom = min(MAX_ZOOM, max(1.0, zoom))
        if anchor is not None and zoom > 1.0:
            self._centre = anchor
        if zoom == 1.0:
            self._centre = QPointF(0.5, 0.5)
        self._zoom = zoom
        self._sync_geometry()  # a zoomed tile asks the decoder for more pixels (up to the source's)
        self.update()

    def _pan(self, delta: QPoint) -> None:
        video = self._video_rect()
        self._centre = QPointF(
            min(1.0, max(0.0, self._centre.x() - delta.x() / max(1, video.width()) / self._zoom)),
            min(1.0, max(0.0, self._centre.y() - delta.y() / max(1, video.height()) / self._zoom)))
        self.update()

    # --- drop ---------------------------------------------------------------------------------------
    @qt_override
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if mime.hasFormat(CAMERA_MIME) or mime.hasFormat(TILE_MIME):
            self._drop_hover = True
            self.update()
            event.acceptProposedAction()

    @qt_override
    def dragLeaveEvent(self, event: object) -> None:
        self._drop_hover = False
        self.update()

    @qt_override
    def dropEvent(self, event: QDropEvent) -> None:
        self._drop_hover = False
        self.update()
        mime = event.mimeData()
        if mime.hasFormat(TILE_MIME):
            source = int(bytes(mime.data(TILE_MIME).data()).decode())
            if source != self.index:
                self.tiles_swapped.emit(source, self.index)
        elif mime.hasFormat(CAMERA_MIME):
            self.camera_dropped.emit(self.index, dropped_camera(mime) or "")
        else:
            return
        event.acceptProposedAction()
