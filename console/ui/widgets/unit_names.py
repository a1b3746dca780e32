"""The commune police's name in the interface language ("Công an xã Gia Đông", "Gia Đông commune police")."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from console.core.admin_units import UnitKind, local_unit


def police_of(commune_name: str) -> str:
    unit = local_unit(commune_name)
    if unit.kind is UnitKind.WARD:
        text = QCoreApplication.translate("Units", "{name} ward police")
    elif unit.kind is UnitKind.TOWNSHIP:
        text = QCoreApplication.translate("Units", "{name} township police")
    else:
        text = QCoreApplication.translate("Units", "{name} commune police")
    return text.format(name=unit.name)
