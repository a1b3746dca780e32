"""An A4 PDF of a QTextDocument, drawn page by page with "Page n/N" at the foot of every page (Qt's
QTextDocument.print_ numbers no page once the document has a page size)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument, QTextFormat, QTextFrame

PDF_DPI = 300
MM_PER_INCH = 25.4
FOOTER_POINT_SIZE = 10
FOOTER_FROM_EDGE_MM = 10.0  # the page number's baseline band, inside the bottom margin


@dataclass(frozen=True)
class PageMargins:
    """Millimetres. Default: Nghị định 30/2020/NĐ-CP (top 20, bottom 20, left 30, right 15)."""

    top: float = 20.0
    right: float = 15.0
    bottom: float = 20.0
    left: float = 30.0


def _px(mm: float) -> float:
    return mm / MM_PER_INCH * PDF_DPI


def page_text(page: int, pages: int) -> str:
    return QCoreApplication.translate("Forms", "Page {page}/{pages}").format(page=page, pages=pages)


def keep_on_one_page(document: QTextDocument, frame: QTextFrame) -> None:
    """Start `frame` (a table: a signature block) on a new page when the document's pages would split it."""
    height = document.pageSize().height()
    rect = document.documentLayout().frameBoundingRect(frame)
    if rect.height() < height and int(rect.top() // height) != int((rect.bottom() - 1) // height):
        form = frame.frameFormat()
        form.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        frame.setFrameFormat(form)


def write_paged_pdf(path: Path, title: str, html_of: Callable[[QTextDocument], str], font: QFont,
                    stylesheet: str = "", margins: PageMargins = PageMargins(),
                    paginated: Callable[[QTextDocument], None] | None = None) -> int:
    """Write the HTML `html_of` builds (it may add image resources to the document it is given) as an A4
    portrait PDF; `paginated` may adjust the document once it is laid out in pages (`keep_on_one_page`).
    Returns the number of pages."""
    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_DPI)
    # Full-page mode: the painter's origin is the paper's corner, so the footer can sit in the bottom margin.
    layout = QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0),
                         QPageLayout.Unit.Millimeter)
    layout.setMode(QPageLayout.Mode.FullPageMode)
    writer.setPageLayout(layout)
    writer.setTitle(title)
    writer.setCreator("camera-console")
    paper = writer.pageLayout().fullRectPixels(PDF_DPI)
    body = QRectF(_px(margins.left), _px(margins.top), paper.width() - _px(margins.left) - _px(margins.right),
                  paper.height() - _px(margins.top) - _px(margins.bottom))
    document = QTextDocument()
    document.documentLayout().setPaintDevice(writer)  # point sizes measured at the PDF's resolution
    document.setDefaultFont(font)
    document.setDefaultStyleSheet(stylesheet)
    document.setDocumentMargin(0)
    # The page size first: a document without one is laid out lazily on a timer, which a worker thread lacks.
    document.setPageSize(QSizeF(body.width(), body.height()))
    document.setHtml(html_of(document))
    if paginated is not None:
        paginated(document)
    pages = document.pageCount()
    footer_font = QFont(font)
    footer_font.setPointSizeF(FOOTER_POINT_SIZE)
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"{path}: the PDF file cannot be opened for writing")
    try:
        for index in range(pages):
            if index:
                writer.newPage()
            painter.save()
            painter.translate(body.left(), body.top() - index * body.height())
            document.drawContents(painter, QRectF(0, index * body.height(), body.width(), body.height()))
            painter.restore()
            painter.setFont(footer_font)
            foot = QRectF(body.left(), paper.height() - _px(margins.bottom), body.width(),
                          _px(margins.bottom) - _px(FOOTER_FROM_EDGE_MM))
            painter.drawText(foot, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                             page_text(index + 1, pages))
    finally:
        painter.end()
    return pages
