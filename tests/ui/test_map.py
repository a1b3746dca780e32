"""The map: base layers from a generated MBTiles pack (and a damaged one), the demo's sites and wedges on the
real X screen, click and drag to the wall, states and alerts recolouring the camera icons."""

from __future__ import annotations

import base64
import re
import sqlite3
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QDropEvent, QFontMetrics, QGuiApplication, QImage
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from console.core.config import MapConfig, SiteConfig
from console.core.geo import tile_of, tms_row
from console.core.health import Shown
from console.media.pool import StreamPool
from console.ui.live.status_text import COLORS
from console.ui.map.items import ALERT_COLOR, camera_drag
from console.ui.map.layers import NeutralLayer, PackLayer, base_layer
from console.ui.map.view import THUMB_WIDTH, MapView
from console.ui.shell.main_window import MainWindow
from console.ui.widgets.drag_drop import CAMERA_MIME

TILE_COLOR = QColor("#7fb069")


def png(color: QColor) -> bytes:
    image = QImage(256, 256, QImage.Format.Format_RGB32)
    image.fill(color)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def make_pack(path: Path, site: SiteConfig, zooms: range) -> Path:
    """Every tile around the commune, one colour, at each zoom."""
    centre = site.commune.centre
    data = png(TILE_COLOR)
    with sqlite3.connect(path) as pack:
        pack.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
        pack.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
        pack.execute("INSERT INTO metadata VALUES ('format', 'png')")
        for z in zooms:
            cx, cy = tile_of(centre, z)
            span = max(2, 2 ** (z - 12))
            for x in range(cx - span, cx + span + 1):
                for y in range(cy - span, cy + span + 1):
                    pack.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", [z, x, tms_row(y, z), data])
    return path


def screen_color(view: MapView, point: QPoint) -> QColor:
    shot = view.grab().toImage()
    return shot.pixelColor(point)


def test_mbtiles_base_layer_draws_tiles_and_counts_cache_hits(qtbot: QtBot, demo_site: SiteConfig,
                                                              tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "xa.mbtiles", demo_site, range(12, 17))
    layer = base_layer(MapConfig(mbtiles=pack))
    assert isinstance(layer, PackLayer)
    view = MapView(demo_site, layer)
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    qtbot.waitExposed(view)
    view.set_zoom(15)
    assert screen_color(view, QPoint(400, 590)) == TILE_COLOR  # base map under the scale bar's corner
    misses = layer.misses
    view.grab()
    assert layer.misses == misses and layer.hit_ratio() > 0.4  # the second paint found its tiles decoded


def test_damaged_pack_falls_back_to_neutral_with_the_reason(qtbot: QtBot, demo_site: SiteConfig, tmp_path: Path,
                                                           vietnamese: object) -> None:
    bad = tmp_path / "hong.mbtiles"
    bad.write_bytes(b"not a database" * 100)
    layer = base_layer(MapConfig(mbtiles=bad))
    assert isinstance(layer, NeutralLayer)
    note = layer.note()
    assert "Chưa cài bản đồ nền" in note and "Không đọc được gói bản đồ" in note and "hong.mbtiles" in note


def test_demo_map_on_screen_every_site_and_wedge_legible(qtbot: QtBot, demo_site: SiteConfig, vietnamese: object,
                                                         artifacts: Path) -> None:
    view = MapView(demo_site)
    qtbot.addWidget(view)
    view.resize(1500, 1000)
    view.show()
    qtbot.waitExposed(view)
    view.fit_commune()
    QGuiApplication.processEvents()
    assert len(view.labels) == 11 and len(view.wedges) == 25 and len(view.cameras) == 25
    shot = QGuiApplication.primaryScreen().grabWindow(0, view.mapToGlobal(QPoint(0, 0)).x(),
                                                       view.mapToGlobal(QPoint(0, 0)).y(), view.width(), view.height())
    shot.save(str(artifacts / "map_demo.png"))
    visible = [label for label in view.labels if label.isVisible()]
    assert len(visible) == 11  # the whole commune in view, every name placed where it overlaps nothing
    transform = view.viewportTransform()
    rects = [label.deviceTransform(transform).mapRect(label.boundingRect()) for label in visible]
    assert not any(a.intersects(b) for i, a in enumerate(rects) for b in rects[i + 1:])
    metrics = QFontMetrics(visible[0]._font)
    assert all(metrics.inFontUcs4(ord(ch)) for label in view.labels for ch in label.site.name)
    view.set_zoom(18)
    view.centerOn(view.cameras["C01"].pos())
    assert all(label.isVisible() for label in view.labels if label.site.id == "S01")


