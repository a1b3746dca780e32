"""Per-camera analytics settings (zones, sensitivity, minimum area, schedule, cooldown, tamper) in the
console's database, where the settings dialog saves them; the site file stays the department's."""

from __future__ import annotations

import json
from datetime import time as daytime
from typing import Any

import sqlite_utils

from console.core.analytics import AnalyticsSettings
from console.core.motion import MotionSettings, Schedule
from console.core.tamper import TamperSettings

PREFIX = "analytics/"


def encode(settings: AnalyticsSettings) -> str:
    motion = settings.motion
    return json.dumps({
        "zones": [[list(p) for p in zone] for zone in motion.zones], "sensitivity": motion.sensitivity,
        "min_area": motion.min_area, "cooldown_s": motion.cooldown_s, "end_after_s": motion.end_after_s,
        "schedule": [motion.schedule.start.strftime("%H:%M"), motion.schedule.end.strftime("%H:%M")],
        "tamper": settings.tamper.enabled,
    })


def decode(text: str) -> AnalyticsSettings:
    data: dict[str, Any] = json.loads(text)
    start, end = (daytime.fromisoformat(t) for t in data.get("schedule", ["00:00", "00:00"]))
    motion = MotionSettings(
        zones=tuple(tuple((float(x), float(y)) for x, y in zone) for zone in data.get("zones", [])),
        sensitivity=int(data.get("sensitivity", 60)), min_area=float(data.get("min_area", 0.01)),
        schedule=Schedule(start, end), cooldown_s=int(data.get("cooldown_s", 60)),
        end_after_s=float(data.get("end_after_s", 3.0)))
    return AnalyticsSettings(motion, TamperSettings(enabled=bool(data.get("tamper", True))))


class AnalyticsSettingsStore:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def all(self) -> dict[str, AnalyticsSettings]:
        rows = self._db.execute("SELECT key, value FROM settings WHERE key LIKE ?", [PREFIX + "%"]).fetchall()
        return {key[len(PREFIX):]: decode(value) for key, value in rows}

    def save(self, camera_id: str, settings: AnalyticsSettings) -> None:
        with self._db.conn:
            self._db.table("settings").upsert({"key": PREFIX + camera_id, "value": encode(settings)}, pk="key")
