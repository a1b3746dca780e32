"""The console's command line as the technician uses it: --version, --import-credentials, --self-test, and a
start that fails (a malformed site file, an unforeseen error) shown in a dialog and the log."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from console.core.buildinfo import git_commit
from console.core.credentials import CredentialStore
from console.core.seed import installed_site
from console.store.database import SCHEMA_VERSION, open_database
from tests.support.processes import stop
from tests.support.siteconfig import write_demo_config
from tests.support.waiting import wait_until
from tests.support.xwindows import window_titles

ROOT = Path(__file__).resolve().parents[2]


def console(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "console", *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})}, cwd=ROOT)


def test_version_names_the_commit() -> None:
    result = console("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"camera-console 0.1.0 (commit {git_commit(ROOT)}, source checkout)"


def test_import_credentials_from_a_usb_file_into_the_private_store(tmp_path: Path) -> None:
    data = Path(os.environ["CAMERA_CONSOLE_DATA"])
    site = installed_site(data)
    site.parent.mkdir(parents=True)
    write_demo_config(site, cameras=3, credentials="cam-c01")
    site.write_text('credentials_file = "credentials.toml"\n' + site.read_text("utf-8"), "utf-8")
    usb = tmp_path / "usb" / "mat-khau.toml"
    usb.parent.mkdir()
    usb.write_text('[cam-c01]\nusername = "admin"\npassword = "Bi-Mat#2026"\n', "utf-8")
    usb.chmod(0o777)  # FAT on a USB stick has no permissions: the source is read anyway
    result = console("--import-credentials", str(usb))
    assert result.returncode == 0, result.stderr
    assert "cam-c01" in result.stdout and "Bi-Mat#2026" not in result.stdout + result.stderr
    store_path = site.parent / "credentials.toml"
    assert stat.S_IMODE(store_path.stat().st_mode) == 0o600
    assert CredentialStore.load(store_path).get("cam-c01").password == "Bi-Mat#2026"  # type: ignore[union-attr]


def test_import_credentials_without_a_site_is_a_clear_error(tmp_path: Path) -> None:
    usb = tmp_path / "creds.toml"
    usb.write_text('[a]\nusername = "u"\npassword = "p"\n', "utf-8")
    result = console("--import-credentials", str(usb))
    assert result.returncode == 1 and "LỖI: không đọc được cấu hình" in result.stderr


def test_self_test_from_the_checkout() -> None:
    result = console("--self-test", env={"QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] and not report["frozen"] and report["libvlc_decoded_pictures"] > 0
    assert report["translation_vi"] == "&Giới thiệu" and report["ui_font_missing"] == ""


def _started(args: list[str], title: str, tmp_path: Path) -> str:
    """Start the console as the menu does, wait for a dialog titled `title` on the X screen, return the log."""
    if not os.environ.get("DISPLAY"):
        pytest.skip("needs an X display (the suite runs under xvfb-run)")
    data = Path(os.environ["CAMERA_CONSOLE_DATA"])
    with (tmp_path / "console.out").open("w") as out:
        process = subprocess.Popen([sys.executable, *args], stdout=out, stderr=subprocess.STDOUT, cwd=ROOT,
                                   stdin=subprocess.DEVNULL)
        try:
            wait_until(lambda: f'"{title}"' in window_titles() or process.poll() is not None, 60, poll_s=0.3)
            assert process.poll() is None, (tmp_path / "console.out").read_text("utf-8")
        finally:
            stop(process)
    return (data / "logs" / "console.log").read_text("utf-8")


def test_console_shows_a_located_message_for_a_malformed_site_file(tmp_path: Path) -> None:
    site = write_demo_config(tmp_path / "site.toml", cameras=1)
    site.write_text("sites = 5\n" + site.read_text("utf-8").replace("[[sites]]", "[[old_sites]]"), "utf-8")
    log = _started(["-m", "console", "--config", str(site)], "Lỗi cấu hình", tmp_path)
    assert f"configuration {site} is invalid" in log
    assert "sites: Sai kiểu dữ liệu: cần các bảng [[sites]], nhận được số nguyên" in log


def test_console_never_logs_the_password_of_a_malformed_stream_address(tmp_path: Path) -> None:
    site = write_demo_config(tmp_path / "site.toml", cameras=1)
    text = site.read_text("utf-8")
    site.write_text(text.replace("rtsp://127.0.0.1", "rtsp://alice:Sl4sh/Pw-Console@127.0.0.1", 1), "utf-8")
    log = _started(["-m", "console", "--config", str(site)], "Lỗi cấu hình", tmp_path)
    assert "main_url: Địa chỉ luồng \"rtsp://alice:***@127.0.0.1" in log
    assert "Pw-Console" not in log + (tmp_path / "console.out").read_text("utf-8")


_FAILING_START = """
import sys
import console.app

