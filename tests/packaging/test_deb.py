"""The department's .deb (built once per session, conftest.py), installed with apt on this machine, run
and removed (root or sudo). The installed program is what an officer gets: no venv, no checkout; its own
Python, Qt, PyAV and libVLC under /opt/camera-console.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from tests.support.installed import SEEDED_COMMUNE, bench_frames
from tests.support.processes import child, stop
from tests.support.waiting import wait_until
from tests.support.xwindows import window_titles

ROOT = Path(__file__).resolve().parents[2]
INSTALLED = Path("/opt/camera-console")
EXECUTABLE = Path("/usr/bin/camera-console")
DESKTOP = Path("/usr/share/applications/camera-console.desktop")
SUDO = [] if os.geteuid() == 0 else ["sudo"]

pytestmark = pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs an X server (scripts/test.sh starts Xvfb)")


def apt(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*SUDO, "apt-get", "-y", "-q", *args], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


@pytest.fixture(scope="module")
def installed(built_deb: dict[str, object]) -> Iterator[dict[str, object]]:
    """The package installed with apt on this machine; removed afterwards."""
    result = apt("install", str(built_deb["deb"]))
    if result.returncode != 0 and "Unable to locate" in result.stderr + result.stdout:
        apt("update")  # a fresh machine may have no package lists for the dependencies yet
        result = apt("install", str(built_deb["deb"]))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    try:
        yield built_deb
    finally:
        apt("remove", "camera-console")


@pytest.fixture(scope="module")
def officer_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The home of the officer who uses the seeded commune (kept across tests: removal must not touch it)."""
    return tmp_path_factory.mktemp("officer") / "home"


def officer_env(home: Path) -> dict[str, str]:
    """A new officer account: its own home, nothing of the checkout or the test venv on any path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CAMERA_CONSOLE", "PYTHON", "VIRTUAL_ENV"))}
    env["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    env["HOME"] = str(home)
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_RUNTIME_DIR"):
        env.pop(name, None)
    # The simulator's encoded loops are a cache, not officer data: share the test run's to save ~40 s.
    env["XDG_CACHE_HOME"] = str(Path.home() / ".cache")
    return env


def install_tree_snapshot() -> dict[str, float]:
    return {str(p): p.stat().st_mtime for p in INSTALLED.rglob("*") if not p.is_symlink()}


def grab_screen(path: Path) -> Image.Image:
    """The X server's screen (not what the program thinks it drew), saved for the record."""
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-f", "x11grab", "-i", os.environ["DISPLAY"], "-frames:v",
                    "1", str(path)], check=True, timeout=60)
    return Image.open(path).convert("L")


def run_console(args: list[str], env: dict[str, str], report: Path, title: str,
                screenshot: Path | None = None) -> tuple[int, str]:
    """Start the installed console, wait for its Vietnamese window and a picture in a tile, SIGTERM it."""
    process = subprocess.Popen([str(EXECUTABLE), *args, "--bench-report", str(report)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_until(lambda: title in window_titles() or process.poll() is not None, 90)
        assert process.poll() is None, process.communicate()[0][-4000:]
        wait_until(lambda: bench_frames(report) > 0 or process.poll() is not None, 120)
        frames = bench_frames(report)
        if screenshot is not None:
            time.sleep(1.0)  # a second of pictures in every tile that has one
            shot = grab_screen(screenshot)
            assert ImageStat.Stat(shot).stddev[0] > 20, "the screen is (nearly) uniform: no window drawn"
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0]
    assert process.returncode == 0, output[-4000:]
    return frames, output


def test_package_installs_files_menu_entry_and_dependencies(installed: dict[str, object]) -> None:
    assert EXECUTABLE.resolve() == INSTALLED / "camera-console"
    assert (INSTALLED / "_internal" / "vlc" / "plugins" / "plugins.dat").is_file()
    assert (INSTALLED / "_internal" / "translations" / "console_vi.qm").is_file()
    assert not (INSTALLED / "_internal" / "PySide6" / "Qt" / "lib" / "libQt6Quick.so.6").exists()
    entry = DESKTOP.read_text("utf-8")
    assert "Name[vi]=Giám sát camera an ninh" in entry and "Comment[vi]=" in entry
    validate = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True)
    assert validate.returncode == 0 and not validate.stdout.strip(), validate.stdout
    assert Path("/usr/share/icons/hicolor/256x256/apps/camera-console.png").is_file()
    # Every shared library any file of the bundle needs resolves on this machine once the Depends are in.
    missing = []
    for path in INSTALLED.rglob("*.so*"):
        if path.is_file() and "vlc/plugins" not in str(path):
            out = subprocess.run(["ldd", str(path)], capture_output=True, text=True).stdout
            missing += [f"{path.name}: {line.strip()}" for line in out.splitlines() if "not found" in line]
    assert missing == []