def camera_screen_pos(view: MapView, camera_id: str) -> QPoint:
    item = view.cameras[camera_id]
    return view.mapFromScene(item.pos()) + QPointF(item.offset).toPoint()


def test_click_and_drag_cameras_to_tiles_and_alert_colours(qtbot: QtBot, demo_site: SiteConfig,
                                                           vietnamese: object) -> None:
    site = replace(demo_site, map=MapConfig())
    window = MainWindow(site, demo=True, pool=StreamPool(site))
    qtbot.addWidget(window)
    window.resize(1800, 1000)
    window.show()
    qtbot.waitExposed(window)
    view = window.map
    view.set_zoom(18)
    view.centerOn(view.cameras["C05"].pos())
    window.wall.set_layout("2x2")
    window.wall.select(2)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=camera_screen_pos(view, "C05"))
    assert window.wall.tile(2).camera_id == "C05"
    # Drag: the map hands a camera id to the tiles' own drop handling.
    mime = camera_drag(view, "C06").mimeData()
    assert bytes(mime.data(CAMERA_MIME).data()).decode() == "C06"
    tile = window.wall.tile(1)
    drop_mime = QMimeData()
    drop_mime.setData(CAMERA_MIME, mime.data(CAMERA_MIME))
    drop = QDropEvent(QPointF(tile.rect().center()), Qt.DropAction.CopyAction, drop_mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    tile.dropEvent(drop)
    assert tile.camera_id == "C06"
    # States and alerts recolour the icons; a new alert pulses.
    view.set_states({"C05": Shown.LIVE, "C06": Shown.LOST}, {"C07"})
    assert view.cameras["C05"].shown is Shown.LIVE and not view.cameras["C05"].alert
    assert view.wedges["C06"].pen().color().name() == QColor(COLORS[Shown.LOST]).name()
    assert view.cameras["C07"].alert and view.wedges["C07"].pen().color().name() == QColor(ALERT_COLOR).name()
    view.light_alerts({"C07"})
    assert view.cameras["C07"].lit
    view.light_alerts(set())
    assert not view.cameras["C07"].lit
    # The menu of a camera on the map.
    texts = [text for text, _slot in window.map_actions("C05")]
    assert texts[:3] == ["Xem ở ô camera đang chọn", "Phóng to ô", "Xem lại"]
    window.close()
    window.pool.close()


def test_admin_edits_bearing_with_the_mouse_saved_to_the_site_file_and_undone(qtbot: QtBot, tmp_path: Path,
                                                                            vietnamese: object) -> None:
    from console.core.config import load_config
    from console.core.config_edit import SiteFileEditor
    from tests.support.siteconfig import write_demo_config

    path = write_demo_config(tmp_path / "site.toml", cameras=6)
    original = path.read_text("utf-8")
    site = load_config(path)
    view = MapView(site)
    qtbot.addWidget(view)
    view.resize(1000, 800)
    view.show()
    qtbot.waitExposed(view)
    view.set_zoom(19)
    camera = site.camera("C05")
    view.centerOn(view.cameras["C05"].pos())
    view.set_editing(SiteFileEditor(path))
    handle = view.handles["C05"][0]
    start = view.mapFromScene(handle.pos())
    apex = view.mapFromScene(view.cameras["C05"].pos())
    # Drag the bearing handle a quarter turn clockwise around the camera.
    target = QPoint(apex.x() - (start.y() - apex.y()), apex.y() + (start.x() - apex.x()))
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 11):
        point = start + (target - start) * step / 10
        qtbot.mouseMove(view.viewport(), point)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=target)
    saved = load_config(path).camera("C05")
    assert abs(((saved.bearing_deg - camera.bearing_deg + 540) % 360 - 180) - 90) < 8
    assert path.read_text("utf-8") != original and "bearing_deg" in path.read_text("utf-8")
    assert view.undo() and path.read_text("utf-8") == original
    assert view.shapes["C05"][2] == camera.bearing_deg


