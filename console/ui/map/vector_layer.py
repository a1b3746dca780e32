"""The commune's vector map in the map's scene: roads by class (a dark casing under the colour), the boundary
dashed, villages as tinted areas named in their middle, rivers blue, landmarks as a small symbol with their
name. Lines keep their width on screen at every zoom; labels keep their size and are placed each zoom where
they overlap no camera, no site name and no other label (the ones that find no room wait for a closer zoom)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF, QTransform
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QGraphicsScene, QStyleOptionGraphicsItem, QWidget

from console.core.vector_map import Feature, Kind, Shape, VectorMap
from console.ui.map.layers import scene_point

# Below the wedges (z 1), site names (z 2) and cameras (z 3): the map is the background of the picture.
Z_AREA, Z_LINE, Z_SYMBOL, Z_LABEL = 0.1, 0.3, 0.6, 1.5
LABEL_FRACTIONS = (0.5, 0.35, 0.65, 0.2, 0.8)  # where along a road its name may sit, the middle first
LABEL_GAP_PX = 6
AREA_ALPHA = 150

Box = tuple[float, float, float, float]  # left, top, right, bottom in viewport pixels


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def inside(box: Box, frame: Box) -> bool:
    return frame[0] <= box[0] and frame[1] <= box[1] and box[2] <= frame[2] and box[3] <= frame[3]


def _cosmetic(colour: str, width: float, dashed: bool = False) -> QPen:
    pen = QPen(QColor(colour), width)
    pen.setCosmetic(True)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    return pen


def _path(feature: Feature) -> QPainterPath:
    path = QPainterPath()
    for part in feature.parts:
        points = [QPointF(*scene_point(p)) for p in part]
        if feature.shape is Shape.AREA:
            path.addPolygon(QPolygonF(points))
            path.closeSubpath()
        else:
            path.moveTo(points[0])
            for point in points[1:]:
                path.lineTo(point)
    return path


@dataclass(frozen=True)
class Spot:
    """Where a label may sit: its anchor in the scene, its turn in degrees, the length of road it needs."""

    anchor: QPointF
    angle: float = 0.0
    room: float = 0.0  # scene length of the road segment under a road's name (0: no need)
    offset: tuple[float, float] = (0.0, 0.0)  # screen pixels from the anchor (a landmark's name beside its symbol)
    side: int = 0  # the name centred on the point (0), starting right of it (1) or ending left of it (-1)


class MapLabel(QGraphicsItem):
    """A name on the vector map, screen-sized, with a light halo so it reads on any background."""

    def __init__(self, text: str, feature: Feature, spots: Sequence[Spot]) -> None:
        super().__init__()
        self.text = text
        self.feature = feature
        self.spots = list(spots)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setZValue(Z_LABEL)
        self.font = QFont("Noto Sans", 10 if feature.style.kind is Kind.VILLAGE else 8)
        self.font.setBold(feature.style.kind in (Kind.VILLAGE, Kind.ROAD))
        self.font.setItalic(feature.style.kind in (Kind.VILLAGE, Kind.RIVER))
        metrics = QFontMetricsF(self.font)
        self.width, self.height = metrics.horizontalAdvance(text) + 6, metrics.height() + 2
        self._ascent = metrics.ascent()
        self.spot = 0
        self.place(0)

    @property
    def priority(self) -> int:
        return self.feature.style.label_priority

    def local_rect(self, spot: Spot) -> QRectF:
        dx, dy = spot.offset
        x = -self.width / 2 if spot.side == 0 else dx - (self.width if spot.side < 0 else 0)
        return QRectF(x, dy - self.height / 2, self.width, self.height)

    def place(self, index: int) -> None:
        spot = self.spots[index]
        self.prepareGeometryChange()
        self.spot = index
        self.setPos(spot.anchor)
        self.setRotation(spot.angle)

    def screen_box(self, index: int, view: QTransform, scale: float) -> Box | None:
        """The spot's box on screen, or None where the road under the name is shorter than the name."""
        spot = self.spots[index]
        if spot.room and spot.room * scale < self.width + 2 * LABEL_GAP_PX:
            return None
        centre = view.map(spot.anchor)
        rect = self.local_rect(spot)
        turn = QTransform().rotate(spot.angle)
        box = turn.mapRect(rect).adjusted(-2, -2, 2, 2)
        return (centre.x() + box.left(), centre.y() + box.top(), centre.x() + box.right(), centre.y() + box.bottom())

    def boundingRect(self) -> QRectF:
        return self.local_rect(self.spots[self.spot]).adjusted(-2, -2, 2, 2)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        rect = self.local_rect(self.spots[self.spot])
        path = QPainterPath()
        path.addText(QPointF(rect.left() + 3, rect.top() + 1 + self._ascent), self.font, self.text)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        halo = QPen(QColor(255, 255, 255, 235), 3.5)
        halo.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.strokePath(path, halo)
        colour = QColor(self.feature.style.colour if self.feature.style.kind is not Kind.ROAD else "#1b2430")
        painter.fillPath(path, colour)


class LandmarkItem(QGraphicsItem):
    """A landmark's symbol, screen-sized: a flag-red square for the commune office, a blue one for a school,
    a dark dot for anything else."""

    def __init__(self, feature: Feature) -> None:
        super().__init__()
        self.feature = feature
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setZValue(Z_SYMBOL)
        self.setPos(*scene_point(feature.parts[0][0]))

    def boundingRect(self) -> QRectF:
        half = self.feature.style.width_px / 2 + 2
        return QRectF(-half, -half, 2 * half, 2 * half)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        half = self.feature.style.width_px / 2
        painter.setPen(QPen(QColor("#ffffff"), 1.5))
        painter.setBrush(QColor(self.feature.style.colour))
        if self.feature.cls == "landmark":
            painter.drawEllipse(QPointF(0, 0), half, half)
        else:
            painter.drawRoundedRect(QRectF(-half, -half, 2 * half, 2 * half), 2, 2)
            painter.setPen(QPen(QColor("#ffffff"), 1.5))
            painter.drawLine(QPointF(-half / 2, 0), QPointF(half / 2, 0))  # a plain mark, no script inside


