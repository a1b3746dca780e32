"""Alerts do not pile up pictures in memory: the alarm list's thumbnails keep thumbnails, nothing full-size."""

from __future__ import annotations

import ctypes
import gc
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPixmap

from console.core.alerts import AlertEvent, AlertKind
from console.core.config import SiteConfig
from console.core.vntime import now_ms
from console.media.analytics import SNAPSHOT_WIDTH
from console.store.alerts import AlertQuery, AlertStore, AlertWriter
from console.ui.alerts.model import THUMB, AlertTableModel
from console.ui.widgets.image_bytes import encoded
from tests.support.databases import OpenDb

ALERTS = 40
PICTURE_MB = SNAPSHOT_WIDTH * 360 * 4 / 2**20  # one analytics snapshot decoded (640×360 RGB32): 0.88 MB


def rss_mb() -> float:
    """Resident memory after a collection, with the freed heap handed back (what live objects hold)."""
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def snapshot(shade: int) -> bytes:
    picture = QImage(SNAPSHOT_WIDTH, 360, QImage.Format.Format_RGB32)
    picture.fill(QColor(shade, 120, 255 - shade))
    return encoded(picture)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc and glibc's malloc_trim")
def test_alarm_list_thumbnails_of_many_alerts_keep_no_full_size_picture(
    qapp: object, demo_site: SiteConfig, tmp_path: Path, open_db: OpenDb
) -> None:
    committed = threading.Event()
    writer = AlertWriter(tmp_path / "console.db", tmp_path / "alerts", committed=lambda _ids: committed.set())
    camera = demo_site.cameras[0]
    for i in range(ALERTS):
        writer.submit(
            AlertEvent(
                writer.next_id(),
                camera.id,
                camera.site_id,
                AlertKind.MOTION,
                now_ms() - i,
                0.9,
                "start",
                snapshot=snapshot(i * 6),
            )
        )
    writer.close()
    assert committed.is_set()
    database = open_db(tmp_path / "console.db")
    rows = AlertStore(database).query(AlertQuery(limit=ALERTS))
    assert len(rows) == ALERTS and all(row.snapshot for row in rows)
    model = AlertTableModel(demo_site, tmp_path / "alerts")
    model.set_rows(rows)
    before = rss_mb()
    thumbs = [model.data(model.index(row, 0), Qt.ItemDataRole.DecorationRole) for row in range(ALERTS)]
    grown = rss_mb() - before
    assert all(isinstance(t, QPixmap) and (t.width(), t.height()) == (THUMB.width(), THUMB.height()) for t in thumbs)
    # 40 thumbnails are 0.8 MB. Loading them through QPixmap(path) also left the full-size pictures in Qt's
    # pixmap cache: +10.7 MB measured here (a dozen 640×360 pictures), held for the rest of the run.
    assert grown < 3 * PICTURE_MB, f"{grown:.1f} MB kept for {ALERTS} thumbnails"
