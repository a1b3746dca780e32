"""Detection settings with the mouse: a zone drawn on the camera's picture, sensitivity, schedule; saved to the
database and handed to the running analytics worker."""

from __future__ import annotations

import itertools
from datetime import time as daytime
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QCheckBox, QPushButton, QSlider
from pytestqt.qtbot import QtBot

from console.core.analytics import AnalyticsSettings
from console.core.config import SiteConfig
from console.media.analytics import AnalyticsWorker
from console.media.pool import StreamPool
from console.store.alerts import AlertStore, AlertWriter
from console.store.analytics_settings import AnalyticsSettingsStore
from console.ui.alerts.center import AlertServices
from console.ui.alerts.detection_dialog import AnalyticsDialog
from console.ui.alerts.panel import CommitBridge
from console.ui.alerts.zone_editor import ZoneEditor
from console.ui.shell.main_window import MainWindow
from tests.support.databases import OpenDb
from tests.support.dialogs import when_shown


def draw_square(qtbot: QtBot, editor: ZoneEditor) -> None:
    rect = editor.picture_rect()
    corners = [(0.25, 0.5), (0.75, 0.5), (0.75, 0.9), (0.25, 0.9)]
    for x, y in corners:
        point = QPoint(int(rect.x() + x * rect.width()), int(rect.y() + y * rect.height()))
        qtbot.mouseClick(editor, Qt.MouseButton.LeftButton, pos=point)
    first = QPoint(int(rect.x() + 0.25 * rect.width()), int(rect.y() + 0.5 * rect.height()))
    qtbot.mouseClick(editor, Qt.MouseButton.LeftButton, pos=first)  # back on the first corner: closed


def test_zone_drawn_with_the_mouse_and_deleted_with_right_click(qtbot: QtBot, demo_site: SiteConfig,
                                                                vietnamese: object) -> None:
    picture = QImage(640, 360, QImage.Format.Format_RGB32)
    picture.fill(QColor("#556b2f"))
    dialog = AnalyticsDialog(demo_site.cameras[0], AnalyticsSettings(), picture)
    qtbot.addWidget(dialog)
    dialog.resize(900, 700)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle().startswith("Cài đặt phát hiện — C01")
    draw_square(qtbot, dialog.editor)
    (zone,) = dialog.editor.result()
    drawn = dialog.editor.picture_rect()
    clicked = [(0.25, 0.5), (0.75, 0.5), (0.75, 0.9), (0.25, 0.9)]
    assert len(zone) == len(clicked)
    for (x, y), (want_x, want_y) in zip(zone, clicked, strict=True):  # where the mouse was, to the pixel
        assert abs(x - want_x) * drawn.width() <= 1.0 and abs(y - want_y) * drawn.height() <= 1.0
    dialog.findChild(QSlider, "sensitivity").setValue(85)
    dialog.findChild(QCheckBox, "scheduled").setChecked(True)
    chosen = dialog.settings()
    assert chosen.motion.sensitivity == 85 and chosen.motion.zones == (zone,)
    assert (chosen.motion.schedule.start, chosen.motion.schedule.end) == (daytime(22, 0), daytime(5, 0))
    rect = dialog.editor.picture_rect()
    inside = QPoint(int(rect.x() + 0.5 * rect.width()), int(rect.y() + 0.7 * rect.height()))
    qtbot.mouseClick(dialog.editor, Qt.MouseButton.RightButton, pos=inside)
    assert dialog.editor.result() == ()


def test_saved_settings_reach_the_database_and_the_worker(qtbot: QtBot, demo_site: SiteConfig, tmp_path: Path,
                                                          vietnamese: object, open_db: OpenDb) -> None:
    database = open_db(tmp_path / "console.db")
    writer = AlertWriter(tmp_path / "console.db", tmp_path / "alerts")
    worker = AnalyticsWorker(list(demo_site.cameras), {}, writer.submit, itertools.count(1).__next__)
    store = AnalyticsSettingsStore(database)
    services = AlertServices(AlertStore(database), writer, CommitBridge(), tmp_path / "alerts", [], None, worker,
                             store)
    window = MainWindow(demo_site, demo=True, pool=StreamPool(demo_site), alerts=services)
    qtbot.addWidget(window)
    window.show()
    try:
        center = window.alert_center
        assert center is not None
        actions = dict(window.tile_actions(0))
        assert "Cài đặt phát hiện…" in actions

        def fill(dialog: AnalyticsDialog) -> None:
            draw_square(qtbot, dialog.editor)
            qtbot.mouseClick(dialog.findChild(QPushButton, "saveButton"), Qt.MouseButton.LeftButton)

        when_shown(AnalyticsDialog, fill)
        actions["Cài đặt phát hiện…"]()  # type: ignore[operator]
        camera = window.wall.tile(0).camera_id
        assert camera is not None
        saved = store.all()[camera]
        assert len(saved.motion.zones) == 1 and len(saved.motion.zones[0]) == 4
        assert worker.settings(camera) == saved  # applied to the running worker (pending until its next picture)
    finally:
        window.close()
        writer.close()
        window.pool.close()
