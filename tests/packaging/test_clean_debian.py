"""The .deb on a Debian 12 that has nothing else: a minimal root made by debootstrap (from Debian's own
mirror), the package installed there with apt, which fetches exactly its `Depends`. This machine has the
Qt, VLC and X libraries the checkout's venv needs, so only a clean root shows that the package carries or
depends on everything it uses: the self-test (Qt, fonts, translation, PyAV, libVLC decoding) and the demo
drawing pictures in a window on this machine's X server (Xvfb's abstract socket is reachable from a chroot).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.installed import bench_frames
from tests.support.waiting import wait_until
from tests.support.xwindows import window_titles

SUDO = [] if os.geteuid() == 0 else ["sudo"]
MIRROR = "http://deb.debian.org/debian"

pytestmark = pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs an X server (scripts/test.sh starts Xvfb)")


class CleanRoot:
    def __init__(self, path: Path) -> None:
        self.path = path

    def run(self, command: str, env: dict[str, str] | None = None, timeout: float = 600,
            ) -> subprocess.CompletedProcess[str]:
        variables = [f"{k}={v}" for k, v in {"HOME": "/root", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
                                               "DEBIAN_FRONTEND": "noninteractive", **(env or {})}.items()]
        return subprocess.run([*SUDO, "chroot", str(self.path), "/usr/bin/env", "-i", *variables, "/bin/sh", "-c",
                               command], capture_output=True, text=True, timeout=timeout)

    def popen(self, command: str, env: dict[str, str]) -> subprocess.Popen[str]:
        variables = [f"{k}={v}" for k, v in {"HOME": "/root", "PATH": "/usr/bin:/bin", **env}.items()]
        return subprocess.Popen([*SUDO, "chroot", str(self.path), "/usr/bin/env", "-i", *variables, *command.split()],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


@pytest.fixture(scope="module")
def clean_root(tmp_path_factory: pytest.TempPathFactory, built_deb: dict[str, object]) -> Iterator[CleanRoot]:
    path = tmp_path_factory.mktemp("bookworm") / "root"
    made = subprocess.run([*SUDO, "debootstrap", "--variant=minbase", "bookworm", str(path), MIRROR],
                          capture_output=True, text=True, timeout=900)
    assert made.returncode == 0, made.stdout[-3000:] + made.stderr[-3000:]
    subprocess.run([*SUDO, "mount", "-t", "proc", "proc", str(path / "proc")], check=True)
    root = CleanRoot(path)
    try:
        deb = Path(str(built_deb["deb"]))
        shutil.copy2(deb, path / "tmp" / deb.name)
        installed = root.run(f"apt-get update -qq && apt-get install -y -q --no-install-recommends /tmp/{deb.name}")
        assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
        yield root
    finally:
        subprocess.run([*SUDO, "umount", "--lazy", str(path / "proc")], check=False)
        subprocess.run([*SUDO, "rm", "-rf", "--one-file-system", str(path)], check=False)


def test_self_test_passes_on_a_clean_debian(clean_root: CleanRoot) -> None:
    result = clean_root.run("camera-console --self-test", {"QT_QPA_PLATFORM": "offscreen"}, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    report = json.loads(result.stdout)
    assert report["ok"] and report["frozen"] and report["libvlc_decoded_pictures"] > 0
    assert report["ui_font"] == "Noto Sans" and report["ui_font_missing"] == ""  # no fonts package there


def test_demo_draws_pictures_on_a_clean_debian(clean_root: CleanRoot) -> None:
    auth = os.environ.get("XAUTHORITY")
    env = {"DISPLAY": os.environ["DISPLAY"]}
    if auth:
        shutil.copy2(auth, clean_root.path / "tmp" / "xauthority")
        env["XAUTHORITY"] = "/tmp/xauthority"
    # The simulator's encoded loops are a cache: the test run's copy saves ~40 s of encoding there.
    cache = Path.home() / ".cache" / "camera-console"
    if cache.is_dir():
        shutil.copytree(cache, clean_root.path / "root" / ".cache" / "camera-console", dirs_exist_ok=True)
    report = clean_root.path / "tmp" / "report.json"
    process = clean_root.popen("camera-console --demo --bench-report /tmp/report.json", env)
    try:
        wait_until(lambda: "Giám sát camera an ninh" in window_titles() or process.poll() is not None, 90)
        assert process.poll() is None, process.communicate()[0][-4000:]
        wait_until(lambda: bench_frames(report) > 0 or process.poll() is not None, 120)
        assert bench_frames(report) > 0
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0]
    assert process.returncode == 0, output[-4000:]
    time.sleep(0.5)
    assert "Giám sát camera an ninh" not in window_titles()
