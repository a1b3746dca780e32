"""The live wall in the real window on the real X server, fed by the simulator's 25 cameras."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPointF, QRect, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QFontMetrics, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from console.core.config import StreamKind, load_config
from console.core.health import Shown
from console.core.layouts import WallState
from console.media.pool import StreamPool
from console.simulator.server import Simulator, SimulatorOptions
from console.store.layouts import LayoutStore
from console.ui.live.tile import NameBar, VideoTile
from console.ui.shell.main_window import MainWindow
from console.ui.widgets.drag_drop import TILE_MIME
from tests.support.databases import OpenDb
from tests.support.siteconfig import write_demo_config


@pytest.fixture()
def store(tmp_path: Path, open_db: OpenDb) -> LayoutStore:
    return LayoutStore(open_db(tmp_path / "console.db"))


def prepare_main(sim: Simulator, *camera_ids: str) -> None:
    """Encode these cameras' 1080p loops first: a real camera has its main stream ready, not in 2 s."""
    for camera_id in camera_ids:
        sim.loop_future(sim.config.camera(camera_id), StreamKind.MAIN).result(timeout=120)


def open_window(qtbot: QtBot, sim: Simulator, store: LayoutStore | None = None,
                state: WallState | None = None) -> MainWindow:
    pool = StreamPool(sim.config)
    window = MainWindow(sim.config, demo=True, pool=pool, layouts=store)
    qtbot.addWidget(window)
    if state is not None:
        window.wall.set_state(state)
    window.setGeometry(0, 0, 1800, 1000)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture()
def windows() -> Iterator[list[MainWindow]]:
    made: list[MainWindow] = []
    yield made
    for window in made:
        window.close()
        window.pool.close()


def live(window: MainWindow, tiles: list[VideoTile] | None = None, frames: int = 3) -> bool:
    return all(t.frames_shown >= frames for t in (tiles or window.wall.tiles) if t.camera_id)


def repainted(qtbot: QtBot, tiles: list[VideoTile], pictures: int = 2) -> None:
    """Wait until each tile has shown `pictures` more pictures (so the screen holds what was just set)."""
    before = [t.frames_shown for t in tiles]
    qtbot.waitUntil(lambda: all(t.frames_shown >= b + pictures for t, b in zip(tiles, before, strict=True)),
                    timeout=5000)


def screen_luma(window: MainWindow) -> np.ndarray:
    """The whole screen as the X server has it (not the widgets' own buffers), as grey levels."""
    shot = QGuiApplication.primaryScreen().grabWindow(0).toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    data = np.frombuffer(shot.constBits(), np.uint8).reshape(shot.height(), shot.bytesPerLine())
    return data[:, :shot.width()].copy()


