"""The commune's vector map from GeoJSON (roads, boundary, villages, rivers, landmarks): features validated with
a located sentence for each fault (file, feature, field), and how each class is drawn (no Qt here).

A feature's `properties` carry `class` (one of STYLES), an optional `name` and an optional `approximate`;
the collection itself may say `"approximate": true` (a schematic, not a survey). Parsed with the standard
json module: a commune's map is a few hundred kB at most, and anything much larger is refused, not parsed.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from console.core.config import ConfigIssue, Severity
from console.core.config_messages import (
    COORD_NOT_LIST,
    COORD_NOT_PAIR,
    COORD_OPEN_RING,
    COORD_OUT_OF_RANGE,
    COORD_SHORT_LINE,
    COORD_TOO_MANY,
    EXPECT_FEATURE,
    EXPECT_GEOMETRY,
    EXPECT_PROPERTIES,
    EXPECT_TEXT,
    Param,
    Phrase,
    Problem,
    os_reason,
    shown,
    type_name,
)
from console.core.geo import GeoPoint

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_POSITIONS = 200_000  # per file: a commune's roads are a few thousand


class Kind(StrEnum):
    ROAD = "road"
    BOUNDARY = "boundary"
    VILLAGE = "village"
    RIVER = "river"
    LANDMARK = "landmark"


class Shape(StrEnum):
    LINE = "line"
    AREA = "area"
    POINT = "point"


@dataclass(frozen=True)
class Style:
    """How one class reads at a glance: colours as #rrggbb, widths in screen pixels (they do not scale)."""

    kind: Kind
    shapes: tuple[Shape, ...]
    colour: str
    width_px: float
    casing: str | None = None  # a darker edge under roads, so a pale road stands out on a pale background
    fill: str | None = None  # areas: villages, lakes
    dashed: bool = False
    label_priority: int = 0  # higher keeps its label first when labels would overlap


_LINES = (Shape.LINE,)
STYLES: dict[str, Style] = {
    "national": Style(Kind.ROAD, _LINES, "#e8590c", 6, casing="#7a2e05", label_priority=8),
    "provincial": Style(Kind.ROAD, _LINES, "#f59f00", 5, casing="#7a5000", label_priority=7),
    "inter_commune": Style(Kind.ROAD, _LINES, "#ffd43b", 4, casing="#8a6d00", label_priority=5),
    "local": Style(Kind.ROAD, _LINES, "#ffffff", 3, casing="#868e96", label_priority=2),
    "boundary": Style(Kind.BOUNDARY, (Shape.LINE, Shape.AREA), "#7048e8", 2, dashed=True, label_priority=1),
    "village": Style(Kind.VILLAGE, (Shape.AREA, Shape.POINT), "#8c5a2b", 1, fill="#f3e3c3", label_priority=9),
    "river": Style(Kind.RIVER, (Shape.LINE, Shape.AREA), "#339af0", 4, fill="#a5d8ff", label_priority=4),
    "office": Style(Kind.LANDMARK, (Shape.POINT,), "#c92a2a", 10, label_priority=6),
    "school": Style(Kind.LANDMARK, (Shape.POINT,), "#1864ab", 10, label_priority=6),
    "landmark": Style(Kind.LANDMARK, (Shape.POINT,), "#495057", 8, label_priority=3),
}
_GEOMETRIES = {
    "LineString": Shape.LINE, "MultiLineString": Shape.LINE, "Polygon": Shape.AREA, "MultiPolygon": Shape.AREA,
    "Point": Shape.POINT,
}
_SHAPE_WORDS = {
    Shape.LINE: Phrase("đường (LineString)", "line (LineString)"),
    Shape.AREA: Phrase("vùng (Polygon)", "area (Polygon)"),
    Shape.POINT: Phrase("điểm (Point)", "point (Point)"),
}

Line = tuple[GeoPoint, ...]


