"""What the site file says about a camera's ONVIF side (`[cameras.onvif]`) and the commune's clock policy
(`[onvif]`): where the camera's ONVIF services answer, which of its own events become alerts, its PTZ home.

A camera without an `onvif` table is spoken to over RTSP only (no events, no PTZ, no clock reading).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

DEFAULT_ONVIF_PORT = 80
DEFAULT_CLOCK_THRESHOLD_S = 5.0  # issue 18's default alert threshold
DEFAULT_CLOCK_CHECK_MIN = 10.0  # read at connect and every 10 minutes
DEFAULT_HOME_AFTER_MIN = 0.0  # 0: never return home on its own


class EventKindName(StrEnum):
    """The camera-side event kinds as the site file names them (opt-in per camera)."""

    MOTION = "motion"
    TAMPER = "tamper"
    INPUT = "input"


@dataclass(frozen=True)
class CameraOnvif:
    """One camera's ONVIF face: its device service at `host` (default: the main stream's host) and `port`."""

    port: int = DEFAULT_ONVIF_PORT
    host: str | None = None
    events: frozenset[EventKindName] = frozenset()
    ptz: bool | None = None  # None: ask the camera; False: never show PTZ even if it offers it
    home_preset: str | None = None  # preset token the camera returns to after `home_after_min` idle
    home_after_min: float = DEFAULT_HOME_AFTER_MIN


@dataclass(frozen=True)
class OnvifSiteSettings:
    """`[onvif]`: the commune's clock policy for every ONVIF camera."""

    clock_threshold_s: float = DEFAULT_CLOCK_THRESHOLD_S
    clock_check_min: float = DEFAULT_CLOCK_CHECK_MIN
    ntp_server: str | None = None  # what *Đồng bộ giờ* may set instead of the station's time
