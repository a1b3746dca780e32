"""`camera-console --demo` as a user starts it: the window appears and its simulated cameras answer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from console.core.config import load_config
from console.core.credentials import CredentialStore, with_credentials
from console.core.paths import demo_config_path
from tests.support.clients import read_frames
from tests.support.waiting import wait_until
from tests.support.xwindows import window_titles


def why_not_listening(url: str, data: Path) -> str:
    """Who listens on the camera's port (another test's leftover?) and the tail of the console's logs."""
    port = urlsplit(url).port
    listeners = subprocess.run(["ss", "-ltnpH", f"sport = :{port}"], capture_output=True, text=True).stdout
    logs = "\n".join(f"--- {path.name}\n{path.read_text('utf-8', 'replace')[-3000:]}"
                      for path in sorted((data / "logs").glob("*.log")))
    return f"listening on {port}: {listeners.strip() or 'nothing'}\n{logs}"


@pytest.mark.skipif(not os.environ.get("DISPLAY"), reason="needs an X server (scripts/test.sh starts Xvfb)")
def test_demo_opens_vietnamese_window_and_serves_cameras(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {**os.environ, "CAMERA_CONSOLE_DATA": str(data), "PYTHONFAULTHANDLER": "1"}
    process = subprocess.Popen([sys.executable, "-m", "console", "--demo"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        def window_up() -> bool:
            assert process.poll() is None, process.communicate()[0]  # it did not die on the way
            return "Giám sát camera an ninh" in window_titles()

        wait_until(window_up, 60, poll_s=0.5, what="the console's window on the X server")
        store = CredentialStore.load(data / "demo-credentials.toml")
        camera = load_config(demo_config_path()).cameras[0]
        url = with_credentials(camera.sub_url or "", store.get("demo"))
        read: list[int] = []

        def listening() -> bool:
            try:
                read.append(read_frames(url, 5).frames)
            except ConnectionRefusedError:
                return False
            return True

        try:
            wait_until(listening, 60, poll_s=0.5, what="the demo's simulator listening")
        except AssertionError as exc:  # say what held the port and what the console's log says (seen once)
            raise AssertionError(f"{exc}\n{why_not_listening(camera.sub_url or '', data)}") from None
        assert read == [5]
        log = (data / "logs" / "console.log").read_text("utf-8")
        assert store.get("demo").password not in log  # type: ignore[union-attr]
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0]
    assert process.returncode == 0, output[-6000:]  # SIGTERM closed the window cleanly …
    with pytest.raises(ConnectionRefusedError):  # … and took the demo's simulator down with it
        read_frames(url, 1)