def test_version_and_self_test_of_the_installed_bundle(installed: dict[str, object], tmp_path: Path) -> None:
    env = officer_env(tmp_path / "home")
    version = subprocess.run([str(EXECUTABLE), "--version"], capture_output=True, text=True, env=env, timeout=60)
    assert version.returncode == 0 and version.stdout.startswith(f"camera-console {installed['version']} (commit ")
    assert " built " in version.stdout
    result = subprocess.run([str(EXECUTABLE), "--self-test"], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    report = json.loads(result.stdout)
    assert report["frozen"] is True and report["ok"] is True
    assert report["translation_vi"] == "&Giới thiệu" and report["ui_font"] == "Noto Sans"
    assert report["libvlc_decoded_pictures"] > 0
    assert report["libvlc_plugin_path"].startswith(str(INSTALLED))
    assert report["data_dir"] == str(tmp_path / "home" / ".local" / "share" / "camera-console")
    assert set(report["seed_files"]) == {"site.toml", "users.toml", "map/gia_dong.mbtiles"}


def test_installed_demo_shows_pictures_in_a_vietnamese_window(installed: dict[str, object], tmp_path: Path,
                                                              artifacts: Path) -> None:
    home = tmp_path / "home"
    before = install_tree_snapshot()
    frames, _ = run_console(["--demo"], officer_env(home), tmp_path / "report.json", "Giám sát camera an ninh",
                            screenshot=artifacts / "installed_deb_demo.png")
    assert frames > 0
    data = home / ".local" / "share" / "camera-console"
    assert (data / "console.db").is_file() and (data / "logs" / "console.log").is_file()
    assert install_tree_snapshot() == before  # nothing written under the install folder


def test_first_start_imports_the_seed_and_opens_the_commune(installed: dict[str, object], officer_home: Path,
                                                           tmp_path: Path) -> None:
    home = officer_home
    seed_site = INSTALLED / "_internal" / "seed" / "site.toml"
    env = officer_env(home)
    with child([str(EXECUTABLE), "--run-simulator", "--config", str(seed_site)], "SIMULATOR READY",
               timeout_s=180, env=env) as simulator:
        frames, _ = run_console([], env, tmp_path / "report.json", SEEDED_COMMUNE)
        stop(simulator)
    assert frames > 0
    site = home / ".local" / "share" / "camera-console" / "site"
    assert (site / "site.toml").read_text("utf-8") == seed_site.read_text("utf-8")
    assert (site / "map" / "gia_dong.mbtiles").is_file()
    with sqlite3.connect(site.parent / "console.db") as db:
        logins = sorted(row[0] for row in db.execute("SELECT login FROM users"))
    assert logins == ["quantri", "trucban1"]


def test_removal_takes_the_program_and_leaves_officer_data(installed: dict[str, object], officer_home: Path) -> None:
    """Last in the module: it uninstalls."""
    data = officer_home / ".local" / "share" / "camera-console"
    kept = {p: p.read_bytes() for p in (data / "console.db", data / "site" / "site.toml")}
    result = apt("remove", "camera-console")
    assert result.returncode == 0, result.stderr
    assert not INSTALLED.exists() and not EXECUTABLE.exists() and not DESKTOP.exists()
    assert {p: p.read_bytes() for p in kept} == kept