@dataclass(frozen=True)
class Feature:
    """One drawn thing: a road (one or more lines), an area (outer rings) or a point, with its name."""

    cls: str
    name: str
    shape: Shape
    parts: tuple[Line, ...]  # lines; areas' outer rings (holes are not drawn); one 1-point part for a point
    approximate: bool = False

    @property
    def style(self) -> Style:
        return STYLES[self.cls]


@dataclass(frozen=True)
class VectorMap:
    features: tuple[Feature, ...] = ()
    approximate: bool = False  # any file or feature says it is a schematic, not a survey
    files: tuple[Path, ...] = ()

    def of_kind(self, kind: Kind) -> tuple[Feature, ...]:
        return tuple(f for f in self.features if f.style.kind is kind)


class _FeatureError(Exception):
    def __init__(self, fld: str, problem: Problem, **params: Param) -> None:
        self.fld, self.problem, self.params = fld, problem, params
        super().__init__(problem.value)


def _position(value: object) -> GeoPoint:
    if not isinstance(value, list) or len(value) < 2 or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in value[:2]):
        raise _FeatureError("geometry.coordinates", Problem.GEOJSON_BAD_COORDINATES, reason=COORD_NOT_PAIR)
    lon, lat = float(value[0]), float(value[1])
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise _FeatureError("geometry.coordinates", Problem.GEOJSON_BAD_COORDINATES, reason=COORD_OUT_OF_RANGE)
    return GeoPoint(lat, lon)


def _line(value: object, ring: bool) -> Line:
    if not isinstance(value, list):
        raise _FeatureError("geometry.coordinates", Problem.GEOJSON_BAD_COORDINATES, reason=COORD_NOT_LIST)
    points = tuple(_position(v) for v in value)
    if ring and (len(points) < 4 or points[0] != points[-1]):
        raise _FeatureError("geometry.coordinates", Problem.GEOJSON_BAD_COORDINATES, reason=COORD_OPEN_RING)
    if len(points) < 2:
        raise _FeatureError("geometry.coordinates", Problem.GEOJSON_BAD_COORDINATES, reason=COORD_SHORT_LINE)
    return points


def _lists(value: object) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise _FeatureError("geometry.coordinates", Problem.GEOJSON_BAD_COORDINATES, reason=COORD_NOT_LIST)
    return value


def _parts(kind: str, coordinates: object) -> tuple[Line, ...]:
    if kind == "Point":
        return ((_position(coordinates),),)
    if kind == "LineString":
        return (_line(coordinates, ring=False),)
    if kind == "MultiLineString":
        return tuple(_line(v, ring=False) for v in _lists(coordinates))
    if kind == "Polygon":
        return (_line(_lists(coordinates)[0], ring=True),)
    return tuple(_line(_lists(polygon)[0], ring=True) for polygon in _lists(coordinates))  # MultiPolygon


def _feature(entry: object) -> Feature:
    if not isinstance(entry, dict) or entry.get("type") != "Feature":
        raise _FeatureError("type", Problem.WRONG_TYPE, expected=EXPECT_FEATURE, got=type_name(entry))
    properties = entry.get("properties")
    if not isinstance(properties, dict):
        raise _FeatureError("properties", Problem.WRONG_TYPE, expected=EXPECT_PROPERTIES, got=type_name(properties))
    cls = properties.get("class")
    if not isinstance(cls, str) or cls not in STYLES:
        raise _FeatureError("properties.class", Problem.BAD_CHOICE, value=shown(cls), allowed=", ".join(STYLES))
    name = properties.get("name", "")
    if not isinstance(name, str):
        raise _FeatureError("properties.name", Problem.WRONG_TYPE, expected=EXPECT_TEXT, got=type_name(name))
    geometry = entry.get("geometry")
    if not isinstance(geometry, dict):
        raise _FeatureError("geometry", Problem.WRONG_TYPE, expected=EXPECT_GEOMETRY, got=type_name(geometry))
    kind = geometry.get("type")
    shape = _GEOMETRIES.get(kind) if isinstance(kind, str) else None
    if shape is None:
        raise _FeatureError("geometry.type", Problem.GEOJSON_BAD_GEOMETRY, value=shown(kind),
                            allowed=", ".join(_GEOMETRIES))
    style = STYLES[cls]
    if shape not in style.shapes:
        allowed = Phrase(" / ".join(_SHAPE_WORDS[s].vi for s in style.shapes),
                         " / ".join(_SHAPE_WORDS[s].en for s in style.shapes))
        raise _FeatureError("geometry.type", Problem.GEOJSON_CLASS_GEOMETRY, cls=cls, allowed=allowed,
                            value=shown(kind))
    parts = _parts(str(kind), geometry.get("coordinates"))
    return Feature(cls, name.strip(), shape, parts, properties.get("approximate") is True)


