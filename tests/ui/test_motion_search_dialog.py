"""*Tìm chuyển động*: a rectangle dragged on the picture, a day searched off the GUI thread, the moments listed with
their time and duration, a click plays from just before the moment."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from console.core.config import SiteConfig
from console.core.motion import MotionGrid
from console.core.vntime import format_vn_ms
from console.search.motion_search import Region
from console.store.motion_grid import MotionGridWriter
from console.ui.playback.motion_search import PLAY_LEAD_MS, MotionSearchDialog
from console.ui.playback.timeline import MOTION, MOTION_HEIGHT, MOTION_TOP
from console.ui.playback.window import PlaybackWindow
from tests.support.databases import OpenDb

AT_MS = 1_780_290_000_000  # 01/06/2026 12:00 in Vietnam
ROAD = Region.from_rect(0.0, 0.55, 1.0, 0.82)


def write_crossings(path: Path) -> None:
    writer = MotionGridWriter(path, retention_days=30)
    for second in range(60):
        crossing = 10 <= second < 20 or 40 <= second < 45
        cells = 1 | (ROAD.mask if crossing else 0)  # the top-left corner (cell 0) moves every second
        writer.submit(MotionGrid("C01", AT_MS + second * 1000, cells))
    writer.close()


def test_a_dragged_road_finds_both_crossings_and_a_click_plays_the_first(qtbot: QtBot, tmp_path: Path) -> None:
    write_crossings(tmp_path / "console.db")
    image = QImage(640, 360, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkGray)
    dialog = MotionSearchDialog(tmp_path / "console.db", "C01", "C01 · Nút giao", AT_MS, image)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not dialog.search_button.isEnabled()  # nothing drawn yet
    target = dialog.picture.target()
    start = QPoint(target.left() + 5, target.top() + round(0.6 * target.height()))
    end = QPoint(target.right() - 5, target.top() + round(0.75 * target.height()))
    qtbot.mousePress(dialog.picture, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(dialog.picture, end)
    qtbot.mouseRelease(dialog.picture, Qt.MouseButton.LeftButton, pos=end)
    region = dialog.picture.region()
    assert region is not None and region.cells <= ROAD.cells and not region.mask & 1
    dialog.search()
    qtbot.waitUntil(lambda: dialog.results.topLevelItemCount() == 2, timeout=5000)
    first = dialog.results.topLevelItem(0)
    assert first is not None
    assert first.text(0) == format_vn_ms(AT_MS + 10_000) and first.text(1) == "9 s"
    with qtbot.waitSignal(dialog.play_requested) as played:
        rect = dialog.results.visualItemRect(first)
        qtbot.mouseClick(dialog.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert played.args == ["C01", AT_MS + 10_000 - PLAY_LEAD_MS]


def test_a_region_where_nothing_moved_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    write_crossings(tmp_path / "console.db")
    dialog = MotionSearchDialog(tmp_path / "console.db", "C01", "C01", AT_MS, None)
    qtbot.addWidget(dialog)
    dialog.picture.set_region(0.4, 0.1, 0.6, 0.3)  # the sky
    dialog.search()
    qtbot.waitUntil(lambda: dialog.status.text() != dialog.tr("Searching…"), timeout=5000)
    assert dialog.moments == [] and dialog.results.topLevelItemCount() == 0


def test_a_database_without_grids_finds_nothing_rather_than_failing(qtbot: QtBot, tmp_path: Path) -> None:
    sqlite3.connect(tmp_path / "console.db").close()  # an empty file: no grids table at all
    dialog = MotionSearchDialog(tmp_path / "console.db", "C01", "C01", AT_MS, None)
    qtbot.addWidget(dialog)
    dialog.picture.set_region(0.0, 0.0, 1.0, 1.0)
    dialog.search()
    qtbot.waitUntil(lambda: dialog.status.text() != dialog.tr("Searching…"), timeout=5000)
    assert dialog.moments == [] and dialog.status.text() == dialog.tr("No motion in this region during the period.")


def test_the_playback_window_opens_the_search_on_its_camera_and_plays_a_chosen_moment(
        open_db: OpenDb, qtbot: QtBot, demo_site: SiteConfig, tmp_path: Path) -> None:
    window = PlaybackWindow(demo_site, open_db(tmp_path / "console.db"), tmp_path / "rec", tmp_path)
    qtbot.addWidget(window)
    window.open_camera("C01", AT_MS)
    dialog = window.find_motion()
    assert dialog.camera_id == "C01" and dialog.at_ms == AT_MS and dialog.isVisible()
    dialog.play_requested.emit("C01", AT_MS + 60_000)
    assert window.camera_id() == "C01" and window.when.ms() == AT_MS + 60_000
    dialog.close()
    window.close()


def test_the_moments_found_are_marked_on_the_playback_timeline_of_their_camera_only(
        open_db: OpenDb, qtbot: QtBot, demo_site: SiteConfig, tmp_path: Path) -> None:
    write_crossings(tmp_path / "console.db")
    window = PlaybackWindow(demo_site, open_db(tmp_path / "console.db"), tmp_path / "rec", tmp_path)
    qtbot.addWidget(window)
    window.resize(1200, 700)
    window.show()
    qtbot.waitExposed(window)
    window.open_camera("C01", AT_MS + 30_000)
    window.timeline.set_view(AT_MS - 30_000, 120_000)  # two minutes: each crossing is many pixels wide
    dialog = window.find_motion()
    dialog.picture.set_region(0.0, 0.6, 1.0, 0.75)  # the road
    dialog.search()
    qtbot.waitUntil(lambda: len(window.timeline.motion) == 2, timeout=5000)
    assert window.timeline.motion == [(AT_MS + 10_000, AT_MS + 19_000), (AT_MS + 40_000, AT_MS + 44_000)]
    shot = window.timeline.grab().toImage()
    y = MOTION_TOP + MOTION_HEIGHT // 2
    inside = round(window.timeline.x_of(AT_MS + 15_000))
    outside = round(window.timeline.x_of(AT_MS + 30_000))
    assert shot.pixelColor(inside, y) == MOTION and shot.pixelColor(outside, y) != MOTION
    assert window.timeline.motion_at(AT_MS + 15_000) and not window.timeline.motion_at(AT_MS + 30_000)
    window.open_camera("C02", AT_MS + 30_000)
    assert window.timeline.motion == []  # another camera's timeline: the moments are C01's
    window.open_camera("C01", AT_MS + 30_000)
    assert len(window.timeline.motion) == 2
    dialog.close()
    window.close()
