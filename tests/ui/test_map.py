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
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMimeData, QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QDropEvent, QFontMetrics, QGuiApplication, QImage
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from console.core.config import MapConfig, SiteConfig
from console.core.geo import GeoPoint, from_pixel, tile_of, tms_row
from console.core.health import Shown
from console.media.pool import StreamPool
from console.ui.map.items import ALERT_COLOR, MAP_COLORS, camera_drag
from console.ui.map.layers import SCENE_ZOOM, NeutralLayer, PackLayer, base_layer, scene_point
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
    assert "Không đọc được gói bản đồ" in note and "hong.mbtiles" in note


def shown_map(qtbot: QtBot, site: SiteConfig) -> MapView:
    """The map of `site` on screen at 1500×1000, fitted to the commune."""
    view = MapView(site)
    qtbot.addWidget(view)
    view.resize(1500, 1000)
    view.show()
    qtbot.waitExposed(view)
    view.fit_commune()
    QGuiApplication.processEvents()
    return view


def test_demo_map_on_screen_every_site_and_wedge_legible(qtbot: QtBot, demo_site: SiteConfig, vietnamese: object,
                                                         artifacts: Path) -> None:
    view = shown_map(qtbot, demo_site)
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
    assert view.wedges["C06"].pen().color().name() == QColor(MAP_COLORS[Shown.LOST]).name()
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
    centre = view.mapToScene(QPoint(320, 240))
    middle = (15, *tile_of(from_pixel(centre.x(), centre.y(), SCENE_ZOOM), 15))
    # Every visible tile, the one checked offline below included (not just the first few to arrive).
    qtbot.waitUntil(lambda: online.fetched >= 4 and online.path(middle).exists(), timeout=10_000)
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


# -- the vector map, the note and the legend ------------------------------------------------------------------
def demo_with_vector_map(demo_site: SiteConfig) -> SiteConfig:
    """The demo on free ports with its own schematic (the copy in a temp folder cannot name it relatively)."""
    from console.core.config import load_config
    from console.core.paths import demo_config_path

    return replace(demo_site, map=load_config(demo_config_path()).map)


def screen_shot(view: MapView) -> QImage:
    """What the X server shows of the map's viewport (not a render of the scene: the real screen)."""
    corner = view.viewport().mapToGlobal(QPoint(0, 0))
    screen = QGuiApplication.primaryScreen()
    return screen.grabWindow(0, corner.x(), corner.y(), view.viewport().width(), view.viewport().height()).toImage()


def near(color: QColor, expected: str, tolerance: int = 40) -> bool:
    want = QColor(expected)
    return all(abs(a - b) <= tolerance for a, b in ((color.red(), want.red()), (color.green(), want.green()),
                                                    (color.blue(), want.blue())))


def along(view: MapView, a: GeoPoint, b: GeoPoint, count: int = 25) -> list[QPoint]:
    """Viewport pixels on the projected straight line from a to b (ends left out: junctions, icons)."""
    start, end = QPointF(*scene_point(a)), QPointF(*scene_point(b))
    return [view.mapFromScene(start + (end - start) * (0.1 + 0.8 * i / (count - 1))) for i in range(count)]


def covered(view: MapView, point: QPoint) -> bool:
    """A pixel under a name or a camera icon, where a road's colour is not expected."""
    transform = view.viewportTransform()
    items = [*view.cameras.values(), *view.labels, *(label for label in view.vector.labels if label.isVisible())]
    return any(item.deviceTransform(transform).mapRect(item.boundingRect()).adjusted(-2, -2, 2, 2)
               .contains(QPointF(point)) for item in items)


