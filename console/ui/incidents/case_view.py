"""One incident on screen: its facts, its linked items (a video's thumbnail strip under them), its notes in order
and the box to write a new one. Shows; the dock acts."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from console.incidents.model import LinkKind
from console.incidents.service import CaseFile
from console.ui.incidents.case_items import CaseItem
from console.ui.incidents.models import ITEM_ROW_HEIGHT_PX, CaseItemsModel, NotesModel
from console.ui.incidents.words import IncidentWords
from console.ui.widgets.picture_cache import PictureCache

STRIP_PICTURE = QSize(112, 63)
STRIP_PICTURES = 8  # the intake makes 8 thumbnails
STRIP_COLUMNS = 2  # 4 rows of 63 px: the dock is ~380 px high at the bottom of the window
NOTE_BOX_HEIGHT_PX = 56
ITEMS_TAB, NOTES_TAB = 0, 1


class VideoStrip(QWidget):
    """The pictures of the item chosen in the list: a video's thumbnail strip, a snapshot, a plate's crop."""

    def __init__(self, pictures: PictureCache, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pictures = pictures
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(2)
        self.labels = [QLabel(self) for _ in range(STRIP_PICTURES)]
        for number, label in enumerate(self.labels):
            label.setFixedSize(STRIP_PICTURE)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(label, number // STRIP_COLUMNS, number % STRIP_COLUMNS)
        grid.setRowStretch(STRIP_PICTURES // STRIP_COLUMNS, 1)
        grid.setColumnStretch(STRIP_COLUMNS, 1)
        self.show_item(None)

    def show_item(self, item: CaseItem | None) -> None:
        paths = list(item.pictures[:STRIP_PICTURES]) if item is not None else []
        shown = 0
        for number, label in enumerate(self.labels):
            picture = self._pictures.get(paths[number], STRIP_PICTURE) if number < len(paths) else None
            if picture is None:
                label.clear()
            else:
                label.setPixmap(picture)
                shown += 1
            label.setVisible(picture is not None)
        self.setVisible(shown > 0)

    def shown(self) -> int:
        """How many pictures are on screen."""
        return sum(1 for label in self.labels if not label.isHidden() and not label.pixmap().isNull())


class CaseView(QWidget):
    item_activated = Signal(object)  # a CaseItem double-clicked: the dock plays it or shows it on the map
    note_written = Signal(str)  # *Thêm ghi chú* with the box's text
    read_plate_requested = Signal(object)  # *Đọc biển số…* on a linked snapshot (a CaseItem): the dock opens it

    def __init__(self, words: IncidentWords, pictures: PictureCache, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._words = words
        self.case: CaseFile | None = None
        self.title = QLabel(self)
        self.title.setObjectName("incidentTitle")
        self.title.setWordWrap(True)
        self.title.setStyleSheet("QLabel#incidentTitle { font-weight: bold; font-size: 12pt; }")
        self.facts = {key: QLabel(self) for key in ("kind", "status", "place", "time", "officers", "opened")}
        for key, label in self.facts.items():
            label.setObjectName(f"incident_{key}")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.items_model = CaseItemsModel(pictures)
        self.items = _table(self, self.items_model, "incidentItems", ITEM_ROW_HEIGHT_PX)
        self.items.doubleClicked.connect(self._activated)
        self.items.selectionModel().currentRowChanged.connect(self._item_chosen)
        self.strip = VideoStrip(pictures, self)
        self.strip_details = QLabel(self)
        self.strip_details.setObjectName("itemDetails")
        self.strip_details.setWordWrap(True)
        self.strip_details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.offer_plates: Callable[[], bool] = lambda: False  # the dock says whether plates can be read here
        self.read_plate = QPushButton(self.tr("Read plate…"), self)
        self.read_plate.setObjectName("readPlateButton")
        self.read_plate.clicked.connect(self._read_plate)
        self.notes_model = NotesModel()
        self.notes = _table(self, self.notes_model, "incidentNotes", None)
        self.note_edit = QPlainTextEdit(self)
        self.note_edit.setObjectName("noteEdit")
        self.note_edit.setPlaceholderText(self.tr("A new note: what was seen, said or done (kept as written, never "
                                                  "edited)"))
        self.note_edit.setFixedHeight(NOTE_BOX_HEIGHT_PX)
        self.add_note = QPushButton(self.tr("Add a note"), self)
        self.add_note.setObjectName("addNoteButton")
        self.add_note.clicked.connect(self._write_note)
        self.note_edit.textChanged.connect(self._note_typed)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("caseTabs")
        self._lay_out()
        self.show_case(None, [])

    def _lay_out(self) -> None:
        facts = QGridLayout()
        facts.setContentsMargins(0, 0, 0, 0)
        facts.setHorizontalSpacing(12)
        for number, (key, name) in enumerate((("kind", self.tr("Kind")), ("status", self.tr("Status")),
                                              ("place", self.tr("Place")), ("time", self.tr("Time")),
                                              ("officers", self.tr("Officers")), ("opened", ""))):
            row, pair = divmod(number, 2)
            facts.addWidget(QLabel(name, self), row, pair * 2)
            facts.addWidget(self.facts[key], row, pair * 2 + 1)
        facts.setColumnStretch(1, 1)
        facts.setColumnStretch(3, 1)
        items_row = QHBoxLayout()
        items_row.addWidget(self.items, 1)
        items_row.addWidget(self.strip, 0, Qt.AlignmentFlag.AlignTop)
        items_page = QWidget(self)
        items_column = QVBoxLayout(items_page)
        items_column.setContentsMargins(0, 0, 0, 0)
        items_column.addLayout(items_row, 1)
        items_column.addWidget(self.strip_details)
        items_column.addWidget(self.read_plate, 0, Qt.AlignmentFlag.AlignLeft)
        note_row = QHBoxLayout()
        note_row.addWidget(self.note_edit, 1)
        note_row.addWidget(self.add_note, 0, Qt.AlignmentFlag.AlignBottom)
        notes_page = QWidget(self)
        notes_column = QVBoxLayout(notes_page)
        notes_column.setContentsMargins(0, 0, 0, 0)
        notes_column.addWidget(self.notes, 1)
        notes_column.addLayout(note_row)
        self.tabs.addTab(items_page, "")
        self.tabs.addTab(notes_page, "")
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.title)
        column.addLayout(facts)
        column.addWidget(self.tabs, 1)

    def show_case(self, case: CaseFile | None, items: list[CaseItem]) -> None:
        """Show `case` (None: nothing chosen); the note being written stays when the same incident is shown again."""
        same = case is not None and self.case is not None and case.incident.id == self.case.incident.id
        chosen = self.chosen_item()
        self.case = case
        words = self._words
        if case is None:
            self.title.setText(self.tr("Choose an incident in the list, or open a new one"))
            for label in self.facts.values():
                label.clear()
        else:
            incident = case.incident
            self.title.setText(self.tr("No. {number}: {title}").format(number=incident.id, title=incident.title))
            self.facts["kind"].setText(words.kind(incident.kind))
            self.facts["status"].setText(words.status(incident.status))
            self.facts["place"].setText(words.place(incident.place))
            self.facts["time"].setText(words.time_range(incident.start_ms, incident.end_ms))
            self.facts["officers"].setText(", ".join(incident.officers) or "—")
            self.facts["opened"].setText(words.opened(incident))
        self.items_model.set_rows(items)
        self.notes_model.set_rows(case.notes if case is not None else ())
        self.tabs.setTabText(ITEMS_TAB, self.tr("Linked items ({count})").format(count=len(items)))
        self.tabs.setTabText(NOTES_TAB, self.tr("Notes ({count})").format(count=self.notes_model.rowCount()))
        if self.notes_model.rowCount():
            self.notes.scrollToBottom()
        if not same:
            self.note_edit.clear()
        self.choose_item(chosen.link_id if same and chosen is not None else None)
        self.note_edit.setEnabled(case is not None)
        self._note_typed()

    def chosen_item(self) -> CaseItem | None:
        return self.items_model.row_at(self.items.currentIndex().row())

    def choose_item(self, link_id: int | None) -> None:
        rows = self.items_model.rows()
        row = next((i for i, item in enumerate(rows) if item.link_id == link_id), None)
        if row is None:
            self.items.clearSelection()
            self.items.setCurrentIndex(QModelIndex())
            self._show_pictures(None)
            return
        self.items.selectRow(row)
        self._show_pictures(rows[row])

    def _item_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_pictures(self.items_model.row_at(current.row()))

    def _show_pictures(self, item: CaseItem | None) -> None:
        self.strip.show_item(item)
        self.strip_details.setText(" · ".join(item.details.splitlines()) if item is not None else "")
        self.strip_details.setVisible(bool(item is not None and item.details))
        self.read_plate.setVisible(item is not None and item.kind is LinkKind.SNAPSHOT and bool(item.pictures)
                                   and self.offer_plates())

    def _read_plate(self) -> None:
        item = self.chosen_item()
        if item is not None and item.pictures:
            self.read_plate_requested.emit(item)

    def _activated(self, index: QModelIndex) -> None:
        item = self.items_model.row_at(index.row())
        if item is not None:
            self.item_activated.emit(item)

    def _note_typed(self) -> None:
        self.add_note.setEnabled(self.case is not None and bool(self.note_edit.toPlainText().strip()))

    def _write_note(self) -> None:
        text = self.note_edit.toPlainText().strip()
        if text:
            self.note_written.emit(text)

    def note_kept(self) -> None:
        """The note was stored: the box is cleared for the next one."""
        self.note_edit.clear()


def _table(parent: QWidget, model: CaseItemsModel | NotesModel, name: str, row_height: int | None) -> QTableView:
    table = QTableView(parent)
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    if row_height is not None:
        table.verticalHeader().setDefaultSectionSize(row_height)
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    for column in range(model.columnCount()):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(model.columnCount() - 2 if isinstance(model, CaseItemsModel) else
                                model.columnCount() - 1, QHeaderView.ResizeMode.Stretch)
    return table
