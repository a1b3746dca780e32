"""The console's command line as the technician uses it: --version, --import-credentials, --self-test."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

from console.core.buildinfo import git_commit
from console.core.credentials import CredentialStore
from console.core.seed import installed_site
from tests.support.siteconfig import write_demo_config

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