def test_demo_vector_map_on_screen_roads_in_their_colours_names_placed_and_every_site_named(
        qtbot: QtBot, demo_site: SiteConfig, vietnamese: object, artifacts: Path) -> None:
    view = shown_map(qtbot, demo_with_vector_map(demo_site))
    shot = screen_shot(view)
    shot.save(str(artifacts / "map_vector_demo.png"))
    roads = {f.name: f for f in view.vector.vector.features}
    # QL38 from the Đình Tổ gate towards the junction, QL282 north of it, the road to Thanh Khương: their own
    # colours along their projected lines.
    for name, colour in (("QL38", "#e8590c"), ("QL282", "#e8590c"), ("Đường liên xã đi Thanh Khương", "#ffd43b")):
        line = roads[name].parts[0]
        points = [p for p in along(view, line[1], line[2]) if not covered(view, p)]
        hits = [p for p in points if near(shot.pixelColor(p), colour)]
        assert len(points) >= 10 and len(hits) >= 0.8 * len(points), (name, len(hits), len(points))
    # Off the roads: the plain background, not a road colour.
    empty = view.mapFromScene(QPointF(*scene_point(GeoPoint(21.0620, 106.0770))))
    assert not near(shot.pixelColor(empty), "#e8590c") and not near(shot.pixelColor(empty), "#ffd43b")
    # Names: the national roads and two villages readable at the whole-commune view, dark text on screen.
    shown_names = {label.text for label in view.vector.labels if label.isVisible()}
    assert {"QL38", "QL282", "Tam Á", "Ngọc Khám"} <= shown_names
    transform = view.viewportTransform()
    ql38 = next(label for label in view.vector.labels if label.text == "QL38")
    box = ql38.deviceTransform(transform).mapRect(ql38.boundingRect()).toRect()
    dark = sum(1 for x in range(box.left(), box.right()) for y in range(box.top(), box.bottom())
               if shot.pixelColor(x, y).lightness() < 90)
    assert dark > 15
    # Every site named (declutter, never hide), nothing written over a name or a camera.
    assert all(label.isVisible() for label in view.labels)
    names = [label.deviceTransform(transform).mapRect(label.boundingRect()) for label in view.labels]
    placed = [label.deviceTransform(transform).mapRect(label.boundingRect())
              for label in view.vector.labels if label.isVisible()]
    icons = [item.deviceTransform(transform).mapRect(item.boundingRect()) for item in view.cameras.values()]
    assert not any(a.intersects(b) for i, a in enumerate(names) for b in names[i + 1:])
    assert not any(a.intersects(b) for a in placed for b in names + icons)
    # The whole commune and every wedge are in view.
    frame = QRectF(view.viewport().rect())
    assert all(frame.contains(view.mapFromScene(w.path().boundingRect()).boundingRect().toRectF())
               for w in view.wedges.values())
    # A vector map is a base map: no "no base map" sentence; the legend says it is approximate.
    assert "MBTiles" not in view.note() and view.legend.approximate
    assert view.legend.lines()[-1] == view.legend.note and view.legend.isVisible()
    legend_box = view.legend.geometry()
    assert view.rect().contains(legend_box) and legend_box.right() > view.width() - 40
    # Closer in, the names that waited come back.
    road = "Đường liên xã đi Ninh Xá"
    assert road in {label.text for label in view.vector.labels if not label.isVisible()}  # too long for its road
    view.set_zoom(16.5)
    view.centerOn(QPointF(*scene_point(GeoPoint(21.0400, 106.0700))))
    assert next(label for label in view.vector.labels if label.text == road).isVisible()
    assert all(label.isVisible() for label in view.labels)


def test_note_to_the_officer_never_shows_the_site_file_syntax(qtbot: QtBot, demo_site: SiteConfig, tmp_path: Path,
                                                             qapp: object) -> None:
    from console.ui.shell.i18n import install_translator, remove_translator

    bad = tmp_path / "hong.mbtiles"
    bad.write_bytes(b"not a database" * 100)
    broken = tmp_path / "duong.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
                      '{"class": "highway"}, "geometry": null}]}', "utf-8")
    for lang in ("en", "vi"):
        translator = install_translator(qapp, "vi") if lang == "vi" else None  # type: ignore[arg-type]
        try:
            notes = [NeutralLayer().note(), base_layer(MapConfig(mbtiles=bad)).note(),
                     base_layer(MapConfig(image=tmp_path / "none.png", image_bounds=(106.0, 21.0, 106.1, 21.1))).note()]
            view = MapView(replace(demo_site, map=MapConfig(vector=(broken,))))
            qtbot.addWidget(view)
            notes.append(view.note())
        finally:
            if translator is not None:
                remove_translator(qapp, translator)  # type: ignore[arg-type]
        assert "duong.geojson features[0]" in notes[-1] and "highway" in notes[-1]
        assert "hong.mbtiles" in notes[1] and "none.png" in notes[2]
        for note in notes:
            assert not any(toml in note for toml in ("[map]", "mbtiles =", "image =", "image_bounds", '= "')), note


def marker_pixels(view: MapView, camera_id: str) -> tuple[QImage, QPoint]:
    view.set_zoom(18)
    view.centerOn(view.cameras[camera_id].pos())
    QGuiApplication.processEvents()
    return view.viewport().grab().toImage(), camera_screen_pos(view, camera_id)


