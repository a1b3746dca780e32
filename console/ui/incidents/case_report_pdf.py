"""The case report (*Báo cáo hồ sơ vụ việc*) as an official A4 PDF form: the core's summary, timeline and file list
(each file with its SHA-256 on a line of its own) laid out under the commune's header, with signature blocks.
QTextDocument only (no widget): called on the case export's worker thread, a QThread."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtGui import QTextDocument

from console.core.vntime import vn_moment
from console.incidents.case_report import CaseReport
from console.ui.widgets.form_units import FormUnits
from console.ui.widgets.official_form import OfficialForm, Signature, write_form_pdf

REPORT_CODE = "BC"  # báo cáo
HASH_STYLE = "font-family: 'DejaVu Sans Mono', monospace; font-size: 8pt;"
GRID = "class='grid' border='1' cellspacing='0' cellpadding='3' width='100%'"


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


def report_html(report: CaseReport) -> str:
    return (f"{_summary(report)}{_timeline(report)}{_files(report)}{_absent(report)}"
            f"<p><i>{_e(report.map_note)}</i></p><p>{_e(report.verify_note)}</p>")


def case_report_form(report: CaseReport, units: FormUnits) -> OfficialForm:
    def body(_document: QTextDocument) -> str:
        return report_html(report)

    return OfficialForm(units, REPORT_CODE, "", vn_moment(report.exported_at_ms), report.title, report.subtitle, body,
                        tuple(Signature(title, name) for title, name in report.signers))


def write_case_report_pdf(path: Path, report: CaseReport, units: FormUnits) -> int:
    """The report as `path` (A4, numbered pages); returns the number of pages."""
    return write_form_pdf(path, case_report_form(report, units))
