"""Vietnam time (UTC+7, no daylight saving), the officers' date format, and the clock in epoch ms."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone

VN_TZ = timezone(timedelta(hours=7), "ICT")
# Zone names a config may give; all mean UTC+7 without daylight saving.
UTC7_ZONE_NAMES = frozenset({"Asia/Ho_Chi_Minh", "Asia/Saigon", "Asia/Bangkok", "UTC+7", "UTC+07:00"})
DISPLAY_FORMAT = "%d/%m/%Y %H:%M:%S"


def to_vn(moment: datetime) -> datetime:
    """Convert an aware datetime (or a naive one taken as UTC) to Vietnam time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(VN_TZ)


def format_vn(moment: datetime) -> str:
    """dd/MM/yyyy HH:mm:ss in Vietnam time."""
    return to_vn(moment).strftime(DISPLAY_FORMAT)


def from_epoch_ms(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


def now_ms() -> int:
    """Wall-clock now in epoch milliseconds (alerts, recordings and the index all count in these)."""
    return int(time.time() * 1000)


def vn_moment(ms: int) -> datetime:
    """An epoch-ms moment as an aware datetime in Vietnam time."""
    return datetime.fromtimestamp(ms / 1000, tz=VN_TZ)


def format_vn_ms(ms: int) -> str:
    """dd/MM/yyyy HH:mm:ss in Vietnam time, of an epoch-ms moment."""
    return vn_moment(ms).strftime(DISPLAY_FORMAT)


def _offset(offset_s: float, units: tuple[str, str, str]) -> str:
    """A clock offset rounded to the whole second in the given (hours, minutes, seconds) unit words, leading
    zero parts left out: `+3 giờ 0 phút 5 giây`, `+3 phút 12 giây`, `-12 giây`."""
    sign = "-" if offset_s < 0 else "+"
    hours, rest = divmod(round(abs(offset_s)), 3600)
    minutes, seconds = divmod(rest, 60)
    parts = (hours, minutes, seconds)
    first = 0 if hours else 1 if minutes else 2
    return sign + " ".join(f"{value} {unit}" for value, unit in zip(parts[first:], units[first:], strict=True))


def format_offset_vi(offset_s: float) -> str:
    """`+3 giờ 0 phút 5 giây`, `+3 phút 12 giây`, `-12 giây`: a clock offset rounded to the whole second."""
    return _offset(offset_s, ("giờ", "phút", "giây"))


def format_offset_en(offset_s: float) -> str:
    return _offset(offset_s, ("h", "min", "s"))


def clock_offset_text_vi(offset_s: float | None) -> str:
    """What a camera's info and the tree tooltip say about its clock: `Lệch giờ +3 phút 12 giây` (camera ahead
    of the station), `Lệch giờ dưới 1 giây`, `Chưa đọc được giờ camera` when it could not be read."""
    if offset_s is None:
        return "Chưa đọc được giờ camera"
    if abs(offset_s) < 0.5:
        return "Lệch giờ dưới 1 giây"
    return f"Lệch giờ {format_offset_vi(offset_s)}"


def clock_offset_text_en(offset_s: float | None) -> str:
    if offset_s is None:
        return "Camera clock not read yet"
    if abs(offset_s) < 0.5:
        return "Clock off by less than 1 s"
    return f"Clock off by {format_offset_en(offset_s)}"
