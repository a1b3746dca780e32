"""The rows of the *Nhật ký thao tác* window: read on a worker (its own read-only connection), and the table
model that shows them, one audit row per line, newest first, as a reader sees it."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from console.audit.actions import action_label
from console.audit.chain import ChainedRow
from console.core.users import Role
from console.core.vntime import format_vn_ms
from console.store.audit import AuditQuery, query
from console.store.readonly import open_read_only
from console.ui.widgets.rows_model import Index, RowsModel

# A line of the table, not the record: the tooltip and the CSV carry the whole JSON.
DETAILS_MAX_CHARS = 160
DETAILS_SEPARATOR = " · "
MOMENT_SUFFIX = "_ms"  # details keys holding an epoch-ms moment (AuditAction's comments)


@dataclass(frozen=True)
class QueryResult:
    """What a filter found, newest first; `cut` when more rows matched than the window shows."""

    generation: int
    rows: list[ChainedRow]
    cut: bool
    error: str | None = None  # why the database could not be read



def read_rows(db_path: Path, filters: AuditQuery, generation: int) -> QueryResult:
    """On a worker: the rows `filters` select, up to its limit (one more is read to know whether it cut)."""
    try:
        conn = open_read_only(db_path)
        try:
            rows = query(conn, replace(filters, limit=filters.limit + 1))
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return QueryResult(generation, [], False, str(exc))
    return QueryResult(generation, rows[:filters.limit], len(rows) > filters.limit)


def read_users(db_path: Path) -> list[str]:
    """On a worker: every user in the trail, sorted. One index probe per user, never a scan of the rows."""
    conn = open_read_only(db_path)
    try:
        found = conn.execute(
            "WITH RECURSIVE u(name) AS (SELECT min(user) FROM audit UNION ALL "
            "SELECT (SELECT min(user) FROM audit WHERE user > u.name) FROM u WHERE u.name IS NOT NULL) "
            "SELECT name FROM u WHERE name IS NOT NULL").fetchall()
    finally:
        conn.close()
    return [str(name) for (name,) in found]


def details_text(details: str, max_chars: int = DETAILS_MAX_CHARS) -> str:
    """The stored JSON as one short line: `note: đã xử lý · to: acknowledged`; "" when there is nothing."""
    full = details_line(details)
    return full if len(full) <= max_chars else full[:max_chars - 1].rstrip() + "…"


def details_line(details: str) -> str:
    try:
        value = json.loads(details)
    except ValueError:  # not written by our writer: shown as stored
        return _one_line(details)
    if isinstance(value, dict):
        return DETAILS_SEPARATOR.join(f"{key}: {_value_text(item, str(key))}" for key, item in value.items())
    return _value_text(value)


def _value_text(value: object, key: str = "") -> str:
    if key.endswith(MOMENT_SUFFIX) and isinstance(value, int) and not isinstance(value, bool):
        return format_vn_ms(value)  # start_ms, end_ms: a moment the officer reads, not a count of milliseconds
    if isinstance(value, str):
        return _one_line(value)
    if value is None:
        return "—"
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _one_line(text: str) -> str:
    return " ".join(text.split())


class AuditRowsModel(RowsModel[ChainedRow]):
    COLUMNS = ("time", "user", "role", "action", "camera", "target", "details", "row")

    def __init__(self, lang: str = "vi") -> None:
        super().__init__()
        self._lang = lang

    def headers(self) -> list[str]:
        return [self.tr("Time (UTC+7)"), self.tr("User"), self.tr("Role"), self.tr("Action"), self.tr("Camera"),
                self.tr("Target"), self.tr("Details"), self.tr("Row")]

    def role_text(self, role: str | None) -> str:
        if role == Role.ADMIN:
            return self.tr("Administrator")
        if role == Role.OFFICER:
            return self.tr("Officer")
        return role or ""

    def text(self, row: ChainedRow, column: str) -> str:
        if column == "time":
            return format_vn_ms(row.at_ms)
        if column == "user":
            return row.user
        if column == "role":
            return self.role_text(row.role)
        if column == "action":
            return action_label(row.action, self._lang)
        if column == "camera":
            return row.camera or ""
        if column == "target":
            return row.target or ""
        if column == "details":
            return details_text(row.details)
        return str(row.id)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row())
        if row is None:
            return None
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in ("details", "target"):
            return details_line(row.details) if column == "details" else row.target
        if role == Qt.ItemDataRole.TextAlignmentRole and column == "row":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None
