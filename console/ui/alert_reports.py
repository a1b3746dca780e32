"""Reports from the alarm list: the filtered list as CSV (UTF-8 with BOM, so Excel shows Vietnamese) and the
printable shift-handover report "Báo cáo giao ca" as PDF, written with Qt's own PDF writer."""

from __future__ import annotations

import csv
import html
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QSizeF, QUrl
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from console.core.config import SiteConfig
from console.core.vntime import format_vn, from_epoch_ms
from console.store.alerts import AlertRow
from console.ui.alert_text import kind_text, priority_text, state_text
from console.ui.unit_names import police_of

PDF_DPI = 300
THUMB_PX = 200


def _when(ms: int | None) -> str:
    return format_vn(from_epoch_ms(ms)) if ms else ""


def _utc(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat(timespec="seconds")


class Labels:
    """Camera and site names of the commune, for reports."""

    def __init__(self, config: SiteConfig) -> None:
        self.cameras = {c.id: c.label for c in config.cameras}
        self.sites = {s.id: s.name for s in config.sites}

    def camera(self, row: AlertRow) -> str:
        return self.cameras.get(row.camera_id or "", row.camera_id or "")

    def site(self, row: AlertRow) -> str:
        return self.sites.get(row.site_id or "", row.site_id or "")


def csv_headers() -> list[str]:
    return [QCoreApplication.translate("Reports", "Id"),
            QCoreApplication.translate("Reports", "Start (UTC+7)"),
            QCoreApplication.translate("Reports", "End (UTC+7)"),
            QCoreApplication.translate("Reports", "Start (UTC)"),
            QCoreApplication.translate("Reports", "Alert"),
            QCoreApplication.translate("Reports", "Camera"),
            QCoreApplication.translate("Reports", "Site"),
            QCoreApplication.translate("Reports", "Priority"),
            QCoreApplication.translate("Reports", "State"),
            QCoreApplication.translate("Reports", "Acknowledged by"),
            QCoreApplication.translate("Reports", "Acknowledged at (UTC+7)"),
            QCoreApplication.translate("Reports", "Note"),
            QCoreApplication.translate("Reports", "Snapshot")]


def write_csv(path: Path, rows: Sequence[AlertRow], config: SiteConfig) -> int:
    """The rows as CSV, headers in the interface language, times in UTC+7 with UTC beside; returns rows written."""
    labels = Labels(config)
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(csv_headers())
        for row in rows:
            writer.writerow([row.id, _when(row.started_ms), _when(row.ended_ms), _utc(row.started_ms),
                             kind_text(row.kind), labels.camera(row), labels.site(row), priority_text(row.priority),
                             state_text(row.state), row.acked_by or "", _when(row.acked_ms), row.note,
                             row.snapshot or ""])
    return len(rows)


def _counts_table(title: str, counts: Counter[str]) -> str:
    lines = "".join(f"<tr><td>{html.escape(k)}</td><td align='right'>{v}</td></tr>"
                    for k, v in counts.most_common())
    return (f"<h3>{html.escape(title)}</h3><table border='1' cellspacing='0' cellpadding='4' width='60%'>"
            f"{lines}</table>")


def _words(commune: str) -> dict[str, str]:
    return {
        "title": QCoreApplication.translate("Reports", "Shift handover report"),
        "police": police_of(commune),
        "period": QCoreApplication.translate("Reports", "Period"),
        "officer": QCoreApplication.translate("Reports", "Duty officer"),
        "alerts": QCoreApplication.translate("Reports", "Alerts"),
        "by_kind": QCoreApplication.translate("Reports", "Alerts by kind"),
        "by_site": QCoreApplication.translate("Reports", "Alerts by site"),
        "by_state": QCoreApplication.translate("Reports", "Alerts by state"),
        "every": QCoreApplication.translate("Reports", "Every alert"),
        "picture": QCoreApplication.translate("Reports", "Picture"),
        "time": QCoreApplication.translate("Reports", "Time"),
        "alert": QCoreApplication.translate("Reports", "Alert"),
        "camera": QCoreApplication.translate("Reports", "Camera"),
        "state": QCoreApplication.translate("Reports", "State"),
        "note": QCoreApplication.translate("Reports", "Note"),
        "printed": QCoreApplication.translate("Reports", "Printed {date} (UTC+7)"),
    }


def _thumbnail(row: AlertRow, snapshots: Path, document: QTextDocument) -> str:
    if not row.snapshot:
        return ""
    image = QImage(str(snapshots / row.snapshot))
    if image.isNull():
        return ""
    url = QUrl(f"snapshot://{row.id}")
    document.addResource(QTextDocument.ResourceType.ImageResource, url, image.scaledToWidth(THUMB_PX))
    return f"<img src='{url.toString()}' width='{THUMB_PX // 2}'/>"


def handover_html(rows: Sequence[AlertRow], config: SiteConfig, period: tuple[int, int], officer: str,
                  snapshots: Path, document: QTextDocument) -> str:
    """The report as HTML for a QTextDocument; snapshots become the document's image resources."""
    labels = Labels(config)
    w = {k: html.escape(v) for k, v in _words(config.commune.name).items()}
    parts = [
        f"<h1 align='center'>{w['title']}</h1><p align='center'>{w['police']}</p>",
        f"<p><b>{w['period']}:</b> {_when(period[0])} – {_when(period[1])} (UTC+7)<br/>"
        f"<b>{w['officer']}:</b> {html.escape(officer)}<br/><b>{w['alerts']}:</b> {len(rows)}</p>",
        _counts_table(w["by_kind"], Counter(kind_text(r.kind) for r in rows)),
        _counts_table(w["by_site"], Counter(labels.site(r) for r in rows)),
        _counts_table(w["by_state"], Counter(state_text(r.state) for r in rows)),
        f"<h3>{w['every']}</h3><table border='1' cellspacing='0' cellpadding='4' width='100%'>"
        f"<tr><th>{w['picture']}</th><th>{w['time']}</th><th>{w['alert']}</th><th>{w['camera']}</th>"
        f"<th>{w['state']}</th><th>{w['note']}</th></tr>",
    ]
    for row in rows:
        note = html.escape(row.note).replace("\n", "<br/>")
        parts.append(
            f"<tr><td>{_thumbnail(row, snapshots, document)}</td><td>{_when(row.started_ms)}</td>"
            f"<td>{html.escape(kind_text(row.kind))}</td>"
            f"<td>{html.escape(labels.camera(row))}<br/>{html.escape(labels.site(row))}</td>"
            f"<td>{html.escape(state_text(row.state))}</td><td>{note}</td></tr>")
    printed = w["printed"].format(date=_when(int(datetime.now(UTC).timestamp() * 1000)))
    parts.append(f"</table><p><i>{printed}</i></p>")
    return "".join(parts)


def write_handover_pdf(path: Path, rows: Sequence[AlertRow], config: SiteConfig, period: tuple[int, int],
                       officer: str, snapshots: Path) -> None:
    write_pdf(path, _words(config.commune.name)["title"],
              lambda document: handover_html(rows, config, period, officer, snapshots, document))


def write_pdf(path: Path, title: str, html_of: Callable[[QTextDocument], str]) -> None:
    """An A4 PDF of the HTML `html_of` builds (it may add image resources to the document it is given)."""
    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    writer.setTitle(title)
    writer.setCreator("camera-console")
    document = QTextDocument()
    document.documentLayout().setPaintDevice(writer)  # point sizes measured at the PDF's resolution
    document.setDefaultStyleSheet("body { font-family: 'Noto Sans'; font-size: 9pt; } th { background: #e9ecef; }")
    document.setHtml(html_of(document))
    layout = writer.pageLayout().paintRectPixels(PDF_DPI)
    document.setPageSize(QSizeF(layout.width(), layout.height()))
    document.print_(writer)
