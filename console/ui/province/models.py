"""Table models of the province window: the cross-commune alert list (the commune's columns with the commune
added; unacknowledged rows tinted, high priority in red, as in the commune's list) and the counts per day,
commune and kind."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt

from console.core.alerts import AlertState, Priority
from console.core.vntime import format_vn_ms
from console.province.queries import AlertCount, ProvinceAlert
from console.ui.alerts.model import HIGH_COLOR, NEW_BACKGROUND
from console.ui.province.words import kind_words, priority_words, state_words
from console.ui.widgets.rows_model import Index, RowsModel


class ProvinceAlertModel(RowsModel[ProvinceAlert]):
    COLUMNS = ("time", "commune", "kind", "camera", "site", "priority", "state", "note")

    def __init__(self, names: Mapping[str, str]) -> None:
        super().__init__()
        self._names = dict(names)

    def headers(self) -> list[str]:
        return [self.tr("Time"), self.tr("Commune"), self.tr("Alert"), self.tr("Camera"), self.tr("Site"),
                self.tr("Priority"), self.tr("State"), self.tr("Note")]

    def commune_name(self, commune: str) -> str:
        return self._names.get(commune, commune)

    def text(self, row: ProvinceAlert, column: str) -> str:
        values = {
            "time": lambda: format_vn_ms(row.started_ms),
            "commune": lambda: self.commune_name(row.commune),
            "kind": lambda: kind_words(row.kind),
            "camera": lambda: row.camera or "—",
            "site": lambda: row.site or "—",
            "priority": lambda: priority_words(row.priority),
            "state": lambda: state_words(row.state),
            "note": lambda: row.note.replace("\n", " · "),
        }
        return values[column]()

    def find(self, commune: str, alert_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if (r.commune, r.alert_id) == (commune, alert_id)), None)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row())
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, self.COLUMNS[index.column()])
        if role == Qt.ItemDataRole.BackgroundRole and row.state == AlertState.NEW.value:
            return NEW_BACKGROUND
        if role == Qt.ItemDataRole.ForegroundRole and row.priority >= Priority.HIGH:
            return HIGH_COLOR
        return None


class CountsModel(RowsModel[AlertCount]):
    COLUMNS = ("day", "commune", "kind", "count")

    def __init__(self, names: Mapping[str, str]) -> None:
        super().__init__()
        self._names = dict(names)

    def headers(self) -> list[str]:
        return [self.tr("Day"), self.tr("Commune"), self.tr("Alert"), self.tr("Count")]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row())
        if row is None:
            return None
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == "count":
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == "day":  # stored as YYYY-MM-DD (Vietnam time); the officers read dd/MM/yyyy
            year, month, day = row.day.split("-")
            return f"{day}/{month}/{year}"
        if column == "commune":
            return self._names.get(row.commune, row.commune)
        if column == "kind":
            return kind_words(row.kind)
        return str(row.count)
