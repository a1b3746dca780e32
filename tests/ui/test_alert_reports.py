"""Reports: the CSV opens with its Vietnamese intact (UTF-8 with BOM, as Excel needs), the shift handover PDF
renders with Qt's writer and reads back (page count, text) with poppler."""

from __future__ import annotations

import csv
import subprocess
import threading
from pathlib import Path

from PySide6.QtCore import QTranslator
from PySide6.QtGui import QColor, QImage

from console.core.alerts import AlertEvent, AlertKind, AlertState
from console.core.config import SiteConfig
from console.store.alerts import AlertQuery, AlertStore, AlertWriter, Transition, now_ms
from console.store.database import open_database
from console.ui.alerts.reports import Handover, write_csv, write_handover_pdf
from tests.support.databases import OpenDb


def make_log(open_db: OpenDb, tmp_path: Path, count: int) -> tuple[AlertStore, Path]:
    open_database(tmp_path / "console.db").close()
    writer = AlertWriter(tmp_path / "console.db", tmp_path / "alerts")
    image = QImage(320, 180, QImage.Format.Format_RGB32)
    image.fill(QColor("#4a6fa5"))
    image.save(str(tmp_path / "snap.jpg"))
    jpeg = (tmp_path / "snap.jpg").read_bytes()
    now = now_ms()
    kinds = [AlertKind.MOTION, AlertKind.CAMERA_OFFLINE, AlertKind.TAMPER_COVERED, AlertKind.MANUAL]
    for i in range(count):
        writer.submit(AlertEvent(writer.next_id(), f"C{i % 25 + 1:02d}", "S01", kinds[i % 4], now - i * 60_000, 0.7,
                                 "start", snapshot=jpeg if i % 3 == 0 else None))
    done = threading.Event()
    writer.submit(Transition(1, AlertState.ACKNOWLEDGED, "trucban1", "Đã kiểm tra, xe máy đỗ trái phép",
                             lambda _e: done.set()))
    assert done.wait(10)
    writer.close()
    return AlertStore(open_db(tmp_path / "console.db")), tmp_path / "alerts"


def test_csv_keeps_vietnamese_for_excel(open_db: OpenDb,
                                        tmp_path: Path, demo_site: SiteConfig, vietnamese: QTranslator) -> None:
    store, _ = make_log(open_db, tmp_path, 8)
    path = tmp_path / "canh-bao.csv"
    assert write_csv(path, store.query(AlertQuery(limit=1000)), demo_site) == 8
    assert path.read_bytes()[:3] == b"\xef\xbb\xbf"  # the BOM Excel looks for
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:5] == ["Mã", "Bắt đầu (UTC+7)", "Kết thúc (UTC+7)", "Bắt đầu (UTC)", "Cảnh báo"]
    first = next(r for r in rows[1:] if r[0] == "1")
    assert first[4] == "Phát hiện chuyển động" and first[8] == "Đã xác nhận"
    assert first[5].startswith("C01 · Nút giao QL38") and first[6] == "Nút giao QL38 – QL282"
    assert first[11] == "Đã kiểm tra, xe máy đỗ trái phép"


def test_shift_handover_pdf_renders_and_reads_back(open_db: OpenDb, tmp_path: Path, demo_site: SiteConfig,
                                                  vietnamese: QTranslator) -> None:
    store, snapshots = make_log(open_db, tmp_path, 60)
    rows = store.query(AlertQuery(limit=1000))
    path = tmp_path / "bao-cao-giao-ca.pdf"
    handover = Handover(now_ms() - 12 * 3600 * 1000, now_ms(), "Nguyễn Văn An", "Trần Thị Bình")
    written = write_handover_pdf(path, rows, demo_site, handover, snapshots)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert written == pages >= 2  # 60 alerts with pictures do not fit one A4 page
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())  # words, whatever the line breaks
    for expected in ("BÁO CÁO GIAO CA", "CÔNG AN XÃ GIA ĐÔNG", "Nguyễn Văn An", "Trần Thị Bình",
                     "Phát hiện chuyển động", "Mất kết nối camera", "Đã kiểm tra, xe máy đỗ trái phép",
                     "Nút giao QL38"):
        assert expected in text, expected
