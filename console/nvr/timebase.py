"""How one recorder writes time, and the conversions to and from the console's epoch milliseconds (UTC).

Firmwares differ on what `Z` means. ISAPI as documented writes UTC (`2021-08-18T15:18:15Z`); some Hikvision
firmware writes the device's local time under the same `Z` and reads our times the same way (`LOCAL_AS_UTC`).
Dahua's CGI writes unmarked local times (`2021-08-18 22:18:15`), in whatever zone the device is set to — Dahua's
factory zone is GMT+8, so a recorder nobody set reads one hour off in Vietnam. A recorder's mode and zone are read
once (`console.nvr.clock`) or taken from the site file, and every time crosses this one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from enum import StrEnum

ISO_SECONDS = "%Y-%m-%dT%H:%M:%S"
_OFFSET = re.compile(r"([+-])(\d{2}):?(\d{2})$")
_POSIX_ZONE = re.compile(r"^[A-Za-z]{3,}([+-]?)(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z?$")


class TimeMode(StrEnum):
    UTC = "utc"  # times under a `Z` are UTC (ISAPI as documented)
    LOCAL_AS_UTC = "local-as-utc"  # times under a `Z` are the device's local time (firmware that mislabels)
    LOCAL = "local"  # unmarked local times (Dahua CGI)


class TimeTextError(ValueError):
    """A time the recorder wrote that cannot be read."""


@dataclass(frozen=True)
class DeviceTimebase:
    mode: TimeMode
    zone_offset_s: int  # the device's local time minus UTC
    clock_offset_ms: int = 0  # the device's clock minus the station's, when read (reported, never applied)

    @property
    def _zone(self) -> timezone:
        return timezone(timedelta(seconds=self.zone_offset_s))

    def _local(self, utc_ms: int) -> datetime:
        return datetime.fromtimestamp(utc_ms / 1000, self._zone)

    def _from_local(self, naive: datetime) -> int:
        return round(naive.replace(tzinfo=self._zone).timestamp() * 1000)

    # -- ISAPI ----------------------------------------------------------------------------------------------------
    def isapi(self, utc_ms: int) -> str:
        """A moment as this recorder wants it in XML: `…Z` (UTC, or its local time in LOCAL_AS_UTC mode)."""
        if self.mode is TimeMode.UTC:
            return datetime.fromtimestamp(utc_ms / 1000, UTC).strftime(ISO_SECONDS) + "Z"
        return self._local(utc_ms).strftime(ISO_SECONDS) + "Z"

    def read_isapi(self, text: str) -> int:
        """A time from the recorder's XML: `Z` read by the mode, an explicit offset as written, none as local."""
        value = text.strip()
        try:
            if value.endswith(("Z", "z")):
                naive = datetime.strptime(value[:-1].split(".")[0], ISO_SECONDS)
                if self.mode is TimeMode.UTC:
                    return round(naive.replace(tzinfo=UTC).timestamp() * 1000)
                return self._from_local(naive)
            if _OFFSET.search(value):
                return round(datetime.fromisoformat(value).timestamp() * 1000)
            return self._from_local(datetime.strptime(value.split(".")[0], ISO_SECONDS))
        except ValueError:
            raise TimeTextError(text) from None

    def compact(self, utc_ms: int) -> str:
        """`20210818T151815Z`, as in a playback URI."""
        return self.isapi(utc_ms).replace("-", "").replace(":", "")

    def read_compact(self, text: str) -> int:
        match = _COMPACT.match(text.strip())
        if match is None:
            raise TimeTextError(text)
        y, mo, d, h, mi, s = match.groups()
        return self.read_isapi(f"{y}-{mo}-{d}T{h}:{mi}:{s}Z")

    # -- Dahua ----------------------------------------------------------------------------------------------------
    def dahua(self, utc_ms: int) -> str:
        return self._local(utc_ms).strftime("%Y-%m-%d %H:%M:%S")

    def dahua_rtsp(self, utc_ms: int) -> str:
        return self._local(utc_ms).strftime("%Y_%m_%d_%H_%M_%S")

    def read_dahua(self, text: str) -> int:
        """`2021-8-18 15:18:15` (the device's local time)."""
        try:
            return self._from_local(datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S"))
        except ValueError:
            raise TimeTextError(text) from None


def posix_zone_offset_s(text: str) -> int | None:
    """Hikvision's `timeZone` (`CST-7:00:00` is UTC+7: POSIX counts hours west) as seconds east; None: unreadable."""
    match = _POSIX_ZONE.match(text.strip())
    if match is None:
        return None
    sign, hours, minutes, seconds = match.groups()
    west = int(hours) * 3600 + int(minutes or 0) * 60 + int(seconds or 0)
    return west if sign == "-" else -west


def iso_offset_s(text: str) -> int | None:
    """The `+07:00` of an ISO time, in seconds; None without one (a `Z` included)."""
    match = _OFFSET.search(text.strip())
    if match is None:
        return None
    sign, hours, minutes = match.groups()
    value = int(hours) * 3600 + int(minutes) * 60
    return -value if sign == "-" else value
