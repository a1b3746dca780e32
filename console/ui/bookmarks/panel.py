"""*Danh sách đánh dấu*: the bookmarks found by words without diacritics, a tag, a camera and a period; a click plays
from the bookmark's start; edit, delete, add to an incident, export (as a clip). Every change goes through
`Bookmarks`, which checks the officer on duty and audits it; a refusal is shown in the panel's own line."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.bookmarks.model import Bookmark, BookmarkDraft, BookmarkQuery, tags_text
from console.bookmarks.service import Bookmarks
from console.core.vntime import format_vn_ms, now_ms
from console.ui.bookmarks.attempt import attempt
from console.ui.bookmarks.dialog import BookmarkDialog
from console.ui.bookmarks.incident_picker import IncidentPicker
from console.ui.bookmarks.words import BookmarkWords
from console.ui.incidents.attempt import Refused
from console.ui.widgets.time_edit import VnTimeEdit

TYPING_PAUSE_MS = 250  # a search per pause in typing, not per key
PERIODS_H = (0, 24, 24 * 7, 24 * 30)  # 0: any time
CUSTOM_PERIOD = -1
DEFAULT_CUSTOM_MS = 7 * 24 * 3600 * 1000
ERROR_STYLE = "QLabel#bookmarksMessage { color: #c92a2a; }"
COLUMNS = ("name", "camera", "from", "duration", "tags", "by")
NAME_COLUMN_PX = 180


class BookmarksPanel(QWidget):
    play_requested = Signal(str, object)  # camera id, ms (object: epoch ms overflow a C int)
    export_requested = Signal(object)  # a Bookmark: exported as a clip, as playback exports
    changed = Signal()  # a bookmark saved, deleted or added to an incident: the timeline's marks redraw

    def __init__(self, bookmarks: Bookmarks, cameras: Mapping[str, str], parent: QWidget | None = None) -> None:
        """`cameras`: id → label, in the site file's order."""
        super().__init__(parent)
        self.setObjectName("bookmarksPanel")
        self.bookmarks = bookmarks
        self.cameras = dict(cameras)
        self.words = BookmarkWords(self)
        self.shown: list[Bookmark] = []
        self.dialog: BookmarkDialog | None = None
        self.picker: IncidentPicker | None = None
        self.confirm: Callable[[str], bool] = self._ask
        self._build_search()
        self.list = QTreeWidget(self)
        self.list.setObjectName("bookmarkList")
        self.list.setHeaderLabels([self.tr("Name"), self.tr("Camera"), self.tr("From (UTC+7)"), self.tr("Length"),
                                   self.tr("Tags"), self.tr("By")])
        self.list.setRootIsDecorated(False)
        self.list.setColumnWidth(0, NAME_COLUMN_PX)
        self.list.itemClicked.connect(lambda item, _column: self._play(item))
        self.list.itemActivated.connect(lambda item, _column: self._play(item))
        self.list.currentItemChanged.connect(lambda *_: self._enable())
        self.message = QLabel(self)
        self.message.setObjectName("bookmarksMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        self.edit_button = self._button(self.tr("Edit…"), "bookmarkEditButton", self.edit_selected)
        self.delete_button = self._button(self.tr("Delete"), "bookmarkDeleteButton", self.delete_selected)
        self.incident_button = self._button(self.tr("Add to incident…"), "bookmarkIncidentButton",
                                            self.add_selected_to_incident)
        self.incident_button.setVisible(bookmarks.incidents is not None)
        self.export_button = self._button(self.tr("Export…"), "bookmarkExportButton", self.export_selected)
        self.export_button.setToolTip(self.tr("The bookmark's range as evidence: the MP4, its hash and the record"))
        actions = QHBoxLayout()
        for button in (self.edit_button, self.delete_button, self.incident_button, self.export_button):
            actions.addWidget(button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.search_grid)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.message)
        layout.addLayout(actions)
        self.refresh()

    def _button(self, text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _build_search(self) -> None:
        self.text = QLineEdit(self)
        self.text.setObjectName("bookmarkSearch")
        self.text.setPlaceholderText(self.tr("Search (no diacritics needed): name, tags, note"))
        self.text.setClearButtonEnabled(True)
        self.tag = QComboBox(self)
        self.tag.setObjectName("bookmarkTagFilter")
        self.camera = QComboBox(self)
        self.camera.setObjectName("bookmarkCameraFilter")
        self.camera.addItem(self.tr("All cameras"), None)
        for camera_id, label in self.cameras.items():
            self.camera.addItem(label, camera_id)
        self.period = QComboBox(self)
        self.period.setObjectName("bookmarkPeriod")
        for hours, text in zip(PERIODS_H, (self.tr("Any time"), self.tr("Last 24 hours"), self.tr("Last 7 days"),
                                           self.tr("Last 30 days")), strict=True):
            self.period.addItem(text, hours)
        self.period.addItem(self.tr("From … to …"), CUSTOM_PERIOD)
        now = now_ms()
        self.since = VnTimeEdit(now - DEFAULT_CUSTOM_MS, self)
        self.since.setObjectName("bookmarkSince")
        self.until = VnTimeEdit(now, self)
        self.until.setObjectName("bookmarkUntil")
        self._fill_tags()
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(TYPING_PAUSE_MS)
        self._pause.timeout.connect(self.refresh)
        self.text.textChanged.connect(self._pause.start)
        self.text.returnPressed.connect(self.refresh)
        for combo in (self.tag, self.camera, self.period):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        for moment in (self.since, self.until):
            moment.editingFinished.connect(self.refresh)
        grid = QGridLayout()
        grid.addWidget(self.text, 0, 0, 1, 2)
        grid.addWidget(self.tag, 1, 0)
        grid.addWidget(self.camera, 1, 1)
        grid.addWidget(self.period, 2, 0, 1, 2)
        grid.addWidget(self.since, 3, 0)
        grid.addWidget(self.until, 3, 1)
        self.search_grid = grid
        self._period_shown()

    def _fill_tags(self) -> None:
        chosen = self.tag.currentData()
        blocked = self.tag.blockSignals(True)
        self.tag.clear()
        self.tag.addItem(self.tr("All tags"), None)
        known = attempt(self.bookmarks.tags)
        for tag in known if not isinstance(known, Refused) else []:
            self.tag.addItem(tag, tag)
        self.tag.setCurrentIndex(max(0, self.tag.findData(chosen)) if chosen is not None else 0)
        self.tag.blockSignals(blocked)

    def _period_shown(self) -> None:
        custom = self.period.currentData() == CUSTOM_PERIOD
        self.since.setVisible(custom)
        self.until.setVisible(custom)

    # --- finding ----------------------------------------------------------------------------------------

    def query(self) -> BookmarkQuery:
        hours = int(self.period.currentData())
        since = until = None
        if hours == CUSTOM_PERIOD:
            since, until = self.since.ms(), self.until.ms()
        elif hours:
            since = now_ms() - hours * 3600 * 1000
        return BookmarkQuery(text=self.text.text().strip(), tag=str(self.tag.currentData() or ""),
                             camera_id=self.camera.currentData(), since_ms=since, until_ms=until)

    def refresh(self, select: int | None = None) -> None:
        """Search again; `select` (else the bookmark chosen now) stays chosen if found."""
        self._pause.stop()
        self._period_shown()
        wanted = select if select is not None else (chosen.id if (chosen := self.selected()) else None)
        found = attempt(lambda: self.bookmarks.search(self.query()))
        if isinstance(found, Refused):
            self.say(found.message, error=True)
            found = []
        self.shown = found
        self.list.clear()
        for bookmark in found:
            item = QTreeWidgetItem([bookmark.name, self.cameras.get(bookmark.camera_id, bookmark.camera_id),
                                    format_vn_ms(bookmark.from_ms), self.words.duration(bookmark.duration_ms),
                                    tags_text(bookmark.tags), bookmark.created_by])
            item.setData(0, Qt.ItemDataRole.UserRole, bookmark.id)
            item.setToolTip(0, bookmark.note or bookmark.name)
            self.list.addTopLevelItem(item)
            if bookmark.id == wanted:
                self.list.setCurrentItem(item)
        self._enable()

    def selected(self) -> Bookmark | None:
        item = self.list.currentItem()
        if item is None:
            return None
        bookmark_id = item.data(0, Qt.ItemDataRole.UserRole)
        return next((b for b in self.shown if b.id == bookmark_id), None)

    def _enable(self) -> None:
        chosen = self.selected() is not None
        for button in (self.edit_button, self.delete_button, self.incident_button, self.export_button):
            button.setEnabled(chosen)

    def _play(self, item: QTreeWidgetItem) -> None:
        bookmark = next((b for b in self.shown if b.id == item.data(0, Qt.ItemDataRole.UserRole)), None)
        if bookmark is not None:
            self.play_requested.emit(bookmark.camera_id, bookmark.from_ms)

    def say(self, text: str, error: bool = False) -> None:
        """The panel's line: what was done, or why not."""
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setVisible(bool(text))

    # --- the officer's actions --------------------------------------------------------------------------

    def new_bookmark(self, draft: BookmarkDraft, parent: QWidget | None = None) -> BookmarkDialog:
        """The dialog on a draft range (playback's moment); saved, it is listed and chosen."""
        return self._open(draft, None, parent)

    def edit_selected(self) -> BookmarkDialog | None:
        bookmark = self.selected()
        if bookmark is None:
            return None
        draft = BookmarkDraft(bookmark.camera_id, bookmark.from_ms, bookmark.to_ms, bookmark.name, bookmark.tags,
                              bookmark.note)
        return self._open(draft, bookmark, None)

    def _open(self, draft: BookmarkDraft, editing: Bookmark | None, parent: QWidget | None) -> BookmarkDialog:
        if self.dialog is not None:
            self.dialog.close()
        known = attempt(self.bookmarks.tags)
        dialog = BookmarkDialog(parent or self, self.cameras.get(draft.camera_id, draft.camera_id), draft,
                                lambda wanted: self._store(wanted, editing),
                                known if not isinstance(known, Refused) else (), editing)
        dialog.finished.connect(lambda _code: self._dialog_gone(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _dialog_gone(self, dialog: BookmarkDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _store(self, draft: BookmarkDraft, editing: Bookmark | None) -> Bookmark | Refused:
        if editing is None:
            done = attempt(lambda: self.bookmarks.create(draft))
        else:
            done = attempt(lambda: self.bookmarks.edit(replace(editing, from_ms=draft.from_ms, to_ms=draft.to_ms,
                                                               name=draft.name, tags=draft.tags, note=draft.note)))
        if not isinstance(done, Refused):
            self._changed(done.id, self.tr("Bookmark saved: {name}").format(name=done.name))
        return done

    def delete_selected(self) -> Bookmark | None:
        bookmark = self.selected()
        if bookmark is None or not self.confirm(self.tr("Delete the bookmark “{name}”? An incident it was added to "
                                                        "keeps its recording.").format(name=bookmark.name)):
            return None
        done = attempt(lambda: self.bookmarks.delete(bookmark.id))
        if isinstance(done, Refused):
            self.say(done.message, error=True)
            return None
        self._changed(None, self.tr("Bookmark deleted: {name}").format(name=done.name))
        return done

    def add_selected_to_incident(self) -> IncidentPicker | None:
        bookmark = self.selected()
        if bookmark is None:
            return None
        if self.picker is not None:
            self.picker.close()
        picker = IncidentPicker(self, self.bookmarks.open_incidents,
                                self.tr("The recording of “{name}” is added to the incident chosen.").format(
                                    name=bookmark.name))
        if bookmark.incident_id is not None:
            picker.choose(bookmark.incident_id)
        picker.accepted.connect(lambda: self._add_to(bookmark, picker.chosen()))
        picker.finished.connect(lambda _code: self._picker_gone(picker))
        self.picker = picker
        picker.open()
        return picker

    def _picker_gone(self, picker: IncidentPicker) -> None:
        if self.picker is picker:
            self.picker = None
        picker.deleteLater()

    def _add_to(self, bookmark: Bookmark, incident_id: int | None) -> None:
        if incident_id is None:
            return
        done = attempt(lambda: self.bookmarks.add_to_incident(bookmark.id, incident_id))
        if isinstance(done, Refused):
            self.say(done.message, error=True)
            return
        self._changed(done.id, self.tr("“{name}” added to incident no. {number}").format(name=done.name,
                                                                                         number=incident_id))

    def export_selected(self) -> Bookmark | None:
        bookmark = self.selected()
        if bookmark is not None:
            self.export_requested.emit(bookmark)
        return bookmark

    def _changed(self, select: int | None, said: str) -> None:
        self._fill_tags()
        self.refresh(select)
        self.say(said)
        self.changed.emit()

    def _ask(self, question: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Delete the bookmark"), question,
                          QMessageBox.StandardButton.NoButton, self)
        delete = box.addButton(self.tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is delete
