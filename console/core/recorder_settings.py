"""What the site file says about the station's recorders (`[[recorders]]`, *đầu ghi*): where each one answers, the
login it takes, how it writes time, whether its event stream is taken; and which recorder channel a camera is.

A camera with `recorder = "<id>"` and `recorder_channel = N` has its recordings and events on that channel of that
recorder (its live address may be the recorder's too: that is its `main_url`, as for any camera).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

DEFAULT_RECORDER_HTTP_PORT = 80
DEFAULT_RECORDER_RTSP_PORT = 554
MAX_RECORDER_CHANNEL = 512  # the largest NVRs sold have 256 channels; a bigger number is a typo
# Zones in use run from UTC−12:00 to UTC+14:00, in quarter hours (Nepal's +05:45 is the odd one).
MIN_ZONE_S = -12 * 3600
MAX_ZONE_S = 14 * 3600
ZONE_STEP_S = 900
_ZONE = re.compile(r"^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$")


class RecorderVendor(StrEnum):
    HIKVISION = "hikvision"
    DAHUA = "dahua"
    ONVIF = "onvif"  # Profile G: search, replay, events (console.nvr.onvif_recorder); no download


class RecorderTimeMode(StrEnum):
    """How the recorder writes times (console.nvr.timebase.TimeMode has the same values)."""

    UTC = "utc"
    LOCAL_AS_UTC = "local-as-utc"
    LOCAL = "local"


@dataclass(frozen=True)
class RecorderSettings:
    """One `[[recorders]]` table. `time_zone_mode` / `time_zone_s` None: read from the recorder's clock."""

    id: str
    vendor: RecorderVendor
    host: str
    http_port: int = DEFAULT_RECORDER_HTTP_PORT
    rtsp_port: int = DEFAULT_RECORDER_RTSP_PORT
    credentials: str | None = None  # a reference into the credentials store
    time_zone_mode: RecorderTimeMode | None = None
    time_zone_s: int | None = None  # the recorder's local time minus UTC
    events: bool = True


def parse_zone(text: str) -> int | None:
    """`+07:00` (also `+7`, `+0700`, `UTC+7`) as seconds east of UTC; None when it is not a real zone."""
    match = _ZONE.fullmatch(text.strip().upper())
    if match is None:
        return None
    sign, hours, minutes = match.groups()
    if int(minutes or 0) >= 60:
        return None
    seconds = int(hours) * 3600 + int(minutes or 0) * 60
    value = -seconds if sign == "-" else seconds
    if not MIN_ZONE_S <= value <= MAX_ZONE_S or value % ZONE_STEP_S:
        return None
    return value


def zone_text(seconds: int) -> str:
    """Seconds east of UTC as the site file writes them: `+07:00`."""
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    return f"{sign}{hours:02d}:{rest // 60:02d}"