def red_pixels(image: QImage, centre: QPoint, radius: int) -> int:
    return sum(1 for x in range(centre.x() - radius, centre.x() + radius + 1)
               for y in range(centre.y() - radius, centre.y() + radius + 1)
               if near(image.pixelColor(x, y), ALERT_COLOR, 30))


def test_lost_camera_is_grey_with_a_red_cross_and_an_unacknowledged_alert_is_a_pulsing_ring(
        qtbot: QtBot, demo_site: SiteConfig) -> None:
    from console.ui.map.items import ALERT_RING_PX, CAMERA_RADIUS_PX

    view = MapView(demo_site)
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    qtbot.waitExposed(view)
    view.set_states({"C05": Shown.LOST, "C07": Shown.LIVE}, {"C07"})
    image, centre = marker_pixels(view, "C05")
    assert near(image.pixelColor(centre + QPoint(0, -7)), MAP_COLORS[Shown.LOST], 25)  # grey body
    assert near(image.pixelColor(centre + QPoint(5, 5)), ALERT_COLOR, 40)  # the red cross
    ring = CAMERA_RADIUS_PX + ALERT_RING_PX
    assert not near(image.pixelColor(centre + QPoint(0, -ring)), ALERT_COLOR, 60)  # no ring: not an alert
    assert view.wedges["C05"].pen().color().name() != QColor(ALERT_COLOR).name()
    image, centre = marker_pixels(view, "C07")
    assert near(image.pixelColor(centre + QPoint(0, -7)), MAP_COLORS[Shown.LIVE], 25)  # still says it is live
    assert near(image.pixelColor(centre + QPoint(0, -ring)), ALERT_COLOR, 60)  # with the alert ring round it
    dim = red_pixels(image, centre, ring + 3)
    view.light_alerts({"C07"})  # the alert centre's blink: the ring pulses
    image, centre = marker_pixels(view, "C07")
    assert red_pixels(image, centre, ring + 3) > dim * 1.3
    # The legend draws the same three looks it names.
    legend = view.legend.grab().toImage()
    rows = [QPoint(8 + 15, 8 + 13 + 26 * row) for row in range(3)]
    assert near(legend.pixelColor(rows[0] + QPoint(0, -7)), MAP_COLORS[Shown.LOST], 25)
    assert near(legend.pixelColor(rows[1] + QPoint(0, -ring)), ALERT_COLOR, 60)
    assert near(legend.pixelColor(rows[2] + QPoint(0, -7)), MAP_COLORS[Shown.LIVE], 25)
    assert len(view.legend.lines()) == 3 and not view.legend.approximate  # this copy names no schematic


def test_a_small_map_still_names_every_site(qtbot: QtBot, demo_site: SiteConfig) -> None:
    """The map dock beside a wall is small: names move aside and may touch, but none disappears (the old
    declutter hid 6 of the 11 at this size)."""
    view = MapView(demo_site)
    qtbot.addWidget(view)
    view.resize(520, 420)
    view.show()
    qtbot.waitExposed(view)
    view.fit_commune()
    QGuiApplication.processEvents()
    assert len(view.labels) == 11 and all(label.isVisible() for label in view.labels)
    frame = QRectF(view.viewport().rect())
    transform = view.viewportTransform()
    assert all(frame.intersects(label.deviceTransform(transform).mapRect(label.boundingRect()))
               for label in view.labels)


def test_a_large_vector_map_is_read_off_the_gui_thread_and_drawn_when_ready(qtbot: QtBot, demo_site: SiteConfig,
                                                                           tmp_path: Path) -> None:
    import json
    import random

    from console.ui.map.view import INLINE_VECTOR_BYTES

    rng = random.Random(7)
    lanes = [{"type": "Feature", "properties": {"class": "local", "name": f"Ngõ {i}"},
              "geometry": {"type": "LineString", "coordinates": [[106.04 + rng.random() * 0.04,
                                                                  21.03 + rng.random() * 0.04] for _ in range(30)]}}
             for i in range(400)]
    big = tmp_path / "ngo-xom.geojson"
    big.write_text(json.dumps({"type": "FeatureCollection", "features": lanes}), "utf-8")
    assert big.stat().st_size > INLINE_VECTOR_BYTES
    view = MapView(replace(demo_site, map=MapConfig(vector=(big,))))
    qtbot.addWidget(view)
    assert view.vector.vector.features == ()  # the window is up before the file is read
    qtbot.waitUntil(lambda: len(view.vector.vector.features) == 400, timeout=10_000)
    assert view.vector.shapes[0].scene() is view.scene() and view.vector_issues == []
