"""Reports from the alarm list: the filtered list as CSV (UTF-8 with BOM, so Excel shows Vietnamese) and the
printable shift-handover report "Báo cáo giao ca" as an official form (PDF) of the shift the officer chose."""

from __future__ import annotations

import csv
import html
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QImage, QTextDocument

from console.core.config import SiteConfig
from console.core.vntime import VN_TZ, format_vn_ms
from console.store.alerts import AlertRow
from console.ui.alerts.text import kind_text, priority_text, state_text
from console.ui.widgets.form_units import form_units
from console.ui.widgets.official_form import OfficialForm, Signature, write_form_pdf

THUMB_PX = 200
THUMB_COLUMN_PCT = 15  # the picture column: a 100-pixel thumbnail (~26 mm, images are sized at 96 dpi)


def _when(ms: int | None) -> str:
    return format_vn_ms(ms) if ms else ""


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


CSV_PROGRESS_EVERY = 10_000


class CancelledError(Exception):
    """The officer stopped a long export; the partial file is removed."""


def write_csv(path: Path, rows: Iterable[AlertRow], config: SiteConfig,
              progress: Callable[[int], None] | None = None, cancelled: Callable[[], bool] | None = None) -> int:
    """The rows as CSV, headers in the interface language, times in UTC+7 with UTC beside; returns rows written.
    Up to a million rows: run it off the GUI thread (`progress` every 10,000 rows, `cancelled` checked as often)."""
    labels = Labels(config)
    written = 0
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(csv_headers())
        for row in rows:
            written += 1
            if written % CSV_PROGRESS_EVERY == 0:
                if cancelled is not None and cancelled():
                    raise CancelledError(str(path))
                if progress is not None:
                    progress(written)
            writer.writerow([row.id, _when(row.started_ms), _when(row.ended_ms), _utc(row.started_ms),
                             kind_text(row.kind), labels.camera(row), labels.site(row), priority_text(row.priority),
                             state_text(row.state), row.acked_by or "", _when(row.acked_ms), row.note,
                             row.snapshot or ""])
    return written


def _counts_table(title: str, counts: Counter[str]) -> str:
    lines = "".join(f"<tr><td>{html.escape(k)}</td><td align='right'>{v}</td></tr>"
                    for k, v in counts.most_common())
    return (f"<h3>{html.escape(title)}</h3><table class='grid' border='1' cellspacing='0' cellpadding='4' width='60%'>"
            f"{lines}</table>")


def _words() -> dict[str, str]:
    return {
        "title": QCoreApplication.translate("Reports", "Shift handover report"),
        "shift": QCoreApplication.translate("Reports", "Shift from {start} to {end} (UTC+7)"),
        "handing": QCoreApplication.translate("Reports", "Officer handing over"),
        "taking": QCoreApplication.translate("Reports", "Officer taking over"),
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


@dataclass(frozen=True)
class Handover:
    """What the officer chose in the handover dialog (never the alarm list's filter)."""

    start_ms: int
    end_ms: int
    handing_over: str
    taking_over: str
    number: str = ""  # the report's number; "" leaves dots to fill by hand
    bell: str = ""  # the alarm bell's state at handover, as a sentence ("" when the console has no bell)


def _thumbnail(row: AlertRow, snapshots: Path, document: QTextDocument) -> str:
    if not row.snapshot:
        return ""
    image = QImage(str(snapshots / row.snapshot))
    if image.isNull():
        return ""
    url = QUrl(f"snapshot://{row.id}")
    document.addResource(QTextDocument.ResourceType.ImageResource, url, image.scaledToWidth(THUMB_PX))
    return f"<img src='{url.toString()}' width='{THUMB_PX // 2}'/>"


def handover_html(rows: Sequence[AlertRow], config: SiteConfig, handover: Handover, snapshots: Path,
                  document: QTextDocument) -> str:
    """The report's content as HTML for a QTextDocument; snapshots become the document's image resources."""
    labels = Labels(config)
    w = {k: html.escape(v) for k, v in _words().items()}
    parts = [
        f"<p><b>{w['handing']}:</b> {html.escape(handover.handing_over)}<br/>"
        f"<b>{w['taking']}:</b> {html.escape(handover.taking_over)}<br/><b>{w['alerts']}:</b> {len(rows)}"
        + (f"<br/>{html.escape(handover.bell)}" if handover.bell else "") + "</p>",
        _counts_table(w["by_kind"], Counter(kind_text(r.kind) for r in rows)),
        _counts_table(w["by_site"], Counter(labels.site(r) for r in rows)),
        _counts_table(w["by_state"], Counter(state_text(r.state) for r in rows)),
        f"<h3>{w['every']}</h3><table class='grid' border='1' cellspacing='0' cellpadding='4' width='100%'>"
        f"<tr><th width='{THUMB_COLUMN_PCT}%'>{w['picture']}</th><th width='13%'>{w['time']}</th>"
        f"<th width='14%'>{w['alert']}</th><th width='24%'>{w['camera']}</th><th width='10%'>{w['state']}</th>"
        f"<th>{w['note']}</th></tr>",
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


def handover_form(rows: Sequence[AlertRow], config: SiteConfig, handover: Handover, snapshots: Path,
                  dated: datetime) -> OfficialForm:
    words = _words()
    return OfficialForm(
        form_units(config.commune), "BC", handover.number, dated, words["title"],
        words["shift"].format(start=_when(handover.start_ms), end=_when(handover.end_ms)),
        lambda document: handover_html(rows, config, handover, snapshots, document),
        (Signature(words["handing"], handover.handing_over), Signature(words["taking"], handover.taking_over)))


def write_handover_pdf(path: Path, rows: Sequence[AlertRow], config: SiteConfig, handover: Handover,
                       snapshots: Path, dated: datetime | None = None) -> int:
    """The shift handover report ("Báo cáo giao ca") of `rows`; returns the number of pages."""
    return write_form_pdf(path, handover_form(rows, config, handover, snapshots, dated or datetime.now(VN_TZ)))
