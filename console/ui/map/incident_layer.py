"""The map's layer of open incidents (*Vụ việc đang xử lý* and *Đã chuyển*): a pin at each incident's place and a
small square at each place a citizen's video of it was recorded; hover for the number, title and status, click to
choose the incident in the *Vụ việc* dock. Read off the GUI thread whenever the incidents change; a button on the
map shows or hides the layer.

Not red: on this map red means an unacknowledged alert only (console/ui/map/items.py)."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QToolButton,
    QWidget,
)

from console.core.geo import GeoPoint
from console.incidents.map_places import IncidentSpot, MapPositions, open_incident_spots
from console.incidents.model import IncidentStatus
from console.incidents.service import Incidents
from console.ui.map.layers import scene_point
from console.ui.widgets.background import BackgroundCall
from console.ui.widgets.overrides import qt_override

if TYPE_CHECKING:
    from console.ui.incidents.dock import IncidentsDock
    from console.ui.map.view import MapView

INCIDENT_COLOR = "#862e9c"  # grape: neither a camera state nor an alert
FORWARDED_COLOR = "#5f3dc4"  # handed to another unit: still on the map, a shade apart
PIN_HEAD_PX = 22  # the pin's head (the number inside); its tip is on the place
PIN_TIP_PX = 12  # from the head's bottom to the tip
VIDEO_PX = 14  # a citizen's video's square
SPREAD_PX = 26  # markers on one place side by side, this far apart
Z_INCIDENT = 3.5  # over cameras (3), under admin handles (4)
BUTTON_MARGIN_PX = 10


class IncidentMarker(QGraphicsItem):
    """One spot of an incident, screen-sized; its tip (a pin's) or middle (a video's square) is on the place."""

    def __init__(self, spot: IncidentSpot, tooltip: str, clicked: Callable[[int], None]) -> None:
        super().__init__()
        self.spot = spot
        self._clicked = clicked
        self.offset = 0.0  # screen pixels to the side, when several share the place
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setZValue(Z_INCIDENT)
        self.setPos(*scene_point(GeoPoint(spot.point.lat, spot.point.lon)))
        self.setToolTip(tooltip)
        self._font = QFont("Noto Sans", 7)
        self._font.setBold(True)
        self._head_w = max(PIN_HEAD_PX, QFontMetrics(self._font).horizontalAdvance(self.number) + 8)
        self._pressed = False

    @property
    def incident_id(self) -> int:
        return self.spot.incident.id

    @property
    def number(self) -> str:
        return str(self.spot.incident.id)

    @property
    def is_video(self) -> bool:
        return self.spot.video_file is not None

    def colour(self) -> QColor:
        forwarded = self.spot.incident.status is IncidentStatus.FORWARDED
        return QColor(FORWARDED_COLOR if forwarded else INCIDENT_COLOR)

    def head(self) -> QRectF:
        """Where the marker is drawn and clicked, in its own (screen-pixel) coordinates."""
        if self.is_video:
            return QRectF(self.offset - VIDEO_PX / 2, -VIDEO_PX / 2, VIDEO_PX, VIDEO_PX)
        return QRectF(self.offset - self._head_w / 2, -PIN_TIP_PX - PIN_HEAD_PX, self._head_w, PIN_HEAD_PX)

    def set_offset(self, offset: float) -> None:
        self.prepareGeometryChange()
        self.offset = offset

    def boundingRect(self) -> QRectF:
        return self.head().united(QRectF(-2, -2, 4, 4)).adjusted(-2, -2, 2, 2)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self.head())
        return path

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor("#ffffff"), 1.5))
        painter.setBrush(self.colour())
        head = self.head()
        if self.is_video:
            painter.drawRoundedRect(head, 3, 3)
            c = head.center()
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#ffffff"))
            painter.drawPolygon(QPolygonF([QPointF(c.x() - 3, c.y() - 4), QPointF(c.x() - 3, c.y() + 4),
                                           QPointF(c.x() + 4, c.y())]))
            return
        tip = QPointF(0, 0)
        painter.drawPolygon(QPolygonF([QPointF(self.offset - 5, head.bottom() - 1), tip,
                                       QPointF(self.offset + 5, head.bottom() - 1)]))
        painter.drawRoundedRect(head, PIN_HEAD_PX / 2, PIN_HEAD_PX / 2)
        painter.setFont(self._font)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(head, Qt.AlignmentFlag.AlignCenter, self.number)

    @qt_override
    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._pressed = True
            event.accept()
        else:
            super().mousePressEvent(event)

    @qt_override
    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._pressed and event.button() == Qt.MouseButton.LeftButton:
            self._clicked(self.incident_id)
        self._pressed = False


class IncidentLayer(QObject):
    """The markers of the open incidents on one map; `read` is the blocking read of their spots (a worker runs
    it), `chosen(id)` when one is clicked."""

    chosen = Signal(int)
    shown = Signal()  # the markers of the last read are on the map (tests wait for it)

    def __init__(self, view: MapView, read: Callable[[], Sequence[IncidentSpot]]) -> None:
        super().__init__(view)
        self.view = view
        self._read = read
        self.markers: list[IncidentMarker] = []
        self._visible = True
        self._reading = False
        self._again = False
        self._call = BackgroundCall(self)
        self._call.done.connect(self._arrived)
        self.button = QToolButton(view)
        self.button.setObjectName("incidentLayerButton")
        self.button.setCheckable(True)
        self.button.setChecked(True)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.button.toggled.connect(self.set_visible)
        self._label()
        view.resized.connect(self.place_button)
        self.place_button()
        self.button.show()

    # --- reading ------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the open incidents again on a worker (one read at a time: a change during a read reads again)."""
        if self._reading:
            self._again = True
            return
        self._reading = True
        read = self._read
        self._call.start(lambda: list(read()), "map incidents")

    def _arrived(self, outcome: object) -> None:
        self._reading = False
        if self._again:
            self._again = False
            self.refresh()
        if isinstance(outcome, Exception):  # logged by the worker; the markers of the last good read stay
            return
        if isinstance(outcome, list):
            self.show_spots(outcome)

    def show_spots(self, spots: Sequence[IncidentSpot]) -> None:
        scene = self.view.scene()
        for marker in self.markers:
            scene.removeItem(marker)
        self.markers = [IncidentMarker(spot, self.tooltip(spot), self.chosen.emit) for spot in spots]
        shared: dict[tuple[int, int, bool], list[IncidentMarker]] = {}
        for marker in self.markers:
            key = (round(marker.pos().x() / 8), round(marker.pos().y() / 8), marker.is_video)
            shared.setdefault(key, []).append(marker)
        for group in shared.values():  # side by side on one place, so each stays clickable at any zoom
            for index, marker in enumerate(group):
                marker.set_offset((index - (len(group) - 1) / 2) * SPREAD_PX)
        for marker in self.markers:
            marker.setVisible(self._visible)
            scene.addItem(marker)
        self._label()
        self.shown.emit()

    # --- showing ------------------------------------------------------------------------------------------

    def tooltip(self, spot: IncidentSpot) -> str:
        incident = spot.incident
        status = self.tr("Open") if incident.status is IncidentStatus.OPEN else self.tr("Forwarded")
        text = self.tr("Incident no. {number}: {title}").format(number=incident.id, title=html.escape(incident.title))
        lines = [f"<b>{text}</b>", html.escape(status)]
        if spot.video_file is not None:
            lines.append(html.escape(self.tr("Where the citizen's video {file} was recorded").format(
                file=spot.video_file)))
        lines.append(html.escape(self.tr("Click to open it in the Incidents panel")))
        return "<br/>".join(lines)

    def set_visible(self, visible: bool) -> None:
        self._visible = visible
        for marker in self.markers:
            marker.setVisible(visible)
        if self.button.isChecked() != visible:
            self.button.setChecked(visible)

    @property
    def visible(self) -> bool:
        return self._visible

    def incident_ids(self) -> set[int]:
        return {marker.incident_id for marker in self.markers}

    def _label(self) -> None:
        count = len({marker.incident_id for marker in self.markers})
        self.button.setText(self.tr("Open incidents ({count})").format(count=count))
        self.button.setToolTip(self.tr("Show or hide the open and forwarded incidents on the map"))
        self.button.adjustSize()
        self.place_button()

    def place_button(self) -> None:
        """In the map's upper right corner (its note is upper left, the legend lower right)."""
        self.button.move(self.view.width() - self.button.width() - BUTTON_MARGIN_PX, BUTTON_MARGIN_PX)


def install_incident_layer(view: MapView, incidents: Incidents, positions: MapPositions,
                           dock: IncidentsDock) -> IncidentLayer:
    """The layer on the console's map: read now and whenever the dock changes an incident; a marker clicked
    chooses its incident in the dock (brought to the front)."""
    layer = IncidentLayer(view, lambda: open_incident_spots(incidents, positions))

    def choose(incident_id: int) -> None:
        dock.show()
        dock.raise_()
        dock.select(incident_id)

    layer.chosen.connect(choose)
    dock.incidents_changed.connect(layer.refresh)
    layer.refresh()
    return layer
