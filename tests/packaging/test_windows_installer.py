"""The Windows installer script compiles with Debian's makensis around a bundle-shaped folder.

What cannot run here: freezing the Windows bundle (PyInstaller does not cross-compile; no Windows CPython
or libVLC from the registries this machine reaches) and running the installer (that is the Windows CI
workflow's job, .github/workflows/windows.yml).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NSI = ROOT / "packaging" / "windows" / "camera-console.nsi"


def test_installer_script_compiles_with_warnings_as_errors(tmp_path: Path) -> None:
    bundle = tmp_path / "camera-console"
    (bundle / "_internal" / "seed").mkdir(parents=True)
    (bundle / "camera-console.exe").write_bytes(b"MZ" + b"\0" * 64)
    (bundle / "camera-console-cli.exe").write_bytes(b"MZ" + b"\0" * 64)
    (bundle / "_internal" / "seed" / "site.toml").write_text('name = "Xã Gia Đông"\n', "utf-8")
    result = subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py"), "installer", "--bundle-dir",
                             str(bundle)], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    installer = Path(json.loads(result.stdout)["installer"])
    assert installer.read_bytes()[:2] == b"MZ" and installer.stat().st_size > 50_000


def test_installer_is_per_machine_keeps_user_data_and_names_shortcuts_in_vietnamese() -> None:
    script = NSI.read_text("utf-8")
    assert "RequestExecutionLevel admin" in script and 'InstallDir "$PROGRAMFILES64\\' in script
    assert '!define APP_NAME "Giám sát camera an ninh"' in script
    assert 'CreateShortcut "$DESKTOP\\${APP_NAME}.lnk"' in script and "$SMPROGRAMS\\${APP_NAME}" in script
    assert "Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\" in script
    # User data is removed only by the unticked (/o) section or /PURGE.
    assert 'Section /o "un.Xóa cả dữ liệu' in script and '${GetOptions} $0 "/PURGE"' in script


def test_build_refuses_to_freeze_windows_bundle_on_linux() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py"), "installer"],
                            capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 1 and "can only be frozen on Windows" in result.stderr
