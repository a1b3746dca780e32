"""Help → About names the build; a machine with no commune installed says so and offers the demo."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from console.app import LaunchOptions, choose_site
from console.core.buildinfo import BuildInfo
from console.core.seed import installed_site
from console.media.versions import libvlc_version
from console.ui.shell.about import about_details, about_text
from console.ui.widgets.unit_names import police_of

BUILD = BuildInfo("0.1.0", "3ad9b4b", datetime(2026, 11, 24, 8, 30, tzinfo=UTC))


def test_about_names_version_commit_build_date_and_components(vietnamese: QTranslator, tmp_path: Path) -> None:
    text = about_text(BUILD, "Xã Gia Đông", tmp_path)
    assert "Phần mềm giám sát camera an ninh" in text and "Công an xã Gia Đông" in text
    assert "Phiên bản 0.1.0" in text
    assert "24/11/2026 15:30:00 (UTC+7)" in text  # 08:30 UTC shown in Vietnam time
    assert f"Thư mục dữ liệu: {tmp_path}" in text
    assert "3ad9b4b" not in text and "libVLC" not in text  # the technician's details are behind a button
    details = about_details(BUILD)
    assert "3ad9b4b" in details and f"libVLC {libvlc_version()}" in details
    from_source = about_text(BuildInfo("0.1.0", None, None), "Xã Gia Đông", None)
    assert "Đang chạy từ mã nguồn" in from_source
    assert "không rõ" in about_details(BuildInfo("0.1.0", None, None))


def test_police_unit_names_follow_official_style(vietnamese: QTranslator) -> None:
    assert police_of("Xã Gia Đông") == "Công an xã Gia Đông"
    assert police_of("Gia Đông") == "Công an xã Gia Đông"
    assert police_of("Phường  Suối Hoa") == "Công an phường Suối Hoa"
    assert police_of("Thị trấn Hồ") == "Công an thị trấn Hồ"


def _answer(qapp: QApplication, button_text: str, seen: list[str]) -> None:
    """Click `button_text` on the modal box once it is up (the box runs its own event loop)."""
    def click() -> None:
        box = next((w for w in qapp.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()), None)
        if box is None:
            QTimer.singleShot(50, click)
            return
        seen.append(box.text())
        next(b for b in box.buttons() if b.text() == button_text).click()
    QTimer.singleShot(50, click)


def test_no_commune_installed_offers_the_demo(qtbot: QtBot, qapp: QApplication, vietnamese: QTranslator,
                                              tmp_path: Path) -> None:
    options = LaunchOptions(demo=False, config=None, lang="vi")
    seen: list[str] = []
    _answer(qapp, "Mở chế độ mô phỏng", seen)
    chosen = choose_site(options, tmp_path, qapp)
    assert chosen is not None and chosen.demo
    assert "Máy này chưa được cài cấu hình của xã" in seen[0] and str(installed_site(tmp_path)) in seen[0]
    _answer(qapp, "Đóng", seen)
    assert choose_site(options, tmp_path, qapp) is None  # closing starts nothing


def test_installed_commune_opens_without_asking(qapp: QApplication, tmp_path: Path) -> None:
    site = installed_site(tmp_path)
    site.parent.mkdir(parents=True)
    site.write_text("schema_version = 1\n", "utf-8")
    chosen = choose_site(LaunchOptions(demo=False, config=None, lang="vi"), tmp_path, qapp)
    assert chosen is not None and chosen.config == site and not chosen.demo
