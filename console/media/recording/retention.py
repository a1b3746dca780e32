"""Retention: which segments go (age, space, the folder's share of the disk), never what an open alert or a
running export holds."""

from __future__ import annotations

import contextlib
import logging
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from console.core import vntime
from console.core.recording import RecordingSettings, SegmentIndex, SegmentRow, retention_victims

log = logging.getLogger(__name__)

RETENTION_WINDOW = 2000  # oldest closed segments looked at per retention pass


def apply_retention(index: SegmentIndex, root: Path, settings: RecordingSettings,
                    now_ms: int | None = None, deleted: Callable[[Sequence[SegmentRow]], None] | None = None) -> int:
    """Delete what the retention rules choose (files, then rows); returns how many segments went, and tells
    `deleted` which (the audit trail's rows)."""
    now_ms = vntime.now_ms() if now_ms is None else now_ms
    free = shutil.disk_usage(root).free if root.exists() else settings.min_free_bytes
    oldest = index.oldest_closed(RETENTION_WINDOW)
    victims = retention_victims(oldest, now_ms, settings, index.used_bytes(), free,
                                held=index.held_ranges(now_ms))
    for row in victims:
        path = root / row.path
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        with contextlib.suppress(OSError):
            path.parent.rmdir()  # the day's folder, once empty
    index.delete_segments([row.id for row in victims])
    if victims and deleted is not None:
        deleted(victims)
    if victims:
        log.info("retention: %d segments deleted (%d bytes)", len(victims), sum(r.bytes for r in victims))
    return len(victims)
