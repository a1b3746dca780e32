"""A simulated recorder's clock and how it writes and reads times: ISAPI's `2021-08-18T15:18:15Z` (UTC, or the local
time under a `Z` on firmware that gets it wrong), `20210818T151815Z` in RTSP URIs, and Dahua's unmarked local times
`2021-08-18 15:18:15` and `2021_08_18_15_18_15`."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

ISO_SECONDS = "%Y-%m-%dT%H:%M:%S"
_COMPACT = re.compile(r"^(\d{8})T(\d{6})Z?$")
_OFFSET = re.compile(r"([+-])(\d{2}):?(\d{2})$")


class TimeTextError(ValueError):
    """A time the recorder was sent cannot be read."""


@dataclass
class DeviceClock:
    zone_offset_s: int = 7 * 3600  # the device's local time minus UTC (Vietnam: +7 h)
    offset_s: float = 0.0  # the device's clock minus the station's
    z_means_local: bool = False  # the firmware writes (and reads) local times under a `Z`
    status_with_offset: bool = False  # …but its /ISAPI/System/time still says `+07:00` (seen only in recordings)

    def now_ms(self) -> int:
        return int((time.time() + self.offset_s) * 1000)

    @property
    def _zone(self) -> timezone:
        return timezone(timedelta(seconds=self.zone_offset_s))

    def _local(self, utc_ms: int) -> datetime:
        return datetime.fromtimestamp(utc_ms / 1000, self._zone)

    def _from_local(self, naive: datetime) -> int:
        return int(naive.replace(tzinfo=self._zone).timestamp() * 1000)

    # -- ISAPI ----------------------------------------------------------------------------------------------------
    def isapi(self, utc_ms: int) -> str:
        """A time as the device writes it in XML: `…Z`."""
        shown = self._local(utc_ms) if self.z_means_local else datetime.fromtimestamp(utc_ms / 1000, UTC)
        return shown.strftime(ISO_SECONDS) + "Z"

    def isapi_local(self, utc_ms: int) -> str:
        """The device's local time for /ISAPI/System/time (`+07:00`; `Z` on the firmware that mislabels)."""
        local = self._local(utc_ms)
        if self.z_means_local and not self.status_with_offset:
            return local.strftime(ISO_SECONDS) + "Z"
        return local.isoformat(timespec="seconds")

    def read_isapi(self, text: str) -> int:
        """A time the client sent in XML (`Z`, an offset, or none: local)."""
        value = text.strip()
        try:
            if value.endswith("Z"):
                naive = datetime.strptime(value[:-1].split(".")[0], ISO_SECONDS)
                return self._from_local(naive) if self.z_means_local else _utc(naive)
            match = _OFFSET.search(value)
            if match is not None:
                return int(datetime.fromisoformat(value).timestamp() * 1000)
            return self._from_local(datetime.strptime(value.split(".")[0], ISO_SECONDS))
        except ValueError:
            raise TimeTextError(text) from None

    def compact(self, utc_ms: int) -> str:
        return self.isapi(utc_ms).replace("-", "").replace(":", "")

    def read_compact(self, text: str) -> int:
        match = _COMPACT.match(text.strip())
        if match is None:
            raise TimeTextError(text)
        day, clock = match.groups()
        return self.read_isapi(f"{day[:4]}-{day[4:6]}-{day[6:]}T{clock[:2]}:{clock[2:4]}:{clock[4:]}Z")

    def posix_zone(self) -> str:
        """Hikvision's `timeZone`: `CST-7:00:00` is UTC+7 (POSIX counts hours west, so the sign is inverted)."""
        west = -self.zone_offset_s
        sign = "-" if west < 0 else "+"
        hours, rest = divmod(abs(west), 3600)
        return f"CST{sign}{hours}:{rest // 60:02d}:00"

    # -- Dahua ----------------------------------------------------------------------------------------------------
    def dahua(self, utc_ms: int) -> str:
        return self._local(utc_ms).strftime("%Y-%m-%d %H:%M:%S")

    def read_dahua(self, text: str) -> int:
        """`2021-8-18 15:18:15` or `2021_08_18_15_18_15` (RTSP), the device's local time."""
        value = text.strip().replace("_", " ", 3).replace("_", ":")
        for pattern in ("%Y %m %d %H:%M:%S", "%Y-%m-%d %H:%M:%S"):
            try:
                return self._from_local(datetime.strptime(value, pattern))
            except ValueError:
                continue
        raise TimeTextError(text)

    def dahua_rtsp(self, utc_ms: int) -> str:
        return self._local(utc_ms).strftime("%Y_%m_%d_%H_%M_%S")

    def local_parts(self, utc_ms: int) -> datetime:
        """The device-local wall time (aware) of a moment, for file paths and DHAV frame dates."""
        return self._local(utc_ms)

    def from_local_parts(self, naive: datetime) -> int:
        return self._from_local(naive)


def _utc(naive: datetime) -> int:
    return int(naive.replace(tzinfo=UTC).timestamp() * 1000)
