"""The words of the bookmarks' room: a range's length, who made a bookmark, the periods of the search."""

from __future__ import annotations

from PySide6.QtCore import QObject


class BookmarkWords(QObject):
    """One instance per room; every sentence through `self.tr` (the lupdate context is this class)."""

    def duration(self, duration_ms: int) -> str:
        seconds = max(1, round(duration_ms / 1000))
        if seconds < 60:
            return self.tr("{seconds} s").format(seconds=seconds)
        if seconds < 3600:
            return self.tr("{minutes} min {seconds} s").format(minutes=seconds // 60, seconds=seconds % 60)
        return self.tr("{hours} h {minutes} min").format(hours=seconds // 3600, minutes=seconds // 60 % 60)

    def alert_name(self, alert_id: int, kind: str) -> str:
        """A bookmark made on an alert is first named after it."""
        return self.tr("Alert no. {number}: {kind}").format(number=alert_id, kind=kind)

    def saved(self, name: str) -> str:
        return self.tr("Bookmark saved: {name}").format(name=name)