def drop(tile: VideoTile, mime: QMimeData) -> None:
    pos = QPointF(tile.width() / 2, tile.height() / 2)
    enter = QDragEnterEvent(pos.toPoint(), Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(tile, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(tile, QDropEvent(pos, Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
                                            Qt.KeyboardModifier.NoModifier))


@pytest.mark.onscreen
def test_25_tiles_live_with_vietnamese_overlay_on_screen(qtbot: QtBot, vietnamese: object, simulator: Simulator,
                                                         windows: list[MainWindow], artifacts: Path) -> None:
    window = open_window(qtbot, simulator)
    windows.append(window)
    wall = window.wall
    assert wall.state.layout == "5x5" and len(wall.tiles) == 25
    qtbot.waitUntil(lambda: live(window), timeout=20000)
    assert all(t.stream_kind is StreamKind.SUB for t in wall.tiles)  # 25 small tiles pull the sub stream
    repainted(qtbot, wall.tiles)
    luma = screen_luma(window)
    QGuiApplication.primaryScreen().grabWindow(0).save(str(artifacts / "live_wall_25.png"))
    for tile in wall.tiles:
        rect = tile.video_rect_global()
        crop = luma[rect.top() + 30:rect.bottom(), rect.left():rect.right()]
        assert crop.mean() > 40 and crop.std() > 15, tile.camera_id  # a picture, not a black tile
        assert tile.status.shown is Shown.LIVE and tile.status.headline == ""
    metrics = QFontMetrics(wall.tile(0).font())
    names = "".join(c.name + window.config.site(c.site_id).name for c in window.config.cameras)
    assert {ch for ch in names if not ch.isspace() and not metrics.inFontUcs4(ord(ch))} == set()
    menus = ["&Hệ thống", "&Xem", "&Camera", "&Bản đồ", "&Bố cục", "&Xem lại", "T&rợ giúp"]
    assert [a.text() for a in window.menuBar().actions()] == menus


def test_drag_from_tree_swap_tiles_and_layout_changes(qtbot: QtBot, simulator: Simulator,
                                                      windows: list[MainWindow]) -> None:
    prepare_main(simulator, "C01", "C02", "C03", "C04", "C10")
    window = open_window(qtbot, simulator, state=WallState("2x2", ("C01", "C02", "C03", "C04")))
    windows.append(window)
    wall = window.wall
    qtbot.waitUntil(lambda: live(window), timeout=15000)
    tree = window.camera_tree
    mime = tree.mimeData([tree.camera_item("C10")])
    with qtbot.waitSignal(wall.tile(1).first_frame, timeout=5000):  # how soon: benchmarks/switching.py
        drop(wall.tile(1), mime)
    assert wall.state.page_slots() == ("C01", "C10", "C03", "C04")
    assert wall.tile(1).camera_id == "C10"

    swap = QMimeData()
    swap.setData(TILE_MIME, b"0")
    sessions = {c: simulator.sessions(c) for c in ("C01", "C04")}
    drop(wall.tile(3), swap)
    assert wall.state.page_slots() == ("C04", "C10", "C03", "C01")
    assert [t.camera_id for t in wall.tiles] == ["C04", "C10", "C03", "C01"]
    qtbot.waitUntil(lambda: wall.tile(0).image is not None and wall.tile(3).image is not None, timeout=2000)
    assert {c: simulator.sessions(c) for c in sessions} == sessions  # the running streams moved: no new session

    for key, count in (("3x3", 9), ("1+5", 6), ("1+7", 8), ("1", 1), ("4x4", 16)):
        wall.set_layout(key)
        assert len(wall.tiles) == count
    wall.set_layout("1+5")
    big, small = wall.tile(0), wall.tile(1)
    qtbot.waitUntil(lambda: big.width() > 1.8 * small.width() and big.height() > 1.8 * small.height(),
                    timeout=2000)  # the layout has placed them


def test_double_click_maximizes_on_main_stream_without_a_black_frame(qtbot: QtBot, simulator: Simulator,
                                                                     windows: list[MainWindow]) -> None:
    prepare_main(simulator, "C05")
    window = open_window(qtbot, simulator)
    windows.append(window)
    wall = window.wall
    tile = wall.tile(4)
    assert tile.camera_id == "C05"
    qtbot.waitUntil(lambda: live(window, [tile]), timeout=15000)
    qtbot.mouseDClick(tile, Qt.MouseButton.LeftButton)
    assert wall.maximized == 4
    assert not any(t.isVisible() for t in wall.tiles if t is not tile)
    assert all(t.stream_kind is None for t in wall.tiles if t is not tile)  # hidden tiles stop decoding
    assert tile.pending_kind is StreamKind.MAIN
    blank = []
    deadline = time.monotonic() + 5
    while tile.stream_kind is not StreamKind.MAIN and time.monotonic() < deadline:
        blank.append(tile.image is None)
        qtbot.wait(5)
    assert tile.stream_kind is StreamKind.MAIN  # how soon: benchmarks/switching.py
    assert not any(blank)  # the sub picture stayed up until the main one arrived
    qtbot.waitUntil(lambda: tile.image is not None and tile.image.width > 640, timeout=1000)
    assert tile.image is not None and tile.image.source_width == 1920

    tile.set_zoom(2.0)  # digital zoom asks the decoder for twice the pixels, capped at the source
    qtbot.waitUntil(lambda: tile.image is not None and tile.image.width >= min(1920, 2 * tile.width() - 4),
                    timeout=3000)

    qtbot.mouseDClick(tile, Qt.MouseButton.LeftButton)
    assert wall.maximized is None and tile.zoom == 1.0
    assert all(t.isVisible() for t in wall.tiles)
    qtbot.waitUntil(lambda: tile.stream_kind is StreamKind.SUB, timeout=5000)
    qtbot.waitUntil(lambda: live(window, frames=1), timeout=10000)


def test_saved_layout_restored_at_start_and_tour_advances(qtbot: QtBot, simulator: Simulator,
                                                          store: LayoutStore, windows: list[MainWindow]) -> None:
    window = open_window(qtbot, simulator, store)
    windows.append(window)
    window.wall.set_layout("1+7")
    window.wall.swap(0, 7)
    window.save_layout("Ca đêm")
    assert store.names() == ["Ca đêm"]
    window.wall.set_layout("2x2")  # the officer moves on; the wall as left is remembered too
    window.close()

    again = open_window(qtbot, simulator, store)
    windows.append(again)
    assert again.wall.state.layout == "2x2" and again.layout_name == "Ca đêm"
    again.restore_layout("Ca đêm")
    assert again.wall.state.layout == "1+7" and again.wall.state.page_slots()[:2] == ("C08", "C02")
    assert again.layout_actions["1+7"].isChecked()

    again.wall.set_layout("2x2")
    assert again.wall.state.pages == 7
    again.wall.start_tour(1)
    with qtbot.waitSignal(again.wall.state_changed, timeout=2500):
        pass
    assert again.wall.state.page == 1
    again.wall.stop_tour()


def test_tile_menu_snapshot_and_stream_switch(qtbot: QtBot, vietnamese: object, simulator: Simulator,
                                              windows: list[MainWindow], tmp_path: Path) -> None:
    prepare_main(simulator, "C06", "C07")
    window = open_window(qtbot, simulator, state=WallState("2x2", ("C06", "C07", None, None)))
    windows.append(window)
    window.snapshots.folder = tmp_path / "snaps"
    tile = window.wall.tile(0)
    qtbot.waitUntil(lambda: live(window), timeout=15000)
    texts = [text for text, _ in window.tile_actions(0)]
    assert texts[:2] == ["Phóng to ô", "Chụp ảnh"] and "Đóng camera" in texts and "Toàn màn hình" in texts
    assert window.tile_actions(2)[0][0] == "Toàn màn hình"  # an empty tile
    assert tile.image is not None
    stream_size = (tile.image.source_width, tile.image.source_height)  # the stream the tile shows
    assert stream_size in ((640, 360), (1920, 1080))
    with qtbot.waitSignal(window.snapshots.saved, timeout=8000) as saved:
        dict(window.tile_actions(0))["Chụp ảnh"]()  # type: ignore[operator]
    path = Path(saved.args[0])
    assert path.parent == tmp_path / "snaps" and path.name.startswith("C06_")
    picture = QImage(str(path))
    assert (picture.width(), picture.height()) == stream_size  # full resolution, not the tile's pixels
    kind = tile.stream_kind
    switch = "Chuyển sang luồng phụ" if kind is StreamKind.MAIN else "Chuyển sang luồng chính"
    dict(window.tile_actions(0))[switch]()  # type: ignore[operator]
    qtbot.waitUntil(lambda: tile.stream_kind is not kind, timeout=5000)
    dict(window.tile_actions(0))["Đóng camera"]()  # type: ignore[operator]
    assert tile.camera_id is None and window.wall.state.page_slots()[0] is None


@pytest.fixture()
def faulty(tmp_path: Path) -> Iterator[Simulator]:
    config = load_config(write_demo_config(tmp_path / "faults.toml", cameras=6))
    with Simulator(config, options=SimulatorOptions(loop_s=4.0)) as sim:
        yield sim


@pytest.mark.onscreen
def test_faults_show_clear_vietnamese_states_and_spare_other_tiles(qtbot: QtBot, vietnamese: object,
                                                                   faulty: Simulator, windows: list[MainWindow],
                                                                   artifacts: Path) -> None:
    window = open_window(qtbot, faulty)
    windows.append(window)
    wall = window.wall
    qtbot.waitUntil(lambda: live(window), timeout=15000)
    by_camera = {t.camera_id: t for t in wall.tiles if t.camera_id}
    faulty.stall("C05")
    for camera_id in ("C01", "C02", "C03", "C04"):  # every camera of site S01
        faulty.refuse(camera_id)
        faulty.drop(camera_id)
    qtbot.waitUntil(lambda: by_camera["C05"].status.headline == "Hình bị đứng", timeout=3500)
    qtbot.waitUntil(lambda: all(by_camera[c].status.shown is Shown.LOST for c in ("C01", "C02", "C03", "C04")),
                    timeout=3000)
    qtbot.waitUntil(lambda: by_camera["C01"].status.headline == "Mất kết nối toàn điểm", timeout=2000)
    lines = by_camera["C02"].status.lines
    assert lines[0].startswith("Đã mất kết nối 0:0")
    assert "Camera từ chối kết nối" in lines or "Camera đã ngắt kết nối" in lines
    assert any(line.startswith(("Kết nối lại sau", "Đang kết nối lại")) for line in lines)
    site_item = window.camera_tree.topLevelItem(0)
    assert site_item.text(0).endswith("Mất kết nối toàn điểm")
    assert window.camera_tree.camera_shown("C06") is Shown.LIVE
    rtp = "Nhận hình qua RTP (sớm hơn một khung hình)"  # the camera's info says which live path plays it
    assert by_camera["C06"].toolTip().endswith(rtp) and window.camera_tree.camera_item("C06").toolTip(0).endswith(rtp)
    repainted(qtbot, [by_camera["C06"]], 10)  # the healthy camera goes on showing pictures
    QGuiApplication.primaryScreen().grabWindow(0).save(str(artifacts / "live_wall_faults.png"))
    for camera_id in ("C01", "C02", "C03", "C04"):
        faulty.refuse(camera_id, False)
    faulty.stall("C05", False)
    qtbot.waitUntil(lambda: all(t.status.shown is Shown.LIVE for t in by_camera.values()), timeout=15000)
    assert not site_item.text(0).endswith("Mất kết nối toàn điểm")


def test_wall_survives_unknown_cameras_in_a_saved_layout(qtbot: QtBot, simulator: Simulator, store: LayoutStore,
                                                         windows: list[MainWindow]) -> None:
    store.set_current(WallState("2x2", ("C01", "GONE", None, "C02")), "cũ")
    window = open_window(qtbot, simulator, store)
    windows.append(window)
    assert window.wall.state.page_slots() == ("C01", None, None, "C02")
    assert replace(window.wall.state).layout == "2x2"
    assert [t.camera_id for t in window.wall.tiles] == ["C01", None, None, "C02"]


def band_luma(luma: np.ndarray, rect: QRect, top: float, bottom: float) -> float:
    """Mean grey level of a horizontal band of `rect` (fractions of its height) on the screen."""
    y0, y1 = rect.top() + int(rect.height() * top), rect.top() + int(rect.height() * bottom)
    return float(luma[y0:y1, rect.left():rect.right()].mean())


@pytest.mark.onscreen
def test_full_screen_fills_the_screen_hides_no_burned_in_clock_and_returns_maximized(
        qtbot: QtBot, simulator: Simulator, windows: list[MainWindow], tmp_path: Path) -> None:
    window = MainWindow(simulator.config, demo=True, pool=StreamPool(simulator.config), data=tmp_path)
    qtbot.addWidget(window)
    windows.append(window)
    window.wall.set_state(WallState("2x2", ("C01", "C02", "C03", "C04")))
    window.showMaximized()
    qtbot.waitExposed(window)
    assert window.windowState() & Qt.WindowState.WindowMaximized
    window.toggle_full_screen()
    screen = window.screen().geometry()
    qtbot.waitUntil(lambda: window.geometry() == screen, timeout=3000)  # no window manager here: still all of it
    qtbot.waitUntil(lambda: live(window), timeout=15000)
    tile = window.wall.tile(0)
    qtbot.waitUntil(lambda: tile.name_bar_rect() is None, timeout=6000)  # auto-hide once the camera is live
    repainted(qtbot, [tile])
    rect = tile.video_rect_global()
    clean = band_luma(screen_luma(window), rect, 0.0, 0.08)  # where cameras burn in their date and time

    window.set_name_bar(NameBar.TOP)
    repainted(qtbot, [tile])
    covered = band_luma(screen_luma(window), rect, 0.0, 0.08)
    assert covered < clean * 0.75  # the old place: the bar darkened the camera's own clock
    window.set_name_bar(NameBar.BOTTOM)
    repainted(qtbot, [tile])
    assert abs(band_luma(screen_luma(window), rect, 0.0, 0.08) - clean) < 6
    bar = tile.name_bar_rect()
    assert bar is not None and bar.bottom() == tile.height() - 1
    tile.enterEvent(None)  # hidden mode: the pointer over a tile brings its name back
    window.set_name_bar(NameBar.AUTO)
    assert tile.name_bar_rect() is not None
    tile.leaveEvent(None)
    assert tile.name_bar_rect() is None

    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isFullScreen(), timeout=3000)
    assert window.windowState() & Qt.WindowState.WindowMaximized  # not un-maximized on the way out
    assert window.menuBar().isVisible() and window.dock.isVisible()

    again = MainWindow(simulator.config, demo=True, pool=window.pool, data=tmp_path)
    qtbot.addWidget(again)
    assert again.wall.name_bar is NameBar.AUTO and again.name_bar_actions[NameBar.AUTO].isChecked()
    window.set_name_bar(NameBar.BOTTOM)
    assert MainWindow(simulator.config, demo=True, pool=window.pool, data=tmp_path).wall.name_bar is NameBar.BOTTOM


def test_the_wall_detaches_to_its_own_window_and_comes_back(qtbot: QtBot, simulator: Simulator,
                                                           windows: list[MainWindow], tmp_path: Path) -> None:
    window = MainWindow(simulator.config, demo=True, pool=StreamPool(simulator.config), data=tmp_path)
    qtbot.addWidget(window)
    windows.append(window)
    window.wall.set_state(WallState("2x2", ("C01", "C02", "C03", "C04")))
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: live(window), timeout=15000)
    wall = window.wall
    window.detach_action.trigger()  # Xem → Wall in its own window
    detached = window.wall_window
    assert detached is not None and wall.window() is detached and window.detach_action.isChecked()
    qtbot.waitExposed(detached)
    before = [t.frames_shown for t in wall.tiles]
    qtbot.waitUntil(lambda: all(t.frames_shown > b + 3 for t, b in zip(wall.tiles, before, strict=True)),
                    timeout=5000)  # still live over there
    assert window.findChild(QLabel, "wallAway").isVisible()

    detached.close()  # closing it brings the wall home
    assert window.wall_window is None and wall.window() is window and not window.detach_action.isChecked()
    qtbot.waitUntil(lambda: all(t.isVisible() for t in wall.tiles), timeout=2000)

    window.set_wall_detached(True)
    window.close()  # left detached: so it comes back at the next start, on the same screen
    again = MainWindow(simulator.config, demo=True, pool=window.pool, data=tmp_path)
    qtbot.addWidget(again)
    again.show()
    again.restore_wall_window()
    assert again.wall_window is not None and again.wall.window() is again.wall_window
    assert again.wall_window.screen().name() == QGuiApplication.primaryScreen().name()
    again.set_wall_detached(False)
    again.close()
