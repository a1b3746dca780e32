"""Table models of the incidents dock: the incidents found, an incident's linked items (with their pictures) and
its notes; and pictures decoded straight at the size shown."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QBrush, QColor

from console.core.vntime import format_vn_ms
from console.incidents.model import Incident, IncidentStatus, Note
from console.ui.incidents.case_items import CaseItem
from console.ui.incidents.words import IncidentWords
from console.ui.widgets.overrides import qt_override
from console.ui.widgets.picture_cache import PictureCache
from console.ui.widgets.rows_model import Index, RowsModel

ITEM_THUMB = QSize(64, 36)  # the alarm list's thumbnail size: the same row height in both docks
ITEM_ROW_HEIGHT_PX = ITEM_THUMB.height() + 6
CLOSED_COLOR = QColor("#6b6b6b")


class IncidentListModel(RowsModel[Incident]):
    COLUMNS = ("id", "title", "status", "place", "time")  # kind and officers: in the incident's details

    def __init__(self, words: IncidentWords) -> None:
        super().__init__()
        self._words = words

    def headers(self) -> list[str]:
        return [self.tr("No."), self.tr("Title"), self.tr("Status"), self.tr("Place"), self.tr("Time")]

    def row_of(self, incident_id: int) -> int | None:
        return next((i for i, row in enumerate(self._rows) if row.id == incident_id), None)

    def text(self, incident: Incident, column: str) -> str:
        words = self._words
        return {
            "id": str(incident.id),
            "title": incident.title,
            "status": words.status(incident.status),
            "place": words.place(incident.place),
            "time": words.when(incident),
        }[column]

    @qt_override
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        incident = self.row_at(index.row())
        if incident is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(incident, self.COLUMNS[index.column()])
        if role == Qt.ItemDataRole.ForegroundRole and incident.status is IncidentStatus.CLOSED:
            return QBrush(CLOSED_COLOR)
        if role == Qt.ItemDataRole.UserRole:
            return incident.id
        return None


class CaseItemsModel(RowsModel[CaseItem]):
    COLUMNS = ("picture", "kind", "item", "added")

    def __init__(self, pictures: PictureCache) -> None:
        super().__init__()
        self._pictures = pictures

    def headers(self) -> list[str]:
        return [self.tr("Picture"), self.tr("Item"), self.tr("Details"), self.tr("Linked")]

    @qt_override
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.row_at(index.row())
        if item is None:
            return None
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return {"picture": "", "kind": item.kind_text, "item": item.text,
                    "added": self.tr("{time} by {officer}").format(time=format_vn_ms(item.added_ms),
                                                                   officer=item.added_by)}[column]
        if role == Qt.ItemDataRole.DecorationRole and column == "picture" and item.pictures:
            return self._pictures.get(item.pictures[0], ITEM_THUMB)
        if role == Qt.ItemDataRole.SizeHintRole and column == "picture":
            return ITEM_THUMB
        if role == Qt.ItemDataRole.ToolTipRole and item.details:
            return item.details
        if role == Qt.ItemDataRole.UserRole:
            return item.link_id
        return None


class NotesModel(RowsModel[Note]):
    COLUMNS = ("time", "author", "text")

    def headers(self) -> list[str]:
        return [self.tr("Time"), self.tr("Officer"), self.tr("Note")]

    @qt_override
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        note = self.row_at(index.row())
        if note is None or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        column = self.COLUMNS[index.column()]
        if column == "time":
            return format_vn_ms(note.at_ms)
        if column == "author":
            return note.author
        return note.text if role == Qt.ItemDataRole.ToolTipRole else note.text.replace("\n", " · ")
