"""The case report (*Báo cáo hồ sơ vụ việc*) as an official A4 PDF form: the core's summary, a map picture of the
incident's place (drawn from the station's offline map, or a sentence saying it has none there), the timeline and
the file list (each file with its SHA-256 on a line of its own) laid out under the commune's header, with signature
blocks. QTextDocument and QImage only (no widget): called on the case export's worker thread, a QThread."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextCursor, QTextDocument, QTextFrame

from console.core.config import MapConfig
from console.core.geo import GeoPoint
from console.core.vntime import vn_moment
from console.incidents.case_report import CaseReport
from console.ui.map.snippet import render_snippet
from console.ui.widgets.form_units import FormUnits
from console.ui.widgets.official_form import STYLESHEET, OfficialForm, Signature, form_font, form_html
from console.ui.widgets.paged_pdf import keep_on_one_page, write_paged_pdf

REPORT_CODE = "BC"  # báo cáo
HASH_STYLE = "font-family: 'DejaVu Sans Mono', monospace; font-size: 8pt;"
GRID = "class='grid' border='1' cellspacing='0' cellpadding='3' width='100%'"
MAP_PICTURE = "case-map.png"  # the snippet's name inside the document (a resource, never a file)
MAP_PRINT_PX = 600  # ~160 mm on the page (QTextDocument sizes images at 96 dpi); the picture is 900 px wide


def _e(text: str) -> str:
    return html.escape(text)


def _header(cells: Sequence[str], widths: Sequence[int]) -> str:
    return "<tr>" + "".join(f"<th align='left' width='{w}%'>{_e(c)}</th>" for c, w in zip(cells, widths, strict=True)) \
        + "</tr>"


def _summary(report: CaseReport) -> str:
    rows = "".join(f"<tr><th align='left' width='32%'>{_e(label)}</th><td>{_e(value)}</td></tr>"
                   for label, value in report.summary)
    return f"<h3>{_e(report.summary_heading)}</h3><table {GRID}>{rows}</table>"


def _timeline(report: CaseReport) -> str:
    rows = "".join(f"<tr><td>{_e(report.moment(e.at_ms))}</td><td>{_e(e.who)}</td><td>{_e(e.what)}</td></tr>"
                   for e in report.timeline)
    return (f"<h3>{_e(report.timeline_heading)}</h3><table {GRID}>{_header(report.timeline_columns, (22, 18, 60))}"
            f"{rows}</table>")


def _files(report: CaseReport) -> str:
    """Four columns, and under each file its SHA-256 across the row: 64 hex digits do not fit in a column."""
    number, name, about, size, digest = report.files_columns
    rows = "".join(
        f"<tr><td>{index}</td><td>{_e(item.name)}</td><td>{_e(item.about)}</td><td align='right'>"
        f"{_e(report.size(item.size))}</td></tr>"
        f"<tr><td></td><td colspan='3'>{_e(digest)}: <span style=\"{HASH_STYLE}\">{_e(item.sha256)}</span></td></tr>"
        for index, item in enumerate(report.files, start=1))
    return (f"<h3>{_e(report.files_heading)}</h3><table {GRID}>{_header((number, name, about, size), (6, 30, 48, 16))}"
            f"{rows}</table>")


def _absent(report: CaseReport) -> str:
    if not report.absent:
        return ""
    items = "".join(f"<li>{_e(line)}</li>" for line in report.absent)
    return f"<h3>{_e(report.absent_heading)}</h3><ul>{items}</ul>"


def _map(report: CaseReport, map_config: MapConfig | None, document: QTextDocument | None) -> str:
    """The snippet around the place with its caption, or the sentence saying why there is none."""
    point = report.map_point
    snippet = None
    if point is not None and map_config is not None and document is not None:
        snippet = render_snippet(map_config, GeoPoint(point.lat, point.lon))
    if snippet is None or document is None:
        return f"<h3>{_e(report.map_heading)}</h3><p><i>{_e(report.map_note)}</i></p>"
    document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(MAP_PICTURE), snippet.image)
    # In a table of its own: a frame the pagination can keep whole (a picture cut between two pages reads as two).
    return (f"<table width='100%' cellspacing='0' cellpadding='0'><tr><td><h3>{_e(report.map_heading)}</h3>"
            f"<p align='center'><img src='{MAP_PICTURE}' width='{MAP_PRINT_PX}'/></p>"
            f"<p><i>{_e(report.map_caption)}</i></p></td></tr></table>")


def _holds_map(frame: QTextFrame) -> bool:
    cursor = frame.firstCursorPosition()
    while cursor.position() < frame.lastPosition():
        cursor.movePosition(QTextCursor.MoveOperation.NextCharacter)
        form = cursor.charFormat()
        if form.isImageFormat():
            return form.toImageFormat().name() == MAP_PICTURE
    return False


def _paginate(document: QTextDocument) -> None:
    """The map with its heading and caption on one page, and the signatures (the last table) together."""
    frames = document.rootFrame().childFrames()
    for frame in frames:
        if _holds_map(frame):
            keep_on_one_page(document, frame)
    if frames:
        keep_on_one_page(document, frames[-1])


def report_html(report: CaseReport, map_config: MapConfig | None = None, document: QTextDocument | None = None) -> str:
    return (f"{_summary(report)}{_map(report, map_config, document)}{_timeline(report)}{_files(report)}"
            f"{_absent(report)}<p>{_e(report.verify_note)}</p>")


def case_report_form(report: CaseReport, units: FormUnits, map_config: MapConfig | None = None) -> OfficialForm:
    def body(document: QTextDocument) -> str:
        return report_html(report, map_config, document)

    return OfficialForm(units, REPORT_CODE, "", vn_moment(report.exported_at_ms), report.title, report.subtitle, body,
                        tuple(Signature(title, name) for title, name in report.signers))


def write_case_report_pdf(path: Path, report: CaseReport, units: FormUnits, map_config: MapConfig | None = None) -> int:
    """The report as `path` (A4, numbered pages), its map picture drawn from `map_config` (the site's `[map]`);
    returns the number of pages."""
    form = case_report_form(report, units, map_config)
    return write_paged_pdf(path, form.title, lambda document: form_html(form, document), form_font(), STYLESHEET,
                           paginated=_paginate)
