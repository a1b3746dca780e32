"""Official forms in Vietnamese administrative style (Nghị định 30/2020/NĐ-CP): unit block and national
header side by side, number, place and date, title, content, signature blocks, numbered A4 pages."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont, QTextDocument

from console.ui.widgets.form_units import FormUnits
from console.ui.widgets.paged_pdf import keep_on_one_page, write_paged_pdf

# Times New Roman is traditional; Noto Serif (fonts-noto-core) and DejaVu Serif draw every Vietnamese diacritic.
FORM_FAMILIES = ["Noto Serif", "Times New Roman", "DejaVu Serif"]
BODY_POINT_SIZE = 12
NUMBER_BLANK = "……"  # no number typed: left to fill by hand
SIGNATURE_SPACE_LINES = 4
STYLESHEET = ("p { margin-top: 0; margin-bottom: 3pt; } th { background: #e9ecef; } "
              "table.grid { font-size: 10pt; } h3 { font-size: 12pt; margin-top: 8pt; }")


@dataclass(frozen=True)
class Signature:
    title: str  # "Người giao ca": printed in capitals
    name: str = ""  # printed under the space for the signature; "" leaves it to write by hand


@dataclass(frozen=True)
class OfficialForm:
    units: FormUnits
    kind_code: str  # the form's letters before the unit's in its number: "BC" (báo cáo), "BB" (biên bản)
    number: str  # typed by the officer; "" leaves dots
    dated: datetime  # the date line (Vietnam time)
    title: str  # printed in capitals
    subtitle: str  # printed bold under the title ("" for none)
    body_of: Callable[[QTextDocument], str]  # the content's HTML; may add image resources to the document
    signatures: Sequence[Signature]


def form_font() -> QFont:
    font = QFont()
    font.setFamilies(FORM_FAMILIES)
    font.setPointSize(BODY_POINT_SIZE)
    return font


def number_line(form: OfficialForm) -> str:
    return QCoreApplication.translate("Forms", "No.: {number}/{code}").format(
        number=form.number.strip() or NUMBER_BLANK, code=f"{form.kind_code}-{form.units.code}")


def date_line(place: str, dated: datetime) -> str:
    return QCoreApplication.translate("Forms", "{place}, {day}/{month}/{year}").format(
        place=place, day=f"{dated.day:02d}", month=f"{dated.month:02d}", year=dated.year)


def _e(text: str) -> str:
    return html.escape(text)


def header_html(form: OfficialForm) -> str:
    """Left: superior unit, issuing unit in bold with a short rule, the number. Right: the national name in
    bold, the motto in bold with a rule, the italic place-and-date line."""
    units = form.units
    superior = f"<p align='center'>{_e(units.superior.upper())}</p>" if units.superior else ""
    nation = QCoreApplication.translate("Forms", "SOCIALIST REPUBLIC OF VIETNAM")
    motto = QCoreApplication.translate("Forms", "Independence - Freedom - Happiness")
    return (
        "<table width='100%' cellspacing='0' cellpadding='0' border='0'><tr>"
        f"<td width='42%' align='center' valign='top'>{superior}"
        f"<p align='center'><b>{_e(units.issuing.upper())}</b></p><hr width='35%'/>"
        f"<p align='center'>{_e(number_line(form))}</p></td>"
        f"<td width='58%' align='center' valign='top'><p align='center'><b>{_e(nation)}</b></p>"
        f"<p align='center' style='font-size: 13pt'><b>{_e(motto)}</b></p><hr width='45%'/>"
        f"<p align='center'><i>{_e(date_line(units.place, form.dated))}</i></p></td>"
        "</tr></table>")


def title_html(form: OfficialForm) -> str:
    subtitle = f"<p align='center'><b>{_e(form.subtitle)}</b></p>" if form.subtitle else ""
    return f"<br/><p align='center' style='font-size: 14pt'><b>{_e(form.title.upper())}</b></p>{subtitle}<br/>"


def signatures_html(signatures: Sequence[Signature]) -> str:
    """One column per signer: title in bold capitals, "(Ký, ghi rõ họ tên)" in italics, space, the name."""
    hint = QCoreApplication.translate("Forms", "(Signature and full name)")
    width = 100 // max(1, len(signatures))
    space = "<br/>" * SIGNATURE_SPACE_LINES
    cells = "".join(
        f"<td width='{width}%' align='center' valign='top'><p align='center'><b>{_e(s.title.upper())}</b><br/>"
        f"<i>{_e(hint)}</i>{space}<br/><b>{_e(s.name)}</b></p></td>" for s in signatures)
    return f"<br/><table width='100%' cellspacing='0' cellpadding='4' border='0'><tr>{cells}</tr></table>"


def form_html(form: OfficialForm, document: QTextDocument) -> str:
    return (f"<html><body>{header_html(form)}{title_html(form)}{form.body_of(document)}"
            f"{signatures_html(form.signatures)}</body></html>")


def write_form_pdf(path: Path, form: OfficialForm) -> int:
    """The form as an A4 PDF with numbered pages; returns the number of pages."""
    return write_paged_pdf(path, form.title, lambda document: form_html(form, document), form_font(), STYLESHEET,
                           paginated=_signatures_together)


def _signatures_together(document: QTextDocument) -> None:
    """The signature block is the form's last table: never split between two pages."""
    frames = document.rootFrame().childFrames()
    if frames:
        keep_on_one_page(document, frames[-1])
