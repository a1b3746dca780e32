"""*Đánh dấu* / *Sửa đánh dấu*: the name, tags, note and time range of one camera's recording; kept open with the
reason when the bookmarks refuse it."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from console.bookmarks.model import Bookmark, BookmarkDraft, parse_tags, tags_text
from console.ui.bookmarks.words import BookmarkWords
from console.ui.incidents.attempt import Refused
from console.ui.widgets.time_edit import VnTimeEdit

ERROR_STYLE = "QLabel#bookmarkMessage { color: #c92a2a; }"
NOTE_HEIGHT_PX = 90

Save = Callable[[BookmarkDraft], Bookmark | Refused]


class BookmarkDialog(QDialog):
    def __init__(self, parent: QWidget | None, camera_label: str, draft: BookmarkDraft, save: Save,
                 known_tags: Sequence[str] = (), editing: Bookmark | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bookmarkDialog")
        self.setWindowTitle(self.tr("Bookmark") if editing is None else self.tr("Edit the bookmark"))
        self.setMinimumWidth(480)
        self.camera_id = draft.camera_id
        self.editing = editing
        self.saved: Bookmark | None = None
        self.words = BookmarkWords(self)
        self._save = save
        self.name_edit = QLineEdit(draft.name, self)
        self.name_edit.setObjectName("bookmarkName")
        self.name_edit.setPlaceholderText(self.tr("What is seen (required)"))
        self.tags_edit = QLineEdit(tags_text(draft.tags), self)
        self.tags_edit.setObjectName("bookmarkTags")
        self.tags_edit.setPlaceholderText(self.tr("Separated by commas, e.g. school gate, motorbike"))
        if known_tags:
            self.tags_edit.setToolTip(self.tr("Tags in use: {tags}").format(tags=tags_text(known_tags)))
        self.note_edit = QPlainTextEdit(draft.note, self)
        self.note_edit.setObjectName("bookmarkNote")
        self.note_edit.setFixedHeight(NOTE_HEIGHT_PX)
        self.start = VnTimeEdit(draft.from_ms, self)
        self.start.setObjectName("bookmarkFrom")
        self.end = VnTimeEdit(draft.to_ms, self)
        self.end.setObjectName("bookmarkTo")
        self.message = QLabel(self)
        self.message.setObjectName("bookmarkMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        form = QFormLayout()
        form.addRow(self.tr("Camera"), QLabel(camera_label, self))
        form.addRow(self.tr("From (UTC+7)"), self.start)
        form.addRow(self.tr("To (UTC+7)"), self.end)
        form.addRow(self.tr("Name"), self.name_edit)
        form.addRow(self.tr("Tags"), self.tags_edit)
        form.addRow(self.tr("Note"), self.note_edit)
        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton(self.tr("Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("bookmarkSave")
        self.save_button.setDefault(True)
        buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.name_edit.setFocus()
        self.name_edit.selectAll()

    def draft(self) -> BookmarkDraft:
        return BookmarkDraft(self.camera_id, self.start.ms(), self.end.ms(), self.name_edit.text(),
                             parse_tags(self.tags_edit.text()), self.note_edit.toPlainText())

    def save(self) -> Bookmark | None:
        """Saved through the bookmarks (the dialog closes), or kept open with the reason they give."""
        done = self._save(self.draft())
        if isinstance(done, Refused):
            self.message.setText(done.message)
            self.message.show()
            return None
        self.saved = done
        self.accept()
        return done
