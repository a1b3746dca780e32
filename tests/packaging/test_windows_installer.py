"""The Windows installer: compiled by Debian's makensis around a bundle-shaped folder, then installed and
uninstalled silently under Debian's wine64 (a real Windows registry, Start menu and user profile).

What cannot run here: freezing the Windows bundle (PyInstaller does not cross-compile; no Windows CPython
or libVLC from the registries this machine reaches), so the installed "program" is a placeholder; the
Windows CI workflow (.github/workflows/windows-installer.yml) builds and runs the real one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WINE = Path("/usr/lib/wine/wine64")
WINESERVER = Path("/usr/lib/wine/wineserver")
UNINSTALL_KEY = r"HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\CameraConsole"
APP_NAME = "Giám sát camera an ninh"


def build_installer(bundle: Path, *extra: str) -> Path:
    result = subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py"), "installer", "--bundle-dir",
                             str(bundle), *extra], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    installer = Path(json.loads(result.stdout)["installer"])
    assert installer.read_bytes()[:2] == b"MZ"
    return installer


@pytest.fixture()
def bundle(tmp_path: Path) -> Path:
    folder = tmp_path / "camera-console"
    (folder / "_internal" / "seed").mkdir(parents=True)
    for exe in ("camera-console.exe", "camera-console-cli.exe"):
        (folder / exe).write_bytes(b"MZ" + b"\0" * 64)
    (folder / "_internal" / "seed" / "site.toml").write_text('name = "Xã Gia Đông"\n', "utf-8")
    return folder


class Wine:
    """A private Windows prefix; every command waits until the prefix's processes are done."""

    def __init__(self, prefix: Path) -> None:
        self.prefix = prefix
        self.env = {**os.environ, "WINEPREFIX": str(prefix), "WINEDEBUG": "-all", "DISPLAY": ""}

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([str(WINE), *args], capture_output=True, text=True, errors="replace", timeout=300,
                                env=self.env)
        subprocess.run([str(WINESERVER), "-w"], timeout=300, env=self.env)
        return result

    def key_exists(self, key: str) -> bool:
        return self.run("reg", "query", key).returncode == 0

    def uninstall_entry(self, name: str) -> str:
        """A value of our uninstall key as wine's system.reg stores it (non-ASCII as \\x escapes), decoded."""
        section = False
        for line in (self.prefix / "system.reg").read_text("utf-8", errors="replace").splitlines():
            if line.startswith("["):
                section = line.startswith("[Software\\\\Microsoft") and "\\\\Uninstall\\\\CameraConsole]" in line
            elif section and line.startswith(f'"{name}"='):
                return line.split("=", 1)[1].strip('"').encode("ascii").decode("unicode_escape")
        return ""

    def drive_c(self) -> Path:
        return self.prefix / "drive_c"

    def local_app_data(self) -> Path:
        users = [p for p in (self.drive_c() / "users").iterdir() if p.name != "Public"]
        return users[0] / "AppData" / "Local"

    def shortcuts(self) -> list[str]:
        return sorted(p.name for p in self.drive_c().rglob("*.lnk") if APP_NAME in p.name)


@pytest.fixture()
def wine(tmp_path: Path) -> Iterator[Wine]:
    prefix = Wine(tmp_path / "wineprefix")
    prefix.run("wineboot", "--init")
    yield prefix
    subprocess.run([str(WINESERVER), "-k"], timeout=60, env=prefix.env)


def test_installer_compiles_with_nsis_official_x86_stub(bundle: Path) -> None:
    assert build_installer(bundle).stat().st_size > 50_000


def test_silent_install_then_uninstall_keeps_user_data_unless_purged(bundle: Path, wine: Wine) -> None:
    installer = build_installer(bundle, "--amd64-stub")
    assert wine.run(str(installer), "/S").returncode == 0
    program = wine.drive_c() / "Program Files" / "CameraConsole"
    assert (program / "camera-console.exe").is_file() and (program / "_internal" / "seed" / "site.toml").is_file()
    assert wine.key_exists(UNINSTALL_KEY) and wine.uninstall_entry("DisplayName") == APP_NAME
    # Per machine: the all-users Start menu and the public desktop, Vietnamese names.
    assert wine.shortcuts() == [f"{APP_NAME}.lnk", f"{APP_NAME}.lnk", f"Gỡ cài đặt {APP_NAME}.lnk"]
    data = wine.local_app_data() / "camera-console"
    data.mkdir(parents=True)
    (data / "console.db").write_bytes(b"the officer's alerts")

    assert wine.run(str(program / "uninstall.exe"), "/S").returncode == 0
    assert not program.exists() and not wine.key_exists(UNINSTALL_KEY) and wine.shortcuts() == []
    assert (data / "console.db").read_bytes() == b"the officer's alerts"  # kept by default

    assert wine.run(str(installer), "/S").returncode == 0  # reinstall over kept data, then purge
    assert (data / "console.db").is_file()
    assert wine.run(str(program / "uninstall.exe"), "/S", "/PURGE").returncode == 0
    assert not data.exists() and not program.exists()


def test_build_refuses_to_freeze_windows_bundle_on_linux() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py"), "installer"],
                            capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 1 and "can only be frozen on Windows" in result.stderr
