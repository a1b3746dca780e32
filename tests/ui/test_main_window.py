"""The main window on the demo commune: Vietnamese title, tree of 11 sites / 25 cameras, real screenshot."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, QTranslator
from PySide6.QtGui import QFontMetrics, QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from console.core.config import load_config
from console.core.paths import demo_config_path
from console.ui.live.camera_tree import CAMERA_ID_ROLE
from console.ui.shell.main_window import MainWindow
from tests.support.dialogs import when_shown


def test_demo_window_is_vietnamese_with_every_site_and_camera(qtbot: QtBot, vietnamese: QTranslator) -> None:
    window = MainWindow(load_config(demo_config_path()), demo=True)
    qtbot.addWidget(window)
    assert window.windowTitle() == "Giám sát camera an ninh — Xã Gia Đông"
    tree = window.camera_tree
    assert tree.topLevelItemCount() == 11 and tree.camera_count() == 25
    first = tree.topLevelItem(0)
    assert first.text(0) == "Nút giao QL38 – QL282 (4 camera)"
    assert first.child(0).data(0, CAMERA_ID_ROLE) == "C01"
    menus = ["&Hệ thống", "&Xem", "&Camera", "&Bản đồ", "&Bố cục", "&Xem lại", "T&rợ giúp"]
    assert [a.text() for a in window.menuBar().actions()] == menus


def test_tree_shows_ids_as_tiles_do_and_full_names_in_tooltips(qtbot: QtBot, vietnamese: QTranslator) -> None:
    demo = load_config(demo_config_path())
    # A hand-made site file names cameras without their ids ("Cổng chợ"): the tree adds the id, as tiles do.
    bare = replace(demo, cameras=tuple(replace(c, name="Cổng chợ" if c.id == "C05" else c.name.split(" · ", 1)[1])
                                       for c in demo.cameras))
    window = MainWindow(bare, demo=True)
    qtbot.addWidget(window)
    camera = bare.camera("C01")
    item = window.camera_tree.camera_item("C01")
    assert item.text(0) == f"C01 · {camera.name}"
    tip = item.toolTip(0)
    assert tip == f"C01 · {camera.name}\nChưa kết nối"  # the name holds its site's: not said twice
    tile = window.wall.tile(0)
    assert tile.camera_id == "C01" and tile.toolTip().startswith(f"C01 · {camera.name}")
    market = bare.camera("C05")
    tip = window.camera_tree.camera_item("C05").toolTip(0)
    assert tip == f"C05 · Cổng chợ — {bare.site(market.site_id).name}\nChưa kết nối"
    window.pool.close()


def test_english_is_available(qtbot: QtBot) -> None:
    window = MainWindow(load_config(demo_config_path()), demo=False)
    qtbot.addWidget(window)
    assert window.windowTitle() == "Camera security monitoring — Xã Gia Đông"


def test_screenshot_shows_vietnamese_text_with_diacritics(qtbot: QtBot, vietnamese: QTranslator,
                                                          artifacts: Path) -> None:
    window = MainWindow(load_config(demo_config_path()), demo=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(300)
    screen = QGuiApplication.primaryScreen()
    shot = screen.grabWindow(0, window.x(), window.y(), window.width(), window.height())  # from the X server
    path = artifacts / "main_window_demo.png"
    assert shot.save(str(path))
    image = shot.toImage()
    pixels = np.array([[image.pixelColor(x, y).lightness() for x in range(0, image.width(), 7)]
                       for y in range(0, image.height(), 7)])
    assert pixels.std() > 20  # a drawn window, not a blank grab
    # Every character the officer reads is in the font actually used: no empty boxes for ắ, ộ, ữ …
    metrics = QFontMetrics(window.camera_tree.font())
    texts = [window.windowTitle()] + [window.camera_tree.topLevelItem(i).text(0) for i in range(11)]
    missing = {ch for text in texts for ch in text if not ch.isspace() and not metrics.inFontUcs4(ord(ch))}
    assert missing == set()


def click_button(box: QMessageBox, text: str, seen: list[str]) -> None:
    seen.append(box.text())
    next(b for b in box.buttons() if b.text() == text).click()


def test_exit_asks_and_says_recording_stops(qtbot: QtBot, vietnamese: QTranslator) -> None:
    window = MainWindow(load_config(demo_config_path()), demo=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    seen: list[str] = []
    when_shown(QMessageBox, lambda box: click_button(box, "Hủy", seen))
    window.request_exit()
    assert window.isVisible() and "ghi hình sẽ dừng" in seen[0]
    when_shown(QMessageBox, lambda box: click_button(box, "Thoát", seen))
    window.request_exit()
    assert not window.isVisible() and len(seen) == 2
    window.pool.close()


def test_docks_come_back_where_the_officer_left_them(qtbot: QtBot, tmp_path: Path) -> None:
    config = load_config(demo_config_path())
    window = MainWindow(config, demo=True, data=tmp_path)
    qtbot.addWidget(window)
    window.resize(1800, 1000)
    window.show()
    qtbot.waitExposed(window)
    window.resizeDocks([window.dock], [520], Qt.Orientation.Horizontal)
    window.map_dock.hide()
    qtbot.waitUntil(lambda: abs(window.dock.width() - 520) <= 4, timeout=2000)
    window.close()  # a close from the program: no question, and the layout is kept
    assert not window.isVisible()
    window.pool.close()

    again = MainWindow(config, demo=True, data=tmp_path)
    qtbot.addWidget(again)
    again.resize(1800, 1000)
    again.show()
    qtbot.waitExposed(again)
    assert again.map_dock.isHidden()
    qtbot.waitUntil(lambda: abs(again.dock.width() - 520) <= 4, timeout=2000)
    again.pool.close()


def test_split_layouts_from_the_toolbar_and_one_shortcut_each(qtbot: QtBot, vietnamese: QTranslator) -> None:
    window = MainWindow(load_config(demo_config_path()), demo=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)  # shortcuts go to it
    bar = window.layout_bar
    assert bar.isVisible() and [a.toolTip() for a in bar.actions()][:2] == ["1 camera (Ctrl+1)", "Chia 4 (Ctrl+2)"]
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.wall.state.layout == "3x3", timeout=2000)
    assert window.layout_actions["3x3"].isChecked()
    bar.widgetForAction(window.layout_actions["1+5"]).click()
    assert window.wall.state.layout == "1+5" and len(window.wall.tiles) == 6
    window.toggle_full_screen()
    assert not bar.isVisible()  # the wall alone
    window.toggle_full_screen()
    assert bar.isVisible()
    window.pool.close()