def _issue(where: str, fld: str, problem: Problem, **params: Param) -> ConfigIssue:
    return ConfigIssue(where, fld, problem, params, Severity.ERROR)


def parse_geojson(text: str, path: Path) -> tuple[VectorMap, list[ConfigIssue]]:
    """The features of one file and an issue for each one that cannot be drawn (the others are kept)."""
    name = path.name
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return VectorMap(), [_issue(name, "", Problem.GEOJSON_SYNTAX, line=str(exc.lineno),
                                    column=str(exc.colno))]
    except RecursionError:  # thousands of nested brackets
        return VectorMap(), [_issue(name, "", Problem.GEOJSON_NOT_COLLECTION)]
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(features, list):
        return VectorMap(), [_issue(name, "", Problem.GEOJSON_NOT_COLLECTION)]
    kept: list[Feature] = []
    issues: list[ConfigIssue] = []
    positions = 0
    for index, entry in enumerate(features):
        where = _where(name, index, entry)
        try:
            feature = _feature(entry)
        except _FeatureError as fault:
            issues.append(_issue(where, fault.fld, fault.problem, **fault.params))
            continue
        positions += sum(len(part) for part in feature.parts)
        if positions > MAX_POSITIONS:
            issues.append(_issue(where, "geometry.coordinates", Problem.GEOJSON_BAD_COORDINATES,
                                 reason=COORD_TOO_MANY))
            break
        kept.append(feature)
    approximate = data.get("approximate") is True or any(f.approximate for f in kept)
    return VectorMap(tuple(kept), approximate, (path,)), issues


def _where(name: str, index: int, entry: object) -> str:
    label = entry.get("properties") if isinstance(entry, dict) else None
    title = label.get("name") if isinstance(label, Mapping) else None
    where = f"{name} features[{index}]"
    return f"{where} ({shown(title)})" if isinstance(title, str) and title else where


def read_geojson(path: Path) -> tuple[VectorMap, list[ConfigIssue]]:
    """One file from disk: unreadable, too large, not UTF-8 or not GeoJSON each become one located issue."""
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return VectorMap(), [_issue(name, "", Problem.GEOJSON_TOO_BIG, size=_megabytes(size),
                                        limit=_megabytes(MAX_FILE_BYTES))]
        raw = path.read_bytes()
    except OSError as exc:
        return VectorMap(), [_issue(str(path), "", Problem.GEOJSON_UNREADABLE, reason=os_reason(exc))]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:  # saved in a legacy code page: say where, as for any syntax fault
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - raw.rfind(b"\n", 0, exc.start)
        return VectorMap(), [_issue(name, "", Problem.GEOJSON_SYNTAX, line=str(line), column=str(column))]
    return parse_geojson(text, path)


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def load_vector_map(paths: Sequence[Path]) -> tuple[VectorMap, list[ConfigIssue]]:
    """Every named file merged in order (later files draw on top); a bad file costs only its own features."""
    features: list[Feature] = []
    issues: list[ConfigIssue] = []
    approximate = False
    for path in paths:
        part, found = read_geojson(path)
        features.extend(part.features)
        issues.extend(found)
        approximate = approximate or part.approximate
    return VectorMap(tuple(features), approximate, tuple(paths)), issues
