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
