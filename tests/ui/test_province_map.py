"""The province map's base map from the province file's `[map]`: an MBTiles pack and a GeoJSON of commune boundaries
and a road around Bắc Ninh, both made by the test, drawn under the commune markers (pixels read back from a grab)
with the pack read off the GUI thread; a missing or damaged map file is named on the map and the window still
works."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QTransform, QWheelEvent
from pytestqt.qtbot import QtBot

from console.core.config import MapConfig
from console.core.credentials import Credentials
from console.core.geo import GeoPoint, tile_of, tms_row
from console.core.uplink_settings import MqttProtocol
from console.core.vector_map import STYLES
from console.core.vntime import now_ms
from console.province.config import ProvinceCommune, ProvinceConfig
from console.province.overview import Standing
from console.province.queries import ProvinceQueries
from console.province.receiver import ReceiverStatus
from console.province.store import ProvinceStore
from console.ui.map.layers import SCENE_ZOOM, scene_point, view_zoom
from console.ui.map.pack_tiles import BackgroundPackLayer
from console.ui.province.map_view import COLOURS, ProvinceMap
from console.ui.province.window import ProvinceWindow
from tests.support.wizard import StallWatch

TILE = QColor("#7fb069")
NOISE = 8  # per channel
ROAD = QColor(STYLES["national"].colour)
MARKER = QColor(COLOURS[Standing.UNKNOWN][0])  # nothing heard from the commune yet
COMMUNES = (ProvinceCommune("gia-dong", "Gia Đông", 21.06, 106.07),
            ProvinceCommune("dai-dong", "Đại Đồng", 21.10, 106.03),
            ProvinceCommune("tam-son", "Tam Sơn", 21.12, 106.10))
WEST, SOUTH, EAST, NORTH = 105.70, 20.85, 106.45, 21.30  # what the pack covers
ROAD_LAT = 21.06  # the road runs west to east through Gia Đông's centre
GUI_BUSY_LIMIT_S = 0.05


def square(lat: float, lon: float, half: float) -> list[list[float]]:
    return [[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half],
            [lon - half, lat - half]]


def write_geojson(path: Path) -> Path:
    """Each commune's boundary (a square round its centre) and one unnamed national road."""
    features = [{"type": "Feature", "properties": {"class": "boundary", "name": c.name},
                 "geometry": {"type": "Polygon", "coordinates": [square(c.lat, c.lon, 0.015)]}} for c in COMMUNES]
    features.append({"type": "Feature", "properties": {"class": "national"},
                     "geometry": {"type": "LineString", "coordinates": [[WEST, ROAD_LAT], [EAST, ROAD_LAT]]}})
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    return path


def noisy_png(folder: Path) -> bytes:
    """TILE with a little noise in every pixel: a PNG as costly to decode as a real map's (~115 kB, ~2 ms here)."""
    noise = np.random.default_rng(7).integers(-NOISE, NOISE + 1, size=(256, 256, 3))
    pixels = np.full((256, 256, 4), 255, np.uint8)
    pixels[..., :3] = (np.array([TILE.blue(), TILE.green(), TILE.red()]) + noise).clip(0, 255)
    file = folder / "tile.png"
    assert QImage(pixels.tobytes(), 256, 256, 256 * 4, QImage.Format.Format_RGB32).save(str(file))
    return file.read_bytes()


def is_tile(shown: QColor) -> bool:
    return all(abs(a - b) <= NOISE for a, b in zip((shown.red(), shown.green(), shown.blue()),
                                                    (TILE.red(), TILE.green(), TILE.blue()), strict=True))


def write_pack(path: Path) -> Path:
    """The province at zooms 10 to 15, every tile the same picture stored once (the tiles a view over the map and
    images tables, as mbutil writes packs): a view of ~60 tiles is ~100 ms of decoding, were it on the GUI thread."""
    with sqlite3.connect(path) as pack:
        pack.executescript("""
            CREATE TABLE metadata (name TEXT, value TEXT);
            CREATE TABLE map (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_id TEXT);
            CREATE TABLE images (tile_id TEXT, tile_data BLOB);
            CREATE UNIQUE INDEX map_index ON map (zoom_level, tile_column, tile_row);
            CREATE VIEW tiles AS SELECT zoom_level, tile_column, tile_row, tile_data FROM map
                JOIN images ON images.tile_id = map.tile_id;
            INSERT INTO metadata VALUES ('format', 'png');""")
        pack.execute("INSERT INTO images VALUES ('noisy', ?)", [noisy_png(path.parent)])
        for z in range(10, 16):
            (x0, y0), (x1, y1) = tile_of(GeoPoint(NORTH, WEST), z), tile_of(GeoPoint(SOUTH, EAST), z)
            pack.executemany("INSERT INTO map VALUES (?, ?, ?, 'noisy')",
                             [(z, x, tms_row(y, z)) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)])
    return path


def shown_map(qtbot: QtBot, base_map: MapConfig) -> ProvinceMap:
    view = ProvinceMap(COMMUNES, base_map=base_map)
    qtbot.addWidget(view)
    view.resize(1600, 1000)
    view.show()
    qtbot.waitExposed(view)
    return view


