"""Bearing, angle of view and range of the camera chosen on a placement map, as number boxes: the keyboard's
way to do what the squares on its wedge do, and where a drag's result is read."""

from __future__ import annotations

from PySide6.QtWidgets import QDoubleSpinBox, QFormLayout, QWidget

from console.core.config import MAX_RANGE_M
from console.ui.onboarding.placement_map import PlacementMap

MIN_FOV_DEG = 1.0


class WedgeBoxes(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.map: PlacementMap | None = None
        self.bearing = self._box(0.0, 359.9, "°")
        self.fov = self._box(MIN_FOV_DEG, 360.0, "°")
        self.range = self._box(1.0, MAX_RANGE_M, " m")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Bearing"), self.bearing)
        form.addRow(self.tr("Angle of view"), self.fov)
        form.addRow(self.tr("Range"), self.range)

    def _box(self, low: float, high: float, suffix: str) -> QDoubleSpinBox:
        box = QDoubleSpinBox(self)
        box.setRange(low, high)
        box.setDecimals(1)
        box.setSuffix(suffix)
        box.valueChanged.connect(self._typed)
        return box

    def bind(self, placement: PlacementMap) -> None:
        self.map = placement
        placement.placed.connect(self._placed)
        self.show_camera(placement.current)

    def show_camera(self, camera_id: str) -> None:
        if self.map is None or camera_id not in self.map.shapes:
            return
        _, bearing, fov, range_m = self.map.shape_of(camera_id)
        for box, value in ((self.bearing, bearing), (self.fov, fov), (self.range, range_m)):
            box.blockSignals(True)
            box.setValue(value)
            box.blockSignals(False)

    def _placed(self, camera_id: str) -> None:
        if self.map is not None and camera_id == self.map.current:
            self.show_camera(camera_id)

    def _typed(self) -> None:
        if self.map is not None and self.map.current:
            self.map.set_wedge(self.map.current, self.bearing.value(), self.fov.value(), self.range.value())
