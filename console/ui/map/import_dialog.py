"""Bản đồ → Thêm bản đồ… (administrator): an MBTiles pack, a GeoJSON file, or a scanned map placed by clicking
two or more known sites on it; checked, copied into the data folder and named in the site file, all file work
on a worker thread (a pack of hundreds of MB takes seconds to copy), the map redrawn when it is done."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QImage, QMouseEvent, QPainter, QPen, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QStyleOptionGraphicsItem,
    QVBoxLayout,
    QWidget,
)

from console.core.config import ConfigError, MapConfig, SiteConfig
from console.core.config_edit import SiteFileEditor
from console.core.config_messages import os_reason
from console.core.geo import Georeference, GeoreferenceError, GeoreferenceProblem, georeference
from console.core.map_import import MapKind, install_map, kind_of, map_folder
from console.core.vector_map import read_geojson
from console.officers.roles import Permission
from console.officers.site_edits import guarded_editor
from console.store.mbtiles import MapPackError, MBTiles
from console.ui.map.view import interface_language
from console.ui.widgets.overrides import qt_override

if TYPE_CHECKING:
    from console.ui.shell.main_window import MainWindow

log = logging.getLogger(__name__)

MARKER_PX = 7


@dataclass(frozen=True)
class Checked:
    """A chosen file after its check on the worker thread: usable or not, and what to tell the officer."""

    path: Path
    kind: MapKind | None
    ok: bool
    text: str
    picture: QImage | None = None


class _Relay(QObject):
    """Carries a worker thread's result to the dialog on the GUI thread (a queued signal)."""

    done = Signal(object)


def _in_background(work: Callable[[], object], relay: _Relay, name: str) -> None:
    threading.Thread(target=lambda: relay.done.emit(work()), name=name, daemon=True).start()


