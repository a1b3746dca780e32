"""*Đánh dấu* in the playback window: the button and Ctrl+B (a bookmark on the moment shown), the list beside the
picture (shown by its own button; a click plays from the bookmark's start) and the bookmarks' marks on the
timeline."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QPushButton, QWidget

from console.bookmarks.model import Bookmark, BookmarkDraft
from console.bookmarks.service import Bookmarks, playback_range
from console.core.recording import TimeRange
from console.ui.bookmarks.attempt import attempt
from console.ui.bookmarks.dialog import BookmarkDialog
from console.ui.bookmarks.panel import BookmarksPanel
from console.ui.incidents.attempt import Refused
from console.ui.playback.export_dialog import ExportDialog

PANEL_WIDTH_PX = 460
SHORTCUT = "Ctrl+B"

Mark = tuple[int, int, str]  # from ms, to ms, name


class PlaybackBookmarks(QObject):
    def __init__(self, window: QWidget, bookmarks: Bookmarks, cameras: Mapping[str, str],
                 where: Callable[[], tuple[str, int]], play: Callable[[str, int], None],
                 export: Callable[[str, TimeRange], ExportDialog]) -> None:
        """`where()`: the camera and moment shown; `play(camera, ms)` plays there; `export(camera, range)` opens
        the evidence export on a range (the window's own)."""
        super().__init__(window)
        self.window = window
        self.bookmarks = bookmarks
        self._where = where
        self._export = export
        self.panel = BookmarksPanel(bookmarks, cameras, window)
        self.panel.setMinimumWidth(PANEL_WIDTH_PX)
        self.panel.hide()
        self.panel.play_requested.connect(lambda camera_id, at_ms: play(str(camera_id), int(at_ms)))
        self.panel.export_requested.connect(self.export)
        self.add_button = QPushButton(self.tr("Bookmark…"), window)
        self.add_button.setObjectName("playbackBookmark")
        self.add_button.setToolTip(self.tr("Name, tags and a note on the recording around this moment ({key})")
                                   .format(key=SHORTCUT))
        self.add_button.clicked.connect(lambda _checked=False: self.bookmark_here())
        self.list_button = QPushButton(self.tr("Bookmarks"), window)
        self.list_button.setObjectName("playbackBookmarks")
        self.list_button.setCheckable(True)
        self.list_button.toggled.connect(self.show_list)
        QShortcut(QKeySequence(SHORTCUT), window, self.bookmark_here)

    def show_list(self, shown: bool = True) -> None:
        self.panel.setVisible(shown)
        if shown:
            self.panel.refresh()
        if self.list_button.isChecked() != shown:
            self.list_button.setChecked(shown)

    def bookmark_here(self) -> BookmarkDialog:
        """The dialog on the moment shown: from a little before it to a little after, the officer widens it."""
        camera_id, at_ms = self._where()
        span = playback_range(at_ms)
        return self.panel.new_bookmark(BookmarkDraft(camera_id, span.start_ms, span.end_ms, ""), self.window)

    def marks(self, camera_id: str, start_ms: int, end_ms: int) -> list[Mark]:
        found = attempt(lambda: self.bookmarks.on_timeline(camera_id, start_ms, end_ms))
        return [] if isinstance(found, Refused) else [(b.from_ms, b.to_ms, b.name) for b in found]

    def export(self, bookmark: Bookmark) -> ExportDialog:
        """The bookmark's range through playback's evidence export (the same MP4, hash, record and signature);
        the incident it was added to is the record's case number."""
        dialog = self._export(bookmark.camera_id, bookmark.span)
        if bookmark.incident_id is not None:
            dialog.case_number.setText(str(bookmark.incident_id))
        return dialog
