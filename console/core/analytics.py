"""A camera's analytics settings: motion zones and their rules, tamper detection on or off."""

from __future__ import annotations

from dataclasses import dataclass, field

from console.core.motion import MotionSettings
from console.core.tamper import TamperSettings


@dataclass(frozen=True)
class AnalyticsSettings:
    motion: MotionSettings = field(default_factory=MotionSettings)
    tamper: TamperSettings = field(default_factory=TamperSettings)
