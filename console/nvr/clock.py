"""Working out a recorder's time mode, zone and clock offset from one reading of its clock.

Hikvision (`/ISAPI/System/time`): the zone is the `timeZone` (`CST-7:00:00` is UTC+7). A `localTime` with an
offset (`+07:00`) is unambiguous. One under a `Z` is read both ways, as UTC and as local time, and the reading
closer to the station's clock wins: a firmware that writes local times under a `Z` is seven hours off one way and
seconds off the other. (The adapter then checks the newest recording too: see `HikvisionRecorder.calibrate`.)

Dahua (`global.cgi?action=getCurrentTime`): the time is local and unmarked, the zone unknown; the difference to
the station's UTC is the zone plus the clock's error, and zones are whole quarter hours, so the nearest quarter hour
is the zone and the rest the error. A clock more than 7½ minutes off would be taken for another zone: the site file's
zone (`zone_offset_s`) overrides the guess.
"""

from __future__ import annotations

from datetime import UTC, datetime

from console.nvr.timebase import ISO_SECONDS, DeviceTimebase, TimeMode, TimeTextError, iso_offset_s, posix_zone_offset_s

QUARTER_HOUR_S = 900
DEFAULT_ZONE_S = 7 * 3600  # Vietnam, when a recorder does not say


def _as_utc_ms(naive_text: str, pattern: str) -> int:
    try:
        naive = datetime.strptime(naive_text.split(".", maxsplit=1)[0], pattern)
    except ValueError:
        raise TimeTextError(naive_text) from None
    return round(naive.replace(tzinfo=UTC).timestamp() * 1000)


def isapi_timebase(local_time: str, zone_text: str, station_ms: int, stored_mode: TimeMode | None = None,
                   stored_zone_s: int | None = None) -> DeviceTimebase:
    text = local_time.strip()
    offset_in_text = iso_offset_s(text)
    zone = stored_zone_s if stored_zone_s is not None else posix_zone_offset_s(zone_text)
    if zone is None:
        zone = offset_in_text if offset_in_text is not None else DEFAULT_ZONE_S
    if offset_in_text is not None:
        try:
            device_ms = round(datetime.fromisoformat(text).timestamp() * 1000)
        except ValueError:
            raise TimeTextError(text) from None
        mode = TimeMode.UTC
    elif text.endswith(("Z", "z")):
        as_utc = _as_utc_ms(text[:-1], ISO_SECONDS)
        as_local = as_utc - zone * 1000
        if zone and abs(as_local - station_ms) < abs(as_utc - station_ms):
            mode, device_ms = TimeMode.LOCAL_AS_UTC, as_local
        else:
            mode, device_ms = TimeMode.UTC, as_utc
    else:
        device_ms = _as_utc_ms(text, ISO_SECONDS) - zone * 1000
        mode = TimeMode.UTC
    return DeviceTimebase(stored_mode or mode, zone, device_ms - station_ms)


def dahua_timebase(local_text: str, station_ms: int, stored_zone_s: int | None = None) -> DeviceTimebase:
    as_utc = _as_utc_ms(local_text.strip(), "%Y-%m-%d %H:%M:%S")
    difference_ms = as_utc - station_ms
    guessed = round(difference_ms / 1000 / QUARTER_HOUR_S) * QUARTER_HOUR_S
    zone = stored_zone_s if stored_zone_s is not None else guessed
    return DeviceTimebase(TimeMode.LOCAL, zone, difference_ms - zone * 1000)