class PointMarker(QGraphicsItem):
    """A clicked site on the picture: a red ring and the site's name, screen-sized."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self._font = QFont("Noto Sans", 9)
        self._font.setBold(True)

    def boundingRect(self) -> QRectF:
        return QRectF(-MARKER_PX - 2, -MARKER_PX - 2, 400, 2 * MARKER_PX + 4)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor("#e03131"), 2.5))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QPointF(0, 0), MARKER_PX, MARKER_PX)
        painter.drawLine(QPointF(-2, 0), QPointF(2, 0))
        painter.setFont(self._font)
        painter.setPen(QColor("#1b2430"))
        painter.drawText(QPointF(MARKER_PX + 4, 4), self.name)


class PictureView(QGraphicsView):
    """The scanned map, fitted to the view; a click gives the picture's pixel under the mouse."""

    clicked = Signal(QPointF)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("georeferencePicture")
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setMinimumSize(480, 320)
        self.markers: dict[str, PointMarker] = {}

    def show_picture(self, picture: QPixmap) -> None:
        self.scene().clear()
        self.markers = {}
        self.scene().addPixmap(picture)
        self.setSceneRect(QRectF(picture.rect()))
        self.fitInView(self.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def mark(self, key: str, name: str, pixel: QPointF) -> None:
        marker = self.markers.get(key)
        if marker is None:
            marker = self.markers[key] = PointMarker(name)
            self.scene().addItem(marker)
        marker.setPos(pixel)

    def unmark(self, key: str) -> None:
        marker = self.markers.pop(key, None)
        if marker is not None:
            self.scene().removeItem(marker)

    @qt_override
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self.sceneRect().isEmpty():
            self.fitInView(self.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    @qt_override
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and not self.sceneRect().isEmpty():
            pixel = self.mapToScene(event.position().toPoint())
            if self.sceneRect().contains(pixel):
                self.clicked.emit(pixel)
        super().mousePressEvent(event)


class AddMapDialog(QDialog):
    """Choose a file, see whether it can be used (a scanned map: click the sites on it), add it."""

    installed = Signal(object)  # the site's new MapConfig

    def __init__(self, config: SiteConfig, editor: SiteFileEditor, data: Path | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("addMapDialog")
        self.setWindowTitle(self.tr("Add a map"))
        self.config, self.editor, self.data = config, editor, data
        self.checked: Checked | None = None
        self.points: dict[str, tuple[float, float]] = {}  # site id -> picture pixel
        self.fit: Georeference | None = None
        self.busy = False
        self._relay = _Relay(self)
        self._relay.done.connect(self._checked)
        self._install_relay = _Relay(self)
        self._install_relay.done.connect(self._installed)
        self._build()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("Choose an MBTiles map pack, a GeoJSON file or a scanned map picture. It is copied "
                               "into the console's data folder and named in the site file."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.file = QLineEdit()
        self.file.setReadOnly(True)
        row.addWidget(self.file, 1)
        browse = QPushButton(self.tr("Choose a file…"))
        browse.clicked.connect(self._browse)
        row.addWidget(browse)
        layout.addLayout(row)
        self.status = QLabel()
        self.status.setObjectName("addMapStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.georeference = QWidget()
        self.georeference.setVisible(False)
        inner = QVBoxLayout(self.georeference)
        inner.setContentsMargins(0, 0, 0, 0)
        how = QLabel(self.tr("Choose a site, then click where it is on the picture. Two sites place a map drawn "
                             "with north up; three or more also correct a slightly turned scan."))
        how.setWordWrap(True)
        inner.addWidget(how)
        pick = QHBoxLayout()
        self.site = QComboBox()
        for site in self.config.sites:
            self.site.addItem(f"{site.id} · {site.name}", site.id)
        pick.addWidget(self.site, 1)
        self.remove = QPushButton(self.tr("Remove this site's point"))
        self.remove.clicked.connect(self._remove_point)
        pick.addWidget(self.remove)
        inner.addLayout(pick)
        self.picture = PictureView()
        self.picture.clicked.connect(self.place_site)
        inner.addWidget(self.picture, 1)
        self.accuracy = QLabel()
        self.accuracy.setObjectName("georeferenceAccuracy")
        self.accuracy.setWordWrap(True)
        inner.addWidget(self.accuracy)
        layout.addWidget(self.georeference, 1)
        self.buttons = QDialogButtonBox()
        self.add_button = self.buttons.addButton(self.tr("Add to the map"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.install)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._refresh()

    # -- choosing and checking -----------------------------------------------------------------------
    def _browse(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Choose a map file"), "",
            self.tr("Maps (*.mbtiles *.geojson *.json *.png *.jpg *.jpeg *.bmp *.tif *.tiff)"))
        if name:
            self.choose(Path(name))

    def choose(self, path: Path) -> None:
        """Check `path` on a worker thread; the result shows when it is known."""
        self.checked, self.points, self.fit, self.busy = None, {}, None, True
        self.file.setText(str(path))
        self.status.setText(self.tr("Checking the file…"))
        self.georeference.setVisible(False)
        self._refresh()
        _in_background(lambda: self._check(path), self._relay, "map check")

    def _check(self, path: Path) -> Checked:
        """Worker thread: open the pack, parse the GeoJSON or decode the picture; never touches widgets."""
        kind = kind_of(path)
        name = path.name
        if kind is MapKind.MBTILES:
            try:
                pack = MBTiles(path)
            except MapPackError as exc:
                log.warning("map import: %s", exc)
                return Checked(path, kind, False, self.tr("The file {file} is not a usable MBTiles map pack.").format(
                    file=name))
            low, high = pack.min_zoom, pack.max_zoom
            pack.close()
            return Checked(path, kind, True, self.tr("Map pack with zoom levels {low} to {high}.").format(
                low=low, high=high))
        if kind is MapKind.GEOJSON:
            vector, issues = read_geojson(path)
            if issues:
                lines = [issue.describe(interface_language()) for issue in issues[:5]]
                return Checked(path, kind, False, "\n".join(
                    [self.tr("The file {file} cannot be used as a vector map:").format(file=name), *lines]))
            if not vector.features:
                return Checked(path, kind, False, self.tr("The file {file} holds nothing to draw.").format(file=name))
            return Checked(path, kind, True, self.tr("{count} roads, areas and places to draw.").format(
                count=len(vector.features)))
        if kind is MapKind.IMAGE:
            picture = QImage(str(path))
            if picture.isNull():
                return Checked(path, kind, False, self.tr("The file {file} is not a picture this console can "
                                                          "read.").format(file=name))
            return Checked(path, kind, True, self.tr("Picture of {width} × {height} pixels.").format(
                width=picture.width(), height=picture.height()), picture)
        return Checked(path, None, False, self.tr("The file {file} is not a map this console can use: choose an "
                                                  "MBTiles pack, a GeoJSON file or a picture.").format(file=name))

    def _checked(self, result: object) -> None:
        if not isinstance(result, Checked) or str(result.path) != self.file.text():
            return  # an older choice's answer
        self.busy, self.checked = False, result
        self.status.setText(result.text)
        if result.ok and result.picture is not None:
            self.georeference.setVisible(True)
            self.picture.show_picture(QPixmap.fromImage(result.picture))
        self._refresh()

    # -- georeferencing a picture --------------------------------------------------------------------
    def place_site(self, pixel: QPointF) -> None:
        """The selected site is where the officer clicked; the next site without a point is selected."""
        site_id = self.site.currentData()
        if not isinstance(site_id, str):
            return
        self.points[site_id] = (pixel.x(), pixel.y())
        self.picture.mark(site_id, self.config.site(site_id).name, pixel)
        following = [i for i in range(self.site.count()) if self.site.itemData(i) not in self.points]
        if following:
            self.site.setCurrentIndex(following[0])
        self._fit()

    def _remove_point(self) -> None:
        site_id = self.site.currentData()
        if isinstance(site_id, str) and self.points.pop(site_id, None) is not None:
            self.picture.unmark(site_id)
            self._fit()

    def _fit(self) -> None:
        pairs = [(pixel, self.config.site(site_id).position) for site_id, pixel in self.points.items()]
        self.fit = None
        try:
            self.fit = georeference(pairs)
        except GeoreferenceError as exc:
            self.accuracy.setText(self._why(exc.problem, len(pairs)))
        else:
            worst = max(self.fit.errors_m())
            self.accuracy.setText(self.tr("{count} sites placed; the largest difference at a clicked site is "
                                          "{metres} m.").format(count=len(pairs), metres=f"{worst:.0f}"))
        self._refresh()

    def _why(self, problem: GeoreferenceProblem, count: int) -> str:
        if problem is GeoreferenceProblem.TOO_FEW:
            return self.tr("{count} of at least 2 sites placed.").format(count=count)
        if problem is GeoreferenceProblem.NOT_NORTH_UP:
            return self.tr("These points only fit a picture turned upside down: check that each point is at its "
                           "own site.")
        return self.tr("The points are at one place: click sites far apart on the picture.")

    def bounds(self) -> tuple[float, float, float, float] | None:
        if self.fit is None or self.checked is None or self.checked.picture is None:
            return None
        return self.fit.bounds(self.checked.picture.width(), self.checked.picture.height())

    # -- installing ----------------------------------------------------------------------------------
    def ready(self) -> bool:
        checked = self.checked
        if self.busy or checked is None or not checked.ok:
            return False
        return checked.kind is not MapKind.IMAGE or self.fit is not None

    def _refresh(self) -> None:
        self.add_button.setEnabled(self.ready())

    def install(self) -> None:
        """Copy and write the site file on a worker thread; the dialog closes when the map shows it."""
        checked = self.checked
        if checked is None or checked.kind is None or not self.ready():
            return
        self.busy = True
        self._refresh()
        self.status.setText(self.tr("Copying the map into the data folder…"))
        source, kind, bounds = checked.path, checked.kind, self.bounds()
        _in_background(lambda: self._install(source, kind, bounds), self._install_relay, "map install")

    def _install(self, source: Path, kind: MapKind, bounds: tuple[float, float, float, float] | None) -> object:
        """Worker thread: the new [map], or the sentence saying why nothing was installed."""
        try:
            return install_map(source, kind, self.editor, self.data, bounds)
        except OSError as exc:
            folder = map_folder(self.editor.path, self.data)
            log.error("map import: copying %s into %s failed: %s", source, folder, exc)
            return self.tr("The map could not be copied into {folder}: {reason}").format(
                folder=str(folder), reason=os_reason(exc).in_language(interface_language()))
        except ConfigError as exc:
            return "\n".join([self.tr("The site file {file} was not changed:").format(file=str(self.editor.path)),
                              *(issue.describe(interface_language()) for issue in exc.errors)])

    def _installed(self, result: object) -> None:
        self.busy = False
        if isinstance(result, MapConfig):
            self.installed.emit(result)
            self.accept()
            return
        self.status.setText(str(result))
        self._refresh()


def add_map_entry(menu: QMenu, window: MainWindow, editable: bool) -> QAction:
    """The "Add a map…" entry of the Map menu. The console has no logins yet: like the other administrator
    entries it is shown to everyone and only works on a site file this account may change."""
    action = QAction(QCoreApplication.translate("AddMapDialog", "Add a map… (administrator)"), menu)
    action.setObjectName("addMapAction")
    menu.addAction(action)
    action.setEnabled(editable)
    if not editable:
        action.setToolTip(QCoreApplication.translate("AddMapDialog",
                                                     "The site file cannot be changed here (demo or read-only)"))
    action.triggered.connect(lambda: open_add_map(window))
    return action


def open_add_map(window: MainWindow) -> AddMapDialog | None:
    source = window.config.source
    if source is None:
        return None
    editor = guarded_editor(source, window.officers.guard, window.officers.audit, Permission.EDIT_MAP)
    dialog = AddMapDialog(window.map.config, editor, window.data, window)
    dialog.installed.connect(window.map.set_base_map)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
