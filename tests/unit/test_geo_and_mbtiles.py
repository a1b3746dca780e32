"""Map math against known tile/coordinate pairs; MBTiles packs generated here (TMS rows, missing tiles,
damaged files)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from console.core.geo import (
    GeoPoint,
    bearing_deg,
    destination,
    distance_m,
    from_pixel,
    metres_per_pixel,
    tile_of,
    tms_row,
    to_pixel,
    wedge,
)
from console.store.mbtiles import MapPackError, MBTiles


@pytest.mark.parametrize(("point", "zoom", "tile"), [
    (GeoPoint(51.5074, -0.1278), 10, (511, 340)),  # London, as OSM numbers it
    (GeoPoint(0.0, 0.0), 1, (1, 1)),
    (GeoPoint(85.0, -179.9), 3, (0, 0)),
    (GeoPoint(-85.0, 179.9), 3, (7, 7)),
    (GeoPoint(21.0285, 105.8542), 10, (813, 450)),  # Hà Nội
])
def test_tiles_of_known_places(point: GeoPoint, zoom: int, tile: tuple[int, int]) -> None:
    assert tile_of(point, zoom) == tile


def test_pixels_round_trip_and_scale() -> None:
    assert to_pixel(GeoPoint(0, 0), 0) == (128.0, 128.0)
    x, y = to_pixel(GeoPoint(21.052, 106.061), 17)
    back = from_pixel(x, y, 17)
    assert abs(back.lat - 21.052) < 1e-9 and abs(back.lon - 106.061) < 1e-9
    assert abs(metres_per_pixel(0, 0) - 156_543.03) < 0.01  # the equator at zoom 0
    assert tms_row(0, 3) == 7 and tms_row(7, 3) == 0


def test_distances_bearings_and_wedge() -> None:
    hanoi, saigon = GeoPoint(21.0285, 105.8542), GeoPoint(10.8231, 106.6297)
    assert 1_130_000 < distance_m(hanoi, saigon) < 1_145_000
    east = destination(GeoPoint(21.052, 106.061), 90, 1000)
    assert abs(distance_m(GeoPoint(21.052, 106.061), east) - 1000) < 0.01
    assert abs(bearing_deg(GeoPoint(21.052, 106.061), east) - 90) < 0.01
    shape = wedge(GeoPoint(21.052, 106.061), bearing=45, fov=90, range_m=50, steps=4)
    assert shape[0] == GeoPoint(21.052, 106.061) and len(shape) == 6
    assert [round(bearing_deg(shape[0], p), 1) for p in shape[1:]] == [0.0, 22.5, 45.0, 67.5, 90.0]
    assert all(abs(distance_m(shape[0], p) - 50) < 0.01 for p in shape[1:])


def make_pack(path: Path, tiles: dict[tuple[int, int, int], bytes], metadata: dict[str, str] | None = None) -> Path:
    with sqlite3.connect(path) as pack:
        pack.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
        pack.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
        pack.executemany("INSERT INTO metadata VALUES (?, ?)", list((metadata or {"format": "png"}).items()))
        for (z, x, y), data in tiles.items():  # stored in TMS rows, as the format says
            pack.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", [z, x, tms_row(y, z), data])
    return path


def test_pack_reads_xyz_tiles_from_tms_rows(tmp_path: Path) -> None:
    z, x, y = 15, *tile_of(GeoPoint(21.052, 106.061), 15)
    pack = MBTiles(make_pack(tmp_path / "xa.mbtiles", {(z, x, y): b"north-tile", (z, x, y + 1): b"south-tile"},
                             {"format": "png", "bounds": "106.0,21.0,106.1,21.1", "name": "Gia Đông"}))
    assert pack.tile(z, x, y) == b"north-tile" and pack.tile(z, x, y + 1) == b"south-tile"
    assert pack.tile(z, x + 5, y) is None  # missing tile: nothing, not an error
    assert (pack.min_zoom, pack.max_zoom) == (15, 15) and pack.bounds() == (106.0, 21.0, 106.1, 21.1)
    assert pack.metadata["name"] == "Gia Đông"


@pytest.mark.parametrize(("content", "message"), [
    (b"this is not sqlite at all" * 100, "not a readable SQLite file"),
    (None, "no tiles/metadata table"),
    (b"", "holds no tiles"),
])
def test_bad_packs_are_clear_errors(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "bad.mbtiles"
    if content is None:
        sqlite3.connect(path).execute("CREATE TABLE other (a)").connection.close()
    elif content == b"":
        make_pack(path, {})
    else:
        path.write_bytes(content)
    with pytest.raises(MapPackError, match=message):
        MBTiles(path)


def test_missing_pack_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(MapPackError, match="file not found"):
        MBTiles(tmp_path / "none.mbtiles")
