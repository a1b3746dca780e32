"""The console's main window: camera tree by site, live area, status bar with mode and clock."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import sqlite_utils
from PySide6.QtCore import QByteArray, QEvent, QPoint, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from console.bookmarks.service import Bookmarks
from console.core.buildinfo import BuildInfo, load_build_info
from console.core.config import SiteConfig, StreamKind
from console.core.credentials import CredentialStore
from console.core.geo import GeoPoint, bearing_deg, distance_m
from console.core.health import Shown
from console.core.layouts import LAYOUTS, StreamPolicy, WallState, initial_state
from console.core.paths import demo_config_path, resources_dir, source_checkout
from console.core.vntime import format_vn, now_ms
from console.media.osm_tiles import OsmTiles
from console.media.pool import StreamPool
from console.officers.guard import ActionRefusedError, Officers, open_officers
from console.officers.roles import Permission
from console.officers.site_edits import guarded_editor
from console.onvif.camera_services import CameraServices
from console.store.database import open_database
from console.store.layouts import LayoutStore
from console.ui.alerts.center import AlertCenter, AlertServices
from console.ui.live.camera_tree import CameraTree
from console.ui.live.health_monitor import HealthMonitor
from console.ui.live.layout_icons import layout_icon
from console.ui.live.onvif_bridge import OnvifView
from console.ui.live.ptz_presets import PRESETS_FOLDER
from console.ui.live.snapshot import SnapshotTaker
from console.ui.live.tile import NameBar
from console.ui.live.wall import LiveWall
from console.ui.live.wall_window import WallWindow
from console.ui.map.layers import base_layer
from console.ui.map.view import MapView, TileSignal
from console.ui.onboarding.menu import CameraSetup
from console.ui.playback.delete_menu import DeletionMenu
from console.ui.playback.window import PlaybackWindow
from console.ui.shell.about import show_about
from console.ui.shell.i18n import ui_lang
from console.ui.widgets.full_screen import take_whole_screen
from console.ui.widgets.overrides import qt_override

log = logging.getLogger(__name__)
C = TypeVar("C")

CLOCK_TICK_MS = 1000
TREE_MIN_WIDTH_PX = 340


TOUR_CHOICES_S = (10, 20, 30, 60)
MAP_DOCK_WIDTH_PX = 420
PLAYBACK_LOOKBACK_MS = 5 * 60_000  # "Playback" from a tile or the map starts this long ago
FULL_SCREEN_CHECK_MS = 300  # a window manager has put the window on the whole screen by then
FULL_SCREEN_ATTEMPTS = 3
RECOVERY_POLL_MS = 250
SAY_MS = 10_000  # a refusal in the status bar
SETTINGS_FILE = "window.ini"  # this workstation's view preferences, in the data folder
DOCK_STATE_VERSION = 2  # bump when docks or toolbars are added or renamed: an old saved state is then ignored


class MainWindow(QMainWindow):
    """Top-level window: camera tree, live wall, menus, status bar."""

    restart_requested = Signal()  # the site file changed: rebuild the live part from it (app.py)

    def __init__(self, config: SiteConfig, demo: bool, pool: StreamPool | None = None,
                 layouts: LayoutStore | None = None, build: BuildInfo | None = None,
                 data: Path | None = None, alerts: AlertServices | None = None,
                 recordings: Path | None = None, database: sqlite_utils.Database | None = None,
                 onvif: CameraServices | None = None, credentials: CredentialStore | None = None,
                 officers: Officers | None = None) -> None:
        super().__init__()
        # Who may do what, and where it is recorded (app.py: the desk's logins; alone, e.g. in a test: an admin).
        self.officers = officers or (alerts.officers if alerts is not None else open_officers())
        self.database = database  # the console's connection (app.py owns and closes it)
        self._full, self._fill_attempts = False, 0
        self._confirmed = False
        self._docks_before_full = QByteArray()
        self.recovery_label: QLabel | None = None
        self.recordings = recordings
        self._playback: PlaybackWindow | None = None
        self.bookmarks: Bookmarks | None = None  # *Đánh dấu* (console/ui/bookmarks/install.py): in playback
        self.config = config
        self.build = build or load_build_info(resources_dir(), source_checkout())
        self.data = data
        self.pool = pool or StreamPool(config)
        self._own_pool = pool is None  # made here (a tool, a test): its streams end with the window
        self.layouts = layouts
        self.layout_name: str | None = None
        self._camera_ids = [c.id for c in config.cameras]
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("Camera security monitoring — {commune}").format(commune=config.commune.name))
        self.resize(1366, 768)
        self.camera_tree = CameraTree(config, self)
        self.camera_tree.setMinimumWidth(TREE_MIN_WIDTH_PX)
        dock = QDockWidget(self.tr("Cameras"), self)
        dock.setObjectName("cameraDock")
        dock.setWidget(self.camera_tree)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        self.dock = dock
        self.onvif = (OnvifView(onvif, self.camera_tree, self.statusBar().showMessage, self, self.officers)
                      if onvif else None)
        self.wall = LiveWall(config, self.pool, self._start_state(), self)
        self.wall.state_changed.connect(self._wall_changed)
        self.wall.tile_menu.connect(self._tile_menu)
        if self.onvif is not None:
            self.wall.set_ptz(self.onvif.joystick)
            self.onvif.picture_of = self.wall.picture_of
            self.onvif.presets_folder = data / PRESETS_FOLDER if data is not None else None
        self.health = HealthMonitor(config, self.pool.camera_status, self)
        self.wall.health_tick.connect(self.health.tick)
        self._centre = QStackedWidget(self)  # the wall, or (detached to a second monitor) a note where it was
        self._centre.addWidget(self.wall)
        away = QLabel(self.tr("The live view is in its own window "
                              "(View → Live view in its own window brings it back)."), self)
        away.setObjectName("wallAway")
        away.setAlignment(Qt.AlignmentFlag.AlignCenter)
        away.setWordWrap(True)
        self._centre.addWidget(away)
        self.setCentralWidget(self._centre)
        self.wall_window: WallWindow | None = None
        self._settings = QSettings(str(data / SETTINGS_FILE), QSettings.Format.IniFormat) if data else None
        self.wall.set_name_bar(self._saved_name_bar())
        self._state_before_full = Qt.WindowState.WindowNoState
        self._geometry_before_full = QByteArray()
        self.snapshots = SnapshotTaker(self.pool, self, officers=self.officers)
        self.snapshots.saved.connect(self._snapshot_saved)
        self.snapshots.failed.connect(self._snapshot_failed)
        self.setup = CameraSetup(self, config, credentials, editable=not demo, officers=self.officers)
        self.setup.restart.connect(self.restart_requested)
        self._build_menus()
        self._build_status(demo)
        online = None
        if config.map.online_osm and data is not None:  # opt-in, cached on disk in the data folder
            self._tile_signal = TileSignal()
            online = OsmTiles(data / "map-cache" / "osm", ready=lambda _key: self._tile_signal.arrived.emit())
        self.map = MapView(config, base_layer(config.map, online), self)
        if online is not None:
            self._tile_signal.arrived.connect(self.map.viewport().update)
        self.map.picture_for = self.wall.picture_of
        self.map.camera_clicked.connect(self.wall.place_in_selected)
        self.map.camera_menu.connect(self._map_menu)
        self.map.spot_menu.connect(lambda point, pos: self._popup(self.spot_actions(point), pos))
        self.map_dock = QDockWidget(self.tr("Map"), self)
        self.map_dock.setObjectName("mapDock")
        self.map_dock.setWidget(self.map)
        self.map_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                                  | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.map_dock)
        self.resizeDocks([self.map_dock], [MAP_DOCK_WIDTH_PX], Qt.Orientation.Horizontal)  # the wall comes first
        self._build_map_menu()
        self.alert_center = AlertCenter(self, config, self.wall, self.camera_tree, alerts) if alerts else None
        if self.alert_center is not None:
            self._build_alerts_menu(self.alert_center)
            if recordings is not None:
                self.alert_center.open_recording = self.open_playback
            self.alert_center.blinked.connect(self.map.light_alerts)
            self.alert_center.panel.camera_selected.connect(self.map.center_on_camera)
        self._connect_health()
        self._restore_docks()

    def _restore_docks(self) -> None:
        """Docks where the officer left them on this workstation (sizes, positions, shown or closed)."""
        state = self._settings.value("window/docks") if self._settings is not None else None
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state, DOCK_STATE_VERSION)

    def _save_docks(self) -> None:
        if self._settings is None:
            return
        # In full screen every dock is hidden: what is kept is how they were before it.
        self._settings.setValue("window/docks", self._docks_before_full if self._full else self.saveState(
            DOCK_STATE_VERSION))
        self._settings.sync()

    def _start_state(self) -> WallState:
        """The wall as the officer left it, else every camera on a layout that fits them."""
        saved = self.layouts.current() if self.layouts is not None else None
        if saved is not None:
            state, self.layout_name = saved
            state = state.known_only(self._camera_ids)
            if state.slots:
                return state
        return initial_state(self._camera_ids)

    def _wall_changed(self) -> None:
        self._page_label.setText(self.tr("Page {page}/{pages}").format(
            page=self.wall.state.page + 1, pages=self.wall.state.pages))
        self.layout_actions[self.wall.state.layout].setChecked(True)
        if self.layouts is not None:
            self.layouts.set_current(self.wall.state, self.layout_name)

    def _build_menus(self) -> None:
        system = self.menuBar().addMenu(self.tr("&System"))
        quit_action = QAction(self.tr("E&xit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.request_exit)
        system.addAction(quit_action)
        self._build_view_menu()
        self.setup.build_menu(self.menuBar().addMenu(self.tr("&Cameras")))
        self.layouts_menu = self.menuBar().addMenu(self.tr("&Layouts"))
        playback = self.menuBar().addMenu(self.tr("&Playback"))
        open_playback = QAction(self.tr("Open playback of the selected camera"), self)
        open_playback.setShortcut(QKeySequence("Ctrl+P"))
        open_playback.triggered.connect(self._playback_of_selected)
        open_playback.setEnabled(self.recordings is not None)
        playback.addAction(open_playback)
        self.deletion_menu: DeletionMenu | None = None  # admins: *Xóa ghi hình…*
        if self.recordings is not None and self.data is not None:
            self.deletion_menu = DeletionMenu(self, playback, self.config, self.officers, self.recordings,
                                              self.data / "console.db", self.wall.selected_camera)
        self.layouts_menu.aboutToShow.connect(self._fill_layouts_menu)
        self._fill_layouts_menu()
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _add(self, menu: QMenu, text: str, slot: object, shortcut: str | None = None,
             checkable: bool = False) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        menu.addAction(action)
        self.addAction(action)  # shortcuts keep working in full screen, with the menu bar hidden
        return action

    def _choices(self, menu: QMenu, names: dict[C, str], current: C, choose: Callable[[C], None]) -> dict[C, QAction]:
        """One checked item among several (a radio group), each calling `choose` with its value."""
        group = QActionGroup(self)
        actions: dict[C, QAction] = {}
        for value, name in names.items():
            action = self._add(menu, name, lambda _=False, v=value: choose(v), checkable=True)
            action.setChecked(value == current)
            group.addAction(action)
            actions[value] = action
        return actions

    def _build_view_menu(self) -> None:
        view = self.menuBar().addMenu(self.tr("&View"))
        split = view.addMenu(self.tr("Split screen"))
        group = QActionGroup(self)
        self.layout_actions: dict[str, QAction] = {}
        self.layout_bar = QToolBar(self.tr("Split screen"), self)
        self.layout_bar.setObjectName("layoutBar")
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.layout_bar)
        for number, key in enumerate(LAYOUTS, start=1):  # Ctrl+1 … Ctrl+7, in the menu's order
            action = self._add(split, self.layout_title(key), lambda _=False, k=key: self.wall.set_layout(k),
                               f"Ctrl+{number}", checkable=True)
            action.setIcon(layout_icon(LAYOUTS[key]))
            action.setToolTip(f"{self.layout_title(key)} ({action.shortcut().toString()})")
            action.setChecked(key == self.wall.state.layout)
            group.addAction(action)
            self.layout_bar.addAction(action)
            self.layout_actions[key] = action
        view.addSeparator()
        self._add(view, self.tr("Previous page"), self.wall.previous_page, "PgUp")
        self._add(view, self.tr("Next page"), self.wall.next_page, "PgDown")
        tour = view.addMenu(self.tr("Tour (auto-cycle pages)"))
        tours = QActionGroup(self)
        self.tour_actions: dict[int, QAction] = {0: self._add(tour, self.tr("Off"), self.wall.stop_tour,
                                                             checkable=True)}
        for seconds in TOUR_CHOICES_S:
            self.tour_actions[seconds] = self._add(tour, self.tr("Every {seconds} s").format(seconds=seconds),
                                                   lambda _=False, s=seconds: self.wall.start_tour(s),
                                                   checkable=True)
        for action in self.tour_actions.values():
            tours.addAction(action)
        self.tour_actions[0].setChecked(True)
        streams = view.addMenu(self.tr("Video stream"))
        names = {StreamPolicy.AUTO: self.tr("Automatic (sub stream in small tiles)"),
                 StreamPolicy.MAIN: self.tr("Always main stream"), StreamPolicy.SUB: self.tr("Always sub stream")}
        self.policy_actions = self._choices(streams, names, self.wall.policy, self.set_stream_policy)
        technician = view.addMenu(self.tr("For the technician"))
        self.latency_action = self._add(technician, self.tr("Show latency"), self.wall.set_show_latency,
                                        checkable=True)
        bar_names = {NameBar.AUTO: self.tr("Hidden while live (shown under the pointer)"),
                     NameBar.BOTTOM: self.tr("At the bottom of the picture"),
                     NameBar.TOP: self.tr("At the top of the picture")}
        self.name_bar_actions = self._choices(view.addMenu(self.tr("Camera name bar")), bar_names,
                                              self.wall.name_bar, self.set_name_bar)
        view.addSeparator()
        self.fullscreen_action = self._add(view, self.tr("Full screen"), self.toggle_full_screen, "F11",
                                           checkable=True)
        self.detach_action = self._add(view, self.tr("Live view in its own window"), self.set_wall_detached,
                                       "Ctrl+Shift+W", checkable=True)

    def set_stream_policy(self, policy: StreamPolicy) -> None:
        self.wall.set_policy(policy)
        self.policy_actions[policy].setChecked(True)

    def layout_title(self, key: str) -> str:
        titles = {"1": self.tr("1 camera"), "2x2": self.tr("Split 4"), "3x3": self.tr("Split 9"),
                  "4x4": self.tr("Split 16"), "5x5": self.tr("Split 25"), "1+5": "1 + 5", "1+7": "1 + 7"}
        return titles[key]

    def _fill_layouts_menu(self) -> None:
        menu = self.layouts_menu
        menu.clear()
        save = QAction(self.tr("Save layout as…"), menu)
        save.triggered.connect(self.ask_save_layout)
        menu.addAction(save)
        if self.layouts is None:
            save.setEnabled(False)
            return
        names = self.layouts.names()
        if names:
            menu.addSeparator()
        for name in names:
            action = QAction(name, menu)
            action.setCheckable(True)
            action.setChecked(name == self.layout_name)
            action.triggered.connect(lambda _=False, n=name: self.restore_layout(n))
            menu.addAction(action)
        if names:
            delete = menu.addMenu(self.tr("Delete saved layout"))
            for name in names:
                action = QAction(name, delete)
                action.triggered.connect(lambda _=False, n=name: self.delete_layout(n))
                delete.addAction(action)

    def ask_save_layout(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("Save layout"), self.tr("Layout name:"),
                                        text=self.layout_name or "")
        if ok and name.strip():
            self.save_layout(name.strip())

    def save_layout(self, name: str) -> None:
        if self.layouts is None:
            return
        self.layouts.save(name, self.wall.state)
        self.layout_name = name
        self.layouts.set_current(self.wall.state, name)
        self.statusBar().showMessage(self.tr("Layout \"{name}\" saved").format(name=name), 5000)

    def restore_layout(self, name: str) -> None:
        state = self.layouts.get(name) if self.layouts is not None else None
        if state is None:
            return
        self.layout_name = name
        self.wall.set_state(state.known_only(self._camera_ids))

    def delete_layout(self, name: str) -> None:
        if self.layouts is not None:
            self.layouts.delete(name)
            if self.layout_name == name:
                self.layout_name = None

    def set_wall_detached(self, detached: bool) -> None:
        """The wall in a window of its own (a second monitor) or back here; remembered with its screen."""
        if detached == (self.wall_window is not None):
            return
        if detached:
            window = WallWindow(self.windowTitle())
            window.closing.connect(lambda: self.set_wall_detached(False))
            self._centre.removeWidget(self.wall)
            window.hold(self.wall)
            self._centre.setCurrentIndex(0)  # the note is all the centre holds now
            self.wall_window = window
            self._place_wall_window(window)
        else:
            held, self.wall_window = self.wall_window, None
            assert held is not None
            self._remember_wall_window(held)
            wall = held.release()
            if wall is not None:
                self._centre.insertWidget(0, wall)
                self._centre.setCurrentIndex(0)
            held.closing.disconnect()
            held.close()
            held.deleteLater()
        self.detach_action.setChecked(detached)
        if self._settings is not None:
            self._settings.setValue("wall_window/detached", detached)
            self._settings.sync()

    def _place_wall_window(self, window: WallWindow) -> None:
        """On the screen it was on last time (if that monitor is still there), else the one after ours."""
        saved = self._settings.value("wall_window/screen") if self._settings is not None else None
        screens = QGuiApplication.screens()
        screen = next((s for s in screens if s.name() == saved), None)
        if screen is None:
            others = [s for s in screens if s is not self.screen()]
            screen = others[0] if others else self.screen()
        window.setGeometry(screen.availableGeometry())
        window.show()
        if self._settings is not None and self._settings.value("wall_window/full_screen") in (True, "true"):
            window.toggle_full_screen()

    def _remember_wall_window(self, window: WallWindow) -> None:
        if self._settings is not None:
            self._settings.setValue("wall_window/screen", window.screen().name())
            self._settings.setValue("wall_window/full_screen", window.isFullScreen())

    def restore_wall_window(self) -> None:
        """At start: the wall goes back to its own window if it was there when the console last closed."""
        if self._settings is not None and self._settings.value("wall_window/detached") in (True, "true"):
            self.set_wall_detached(True)

    def _saved_name_bar(self) -> NameBar:
        value = self._settings.value("wall/name_bar", NameBar.AUTO.value) if self._settings else None
        try:
            return NameBar(value)
        except ValueError:
            return NameBar.AUTO

    def set_name_bar(self, place: NameBar) -> None:
        """Where tiles put the camera's name (remembered on this workstation)."""
        self.wall.set_name_bar(place)
        self.name_bar_actions[place].setChecked(True)
        if self._settings is not None:
            self._settings.setValue("wall/name_bar", place.value)
            self._settings.sync()

    def toggle_full_screen(self) -> None:
        full = not self._full
        self._full, self._fill_attempts = full, 0
        self.menuBar().setVisible(not full)
        self.statusBar().setVisible(not full)
        self.layout_bar.setVisible(not full)
        # Full screen is the wall alone (a wall monitor): every dock goes, the ones shown come back after.
        if full:
            self._docks_before_full = self.saveState(DOCK_STATE_VERSION)
            self._docks_shown = [d for d in self.findChildren(QDockWidget) if not d.isHidden()]
            for dock in self._docks_shown:
                dock.hide()
        else:
            for dock in getattr(self, "_docks_shown", [self.dock]):
                dock.show()
        if full:
            self._state_before_full = self.windowState() & ~Qt.WindowState.WindowFullScreen
            self._geometry_before_full = self.saveGeometry()
            self.showFullScreen()
            QTimer.singleShot(FULL_SCREEN_CHECK_MS, self._fill_screen)
        elif self._state_before_full & Qt.WindowState.WindowMaximized:
            self.showMaximized()  # leaving full screen returns to the window the officer had
        else:
            self.showNormal()
            self.restoreGeometry(self._geometry_before_full)
        self.fullscreen_action.setChecked(full)

    def _fill_screen(self) -> None:
        """Full screen not honoured (no window manager, or a late state from the X server): take it."""
        if self._full and (not self.isFullScreen() or self.geometry() != self.screen().geometry()):
            self._fill_attempts += 1
            take_whole_screen(self)

    @qt_override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self._full:
            self.toggle_full_screen()
            return
        super().keyPressEvent(event)

    def tile_actions(self, index: int) -> list[tuple[str, object]]:
        """The right-click menu of a tile as (text, callable)."""
        tile = self.wall.tile(index)
        if tile.camera_id is None:
            return [(self.tr("Full screen"), self.toggle_full_screen)]
        maximized = self.wall.maximized == index
        kind = tile.stream_kind
        other = StreamKind.SUB if kind is StreamKind.MAIN else StreamKind.MAIN
        switch_text = self.tr("Switch to sub stream") if other is StreamKind.SUB else self.tr("Switch to main stream")
        actions: list[tuple[str, object]] = [
            (self.tr("Restore") if maximized else self.tr("Maximize tile"), lambda: self.wall.toggle_maximize(index)),
            (self.tr("Snapshot"), lambda: self.take_snapshot(tile.camera_id or "", kind or StreamKind.MAIN)),
            (switch_text, lambda: tile.set_override(StreamPolicy(other.value))),
        ]
        if tile.override is not None:
            actions.append((self.tr("Automatic stream"), lambda: tile.set_override(None)))
        center = self.alert_center
        if center is not None and center.services.analytics is not None:
            camera_id = tile.camera_id
            actions += [(self.tr("Record incident on this camera"), lambda: center.panel.record_incident(camera_id)),
                        (self.tr("Detection settings…"), lambda: center.edit_detection(camera_id, tile.picture()))]
        actions.append((self.tr("Playback"), self._playback_slot(tile.camera_id)))
        actions += self._retry_action(tile.camera_id)
        if self.onvif is not None:
            actions += self.onvif.actions(tile.camera_id, tile)
        actions += self.setup.camera_actions(tile.camera_id)
        actions += [(self.tr("Close camera"), lambda: self.wall.close_tile(index)),
                    (self.tr("Full screen"), self.toggle_full_screen)]
        return actions

    def map_actions(self, camera_id: str) -> list[tuple[str, object]]:
        """The right-click menu of a camera on the map as (text, callable); None: shown disabled."""
        actions: list[tuple[str, object]] = [
            (self.tr("Show in the selected tile"), lambda: self.wall.place_in_selected(camera_id)),
            (self.tr("Maximize tile"), lambda: self.wall.show_maximized(camera_id)),
            (self.tr("Playback"), self._playback_slot(camera_id)),
        ]
        center = self.alert_center
        if center is not None:
            actions.append((self.tr("Alerts of this camera"), lambda: center.show_alerts_of(camera_id)))
        return actions + self._retry_action(camera_id)

    def spot_actions(self, point: GeoPoint) -> list[tuple[str, object]]:
        """A right-click on the map: *Quay camera về đây* for each PTZ camera whose coverage holds the point."""
        onvif = self.onvif
        if onvif is None:
            return []
        actions: list[tuple[str, object]] = []
        for camera in self.config.cameras:
            if onvif.joystick.available(camera.id) and distance_m(camera.position, point) <= camera.range_m:
                target = bearing_deg(camera.position, point)
                actions.append((self.tr("Turn {camera} here").format(camera=camera.label),
                                lambda c=camera, t=target: onvif.turn_to(c.id, t, c.bearing_deg)))
        return actions

    def _retry_action(self, camera_id: str) -> list[tuple[str, object]]:
        """*Thử lại* for a camera that is lost (connect now; after wrong credentials, the only way back)."""
        if not self.pool.is_lost(camera_id):
            return []
        return [(self.tr("Retry"), lambda: self.pool.retry(camera_id))]

    def _playback_of_selected(self) -> None:
        camera_id = self.wall.selected_camera() or self.config.cameras[0].id
        self.open_playback(camera_id, now_ms() - PLAYBACK_LOOKBACK_MS)

    def _playback_slot(self, camera_id: str) -> object:
        """The menu entry's action: playback of the last minutes; None (shown disabled) without recordings."""
        if self.recordings is None or self.data is None:
            return None
        return lambda: self.open_playback(camera_id, now_ms() - PLAYBACK_LOOKBACK_MS)

    def open_playback(self, camera_id: str, at_ms: int) -> PlaybackWindow | None:
        """The playback window (one, reused) on this camera at this moment."""
        if self.recordings is None or self.data is None:
            return None
        if self._playback is None:
            # The officer's full name: it is written on the evidence record as "Người trích xuất".
            actor = self.alert_center.panel.officer.currentText().strip() if self.alert_center is not None else ""
            db = self.database or open_database(self.data / "console.db")
            self._playback = PlaybackWindow(self.config, db, self.recordings, self.data, actor, self, self.officers,
                                            self.bookmarks)
            if self.onvif is not None:
                self._playback.clock_offset = self.onvif.clock_offset_s
            self._playback.destroyed.connect(lambda: setattr(self, "_playback", None))
            if db is not self.database:  # opened for this window alone: closed with it
                self._playback.destroyed.connect(db.close)
            self._playback.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._playback.open_camera(camera_id, at_ms)
        self._playback.show()
        self._playback.raise_()
        return self._playback

    def _popup(self, actions: list[tuple[str, object]], pos: QPoint) -> None:
        """A context menu from (text, callable) pairs; a None callable is shown disabled."""
        menu = QMenu(self)
        for text, slot in actions:
            action = menu.addAction(text)
            if slot is None:
                action.setEnabled(False)
            else:
                action.triggered.connect(slot)
        menu.exec(pos)

    def _map_menu(self, camera_id: str, pos: QPoint) -> None:
        self._popup(self.map_actions(camera_id), pos)

    def _tile_menu(self, index: int, pos: QPoint) -> None:
        self._popup(self.tile_actions(index), pos)

    def take_snapshot(self, camera_id: str, kind: StreamKind) -> None:
        try:
            self.snapshots.take(camera_id, kind)
        except ActionRefusedError as exc:
            self.statusBar().showMessage(exc.message(ui_lang()), SAY_MS)

    def _snapshot_saved(self, path: str) -> None:
        self.statusBar().showMessage(self.tr("Snapshot saved: {path}").format(path=path), 8000)

    def _snapshot_failed(self, camera_id: str) -> None:
        self.statusBar().showMessage(self.tr("Could not take a snapshot of camera {camera}").format(
            camera=camera_id), 8000)

    def _build_map_menu(self) -> None:
        menu = QMenu(self.tr("&Map"), self)
        self.menuBar().insertMenu(self.layouts_menu.menuAction(), menu)
        menu.addAction(self.tr("Show the map"), self.map_dock.show)
        menu.addAction(self.tr("Whole commune"), self.map.fit_commune)
        menu.addSeparator()
        self.edit_map_action = self._add(menu, self.tr("Edit camera positions (administrator)"), self._edit_map,
                                         checkable=True)
        self.undo_map_action = self._add(menu, self.tr("Undo the last map change"), self._undo_map)
        self.undo_map_action.setEnabled(False)
        editable = self.config.source is not None and self.config.source != demo_config_path() \
            and os.access(self.config.source, os.W_OK)
        self.edit_map_action.setEnabled(editable)
        if not editable:
            self.edit_map_action.setToolTip(self.tr("The site file cannot be changed here (demo or read-only)"))
        from console.ui.map.import_dialog import add_map_entry  # the map's own admin entry (Thêm bản đồ…)

        self.add_map_action = add_map_entry(menu, self, editable)
        self.map.edited.connect(self._map_edited)
        self.map.edit_failed.connect(
            lambda text: QMessageBox.warning(self, self.tr("Camera position not saved"), text))

    def _edit_map(self, on: bool) -> None:
        source = self.config.source
        self.map.set_editing(guarded_editor(source, self.officers.guard, self.officers.audit, Permission.EDIT_MAP)
                             if on and source is not None else None)
        if on:
            self.map_dock.show()

    def _map_edited(self, camera_id: str) -> None:
        self.undo_map_action.setEnabled(True)
        self.statusBar().showMessage(self.tr("Camera {camera} saved to {file}").format(
            camera=camera_id, file=str(self.config.source)), 8000)

    def _undo_map(self) -> None:
        if self.map.undo():
            self.statusBar().showMessage(self.tr("Last map change undone"), 8000)
        self.undo_map_action.setEnabled(bool(self.map.editor and self.map.editor.history))

    def _build_alerts_menu(self, center: AlertCenter) -> None:
        alerts = QMenu(self.tr("&Alerts"), self)
        self.menuBar().insertMenu(self.layouts_menu.menuAction(), alerts)
        alerts.addAction(center.incident_action)
        alerts.addAction(self.tr("Show the alarm list"), center.dock.show)
        alerts.addSeparator()
        center.mute_action.setText(self.tr("Silence the bell for this shift (8 h)"))  # checked while silenced
        alerts.addAction(center.mute_action)
        alerts.addAction(self.tr("Bell on again"), lambda: center.mute_for(0))
        if center.services.ring is not None:
            ring = center.services.ring
            alerts.addAction(self.tr("Test the bell"), lambda: ring(80))

    def _connect_health(self) -> None:
        """The health monitor's news to the tree, the map, the wall and the alerts."""
        health = self.health
        health.camera_changed.connect(self.camera_tree.set_camera_status)
        health.states.connect(self._states)
        health.site_changed.connect(self._site_changed)

    def _states(self, shown: dict[str, Shown]) -> None:
        if self.alert_center is not None:
            self.alert_center.feed_health(shown)
        self.map.set_states(shown, self.alert_center.alerting if self.alert_center is not None else set())

    def _site_changed(self, site_id: str, offline: bool) -> None:
        site = self.config.site(site_id)
        self.camera_tree.set_site_down(site_id, offline)
        self.wall.mark_site(site_id, offline)
        if offline:
            log.warning("site %s (%s): every camera offline", site.id, site.name)
            self.statusBar().showMessage(self.tr("Whole site offline: {site}").format(site=site.name), 15000)
        else:
            log.info("site %s (%s): back online", site.id, site.name)

    @qt_override
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.WindowStateChange:
            self.wall.set_active(not self.isMinimized())
            if self._full and not self.isFullScreen() and self._fill_attempts < FULL_SCREEN_ATTEMPTS:
                # A late state from the X server (no window manager) undid full screen: take it back.
                QTimer.singleShot(FULL_SCREEN_CHECK_MS, self._fill_screen)
        super().changeEvent(event)

    def request_exit(self) -> None:
        """Hệ thống → Thoát: asks first (the wall and recording stop), then closes."""
        if self.confirm_exit():
            self._confirmed = True
            self.close()

    def confirm_exit(self) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Exit"),
                          self.tr("Exit the camera console? Live view, alerts and recording stop until it is "
                                  "started again."), parent=self)
        box.setObjectName("exitBox")
        leave = box.addButton(self.tr("Exit"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is leave

    @qt_override
    def closeEvent(self, event: QCloseEvent) -> None:
        # The window's close button asks like Thoát does; a close from the program (a stop signal, a test,
        # the session ending) does not wait for an answer nobody is there to give.
        if event.spontaneous() and not self._confirmed and not self.confirm_exit():
            event.ignore()
            return
        self._save_docks()
        if self.wall_window is not None:  # remembered as detached: it comes back so at the next start
            self._remember_wall_window(self.wall_window)
            self.wall_window.closing.disconnect()
            self.wall_window.close()
        if self._playback is not None:  # closed, not deleted with this window unclosed: its viewing is recorded
            self._playback.close()
        self.wall.stop_tour()
        for tile in self.wall.tiles:
            tile.set_camera(None)
        if self._own_pool:
            self.pool.close()
        super().closeEvent(event)

    def watch_recovery(self, recovering: Callable[[], bool]) -> None:
        """While the recorder repairs its index after an unclean stop, the status bar says so (the window
        is up and live at once; recording catches up when the repair is done)."""
        if not recovering():
            return
        label = QLabel(self.tr("Repairing recordings after an unclean stop…"), self)
        label.setObjectName("recoveryBadge")
        label.setStyleSheet("QLabel#recoveryBadge { color: #b26a00; }")
        self.statusBar().addWidget(label)
        self.recovery_label = label
        timer = QTimer(self)

        def check() -> None:
            if recovering():
                return
            timer.stop()
            self.statusBar().removeWidget(label)
            label.deleteLater()
            self.recovery_label = None
            self.statusBar().showMessage(self.tr("Recordings repaired"), 10000)

        timer.timeout.connect(check)
        timer.start(RECOVERY_POLL_MS)

    def _build_status(self, demo: bool) -> None:
        status = self.statusBar()
        sites, cameras = len(self.config.sites), len(self.config.cameras)
        summary = self.tr("{sites} sites, {cameras} cameras").format(sites=sites, cameras=cameras)
        status.addWidget(QLabel(summary, self))
        if demo:
            badge = QLabel(self.tr("Demo mode (simulated cameras)"), self)
            badge.setObjectName("demoBadge")
            badge.setStyleSheet("QLabel#demoBadge { color: #b26a00; font-weight: bold; }")
            status.addWidget(badge)
        if self.config.commune.coordinates_approximate:
            status.addWidget(QLabel(self.tr("Camera positions are approximate"), self))
        self._page_label = QLabel(self)
        status.addPermanentWidget(self._page_label)
        self._wall_changed()
        self.clock = QLabel(self)
        status.addPermanentWidget(self.clock)
        self._tick()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._timer.start(CLOCK_TICK_MS)

    def _tick(self) -> None:
        self.clock.setText(format_vn(datetime.now(UTC)))

    def _about(self) -> None:
        show_about(self, self.build, self.config.commune.name, self.data)

    def central(self) -> QWidget:
        return self.wall
