"""*Đánh dấu* put into the main window: the playback window opened from now on has the bookmarks (button, list,
timeline marks), and the alert list's *Đánh dấu…* opens the bookmark dialog on the alert's recording."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QWidget

from console.bookmarks.model import BookmarkDraft
from console.bookmarks.service import Bookmarks, alert_range
from console.core.alerts import AlertKind
from console.incidents.service import AlertLike
from console.ui.alerts.text import kind_text
from console.ui.bookmarks.attempt import attempt
from console.ui.bookmarks.dialog import BookmarkDialog
from console.ui.incidents.attempt import Refused
from console.ui.shell.main_window import MainWindow

SAY_MS = 10_000


def install_bookmarks(window: MainWindow, bookmarks: Bookmarks) -> None:
    window.bookmarks = bookmarks  # read by open_playback when it builds the playback window
    center = window.alert_center
    if center is None:
        return
    labels = {c.id: c.label for c in window.config.cameras}

    def bookmark(alert: AlertLike) -> None:
        dialog = bookmark_alert(center.panel, bookmarks, labels, alert)
        dialog.accepted.connect(lambda: window.statusBar().showMessage(
            dialog.words.saved(dialog.saved.name if dialog.saved is not None else ""), SAY_MS))

    center.panel.bookmark_requested.connect(bookmark)


def bookmark_alert(parent: QWidget, bookmarks: Bookmarks, cameras: Mapping[str, str],
                   alert: AlertLike) -> BookmarkDialog:
    """The bookmark dialog on an alert of a camera: its recording from before the alert to after its end, named
    after it; saved, the bookmark keeps the alert's number."""
    span = alert_range(alert)
    camera_id = alert.camera_id or ""
    known = attempt(bookmarks.tags)
    dialog = BookmarkDialog(parent, cameras.get(camera_id, camera_id),
                            BookmarkDraft(camera_id, span.start_ms, span.end_ms, ""),
                            lambda draft: attempt(lambda: bookmarks.create_from_alert(alert, draft)),
                            known if not isinstance(known, Refused) else ())
    dialog.name_edit.setText(dialog.words.alert_name(alert.id, _kind(alert.kind)))
    dialog.name_edit.selectAll()
    dialog.finished.connect(lambda _code: dialog.deleteLater())
    dialog.open()
    return dialog


def _kind(kind: str) -> str:
    try:
        return kind_text(AlertKind(kind))
    except ValueError:  # a kind of a newer console
        return kind
