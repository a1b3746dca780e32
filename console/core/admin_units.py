"""Vietnamese administrative unit names: "Xã Gia Đông" is a commune named Gia Đông, whose police is written
"Công an xã Gia Đông" (the unit type in lower case after "Công an", as official documents write it)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class UnitKind(StrEnum):
    COMMUNE = "xã"
    WARD = "phường"
    TOWNSHIP = "thị trấn"


_PREFIXES = ((UnitKind.TOWNSHIP, "thị trấn "), (UnitKind.COMMUNE, "xã "), (UnitKind.WARD, "phường "))


@dataclass(frozen=True)
class LocalUnit:
    kind: UnitKind
    name: str  # without the unit type: "Gia Đông"


def local_unit(commune_name: str) -> LocalUnit:
    """The unit type and bare name of a site file's commune name ("Xã Gia Đông", "Phường Suối Hoa",
    "Gia Đông" — a name without a type is a commune)."""
    text = " ".join(commune_name.split())
    for kind, prefix in _PREFIXES:
        if text.casefold().startswith(prefix):
            return LocalUnit(kind, text[len(prefix):])
    return LocalUnit(UnitKind.COMMUNE, text)
