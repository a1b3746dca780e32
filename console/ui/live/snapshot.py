"""Snapshots: one picture at the stream's full resolution, saved as PNG off the GUI thread."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from console.audit.actions import AuditAction
from console.core.config import StreamKind
from console.core.paths import data_dir
from console.core.vntime import VN_TZ
from console.media.pool import StreamPool
from console.officers.guard import Officers
from console.officers.roles import Permission
from console.ui.live.feed import Feed, connect_feed, to_qimage

FULL_SIZE = 1 << 14  # a box larger than any camera: the decoder returns the source resolution
SNAPSHOT_TIMEOUT_MS = 5000


def snapshot_path(folder: Path, camera_id: str, when: datetime) -> Path:
    stamp = when.astimezone(VN_TZ).strftime("%Y%m%d-%H%M%S")
    path = folder / f"{camera_id}_{stamp}.png"
    counter = 1
    while path.exists():
        counter += 1
        path = folder / f"{camera_id}_{stamp}_{counter}.png"
    return path


class SnapshotTaker(QObject):
    saved = Signal(str)
    failed = Signal(str)

    def __init__(self, pool: StreamPool, parent: QObject | None = None, folder: Path | None = None,
                 officers: Officers | None = None) -> None:
        super().__init__(parent)
        self.officers = officers
        self._pool = pool
        self.folder = folder or data_dir() / "snapshots"
        self._pending: list[Feed] = []

    def take(self, camera_id: str, kind: StreamKind) -> None:
        """A picture of `camera_id` saved as PNG (`saved` or `failed`); refused (ActionRefusedError) to a role
        that may not take snapshots, recorded in the audit trail once saved."""
        if self.officers is not None:
            self.officers.require(Permission.SNAPSHOT, camera=camera_id)
        feed = Feed(self._pool, camera_id, kind)
        connect_feed(feed, lambda: self._frame(feed))
        self._pending.append(feed)
        feed.open(FULL_SIZE, FULL_SIZE)
        QTimer.singleShot(SNAPSHOT_TIMEOUT_MS, lambda: self._expire(feed))

    def _finish(self, feed: Feed) -> bool:
        if feed not in self._pending:
            return False
        self._pending.remove(feed)
        feed.close()
        return True

    def _frame(self, feed: Feed) -> None:
        image = feed.take()
        if image is None or not self._finish(feed):
            return
        picture = to_qimage(image).copy()  # owns its pixels: safe to hand to the saving thread
        path = snapshot_path(self.folder, feed.camera_id, datetime.now(UTC))
        camera_id = feed.camera_id

        def save() -> None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                ok = picture.save(str(path))  # PNG, from the suffix
            except OSError:
                ok = False
            if ok:
                if self.officers is not None:
                    self.officers.record(AuditAction.SNAPSHOT, camera=camera_id, target=str(path))
                self.saved.emit(str(path))
            else:
                self.failed.emit(camera_id)

        threading.Thread(target=save, name="snapshot", daemon=True).start()

    def _expire(self, feed: Feed) -> None:
        if self._finish(feed):
            self.failed.emit(feed.camera_id)
