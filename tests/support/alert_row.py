"""An alert row as the alert log gives it to the incidents and the bookmarks (what they read of it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Alert:
    id: int
    camera_id: str | None
    site_id: str | None
    kind: str
    started_ms: int
    ended_ms: int | None
    note: str = ""
    snapshot: str | None = None
