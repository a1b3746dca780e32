"""The playback timeline: recorded ranges (the console's own, and in another colour what the station's recorder
holds in their gaps), gaps, alert marks, bookmarks and the moments a motion search found, of one camera, zoomable from
24 h to 1 min."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPoint, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QPolygon, QWheelEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from console.core.recording import DAY_MS, TimeRange
from console.core.vntime import format_vn_ms, vn_moment
from console.ui.widgets.overrides import qt_override

MIN_SPAN_MS = 60_000
MAX_SPAN_MS = DAY_MS
ZOOM_STEP = 1.25
TICK_STEPS_MS = (5_000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000, 7_200_000,
                 10_800_000)
MIN_TICK_PX = 70
BAR_TOP, BAR_HEIGHT = 22, 22
RECORDED = QColor("#2f9e44")
ON_RECORDER = QColor("#4dabf7")  # the station's recorder (NVR) holds it, the console does not
GAP = QColor("#dee2e6")
ALERT = QColor("#e03131")
ALERT_HANDLED = QColor("#f08c00")
CURSOR = QColor("#1c7ed6")
BOOKMARK = QColor("#7048e8")
BOOKMARK_TOP, BOOKMARK_HEIGHT = BAR_TOP + BAR_HEIGHT + 6, 5  # a band under the bar, clear of the alert marks
MOTION = QColor("#e8590c")
MOTION_TOP, MOTION_HEIGHT = BOOKMARK_TOP + BOOKMARK_HEIGHT + 2, 4  # *Tìm chuyển động*'s moments, under the bookmarks


class Timeline(QWidget):
    seek_requested = Signal(object)  # ms (a Python int: epoch ms overflow a C int)
    view_changed = Signal(object, object)  # start ms, end ms

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("playbackTimeline")
        self.setMinimumHeight(64)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)
        self.start_ms = 0
        self.span_ms = 3_600_000
        self.cursor_ms: int | None = None
        self.ranges: list[TimeRange] = []
        self.recorder_ranges: list[TimeRange] = []  # the recorder's, in the gaps of the console's own
        self.alerts: list[tuple[int, int, str, str]] = []
        self.bookmarks: list[tuple[int, int, str]] = []  # from ms, to ms, name
        self.motion: list[tuple[int, int]] = []  # from ms, to ms: the last motion search's moments on this camera
        self._dragging = False

    # -- data ----------------------------------------------------------------------------------------
    @property
    def end_ms(self) -> int:
        return self.start_ms + self.span_ms

    def set_view(self, start_ms: int, span_ms: int) -> None:
        self.span_ms = max(MIN_SPAN_MS, min(MAX_SPAN_MS, span_ms))
        self.start_ms = start_ms
        self.view_changed.emit(self.start_ms, self.end_ms)
        self.update()

    def centre_on(self, at_ms: int) -> None:
        self.set_view(at_ms - self.span_ms // 2, self.span_ms)

    def set_data(self, ranges: Sequence[TimeRange], alerts: Sequence[tuple[int, int, str, str]]) -> None:
        self.ranges = list(ranges)
        self.alerts = list(alerts)
        self.update()

    def set_recorder_ranges(self, ranges: Sequence[TimeRange]) -> None:
        """What the station's recorder holds where the console recorded nothing: drawn in another colour."""
        self.recorder_ranges = list(ranges)
        self.update()

    def on_recorder(self, at_ms: int) -> bool:
        return any(r.contains(at_ms) for r in self.recorder_ranges)

    def set_bookmarks(self, bookmarks: Sequence[tuple[int, int, str]]) -> None:
        """*Đánh dấu* of the camera: (from ms, to ms, name), drawn as bands under the bar."""
        self.bookmarks = list(bookmarks)
        self.update()

    def set_motion(self, moments: Sequence[tuple[int, int]]) -> None:
        """The moments a motion search found (from ms, to ms), drawn as marks under the bookmarks; [] clears them."""
        self.motion = list(moments)
        self.update()

    def motion_at(self, at_ms: int) -> bool:
        slack = self.span_ms // max(1, self.width())  # a mark is at least a pixel wide: so is what it answers
        return any(start - slack <= at_ms <= end + slack for start, end in self.motion)

    def bookmarks_at(self, at_ms: int) -> list[str]:
        return [name for start, end, name in self.bookmarks if start <= at_ms <= end]

    def set_cursor(self, at_ms: int | None) -> None:
        if at_ms == self.cursor_ms:
            return
        self.cursor_ms = at_ms
        if at_ms is not None and not self._dragging and not self.start_ms <= at_ms <= self.end_ms:
            self.set_view(at_ms - self.span_ms // 10, self.span_ms)  # follow the playback
        self.update()

    # -- geometry ------------------------------------------------------------------------------------
    def x_of(self, at_ms: int) -> float:
        return (at_ms - self.start_ms) * self.width() / self.span_ms

    def ms_at(self, x: float) -> int:
        return self.start_ms + int(x * self.span_ms / max(1, self.width()))

    def tick_step_ms(self) -> int:
        for step in TICK_STEPS_MS:
            if self.x_of(self.start_ms + step) >= MIN_TICK_PX:
                return step
        return TICK_STEPS_MS[-1]

    # -- painting ------------------------------------------------------------------------------------
    @qt_override
    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().base())
        bar = QRectF(0, BAR_TOP, self.width(), BAR_HEIGHT)
        painter.fillRect(bar, GAP)
        for ranges, colour in ((self.recorder_ranges, ON_RECORDER), (self.ranges, RECORDED)):
            for item in ranges:
                if item.end_ms < self.start_ms or item.start_ms > self.end_ms:
                    continue
                left, right = self.x_of(item.start_ms), self.x_of(item.end_ms)
                painter.fillRect(QRectF(left, BAR_TOP, max(1.0, right - left), BAR_HEIGHT), colour)
        self._paint_ticks(painter)
        for _alert_id, at_ms, _kind, state in self.alerts:
            x = round(self.x_of(at_ms))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(ALERT if state == "new" else ALERT_HANDLED)
            bottom = BAR_TOP + BAR_HEIGHT
            painter.drawPolygon(QPolygon([QPoint(x, bottom - 8), QPoint(x - 6, bottom + 4), QPoint(x + 6, bottom + 4)]))
        for start, end, _name in self.bookmarks:
            left, right = self.x_of(max(start, self.start_ms)), self.x_of(min(end, self.end_ms))
            if right >= 0 and left <= self.width():
                painter.fillRect(QRectF(left, BOOKMARK_TOP, max(2.0, right - left), BOOKMARK_HEIGHT), BOOKMARK)
        for start, end in self.motion:
            if end >= self.start_ms and start <= self.end_ms:
                left, right = self.x_of(start), self.x_of(end)
                painter.fillRect(QRectF(left, MOTION_TOP, max(2.0, right - left), MOTION_HEIGHT), MOTION)
        if self.cursor_ms is not None:
            painter.setPen(QPen(CURSOR, 2))
            x = round(self.x_of(self.cursor_ms))
            painter.drawLine(x, 2, x, self.height() - 2)
        painter.end()

    def _paint_ticks(self, painter: QPainter) -> None:
        step = self.tick_step_ms()
        local_offset = 7 * 3_600_000  # ticks fall on round UTC+7 times
        first = ((self.start_ms + local_offset) // step + 1) * step - local_offset
        painter.setPen(self.palette().text().color())
        seconds = step < 60_000
        for at_ms in range(first, self.end_ms, step):
            x = round(self.x_of(at_ms))
            painter.drawLine(x, BAR_TOP - 4, x, BAR_TOP)
            moment = vn_moment(at_ms)
            painter.drawText(x + 3, BAR_TOP - 6, moment.strftime("%H:%M:%S" if seconds else "%H:%M"))

    # -- mouse -----------------------------------------------------------------------------------------
    @qt_override
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._dragging = True
            self.cursor_ms = self.ms_at(event.position().x())
            self.update()

    @qt_override
    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        at_ms = self.ms_at(event.position().x())
        where = [self.tr("On the recorder")] if self.on_recorder(at_ms) else []
        if self.motion_at(at_ms):
            where.append(self.tr("Motion found here"))
        self.setToolTip("\n".join([format_vn_ms(at_ms), *where, *self.bookmarks_at(at_ms)]))
        if self._dragging:
            self.cursor_ms = at_ms
            self.update()

    @qt_override
    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._dragging and event.button() == Qt.MouseButton.LeftButton:
            self._dragging = False
            self.cursor_ms = self.ms_at(event.position().x())
            self.seek_requested.emit(self.cursor_ms)
            self.update()

    @qt_override
    def wheelEvent(self, event: QWheelEvent) -> None:
        """Zoom around the mouse: the moment under it stays under it."""
        x = event.position().x()
        anchor = self.ms_at(x)
        factor = 1 / ZOOM_STEP if event.angleDelta().y() > 0 else ZOOM_STEP
        span = max(MIN_SPAN_MS, min(MAX_SPAN_MS, int(self.span_ms * factor)))
        self.set_view(anchor - int(x * span / max(1, self.width())), span)
