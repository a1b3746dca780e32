"""Saved wall layouts (named by the officer) and the wall as it was at the last change."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import sqlite_utils

from console.core.layouts import LAYOUTS, WallState

_CURRENT = "wall.current"


def _encode(state: WallState) -> dict[str, str]:
    return {"layout": state.layout, "slots": json.dumps(list(state.slots)), "page": str(state.page)}


def _decode(layout: str, slots: str, page: str = "0") -> WallState | None:
    try:
        cameras = json.loads(slots)
        if layout not in LAYOUTS or not isinstance(cameras, list):
            return None
        return WallState(layout=layout, slots=tuple(c if isinstance(c, str) else None for c in cameras),
                         page=int(page))
    except (ValueError, TypeError):
        return None


class LayoutStore:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def save(self, name: str, state: WallState) -> None:
        fields = _encode(state)
        with self._db.conn:
            self._db.table("saved_layouts").upsert(
                {"name": name, "layout": fields["layout"], "slots": fields["slots"],
                 "saved_utc": datetime.now(UTC).isoformat(timespec="seconds")}, pk="name")

    def names(self) -> list[str]:
        return [row["name"] for row in self._db.table("saved_layouts").rows_where(order_by="name")]

    def get(self, name: str) -> WallState | None:
        rows = list(self._db.table("saved_layouts").rows_where("name = ?", [name]))
        return _decode(rows[0]["layout"], rows[0]["slots"]) if rows else None

    def delete(self, name: str) -> None:
        with self._db.conn:
            self._db.table("saved_layouts").delete_where("name = ?", [name])

    def set_current(self, state: WallState, name: str | None = None) -> None:
        value = json.dumps({**_encode(state), "name": name})
        with self._db.conn:
            self._db.table("settings").upsert({"key": _CURRENT, "value": value}, pk="key")

    def current(self) -> tuple[WallState, str | None] | None:
        rows = list(self._db.table("settings").rows_where("key = ?", [_CURRENT]))
        if not rows:
            return None
        try:
            data = json.loads(rows[0]["value"])
            state = _decode(data["layout"], data["slots"], data.get("page", "0"))
        except (ValueError, KeyError, TypeError):
            return None
        return None if state is None else (state, data.get("name"))