def test_online_tiles_are_opt_in_fetched_with_user_agent_and_kept_on_disk(qtbot: QtBot, demo_site: SiteConfig,
                                                                         tmp_path: Path) -> None:
    import http.server
    import threading

    from console.media.osm_tiles import OsmTiles
    from console.ui.map.layers import OnlineLayer

    agents: list[str] = []
    tile = png(TILE_COLOR)

    class Tiles(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            agents.append(self.headers.get("User-Agent", ""))
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(tile)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/{{z}}/{{x}}/{{y}}.png"
    assert isinstance(base_layer(MapConfig()), NeutralLayer)  # off unless the site file asks
    online = OsmTiles(tmp_path / "cache", url)
    layer = base_layer(MapConfig(online_osm=True), online)
    assert isinstance(layer, OnlineLayer)
    view = MapView(demo_site, layer)
    qtbot.addWidget(view)
    view.resize(640, 480)
    view.show()
    view.set_zoom(15)
    view.grab()  # asks for the visible tiles
    qtbot.waitUntil(lambda: online.fetched >= 4, timeout=10_000)
    server.shutdown()
    assert agents and all(a.startswith("camera-console/") for a in agents)
    assert any((tmp_path / "cache" / "15").rglob("*.png"))
    # Offline now: a new session paints from the disk cache.
    offline = OnlineLayer(OsmTiles(tmp_path / "cache", "http://127.0.0.1:9/{z}/{x}/{y}.png"))
    view.layer = offline
    assert screen_color(view, QPoint(320, 240)) == TILE_COLOR


def test_hover_picture_travels_in_the_tooltip_and_no_temp_folder_is_left(qtbot: QtBot, demo_site: SiteConfig,
                                                                         tmp_path: Path, _data_dir: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    for leftover in ("camera-console-map-k2j4x9", "camera-console-map-_0wq1"):  # what earlier versions left
        (temp / leftover).mkdir()
        (temp / leftover / "C01.png").write_bytes(png(TILE_COLOR))
    (temp / "someone-else").mkdir()
    view = MapView(demo_site)
    qtbot.addWidget(view)
    picture = QImage(640, 360, QImage.Format.Format_RGB32)
    picture.fill(QColor("#c0392b"))
    view.picture_for = lambda camera: picture if camera == "C01" else None
    for _hover in range(3):
        html = view.tooltip("C01")
    assert sorted(p.name for p in temp.iterdir()) == ["someone-else"]  # leftovers gone, nothing new
    assert not _data_dir.exists() or not any(_data_dir.rglob("*.png"))  # nor written into the data folder
    found = re.search(r"<img src='data:image/jpeg;base64,([A-Za-z0-9+/=]+)' width='(\d+)'/>", html)
    assert found is not None and int(found.group(2)) == THUMB_WIDTH
    thumb = QImage.fromData(base64.b64decode(found.group(1)))
    assert thumb.width() == THUMB_WIDTH and abs(thumb.height() - THUMB_WIDTH * 360 / 640) <= 1
    # The tooltip as Qt renders it shows the picture (rich text reads the data URL).
    label = QLabel(html)
    label.resize(label.sizeHint())
    shot = label.grab().toImage()
    centre = shot.pixelColor(THUMB_WIDTH // 2, shot.height() - 40)
    assert abs(centre.red() - 0xC0) < 16 and abs(centre.green() - 0x39) < 16 and abs(centre.blue() - 0x2B) < 16
    assert "<img" not in view.tooltip("C02")  # no picture on any tile: no image
