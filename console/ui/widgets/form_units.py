"""The unit block of official forms from the site file: superior unit, issuing unit, place, document code."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from console.core.admin_units import UnitKind, local_unit
from console.core.config import Commune
from console.ui.widgets.unit_names import police_of

# The issuing unit's abbreviation in document numbers ("Số: 12/BC-CAX"): Công an xã / phường / thị trấn.
UNIT_CODES = {UnitKind.COMMUNE: "CAX", UnitKind.WARD: "CAP", UnitKind.TOWNSHIP: "CATT"}


@dataclass(frozen=True)
class FormUnits:
    superior: str  # "Công an thị xã Thuận Thành"; "" when the site file names no district
    issuing: str  # "Công an xã Gia Đông"
    place: str  # "Gia Đông"
    code: str  # "CAX"


def district_police(district: str) -> str:
    if not district.strip():
        return ""
    return QCoreApplication.translate("Units", "{name} district police").format(name=" ".join(district.split()))


def form_units(commune: Commune) -> FormUnits:
    """The site file's `police_unit`, `superior_unit` and `place`, or what the commune's name and district give."""
    unit = local_unit(commune.name)
    return FormUnits(commune.superior_unit or district_police(commune.district),
                     commune.police_unit or police_of(commune.name), commune.place or unit.name,
                     UNIT_CODES[unit.kind])