def _road_spots(feature: Feature) -> list[Spot]:
    """Points along the longest line, each on a segment, turned with it (never upside down)."""
    part = max(feature.parts, key=len)
    points = [QPointF(*scene_point(p)) for p in part]
    lengths = [math.dist((a.x(), a.y()), (b.x(), b.y())) for a, b in itertools.pairwise(points)]
    total = sum(lengths)
    spots: list[Spot] = []
    for fraction in LABEL_FRACTIONS:
        goal, walked = fraction * total, 0.0
        for (a, b), length in zip(itertools.pairwise(points), lengths, strict=True):
            if length and walked + length >= goal:
                t = (goal - walked) / length
                angle = math.degrees(math.atan2(b.y() - a.y(), b.x() - a.x()))
                angle = angle - 180 if angle > 90 else angle + 180 if angle <= -90 else angle
                spots.append(Spot(QPointF(a.x() + t * (b.x() - a.x()), a.y() + t * (b.y() - a.y())), angle, length))
                break
            walked += length
    return spots


def _middle(feature: Feature) -> QPointF:
    points = [scene_point(p) for p in max(feature.parts, key=len)[:-1] or feature.parts[0]]
    return QPointF(sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def _spots(feature: Feature) -> list[Spot]:
    kind = feature.style.kind
    if kind is Kind.ROAD or (kind is Kind.RIVER and feature.shape is Shape.LINE):
        return _road_spots(feature)
    if kind is Kind.LANDMARK:
        anchor = QPointF(*scene_point(feature.parts[0][0]))
        gap = feature.style.width_px / 2 + LABEL_GAP_PX
        return [Spot(anchor, offset=(gap, 0), side=1), Spot(anchor, offset=(-gap, 0), side=-1),
                Spot(anchor, offset=(0, -gap - 6)), Spot(anchor, offset=(0, gap + 6))]
    middle = _middle(feature)
    spots = [Spot(middle, offset=offset) for offset in ((0, 0), (0, -18), (0, 18))]
    # Then halfway out towards each corner: room beside a site's own name in the middle of its village.
    ring = max(feature.parts, key=len)[:-1] if feature.shape is Shape.AREA else ()
    for corner in ring:
        x, y = scene_point(corner)
        spots.append(Spot(QPointF((middle.x() + x) / 2, (middle.y() + y) / 2)))
    return spots


class VectorLayer:
    """The scene items of one vector map, and the placement of its names."""

    def __init__(self, vector: VectorMap) -> None:
        self.vector = vector
        self.shapes: list[QGraphicsItem] = []
        self.labels: list[MapLabel] = []
        for feature in vector.features:
            self.shapes.extend(self._draw(feature))
            if feature.name and feature.style.kind is not Kind.BOUNDARY:
                self.labels.append(MapLabel(feature.name, feature, _spots(feature)))
        self.labels.sort(key=lambda label: -label.priority)

    def _draw(self, feature: Feature) -> Iterable[QGraphicsItem]:
        style = feature.style
        if style.kind is Kind.LANDMARK:
            return [LandmarkItem(feature)]
        path = _path(feature)
        rank = style.label_priority / 100  # a national road over a local one where they cross
        if feature.shape is Shape.AREA:
            area = QGraphicsPathItem(path)
            fill = QColor(style.fill or style.colour)
            fill.setAlpha(AREA_ALPHA)
            area.setBrush(QBrush(fill) if style.fill else QBrush(Qt.BrushStyle.NoBrush))
            area.setPen(_cosmetic(style.colour, style.width_px, style.dashed))
            area.setZValue(Z_AREA + rank)
            return [area]
        items = []
        if style.casing:
            casing = QGraphicsPathItem(path)
            casing.setPen(_cosmetic(style.casing, style.width_px + 2))
            casing.setZValue(Z_LINE + rank)
            items.append(casing)
        line = QGraphicsPathItem(path)
        line.setPen(_cosmetic(style.colour, style.width_px, style.dashed))
        line.setZValue(Z_LINE + rank + 0.001)
        items.append(line)
        return items

    def add_to(self, scene: QGraphicsScene) -> None:
        for item in [*self.shapes, *self.labels]:
            scene.addItem(item)

    def remove_from(self, scene: QGraphicsScene) -> None:
        for item in [*self.shapes, *self.labels]:
            scene.removeItem(item)

    def scene_rect(self) -> QRectF | None:
        """The boundary's extent (else every feature's): what "the whole commune" means on this map."""
        chosen = [f for f in self.vector.features if f.style.kind is Kind.BOUNDARY] or list(self.vector.features)
        points = [scene_point(p) for f in chosen for part in f.parts for p in part]
        if not points:
            return None
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        return QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))

    def declutter(self, view: QTransform, scale: float, frame: Box, taken: list[Box]) -> None:
        """Each name at its first spot inside the view that overlaps nothing taken (names of higher priority
        first), else hidden at this zoom; the boxes it takes are added to `taken`."""
        for label in self.labels:
            free = None
            for index in range(len(label.spots)):
                box = label.screen_box(index, view, scale)
                if box is not None and inside(box, frame) and not any(overlaps(box, other) for other in taken):
                    free = index, box
                    break
            label.setVisible(free is not None)
            if free is not None:
                if free[0] != label.spot:
                    label.place(free[0])
                taken.append(free[1])
