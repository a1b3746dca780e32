"""The live wall: tiles in a split-screen layout, pages, maximize, tours, health refresh."""

from __future__ import annotations

import time

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from console.core.config import SiteConfig
from console.core.layouts import LAYOUTS, StreamPolicy, WallState
from console.media.pool import StreamPool
from console.ui.live.ptz_joystick import PtzJoystick
from console.ui.live.tile import NameBar, VideoTile
from console.ui.widgets.overrides import qt_override

HEALTH_TICK_MS = 250
DEFAULT_TOUR_S = 20
OVERLAY_MARGIN_PX = 12


class AlertOverlay(QLabel):
    """New alerts on the wall itself while the alarm list is out of sight (full screen): their count and the
    newest one's camera, in the top right corner; a click does nothing (the wall's tiles keep their mouse)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("alertOverlay")
        self.setStyleSheet("QLabel#alertOverlay { background: rgba(201, 42, 42, 220); color: white; "
                           "font-weight: bold; font-size: 16px; padding: 8px 12px; border-radius: 4px; }")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.hide()

    def show_text(self, text: str) -> None:
        """The overlay's sentence; "" hides it."""
        self.setText(text)
        self.setVisible(bool(text))
        self.place()

    def place(self) -> None:
        parent = self.parentWidget()
        if parent is None or not self.text():
            return
        self.adjustSize()
        self.move(max(0, parent.width() - self.width() - OVERLAY_MARGIN_PX), OVERLAY_MARGIN_PX)
        self.raise_()


