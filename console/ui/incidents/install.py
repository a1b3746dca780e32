"""The *Vụ việc* dock put into the main window: the bottom area, a tab beside the alerts' dock when there is one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow

from console.incidents.service import Incidents
from console.ui.incidents.case_export_dialog import CaseExportSetup
from console.ui.incidents.dock import IncidentsDock

ALARM_DOCK = "alarmDock"


def install_incidents(window: QMainWindow, incidents: Incidents, cameras: Sequence[str], *,
                      camera_sites: Mapping[str, str] | None = None, snapshots: Path | None = None,
                      exports: CaseExportSetup | None = None) -> IncidentsDock:
    """Add the dock (the alerts stay the tab in front: they are what the officer on duty watches); `exports`
    offers *Xuất hồ sơ…* on the case shown."""
    dock = IncidentsDock(incidents, cameras, window, camera_sites=camera_sites, snapshots=snapshots,
                         exports=exports)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    alarm = window.findChild(QDockWidget, ALARM_DOCK)
    if isinstance(alarm, QDockWidget) and alarm is not dock:
        window.tabifyDockWidget(alarm, dock)
        alarm.raise_()
    return dock
