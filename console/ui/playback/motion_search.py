"""*Tìm chuyển động*: the officer drags a rectangle on the camera's picture, picks a period, and gets every moment
with motion there (searched off the GUI thread), each with a small picture of the recording then (decoded off the GUI
thread for the rows on screen only); a moment clicked plays from there."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QImage, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.core.motion import GRID_COLUMNS, GRID_ROWS
from console.core.vntime import format_vn_ms
from console.search.motion_search import Moment, MotionQuery, Period, Region, search_motion
from console.store.readonly import open_read_only
from console.ui.playback.moment_thumbnails import THUMB_SIZE, MomentThumbnails
from console.ui.widgets.background import BackgroundCall
from console.ui.widgets.overrides import qt_override

PLAY_LEAD_MS = 2_000  # play a little before the first moving picture: the officer sees what comes in
MAX_LISTED = 1_000  # a busy road over a week finds thousands; the list shows the first ones
GRID_PEN = QColor(255, 255, 255, 60)
CELL_FILL = QColor(255, 200, 0, 70)
RECT_PEN = QColor(255, 200, 0)
EMPTY_ASPECT = QSize(16, 9)
VISIBLE_PAUSE_MS = 60  # thumbnails are asked once scrolling pauses, for the rows then on screen


class RegionPicture(QWidget):
    """The picture fitted and centred with the motion grid over it; a drag chooses the region (shares 0..1)."""

    region_changed = Signal()

    def __init__(self, image: QImage | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("motionSearchPicture")
        self.setMinimumSize(480, 270)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.image = image
        self.rect_share: tuple[float, float, float, float] | None = None  # left, top, right, bottom
        self._anchor: tuple[float, float] | None = None

    def region(self) -> Region | None:
        return Region.from_rect(*self.rect_share) if self.rect_share is not None else None

    def set_region(self, left: float, top: float, right: float, bottom: float) -> None:
        self.rect_share = (left, top, right, bottom)
        self.region_changed.emit()
        self.update()

    def target(self) -> QRect:
        """Where the picture is painted inside the widget."""
        aspect = self.image.size() if self.image is not None and not self.image.isNull() else EMPTY_ASPECT
        size = aspect.scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        target = QRect(0, 0, size.width(), size.height())
        target.moveCenter(self.rect().center())
        return target

    def _share(self, point: QPoint) -> tuple[float, float]:
        target = self.target()
        x = (point.x() - target.left()) / max(1, target.width())
        y = (point.y() - target.top()) / max(1, target.height())
        return min(1.0, max(0.0, x)), min(1.0, max(0.0, y))

    @qt_override
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() is Qt.MouseButton.LeftButton:
            self._anchor = self._share(event.position().toPoint())
            self.set_region(*self._anchor, *self._anchor)

    @qt_override
    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._anchor is not None:
            self.set_region(*self._anchor, *self._share(event.position().toPoint()))

    @qt_override
    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._anchor is not None and event.button() is Qt.MouseButton.LeftButton:
            self.set_region(*self._anchor, *self._share(event.position().toPoint()))
            self._anchor = None

    @qt_override
    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.black)
        target = self.target()
        if self.image is not None and not self.image.isNull():
            painter.drawImage(target, self.image)
        else:
            painter.fillRect(target, QColor(40, 40, 40))
        cell_w, cell_h = target.width() / GRID_COLUMNS, target.height() / GRID_ROWS
        painter.setPen(QPen(GRID_PEN, 1))
        for column in range(1, GRID_COLUMNS):
            x = round(target.left() + column * cell_w)
            painter.drawLine(x, target.top(), x, target.bottom())
        for row in range(1, GRID_ROWS):
            y = round(target.top() + row * cell_h)
            painter.drawLine(target.left(), y, target.right(), y)
        region = self.region()
        if region is not None and self.rect_share is not None:
            for cell in region.cells:
                row, column = divmod(cell, GRID_COLUMNS)
                painter.fillRect(QRectF(target.left() + column * cell_w, target.top() + row * cell_h,
                                        cell_w, cell_h), CELL_FILL)
            left, top, right, bottom = self.rect_share
            painter.setPen(QPen(RECT_PEN, 2))
            painter.drawRect(QRectF(target.left() + min(left, right) * target.width(),
                                    target.top() + min(top, bottom) * target.height(),
                                    abs(right - left) * target.width(), abs(bottom - top) * target.height()))
        painter.end()


def run_search(db_path: Path, query: MotionQuery) -> tuple[MotionQuery, list[Moment]]:
    """On the worker: a read-only connection of its own for one search."""
    conn = open_read_only(db_path)
    try:
        return query, search_motion(conn, query)
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):  # the console that writes grids has not run on this file yet
            return query, []
        raise
    finally:
        conn.close()


class MotionSearchDialog(QDialog):
    """Search one camera's motion grids; `play_requested(camera, ms)` when a moment is chosen."""

    play_requested = Signal(str, object)  # camera id, ms (object: epoch ms overflow a C int)
    found = Signal(str, object)  # camera id, [(from ms, to ms)] of every moment found (the timeline marks them)

    def __init__(self, db_path: Path, camera_id: str, camera_label: str, at_ms: int, image: QImage | None,
                 parent: QWidget | None = None, *, recordings: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("motionSearchDialog")
        self.setWindowTitle(self.tr("Find motion — {camera}").format(camera=camera_label))
        self.db_path, self.camera_id, self.at_ms = db_path, camera_id, at_ms
        self._asked: MotionQuery | None = None  # the newest search: an older one's answer is dropped
        self.moments: list[Moment] = []
        self.picture = RegionPicture(image, self)
        self.picture.region_changed.connect(self._region_changed)
        self.period = QComboBox(self)
        self.period.setObjectName("motionSearchPeriod")
        self.period.addItem(self.tr("This hour"), Period.HOUR)
        self.period.addItem(self.tr("This day"), Period.DAY)
        self.period.addItem(self.tr("This week (7 days)"), Period.WEEK)
        self.period.setCurrentIndex(1)
        self.search_button = QPushButton(self.tr("Search"), self)
        self.search_button.setObjectName("motionSearchGo")
        self.search_button.setEnabled(False)
        self.search_button.clicked.connect(self.search)
        self.results = QTreeWidget(self)
        self.results.setObjectName("motionSearchResults")
        self.results.setHeaderLabels([self.tr("Time (UTC+7)"), self.tr("Duration")])
        self.results.setRootIsDecorated(False)
        self.results.setUniformRowHeights(True)
        self.results.setIconSize(QSize(*THUMB_SIZE))
        self.results.itemClicked.connect(self._play)
        self.items_at: dict[int, QTreeWidgetItem] = {}  # the listed moments by their first moving picture's time
        self.thumbnails = MomentThumbnails(recordings, db_path, camera_id, self) if recordings is not None else None
        self._visible_pause = QTimer(self)
        self._visible_pause.setSingleShot(True)
        self._visible_pause.setInterval(VISIBLE_PAUSE_MS)
        self._visible_pause.timeout.connect(self.ask_visible)
        self.results.verticalScrollBar().valueChanged.connect(lambda _v: self._visible_pause.start())
        if self.thumbnails is not None:
            self.thumbnails.ready.connect(self._thumbnail)
            self.finished.connect(lambda _code: self._stop_thumbnails())
        self.status = QLabel(self.tr("Drag a rectangle on the picture where motion is wanted."), self)
        self.status.setObjectName("motionSearchStatus")
        self.status.setWordWrap(True)
        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("Period"), self))
        controls.addWidget(self.period)
        controls.addWidget(self.search_button)
        controls.addStretch(1)
        side = QVBoxLayout()
        side.addLayout(controls)
        side.addWidget(self.results, 1)
        side.addWidget(self.status)
        layout = QHBoxLayout(self)
        layout.addWidget(self.picture, 3)
        layout.addLayout(side, 2)
        self._call = BackgroundCall(self)
        self._call.done.connect(self._found)
        self.resize(1100, 520)

    def _region_changed(self) -> None:
        self.search_button.setEnabled(self.picture.region() is not None)

    def query(self) -> MotionQuery | None:
        region = self.picture.region()
        if region is None:
            return None
        start, end = Period(self.period.currentData()).bounds(self.at_ms)
        return MotionQuery(self.camera_id, start, end, region)

    def search(self) -> None:
        query = self.query()
        if query is None:
            self.status.setText(self.tr("Drag a rectangle on the picture where motion is wanted."))
            return
        self._asked = query
        self.results.clear()
        self.items_at = {}
        self.status.setText(self.tr("Searching…"))
        path = self.db_path  # the worker touches no widget, not even this dialog
        self._call.start(lambda: run_search(path, query), "motion-search")

    def _found(self, outcome: object) -> None:
        if isinstance(outcome, Exception):
            if self._asked is not None:
                self.status.setText(self.tr("The search could not read the database. Try again; if it fails "
                                            "again, tell the administrator."))
                self._asked = None
            return
        if not isinstance(outcome, tuple) or outcome[0] != self._asked:
            return  # an earlier search's answer, after the officer asked another
        moments: list[Moment] = outcome[1]
        self.moments = moments
        self.found.emit(self.camera_id, [(moment.start_ms, moment.end_ms) for moment in moments])
        for moment in moments[:MAX_LISTED]:
            item = QTreeWidgetItem([format_vn_ms(moment.start_ms), self.duration_text(moment.duration_ms)])
            item.setData(0, Qt.ItemDataRole.UserRole, moment.start_ms)
            self._show_cached(item, moment.start_ms)
            self.items_at[moment.start_ms] = item
            self.results.addTopLevelItem(item)
        self._visible_pause.start()
        if not moments:
            self.status.setText(self.tr("No motion in this region during the period."))
        elif len(moments) > MAX_LISTED:
            self.status.setText(self.tr("{count} moments with motion; the first {shown} are listed. Draw a smaller "
                                        "region or pick a shorter period.").format(count=len(moments),
                                                                                   shown=MAX_LISTED))
        else:
            self.status.setText(self.tr("{count} moments with motion. Click one to play it.")
                                .format(count=len(moments)))

    def duration_text(self, duration_ms: int) -> str:
        seconds = max(1, round(duration_ms / 1000))
        if seconds < 60:
            return self.tr("{seconds} s").format(seconds=seconds)
        return self.tr("{minutes} min {seconds} s").format(minutes=seconds // 60, seconds=seconds % 60)

    # --- thumbnails -------------------------------------------------------------------------------------------

    def visible_moments(self) -> list[int]:
        """The moments of the rows on screen, top to bottom."""
        moments: list[int] = []
        item = self.results.itemAt(0, 0)
        bottom = self.results.viewport().height()
        while item is not None and self.results.visualItemRect(item).top() < bottom:
            moments.append(int(item.data(0, Qt.ItemDataRole.UserRole)))
            item = self.results.itemBelow(item)
        return moments

    def ask_visible(self) -> None:
        """Decode the pictures of the rows on screen that have none yet (rows scrolled away are not decoded)."""
        if self.thumbnails is not None:
            self.thumbnails.ask([m for m in self.visible_moments() if self.items_at[m].icon(0).isNull()])

    def _show_cached(self, item: QTreeWidgetItem, at_ms: int) -> None:
        image = self.thumbnails.cached(at_ms) if self.thumbnails is not None else None
        if image is not None and not image.isNull():
            item.setIcon(0, QIcon(QPixmap.fromImage(image)))

    def _thumbnail(self, at_ms: object, image: QImage) -> None:
        item = self.items_at.get(int(at_ms)) if isinstance(at_ms, int) else None
        if item is not None and not image.isNull():
            item.setIcon(0, QIcon(QPixmap.fromImage(image)))

    def _stop_thumbnails(self) -> None:
        self._visible_pause.stop()
        if self.thumbnails is not None:
            self.thumbnails.close()

    @qt_override
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._visible_pause.start()

    def _play(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        self.play_requested.emit(self.camera_id, int(item.data(0, Qt.ItemDataRole.UserRole)) - PLAY_LEAD_MS)
