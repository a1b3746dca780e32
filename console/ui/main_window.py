"""The console's main window: camera tree by site, live area, status bar with mode and clock."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QMessageBox, QWidget

from console import __version__
from console.core.config import SiteConfig
from console.core.vntime import format_vn
from console.ui.camera_tree import CameraTree

CLOCK_TICK_MS = 1000
TREE_MIN_WIDTH_PX = 340


class MainWindow(QMainWindow):
    """Top-level window; the live wall replaces the placeholder in the centre."""

    def __init__(self, config: SiteConfig, demo: bool) -> None:
        super().__init__()
        self.config = config
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
        self.live_area = QLabel(self.tr("Live view: drag a camera from the list onto the screen"), self)
        self.live_area.setObjectName("liveArea")
        self.live_area.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.live_area.setStyleSheet("QLabel#liveArea { background: #1b1b1b; color: #d0d0d0; font-size: 16px; }")
        self.setCentralWidget(self.live_area)
        self._build_menus()
        self._build_status(demo)

    def _build_menus(self) -> None:
        system = self.menuBar().addMenu(self.tr("&System"))
        quit_action = QAction(self.tr("E&xit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        system.addAction(quit_action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

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
        self.clock = QLabel(self)
        status.addPermanentWidget(self.clock)
        self._tick()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._timer.start(CLOCK_TICK_MS)

    def _tick(self) -> None:
        self.clock.setText(format_vn(datetime.now(UTC)))

    def _about(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("About"))
        box.setText(self.tr("Camera security monitoring software\nVersion {version}\nCommune police of {commune}")
                    .format(version=__version__, commune=self.config.commune.name))
        box.addButton(self.tr("Close"), QMessageBox.ButtonRole.AcceptRole)  # Qt ships no Vietnamese .qm
        box.exec()

    def central(self) -> QWidget:
        return self.live_area
