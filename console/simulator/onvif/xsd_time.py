"""xs:duration and xs:dateTime as the PTZ and event services read and write them (PT1S, PT60S, 2024-…Z)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

_DURATION = re.compile(r"^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?"
                       r"(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")
_UNIT_S = (365 * 86400, 30 * 86400, 86400, 3600, 60, 1)  # years and months as a camera reckons them


def parse_duration(text: str) -> float | None:
    """Seconds of an xs:duration ("PT1S", "PT0.5S", "P1DT2H"); None when it is not one."""
    match = _DURATION.match(text.strip())
    if match is None or text.strip() in ("P", "PT") or text.strip().endswith("T"):
        return None
    sign, *parts = match.groups()
    seconds = sum(float(part) * unit for part, unit in zip(parts, _UNIT_S, strict=True) if part is not None)
    return -seconds if sign else seconds


def parse_date_time(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def seconds_until(text: str, camera_now: datetime) -> float | None:
    """wsnt:AbsoluteOrRelativeTimeType: a duration from now, or an instant on the camera's clock; None: neither."""
    relative = parse_duration(text)
    if relative is not None:
        return relative
    moment = parse_date_time(text)
    return None if moment is None else (moment - camera_now).total_seconds()


def format_date_time(moment: datetime) -> str:
    """xs:dateTime in UTC with a Z, to the millisecond."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
