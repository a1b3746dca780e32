"""Map geometry: Web Mercator (EPSG:3857) in 256-pixel tiles as OpenStreetMap and MBTiles use it, distances
on the WGS84 sphere, and the camera's field-of-view wedge (bearing, angle, range)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

TILE_PX = 256
WEB_MERCATOR_RADIUS_M = 6_378_137.0  # the sphere Web Mercator projects (map pixels and tiles)
EARTH_MEAN_RADIUS_M = 6_371_008.8  # IUGG mean radius: distances and bearings on the ground
MAX_LAT = 85.05112877980659


@dataclass(frozen=True)
class GeoPoint:
    """A WGS84 position in degrees: sites, cameras, map points (the only lat/lon type)."""

    lat: float
    lon: float

    def distance_km(self, other: GeoPoint) -> float:
        return distance_m(self, other) / 1000


def world_px(zoom: float) -> float:
    return float(TILE_PX * 2.0 ** zoom)


def to_pixel(point: GeoPoint, zoom: float) -> tuple[float, float]:
    """Global pixel coordinates (x right, y down) of a point at a zoom level."""
    size = world_px(zoom)
    lat = max(-MAX_LAT, min(MAX_LAT, point.lat))
    x = (point.lon + 180.0) / 360.0 * size
    sin = math.sin(math.radians(lat))
    y = (0.5 - math.log((1 + sin) / (1 - sin)) / (4 * math.pi)) * size
    return x, y


def from_pixel(x: float, y: float, zoom: float) -> GeoPoint:
    size = world_px(zoom)
    lon = x / size * 360.0 - 180.0
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / size))))
    return GeoPoint(lat, lon)


def tile_of(point: GeoPoint, zoom: int) -> tuple[int, int]:
    """XYZ tile (as OSM numbers them, y down) holding the point."""
    x, y = to_pixel(point, zoom)
    last = 2 ** zoom - 1
    return min(last, max(0, int(x // TILE_PX))), min(last, max(0, int(y // TILE_PX)))


def tms_row(y: int, zoom: int) -> int:
    """MBTiles stores rows in TMS order (y up): the same tile's row from the other end."""
    return int(2 ** zoom) - 1 - y


def metres_per_pixel(lat: float, zoom: float) -> float:
    return math.cos(math.radians(lat)) * 2 * math.pi * WEB_MERCATOR_RADIUS_M / world_px(zoom)


def distance_m(a: GeoPoint, b: GeoPoint) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_MEAN_RADIUS_M * math.asin(math.sqrt(h))


def destination(start: GeoPoint, bearing_deg: float, distance: float) -> GeoPoint:
    """The point `distance` metres from `start` towards `bearing_deg` (0 = north, clockwise)."""
    angular = distance / EARTH_MEAN_RADIUS_M
    bearing = math.radians(bearing_deg)
    lat1, lon1 = math.radians(start.lat), math.radians(start.lon)
    lat2 = math.asin(math.sin(lat1) * math.cos(angular) + math.cos(lat1) * math.sin(angular) * math.cos(bearing))
    lon2 = lon1 + math.atan2(math.sin(bearing) * math.sin(angular) * math.cos(lat1),
                             math.cos(angular) - math.sin(lat1) * math.sin(lat2))
    return GeoPoint(math.degrees(lat2), (math.degrees(lon2) + 540) % 360 - 180)


def bearing_deg(a: GeoPoint, b: GeoPoint) -> float:
    """Initial bearing from a to b, 0–360 (0 = north)."""
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dl = math.radians(b.lon - a.lon)
    x = math.sin(dl) * math.cos(p2)
    y = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return (math.degrees(math.atan2(x, y)) + 360) % 360


def wedge(apex: GeoPoint, bearing: float, fov: float, range_m: float, steps: int = 12) -> list[GeoPoint]:
    """The field of view as a polygon: the camera, then the arc from bearing − fov/2 to bearing + fov/2."""
    half = max(1.0, min(fov, 359.0)) / 2
    arc = [destination(apex, bearing - half + 2 * half * i / steps, range_m) for i in range(steps + 1)]
    return [apex, *arc]