def load_site(*args, **kwargs):
    raise RuntimeError("stream rtsp://admin:Inj3cted-Pw@127.0.0.1:8554/x broke the start")

console.app.load_site = load_site
from console.__main__ import main
sys.exit(main(["--config", sys.argv[1]]))
"""


def _translated(source: str) -> str:
    from PySide6.QtCore import QTranslator

    from console.ui.shell.i18n import qm_path

    translator = QTranslator()
    return (translator.translate("App", source) or source) if translator.load(str(qm_path("vi"))) else source


def test_unexpected_failure_at_start_reaches_a_dialog_and_the_redacted_log(tmp_path: Path) -> None:
    site = write_demo_config(tmp_path / "site.toml", cameras=1)
    title = _translated("The console could not start")
    log = _started(["-c", _FAILING_START, str(site)], title, tmp_path)
    assert "CRITICAL console.app: the console could not start" in log
    assert "RuntimeError: stream rtsp://admin:***@127.0.0.1:8554/x broke the start" in log
    assert "Inj3cted-Pw" not in log + (tmp_path / "console.out").read_text("utf-8")


def test_a_database_from_a_newer_console_opens_a_dialog_naming_it(tmp_path: Path) -> None:
    site = write_demo_config(tmp_path / "site.toml", cameras=1)
    database = Path(os.environ["CAMERA_CONSOLE_DATA"]) / "console.db"
    open_database(database).close()
    conn = sqlite3.connect(database)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 3}")
    conn.close()
    log = _started(["-m", "console", "--config", str(site)], "Lỗi cơ sở dữ liệu", tmp_path)
    assert f"{database}: newer: schema {SCHEMA_VERSION + 3} is newer" in log


def test_import_from_a_store_with_a_syntax_error_names_file_line_and_column(tmp_path: Path) -> None:
    site = write_demo_config(tmp_path / "site.toml", cameras=1, credentials="cam-c01")
    site.write_text('credentials_file = "credentials.toml"\n' + site.read_text("utf-8"), "utf-8")
    usb = tmp_path / "usb.toml"
    usb.write_text('[cam-c01]\nusername = "admin"\npassword = Bi-Mat-Syntax\n', "utf-8")
    result = console("--import-credentials", str(usb), "--config", str(site))
    assert result.returncode == 1
    assert f"LỖI: Kho mật khẩu {usb} có lỗi cú pháp TOML ở dòng 3, cột 12" in result.stderr
    assert f"ERROR: The credentials store {usb} has a TOML syntax error at line 3, column 12" in result.stderr
    assert "Bi-Mat-Syntax" not in result.stdout + result.stderr


def test_a_broken_province_file_opens_the_province_dialog_naming_it(tmp_path: Path) -> None:
    province = tmp_path / "province.toml"
    province.write_text('[broker]\nurl = "mqtt://127.0.0.1:1883"\n', "utf-8")
    log = _started(["-m", "console", "--province", str(province)], "Không mở được cửa sổ trung tâm tỉnh", tmp_path)
    assert f"province file {province} is invalid" in log