class LiveWall(QWidget):
    state_changed = Signal()  # layout, cameras or page changed (saved by the window)
    tile_menu = Signal(int, QPoint)
    health_tick = Signal(float)

    def __init__(self, config: SiteConfig, pool: StreamPool, state: WallState,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("liveWall")
        self.setStyleSheet("QWidget#liveWall { background: #050505; }")
        self._config = config
        self._pool = pool
        self._state = state
        self._tiles: list[VideoTile] = []
        self._ptz: PtzJoystick | None = None
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(2)
        self.maximized: int | None = None
        self.down_sites: set[str] = set()
        self.policy = StreamPolicy.AUTO
        self.show_latency = False
        self.name_bar = NameBar.AUTO
        self.tour = QTimer(self)
        self.tour.timeout.connect(self.next_page)
        self._health = QTimer(self)
        self._health.timeout.connect(self._refresh)
        self._health.start(HEALTH_TICK_MS)
        self.alert_overlay = AlertOverlay(self)
        self._build()

    # --- state --------------------------------------------------------------------------------------
    @property
    def state(self) -> WallState:
        return self._state

    def set_ptz(self, joystick: PtzJoystick) -> None:
        """PTZ from the tiles: every tile (now and after a layout change) steers through `joystick`."""
        self._ptz = joystick
        for tile in self._tiles:
            tile.ptz.joystick = joystick
        joystick.available_changed.connect(lambda *_: [t.update() for t in self._tiles])

    @property
    def tiles(self) -> list[VideoTile]:
        return list(self._tiles)

    def tile(self, index: int) -> VideoTile:
        return self._tiles[index]

    def set_state(self, state: WallState) -> None:
        rebuild = state.layout != self._state.layout
        self._state = state
        if rebuild:
            self._build()
        else:
            self._assign()
        self.state_changed.emit()

    def set_layout(self, key: str) -> None:
        self.set_state(self._state.with_layout(key))

    def next_page(self) -> None:
        if self._state.pages > 1:
            self.set_state(self._state.go(self._state.page + 1))

    def previous_page(self) -> None:
        if self._state.pages > 1:
            self.set_state(self._state.go(self._state.page - 1))

    def start_tour(self, seconds: int) -> None:
        self.tour.start(seconds * 1000)

    def stop_tour(self) -> None:
        self.tour.stop()

    def set_policy(self, policy: StreamPolicy) -> None:
        self.policy = policy
        for tile in self._tiles:
            tile.set_policy(policy)

    def set_show_latency(self, on: bool) -> None:
        self.show_latency = on
        for tile in self._tiles:
            tile.show_latency = on
            tile.update()

    def set_name_bar(self, place: NameBar) -> None:
        self.name_bar = place
        for tile in self._tiles:
            tile.name_bar = place
            tile.update()

    def set_active(self, active: bool) -> None:
        """False while the window is minimized: no tile decodes."""
        for tile in self._tiles:
            tile.set_active(active)

    # --- building -----------------------------------------------------------------------------------
    def _build(self) -> None:
        self.maximized = None
        for tile in self._tiles:
            tile.set_camera(None)
            self._grid.removeWidget(tile)
            tile.deleteLater()
        self._tiles = []
        layout = LAYOUTS[self._state.layout]
        for r in range(self._grid.rowCount()):
            self._grid.setRowStretch(r, 0)
        for c in range(self._grid.columnCount()):
            self._grid.setColumnStretch(c, 0)
        for i in range(layout.grid):
            self._grid.setRowStretch(i, 1)
            self._grid.setColumnStretch(i, 1)
        for index, cell in enumerate(layout.cells):
            tile = VideoTile(index, self._pool, self._config, self)
            tile.ptz.joystick = self._ptz
            tile.set_policy(self.policy)
            tile.show_latency = self.show_latency
            tile.name_bar = self.name_bar
            tile.double_clicked.connect(self.toggle_maximize)
            tile.camera_dropped.connect(self.drop_camera)
            tile.tiles_swapped.connect(self.swap)
            tile.menu_requested.connect(self.tile_menu)
            tile.pressed.connect(self.select)
            self._grid.addWidget(tile, cell.row, cell.col, cell.rows, cell.cols)
            self._tiles.append(tile)
        self._assign()
        self.alert_overlay.place()  # above the new tiles

    @qt_override
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.alert_overlay.place()

    def _assign(self) -> None:
        for tile, camera_id in zip(self._tiles, self._state.page_slots(), strict=True):
            tile.place(camera_id, len(self._tiles), self.maximized == tile.index)

    # --- mouse actions ------------------------------------------------------------------------------
    def select(self, index: int) -> None:
        for tile in self._tiles:
            if tile.selected != (tile.index == index):
                tile.selected = tile.index == index
                tile.update()

    def selected_index(self) -> int | None:
        return next((t.index for t in self._tiles if t.selected), None)

    def selected_camera(self) -> str | None:
        index = self.selected_index()
        return self._tiles[index].camera_id if index is not None else None

    def place_in_selected(self, camera_id: str) -> None:
        """A camera chosen elsewhere (map, tree): into the selected tile, else the first empty one, else the first."""
        index = self.selected_index()
        if index is None:
            index = next((t.index for t in self._tiles if t.camera_id is None), 0)
        self.drop_camera(index, camera_id)
        self.select(index)

    def show_maximized(self, camera_id: str) -> None:
        """The camera in a maximized tile (placed on the first tile if it is not on the wall)."""
        if self.maximized is not None and self._tiles[self.maximized].camera_id != camera_id:
            self.toggle_maximize(self.maximized)
        tile = next((t for t in self._tiles if t.camera_id == camera_id), None)
        if tile is None:
            self.drop_camera(0, camera_id)
            tile = next((t for t in self._tiles if t.camera_id == camera_id), None)
        if tile is not None and self.maximized is None:
            self.toggle_maximize(tile.index)

    def picture_of(self, camera_id: str) -> QImage | None:
        """The picture a tile shows of this camera (the map's tooltip, a snapshot for an alert)."""
        return next((p for t in self._tiles if t.camera_id == camera_id and (p := t.picture()) is not None), None)

    def drop_camera(self, index: int, camera_id: str) -> None:
        if camera_id not in {c.id for c in self._config.cameras}:
            return
        self.set_state(self._state.assign(index, camera_id))

    def close_tile(self, index: int) -> None:
        self.set_state(self._state.assign(index, None))

    def swap(self, a: int, b: int) -> None:
        self.set_state(self._state.swap(a, b))

    def toggle_maximize(self, index: int) -> None:
        if self.maximized is None:
            if self._tiles[index].camera_id is None:
                return
            self.maximized = index
            for tile in self._tiles:
                tile.setVisible(tile.index == index)
            self._grid.removeWidget(self._tiles[index])
            self._grid.addWidget(self._tiles[index], 0, 0, LAYOUTS[self._state.layout].grid,
                                 LAYOUTS[self._state.layout].grid)
        else:
            index = self.maximized
            self.maximized = None
            cell = LAYOUTS[self._state.layout].cells[index]
            self._grid.removeWidget(self._tiles[index])
            self._grid.addWidget(self._tiles[index], cell.row, cell.col, cell.rows, cell.cols)
            for tile in self._tiles:
                tile.setVisible(True)
        for tile in self._tiles:
            tile.set_context(len(self._tiles), self.maximized == tile.index)

    # --- health -------------------------------------------------------------------------------------
    def _refresh(self) -> None:
        now = time.monotonic()
        self._pool.tick(now)
        for tile in self._tiles:
            if tile.isVisible():
                site = self._config.camera(tile.camera_id).site_id if tile.camera_id else None
                tile.site_down = site in self.down_sites
                tile.refresh_status(now)
        self.health_tick.emit(now)

    def light_alerts(self, cameras: set[str]) -> None:
        """Blink phase: tiles showing these cameras get the red border now, the others lose it."""
        for tile in self._tiles:
            tile.set_alert_lit(tile.camera_id in cameras)

    def mark_site(self, site_id: str, down: bool) -> None:
        if down:
            self.down_sites.add(site_id)
        else:
            self.down_sites.discard(site_id)