def on_screen(view: ProvinceMap, lat: float, lon: float) -> QPoint:
    return view.mapFromScene(QPointF(*scene_point(GeoPoint(lat, lon))))


def colour(view: ProvinceMap, point: QPoint) -> QColor:
    return view.viewport().grab().toImage().pixelColor(point)


def wheel(view: ProvinceMap, notches: int) -> None:
    centre = QPointF(view.viewport().rect().center())
    event = QWheelEvent(centre, view.viewport().mapToGlobal(centre), QPoint(0, 0), QPoint(0, 120 * notches),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    view.wheelEvent(event)


@pytest.fixture()
def base_map(tmp_path: Path) -> MapConfig:
    return MapConfig(mbtiles=write_pack(tmp_path / "bac-ninh.mbtiles"),
                     vector=(write_geojson(tmp_path / "ranh-gioi.geojson"),))


def test_the_base_map_is_drawn_under_the_markers_and_tiles_never_stall_the_gui(qtbot: QtBot,
                                                                               base_map: MapConfig) -> None:
    view = shown_map(qtbot, base_map)
    watch = StallWatch()
    layer = view.layer
    assert isinstance(layer, BackgroundPackLayer)
    try:
        corner = QPoint(8, view.viewport().height() - 8)  # no road, boundary, marker or legend there
        qtbot.waitUntil(lambda: is_tile(colour(view, corner)), timeout=10_000)
        road = on_screen(view, ROAD_LAT, 106.04)
        assert view.viewport().rect().contains(road)
        assert colour(view, road) == ROAD  # the vector map over the tiles
        assert colour(view, on_screen(view, 21.06, 106.07)) == MARKER  # the commune over the road through it
        assert view.note.isHidden() and view.problems() == ""
        # A zoom level not read yet, its tiles shown at 0.73 of their size: ~60 of them to read and decode.
        shown = layer.tile_zoom(view_zoom(view.transform().m11()))
        fresh = shown + 1 if shown < layer.max_zoom else shown - 1
        view.setTransform(QTransform.fromScale(2.0 ** (fresh - 0.45 - SCENE_ZOOM), 2.0 ** (fresh - 0.45 - SCENE_ZOOM)))
        view.centerOn(view.markers["gia-dong"].pos())
        seen = layer.misses
        qtbot.waitUntil(lambda: layer.misses - seen > 40 and is_tile(colour(view, corner)), timeout=10_000)
        assert colour(view, on_screen(view, 21.06, 106.07)) == MARKER
        assert colour(view, on_screen(view, ROAD_LAT, 106.062)) == ROAD
        qtbot.wait(100)
    finally:
        watch.timer.stop()
        view.close_base_map()
    assert watch.longest_busy_s < GUI_BUSY_LIMIT_S, watch.longest_busy_s


def test_a_damaged_pack_and_a_missing_geojson_are_named_and_the_communes_still_shown(qtbot: QtBot,
                                                                                     tmp_path: Path) -> None:
    broken = tmp_path / "hong.mbtiles"
    broken.write_bytes(b"not a database" * 100)
    view = shown_map(qtbot, MapConfig(mbtiles=broken, vector=(tmp_path / "khong-co.geojson",)))
    try:
        qtbot.waitUntil(lambda: "hong.mbtiles" in view.note.text(), timeout=5_000)
        text = view.note.text()
        assert "cannot be read" in text and "khong-co.geojson" in text and view.note.isVisible()
        assert colour(view, on_screen(view, 21.06, 106.07)) == MARKER
        scale = view.transform().m11()
        wheel(view, 1)
        assert view.transform().m11() > scale  # still zooms
    finally:
        view.close_base_map()
    missing = shown_map(qtbot, MapConfig(mbtiles=tmp_path / "chua-cai.mbtiles"))
    qtbot.waitUntil(lambda: "chua-cai.mbtiles" in missing.note.text(), timeout=5_000)
    assert "does not exist" in missing.note.text()


def test_the_window_opens_over_a_broken_map_file_and_reads_its_store(qtbot: QtBot, tmp_path: Path) -> None:
    broken = tmp_path / "hong.mbtiles"
    broken.write_bytes(b"\x00" * 4096)
    config = ProvinceConfig("127.0.0.1", 8883, tmp_path / "ca.pem", Credentials("province", "x"), MqttProtocol.V311,
                            COMMUNES, map=MapConfig(mbtiles=broken))  # never connects: no receiver here
    store = ProvinceStore(tmp_path / "province.db", tmp_path / "snapshots")
    window = ProvinceWindow(config, ReceiverStatus, lambda: ProvinceQueries(tmp_path / "province.db",
                                                                            tmp_path / "snapshots", COMMUNES),
                            poll_s=0.2)
    qtbot.addWidget(window)
    window.show()
    try:
        with qtbot.waitSignal(window.overview_shown, timeout=10_000):
            pass
        qtbot.waitUntil(lambda: "hong.mbtiles" in window.map.note.text(), timeout=5_000)
        assert set(window.map.markers) == {c.id for c in COMMUNES}
        assert window.shown is not None and window.shown.read_ms <= now_ms()
    finally:
        window.shutdown()
        store.close()