class GeoreferenceProblem(StrEnum):
    """Why clicked points cannot place a picture on the map (the interface words each one)."""

    TOO_FEW = "too_few"  # fewer than two points
    SAME_PLACE = "same_place"  # the points coincide on the picture or on the ground
    NOT_NORTH_UP = "not_north_up"  # two points that only fit a picture turned upside down: a site mixed up


class GeoreferenceError(Exception):
    def __init__(self, problem: GeoreferenceProblem) -> None:
        self.problem = problem
        super().__init__(problem.value)


# A picture's pixel (x right, y down) and the known ground position clicked there.
ControlPoint = tuple[tuple[float, float], GeoPoint]
_COLLINEAR = 1e-9  # relative determinant below which 3+ points on one line fall back to scale + shift


@dataclass(frozen=True)
class Georeference:
    """Picture pixels to the ground: Web Mercator x = a·u + b·v + c, y = d·u + e·v + f (zoom-0 pixels)."""

    a: float
    b: float
    c: float
    d: float
    e: float
    f: float
    points: tuple[ControlPoint, ...]

    def to_geo(self, u: float, v: float) -> GeoPoint:
        return from_pixel(self.a * u + self.b * v + self.c, self.d * u + self.e * v + self.f, 0)

    def bounds(self, width: float, height: float) -> tuple[float, float, float, float]:
        """(west, south, east, north) of the picture's edges, read at their middles (north-up stretch)."""
        west = self.to_geo(0, height / 2).lon
        east = self.to_geo(width, height / 2).lon
        north = self.to_geo(width / 2, 0).lat
        south = self.to_geo(width / 2, height).lat
        return west, south, east, north

    def errors_m(self) -> list[float]:
        """How far each clicked point lands from its known position, in metres."""
        return [distance_m(self.to_geo(*pixel), ground) for pixel, ground in self.points]


def georeference(points: list[ControlPoint] | tuple[ControlPoint, ...]) -> Georeference:
    """Fit a picture to two or more known points: with two, north-up scale and shift; with three or more not on
    one line, a least-squares affine (which also absorbs a slightly turned or stretched scan)."""
    if len(points) < 2:
        raise GeoreferenceError(GeoreferenceProblem.TOO_FEW)
    pixels = [p for p, _ in points]
    ground = [to_pixel(g, 0) for _, g in points]
    n = len(points)
    mu, mv = sum(p[0] for p in pixels) / n, sum(p[1] for p in pixels) / n
    mx, my = sum(g[0] for g in ground) / n, sum(g[1] for g in ground) / n
    du = [p[0] - mu for p in pixels]
    dv = [p[1] - mv for p in pixels]
    dx = [g[0] - mx for g in ground]
    dy = [g[1] - my for g in ground]
    suu, svv, suv = sum(u * u for u in du), sum(v * v for v in dv), sum(u * v for u, v in zip(du, dv, strict=True))
    spread = suu + svv
    if spread == 0 or all(x == 0 and y == 0 for x, y in zip(dx, dy, strict=True)):
        raise GeoreferenceError(GeoreferenceProblem.SAME_PLACE)
    det = suu * svv - suv * suv
    if n >= 3 and det > _COLLINEAR * spread * spread:
        sux, svx = sum(u * x for u, x in zip(du, dx, strict=True)), sum(v * x for v, x in zip(dv, dx, strict=True))
        suy, svy = sum(u * y for u, y in zip(du, dy, strict=True)), sum(v * y for v, y in zip(dv, dy, strict=True))
        a, b = (sux * svv - svx * suv) / det, (svx * suu - sux * suv) / det
        d, e = (suy * svv - svy * suv) / det, (svy * suu - suy * suv) / det
    else:
        scale = sum(u * x + v * y for u, v, x, y in zip(du, dv, dx, dy, strict=True)) / spread
        if scale <= 0:
            raise GeoreferenceError(GeoreferenceProblem.NOT_NORTH_UP)
        a, b, d, e = scale, 0.0, 0.0, scale
    return Georeference(a, b, mx - a * mu - b * mv, d, e, my - d * mu - e * mv, tuple(points))
