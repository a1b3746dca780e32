"""Writes translations/qtbase_vi.ts: our Vietnamese for the Qt dialogs, buttons and menus the officers see.

Qt ships no qtbase_vi.qm. The messages come from Qt's own catalogues (scripts/qt_catalogue.py), so their
context and source text are exactly Qt's; the Vietnamese comes from the .ts itself when it already has a
finished translation (the lead edits it in Linguist like console_vi.ts), else from the table below, else
the message is left unfinished for `scripts/i18n.py check` to report. Run through `scripts/i18n.py update`
after a PySide6 upgrade: new Qt strings appear, vanished ones leave. A few messages come from older Qt
releases still kept in some language's catalogue (both "Look in:" and Qt 6.11's "&Look in:"); translating
them costs nothing and keeps the check simple.

Words follow Vietnamese Windows/Office and the project glossary ("tệp", "xóa", "Hủy", "OK");
accelerators (&) sit on an ASCII letter, so Alt+letter works with a Telex/VNI keyboard too.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

from qt_catalogue import QtMessage, catalogue

# The Qt contexts behind the file dialog (its file list's type column is QAbstractFileIconProvider's), the
# input dialog, message and progress boxes, standard buttons, dock and tab buttons, and the edit and scroll
# bar context menus. Left out: QShortcut/QKeySequence (256 key names; the console has no shortcut editor),
# QColorDialog (no colour picker), QDateTimeEdit (AM/PM: the console shows 24-hour times), QCalendarWidget
# (its month and day names come from QLocale).
CONTEXTS = (
    "QAbstractFileIconProvider", "QAbstractSpinBox", "QDialogButtonBox", "QDockWidget", "QFileDialog",
    "QFileSystemModel", "QInputDialog", "QLineEdit", "QMessageBox", "QPlatformTheme", "QProgressDialog",
    "QScrollBar", "QTabBar", "QWidgetTextControl",
)


def shown(message: QtMessage) -> bool:
    """The "About Qt" box (Qt's licence text, six versions of it) is never opened by the console."""
    about_qt = message.context == "QMessageBox" and "About Qt" in message.source
    return not (about_qt or message.source.startswith("<p>Qt is a C++ toolkit"))


# Source text -> Vietnamese, the same in every context above (a source means the same in each of them).
VIETNAMESE = {
    # Standard buttons (QPlatformTheme in Qt 6; QDialogButtonBox in older catalogues).
    "OK": "OK",
    "&OK": "&OK",
    "Cancel": "Hủy",
    "&Cancel": "&Hủy",
    "Save": "Lưu",
    "&Save": "&Lưu",
    "Save All": "Lưu tất cả",
    "Open": "Mở",
    "&Open": "&Mở",
    "Close": "Đóng",
    "&Close": "Đó&ng",
    "Close without Saving": "Đóng không lưu",
    "Discard": "Không lưu",
    "Don't Save": "Không lưu",
    "Apply": "Áp dụng",
    "Reset": "Đặt lại",
    "Restore Defaults": "Khôi phục mặc định",
    "Help": "Trợ giúp",
    "&Yes": "&Có",
    "&No": "&Không",
    "Yes to &All": "Có cho &tất cả",
    "N&o to All": "Khôn&g cho tất cả",
    "Abort": "Hủy bỏ",
    "Retry": "Thử lại",
    "Ignore": "Bỏ qua",
    # Message box and input dialog.
    "Show Details...": "Hiện chi tiết...",
    "Hide Details...": "Ẩn chi tiết...",
    "Enter a value:": "Nhập một giá trị:",
    # Edit context menus (line edits, text boxes, spin boxes).
    "&Undo": "&Hoàn tác",
    "&Redo": "&Làm lại",
    "Cu&t": "Cắ&t",
    "&Copy": "&Sao chép",
    "&Paste": "&Dán",
    "Delete": "Xóa",
    "Select All": "Chọn tất cả",
    "&Select All": "&Chọn tất cả",
    "Copy &Link Location": "Sao chép địa chỉ liên &kết",
    "&Step up": "Tă&ng",
    "Step &down": "Giả&m",
    # File dialog.
    "&Look in:": "Tìm t&rong:",
    "Look in:": "Tìm trong:",
    "File &name:": "Tê&n tệp:",
    "Files of &type:": "Loại &tệp:",
    "Files of type:": "Loại tệp:",
    "Directory:": "Thư mục:",
    "&Choose": "&Chọn",
    "&Delete": "&Xóa",
    "&New Folder": "Thư mục &mới",
    "&Rename": "Đổi &tên",
    "Show &hidden files": "&Hiện tệp ẩn",
    "Show ": "Hiện ",
    "%1 File": "Tệp %1",
    "%1 already exists.\nDo you want to replace it?": "%1 đã có.\nCó thay thế tệp này không?",
    "%1\nDirectory not found.\nPlease verify the correct directory name was given.":
        "%1\nKhông tìm thấy thư mục.\nHãy kiểm tra lại tên thư mục đã nhập.",
    "%1\nFile not found.\nPlease verify the correct file name was given.":
        "%1\nKhông tìm thấy tệp.\nHãy kiểm tra lại tên tệp đã nhập.",
    "'%1' is write protected.\nDo you want to delete it anyway?":
        "'%1' đang được bảo vệ chống ghi.\nVẫn xóa tệp này?",
    "Are you sure you want to delete '%1'?": "Có chắc chắn xóa '%1' không?",
    "Could not delete directory.": "Không xóa được thư mục.",
    "Alias": "Bí danh",
    "All Files (*)": "Tất cả các tệp (*)",
    "All files (*)": "Tất cả các tệp (*)",
    # Key sequences Qt parses back: they stay as Qt writes them.
    "Alt+Left": "Alt+Left",
    "Alt+Right": "Alt+Right",
    "Alt+Up": "Alt+Up",
    "Back": "Quay lại",
    "Forward": "Chuyển tiếp",
    "Go back": "Quay lại",
    "Go forward": "Chuyển tiếp",
    "Go to the parent directory": "Lên thư mục cha",
    "Parent Directory": "Thư mục cha",
    "Change to detail view mode": "Chuyển sang xem chi tiết",
    "Change to list view mode": "Chuyển sang xem danh sách",
    "Detail View": "Xem chi tiết",
    "List View": "Xem danh sách",
    "Create New Folder": "Tạo thư mục mới",
    "Create a New Folder": "Tạo thư mục mới",
    "New Folder": "Thư mục mới",
    "Directories": "Thư mục",
    "Folder": "Thư mục",
    "File Folder": "Thư mục tệp",
    "Find Directory": "Chọn thư mục",
    "Drive": "Ổ đĩa",
    "File": "Tệp",
    "Files": "Tệp",
    "List of places and bookmarks": "Danh sách vị trí và dấu trang",
    "My Computer": "Máy tính",
    "Computer": "Máy tính",
    "Recent Places": "Vị trí gần đây",
    "Remove": "Gỡ khỏi danh sách",
    "Save As": "Lưu thành",
    "Shortcut": "Lối tắt",
    "Sidebar": "Thanh bên",
    "Unknown": "Không rõ",
    # Dock panels, tab bars and the scroll bar's context menu.
    "Float": "Tách ra",
    "Undocks and re-attaches the dock widget": "Tách khung ra thành cửa sổ riêng hoặc gắn lại",
    "Closes the dock widget": "Đóng khung này",
    "Scroll here": "Cuộn tới đây",
    "Left edge": "Cạnh trái",
    "Right edge": "Cạnh phải",
    "Top": "Trên cùng",
    "Bottom": "Dưới cùng",
    "Page left": "Trang trái",
    "Page right": "Trang phải",
    "Page up": "Trang lên",
    "Page down": "Trang xuống",
    "Scroll left": "Cuộn sang trái",
    "Scroll right": "Cuộn sang phải",
    "Scroll up": "Cuộn lên",
    "Scroll down": "Cuộn xuống",
    "Scroll Left": "Cuộn sang trái",
    "Scroll Right": "Cuộn sang phải",
    # File list columns and sizes.
    "Name": "Tên",
    "Size": "Kích thước",
    "Type": "Loại",
    "Kind": "Loại",
    "Date Modified": "Ngày sửa đổi",
    "%1 bytes": "%1 byte",
    "%1 byte(s)": "%1 byte",
    "%1 KB": "%1 KB",
    "%1 MB": "%1 MB",
    "%1 GB": "%1 GB",
    "%1 TB": "%1 TB",
    "Invalid filename": "Tên tệp không hợp lệ",
    '<b>The name "%1" cannot be used.</b><p>Try using another name, with fewer characters or no punctuation marks.':
        '<b>Không dùng được tên "%1".</b><p>Hãy đặt tên khác, ngắn hơn hoặc không có dấu câu.',
    '<b>The name "%1" can not be used.</b><p>Try using another name, with fewer characters or no punctuations marks.':
        '<b>Không dùng được tên "%1".</b><p>Hãy đặt tên khác, ngắn hơn hoặc không có dấu câu.',
}

Key = tuple[str, str, str]


def finished_translations(ts: Path) -> dict[Key, list[str]]:
    """The finished translations a .ts already has, by (context, source, comment); numerus ones per form."""
    found: dict[Key, list[str]] = {}
    if not ts.is_file():
        return found
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete"):
                continue
            forms = [f.text or "" for f in translation.iter("numerusform")] or [translation.text or ""]
            if all(form.strip() for form in forms):
                key = (name, message.findtext("source") or "", message.findtext("comment") or "")
                found[key] = forms
    return found


def _message_xml(message: QtMessage, forms: list[str] | None) -> list[str]:
    lines = ['    <message numerus="yes">' if message.numerus else "    <message>",
             f"        <source>{escape(message.source)}</source>"]
    if message.comment:
        lines.append(f"        <comment>{escape(message.comment)}</comment>")
    state = "" if forms else ' type="unfinished"'
    texts = forms or [""]
    if message.numerus:
        lines.append(f"        <translation{state}>")
        lines += [f"            <numerusform>{escape(text)}</numerusform>" for text in texts]
        lines.append("        </translation>")
    else:
        lines.append(f"        <translation{state}>{escape(texts[0])}</translation>")
    lines.append("    </message>")
    return lines


def render(messages: Iterable[QtMessage], existing: dict[Key, list[str]]) -> str:
    """The .ts text: contexts and messages sorted, so a regeneration changes only what Qt changed."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<!DOCTYPE TS>",
             '<TS version="2.1" language="vi_VN" sourcelanguage="en">']
    by_context: dict[str, list[QtMessage]] = {}
    for message in sorted(messages):
        by_context.setdefault(message.context, []).append(message)
    for context, members in sorted(by_context.items()):
        lines += ["<context>", f"    <name>{escape(context)}</name>"]
        for message in members:
            forms = existing.get((message.context, message.source, message.comment))
            table = VIETNAMESE.get(message.source)
            lines += _message_xml(message, forms or ([table] if table else None))
        lines.append("</context>")
    lines.append("</TS>")
    return "\n".join(lines) + "\n"


def messages() -> list[QtMessage]:
    """The Qt messages qtbase_vi.ts translates."""
    return [m for m in catalogue(CONTEXTS) if shown(m)]


def update(ts: Path) -> None:
    ts.write_text(render(messages(), finished_translations(ts)), "utf-8")
