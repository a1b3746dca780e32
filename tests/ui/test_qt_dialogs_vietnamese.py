"""Qt's own file dialog, message box and input dialog speak Vietnamese (translations/qtbase_vi.ts)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, QRect, Qt, QTranslator
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QFileSystemModel,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QToolButton,
    QTreeView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from console.ui.shell.i18n import install_translator, remove_translator

W = TypeVar("W", bound=QWidget)

# What Qt would show in English; none of it may be left on a Vietnamese screen.
ENGLISH = {"&Look in:", "Look in:", "File &name:", "Files of &type:", "Files of type:", "&Save", "&Open", "Save",
           "Open", "Cancel", "OK", "&Yes", "&No", "Show Details...", "Back", "Forward", "Name", "Size", "Type",
           "Date Modified", "Enter a value:"}


@pytest.fixture()
def qt_vietnamese(qapp: QApplication, vietnamese: QTranslator) -> Iterator[QTranslator]:
    """The `vietnamese` fixture, and Qt's translator removed with the console's after the test."""
    yield vietnamese
    remove_translator(qapp, vietnamese)


def _child(parent: QWidget, kind: type[W], name: str = "") -> W:
    found = parent.findChild(kind, name) if name else parent.findChild(kind)
    assert isinstance(found, kind), f"{parent.metaObject().className()} has no {kind.__name__} {name}"
    return found


def _visible_texts(root: QWidget) -> set[str]:
    texts = set()
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root):
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            texts.add(widget.text())
        if widget.toolTip():
            texts.add(widget.toolTip())
    return texts - {""}


def _ink_statistics(image: QImage) -> tuple[int, float]:
    """Distinct colours on a 4-pixel grid, and the share of dark (text or line) pixels."""
    colours, dark, seen = set(), 0, 0
    for y in range(0, image.height(), 4):
        for x in range(0, image.width(), 4):
            colour = QColor(image.pixel(x, y))
            colours.add(colour.rgb())
            dark += colour.lightness() < 96
            seen += 1
    return len(colours), dark / seen


def test_file_dialog_labels_buttons_and_columns_are_vietnamese(qtbot: QtBot, qt_vietnamese: QTranslator,
                                                               tmp_path: Path, artifacts: Path) -> None:
    for name in ("camera-01_2026-11-24.mp4", "camera-02_2026-11-24.mp4", "bao-cao-giao-ca.pdf"):
        (tmp_path / name).write_bytes(b"\0" * 4096)
    (tmp_path / "chung-cu").mkdir()
    # As the console's export: a save dialog, Qt's own widgets (no platform dialog to translate for us).
    dialog = QFileDialog(None, "Trích xuất chứng cứ", str(tmp_path), "Video MP4 (*.mp4)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setViewMode(QFileDialog.ViewMode.Detail)
    qtbot.addWidget(dialog)
    dialog.resize(900, 560)
    dialog.show()
    qtbot.waitExposed(dialog)
    tree = _child(dialog, QTreeView, "treeView")
    files = tree.model()
    assert isinstance(files, QFileSystemModel)
    qtbot.waitUntil(lambda: files.rowCount(tree.rootIndex()) == 3)  # the two .mp4 files and the folder

    look_in = _child(dialog, QLabel, "lookInLabel")
    assert look_in.text() == "Tìm t&rong:"
    assert _child(dialog, QLabel, "fileNameLabel").text() == "Tê&n tệp:"
    assert _child(dialog, QLabel, "fileTypeLabel").text() == "Loại &tệp:"
    buttons = _child(dialog, QDialogButtonBox, "buttonBox")
    assert buttons.button(QDialogButtonBox.StandardButton.Save).text() == "&Lưu"
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Hủy"
    assert _child(dialog, QToolButton, "backButton").toolTip() == "Quay lại"
    assert _child(dialog, QToolButton, "newFolderButton").toolTip() == "Tạo thư mục mới"
    columns = [files.headerData(column, Qt.Orientation.Horizontal) for column in range(4)]
    assert columns == ["Tên", "Kích thước", "Loại", "Ngày sửa đổi"]
    assert files.index(str(tmp_path / "chung-cu")).siblingAtColumn(2).data() == "Thư mục"
    texts = _visible_texts(dialog)
    assert not texts & ENGLISH, texts & ENGLISH

    shot = dialog.grab().toImage()
    shot.save(str(artifacts / "qt_file_dialog_vi.png"))
    colours, dark_share = _ink_statistics(shot)
    assert colours >= 8, "the file dialog painted (nearly) one colour"
    assert dark_share > 0.005, "no text drawn in the file dialog"
    label_area = QRect(look_in.mapTo(dialog, QPoint(0, 0)), look_in.size())
    assert _ink_statistics(shot.copy(label_area))[1] > 0.02, "the 'Tìm trong:' label area is blank"


def test_message_box_yes_no_cancel_and_details_are_vietnamese(qtbot: QtBot, qt_vietnamese: QTranslator) -> None:
    box = QMessageBox(QMessageBox.Icon.Question, "Xóa bố cục đã lưu", "Xóa bố cục “Ca đêm”?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                      | QMessageBox.StandardButton.Cancel)
    box.setDetailedText("Bố cục: Ca đêm")
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    assert box.button(QMessageBox.StandardButton.Yes).text() == "&Có"
    assert box.button(QMessageBox.StandardButton.No).text() == "&Không"
    assert box.button(QMessageBox.StandardButton.Cancel).text() == "Hủy"
    assert "Hiện chi tiết..." in _visible_texts(box)
    assert not _visible_texts(box) & ENGLISH


def test_input_dialog_buttons_and_edit_menu_are_vietnamese(qtbot: QtBot, qt_vietnamese: QTranslator) -> None:
    # As "Save layout": a text input dialog with the standard OK/Cancel.
    dialog = QInputDialog()
    dialog.setWindowTitle("Lưu bố cục")
    dialog.setTextValue("Ca đêm")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    texts = _visible_texts(dialog)
    assert {"OK", "Hủy", "Nhập một giá trị:"} <= texts, texts  # Vietnamese Windows keeps "OK" too
    assert not (texts - {"OK"}) & ENGLISH
    menu = _child(dialog, QLineEdit).createStandardContextMenu()
    actions = [action.text().split("\t")[0] for action in menu.actions() if not action.isSeparator()]
    assert actions == ["&Hoàn tác", "&Làm lại", "Cắ&t", "&Sao chép", "&Dán", "Xóa", "Chọn tất cả"]
    menu.deleteLater()


def test_vietnamese_installs_qt_translator_and_removing_takes_both_away(qapp: QApplication) -> None:
    translator = install_translator(qapp, "vi")
    assert translator is not None
    qt_translators = translator.findChildren(QTranslator)
    try:
        # One child: Qt's catalogue (loaded from memory, so it has no file path; what it says shows it).
        assert len(qt_translators) == 1 and qt_translators[0].translate("QPlatformTheme", "Cancel") == "Hủy"
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Hủy"
    finally:
        remove_translator(qapp, translator)
    # Qt says whether a translator was still installed: neither is.
    assert not any(qapp.removeTranslator(t) for t in [translator, *qt_translators])
    assert install_translator(qapp, "en") is None
