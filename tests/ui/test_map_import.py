"""Bản đồ → Thêm bản đồ… on the real window: a GeoJSON file, an MBTiles pack and a scanned picture placed by
clicking sites on it, each checked, copied into the data folder off the GUI thread, written into the site
file and shown on the map at once; a damaged pack refused with its name; the entry greyed out in the demo."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from console.core import map_import
from console.core.config import SiteConfig, load_config
from console.core.config_edit import set_map_fields
from console.core.geo import GeoPoint, to_pixel
from console.core.paths import demo_config_path
from console.core.seed import installed_site
from console.media.pool import StreamPool
from console.ui.map.import_dialog import AddMapDialog
from console.ui.map.layers import ImageLayer, PackLayer, scene_point
from console.ui.shell.main_window import MainWindow
from tests.support.siteconfig import write_demo_config
from tests.ui.test_map import TILE_COLOR, make_pack

DEMO_MAP = demo_config_path().parent / "gia_dong_map.geojson"
SCAN_COLOR = QColor("#5f3dc4")


@pytest.fixture()
def window(qtbot: QtBot, _data_dir: Path) -> Iterator[MainWindow]:
    """The console on an installed site file in its data folder (the demo's first 6 cameras, no map yet)."""
    site_file = installed_site(_data_dir)
    site_file.parent.mkdir(parents=True)
    write_demo_config(site_file, cameras=6)
    site_file.write_text(set_map_fields(site_file.read_text("utf-8"), {"vector": None}), "utf-8")
    config = load_config(site_file)
    main = MainWindow(config, demo=False, pool=StreamPool(config), data=_data_dir)
    qtbot.addWidget(main)
    main.resize(1600, 1000)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.close()
    main.pool.close()


def open_dialog(qtbot: QtBot, main: MainWindow) -> AddMapDialog:
    assert main.add_map_action.isEnabled()
    main.add_map_action.trigger()
    dialog = main.findChild(AddMapDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def choose(qtbot: QtBot, dialog: AddMapDialog, path: Path) -> None:
    dialog.choose(path)
    qtbot.waitUntil(lambda: dialog.checked is not None, timeout=10_000)


def add(qtbot: QtBot, dialog: AddMapDialog) -> None:
    assert dialog.add_button.isEnabled(), dialog.status.text()
    with qtbot.waitSignal(dialog.installed, timeout=20_000):
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)


def test_geojson_added_from_the_map_menu_is_copied_named_in_the_site_file_and_drawn(
        qtbot: QtBot, window: MainWindow, _data_dir: Path) -> None:
    menu_texts = [a.text() for a in window.add_map_action.associatedObjects()[0].actions()]  # type: ignore[attr-defined]
    assert window.add_map_action.text() in menu_texts
    assert window.map.vector.vector.features == ()
    dialog = open_dialog(qtbot, window)
    choose(qtbot, dialog, DEMO_MAP)
    assert dialog.checked is not None and dialog.checked.ok and "12" in dialog.status.text()
    add(qtbot, dialog)
    copied = _data_dir / "site" / "map" / "gia_dong_map.geojson"
    assert copied.read_bytes() == DEMO_MAP.read_bytes()
    site_file = installed_site(_data_dir)
    assert 'vector = ["map/gia_dong_map.geojson"]' in site_file.read_text("utf-8")
    assert load_config(site_file).map.vector == (copied,)
    assert len(window.map.vector.vector.features) == 12 and window.map.legend.approximate  # drawn at once
    assert window.map.vector.labels[0].scene() is window.map.scene()


def test_mbtiles_pack_is_checked_and_copied_off_the_gui_thread_then_shown(
        qtbot: QtBot, window: MainWindow, _data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pack = make_pack(tmp_path / "Gia Dong.mbtiles", window.config, range(12, 17))
    copies: list[str] = []
    real_copy = map_import.copy_whole

    def watched(source: Path, target: Path) -> None:
        copies.append(threading.current_thread().name)
        real_copy(source, target)

    monkeypatch.setattr(map_import, "copy_whole", watched)
    dialog = open_dialog(qtbot, window)
    choose(qtbot, dialog, pack)
    assert "12" in dialog.status.text() and "16" in dialog.status.text()
    add(qtbot, dialog)
    assert copies == ["map install"] and threading.current_thread() is threading.main_thread()
    assert 'mbtiles = "map/Gia Dong.mbtiles"' in installed_site(_data_dir).read_text("utf-8")
    assert isinstance(window.map.layer, PackLayer)
    window.map.set_zoom(15)
    shot = window.map.viewport().grab().toImage()
    assert shot.pixelColor(QPoint(5, shot.height() // 2)) == TILE_COLOR


def test_damaged_pack_and_unknown_files_are_refused_with_their_names(qtbot: QtBot, window: MainWindow,
                                                                    tmp_path: Path) -> None:
    bad = tmp_path / "hong.mbtiles"
    bad.write_bytes(b"not a database" * 100)
    dialog = open_dialog(qtbot, window)
    choose(qtbot, dialog, bad)
    assert "hong.mbtiles" in dialog.status.text() and not dialog.add_button.isEnabled()
    text = tmp_path / "ghi-chu.txt"
    text.write_text("x", "utf-8")
    choose(qtbot, dialog, text)
    assert "ghi-chu.txt" in dialog.status.text() and not dialog.add_button.isEnabled()
    broken = tmp_path / "duong.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature"}]}', "utf-8")
    choose(qtbot, dialog, broken)
    assert "duong.geojson features[0]" in dialog.status.text() and not dialog.add_button.isEnabled()
    dialog.reject()
    assert not (window.data / "site" / "map").exists()  # type: ignore[operator]


def make_scan(path: Path, site: SiteConfig, k: float) -> tuple[Path, GeoPoint]:
    """A north-up 'scanned map' of the commune: one colour; `k` zoom-0 Mercator pixels per picture pixel."""
    origin = GeoPoint(21.0720, 106.0400)
    image = QImage(900, 900, QImage.Format.Format_RGB32)
    image.fill(SCAN_COLOR)
    image.save(str(path))
    return path, origin


def scan_pixel(point: GeoPoint, origin: GeoPoint, k: float) -> QPointF:
    x, y = to_pixel(point, 0)
    ox, oy = to_pixel(origin, 0)
    return QPointF((x - ox) / k, (y - oy) / k)


def test_scanned_map_placed_by_clicking_two_sites_gets_bounds_in_the_site_file_and_shows(
        qtbot: QtBot, window: MainWindow, _data_dir: Path, tmp_path: Path) -> None:
    k = 2.5e-5  # ≈ 3.9 m per picture pixel: 900 px cover the commune's north-west
    scan, origin = make_scan(tmp_path / "ban-do-xa.png", window.config, k)
    dialog = open_dialog(qtbot, window)
    dialog.resize(900, 900)
    choose(qtbot, dialog, scan)
    assert dialog.georeference.isVisible() and not dialog.add_button.isEnabled()
    picture = dialog.picture
    for site_id in ("S01", "S02"):
        dialog.site.setCurrentIndex(dialog.site.findData(site_id))
        target = scan_pixel(window.config.site(site_id).position, origin, k)
        qtbot.mouseClick(picture.viewport(), Qt.MouseButton.LeftButton, pos=picture.mapFromScene(target))
        QApplication.processEvents()
    assert set(dialog.points) == {"S01", "S02"} and dialog.fit is not None
    assert max(dialog.fit.errors_m()) < 1 and "m" in dialog.accuracy.text()
    add(qtbot, dialog)
    saved = load_config(installed_site(_data_dir)).map
    assert saved.image == _data_dir / "site" / "map" / "ban-do-xa.png" and saved.image_bounds is not None
    west, south, east, north = saved.image_bounds
    far = 900 * k  # the picture's far corner, from its origin
    expected = to_pixel(origin, 0)
    from console.core.geo import from_pixel

    corner = from_pixel(expected[0] + far, expected[1] + far, 0)
    pixel_deg = 3 * k * 360 / 256  # a few picture pixels of click error, in degrees of longitude
    assert abs(west - origin.lon) < pixel_deg * 3 and abs(east - corner.lon) < pixel_deg * 3
    assert abs(north - origin.lat) < pixel_deg * 3 and abs(south - corner.lat) < pixel_deg * 3
    assert isinstance(window.map.layer, ImageLayer)
    map_view = window.map
    map_view.set_zoom(16)
    map_view.centerOn(QPointF(*scene_point(GeoPoint(21.0560, 106.0500))))
    shot = map_view.viewport().grab().toImage()
    assert shot.pixelColor(map_view.mapFromScene(QPointF(*scene_point(GeoPoint(21.0600, 106.0480))))) == SCAN_COLOR


def test_add_a_map_is_greyed_out_on_the_demo(qtbot: QtBot) -> None:
    demo = load_config(demo_config_path())
    main = MainWindow(demo, demo=True, pool=StreamPool(demo))
    qtbot.addWidget(main)
    assert not main.add_map_action.isEnabled() and main.add_map_action.toolTip()
    main.close()
    main.pool.close()
