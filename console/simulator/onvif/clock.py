"""A camera's own clock: the station's clock plus an offset, its time zone and how it is set (manual or NTP)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import Enum

# Vietnam, as the communes' cameras are set (POSIX TZ: the sign is inverted, ICT is UTC+7).
DEFAULT_TZ = "ICT-7"
_POSIX_TZ = re.compile(r"^[A-Za-z]{3,}([+-]?\d{1,2})(?::(\d{2}))?")


class DateTimeType(Enum):
    MANUAL = "Manual"
    NTP = "NTP"


@dataclass(frozen=True)
class NtpServer:
    kind: str  # "IPv4", "IPv6" or "DNS", as tt:NetworkHostType
    address: str


@dataclass
class CameraClock:
    offset_s: float = 0.0
    date_time_type: DateTimeType = DateTimeType.MANUAL
    daylight_savings: bool = False
    tz: str = DEFAULT_TZ
    ntp_from_dhcp: bool = False
    ntp_servers: tuple[NtpServer, ...] = field(default_factory=tuple)

    def now(self) -> datetime:
        """The time the camera believes it is (UTC)."""
        return datetime.now(UTC) + timedelta(seconds=self.offset_s)

    def set_utc(self, utc: datetime) -> None:
        """Set manually, as SetSystemDateAndTime(Manual) does: from now on the camera counts from `utc`."""
        self.offset_s = (utc - datetime.now(UTC)).total_seconds()

    def local(self, utc: datetime) -> datetime:
        return utc + posix_utc_offset(self.tz)


def is_posix_tz(tz: str) -> bool:
    return _POSIX_TZ.match(tz) is not None


def posix_utc_offset(tz: str) -> timedelta:
    """The standard-time offset of a POSIX TZ string ("ICT-7" → +7 h); daylight rules are not modelled."""
    match = _POSIX_TZ.match(tz)
    if match is None:
        return timedelta(0)
    sign = -1 if match.group(1).startswith("-") else 1
    west = timedelta(hours=abs(int(match.group(1))), minutes=int(match.group(2) or 0))
    return -sign * west  # POSIX counts hours west of Greenwich
