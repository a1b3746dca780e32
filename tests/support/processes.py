"""Child processes for tests (GStreamer's server, the console): started bounded in time, always reaped."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

DEBIAN_PYTHON = "/usr/bin/python3"
SUPPORT = Path(__file__).resolve().parent


@contextmanager
def child(command: list[str], ready: str, timeout_s: float = 20.0,
          env: dict[str, str] | None = None, stdin_text: str | None = None) -> Iterator[subprocess.Popen[str]]:
    """Run `command` until its stdout prints a line starting with `ready`; terminate it afterwards.
    `stdin_text` (a secret the command must not see in its argv) is written to its stdin, which is then closed."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, **(env or {})},
                               stdin=subprocess.DEVNULL if stdin_text is None else subprocess.PIPE)
    if stdin_text is not None:
        assert process.stdin is not None
        process.stdin.write(stdin_text)
        process.stdin.close()
    output: list[str] = []
    seen = threading.Event()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            if line.startswith(ready):
                seen.set()

    threading.Thread(target=pump, daemon=True).start()
    try:
        deadline = time.monotonic() + timeout_s
        while not seen.wait(0.1):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{command[0]} did not get ready:\n{''.join(output)[-2000:]}")
        yield process
    finally:
        stop(process)


def stop(process: subprocess.Popen[Any], timeout_s: float = 10.0) -> None:
    """SIGTERM, then SIGKILL if it has not exited within `timeout_s`; always reaped."""
    process.terminate()
    try:
        process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def gst_server(port: int, mounts: int, codec: str = "h264", bframes: bool = False,
               digest: tuple[str, str] | None = None, frames: int = 0) -> AbstractContextManager[subprocess.Popen[str]]:
    """GStreamer's RTSP server (tests/support/gst_rtsp_server.py); `digest` = (user, password) it requires."""
    command = [DEBIAN_PYTHON, str(SUPPORT / "gst_rtsp_server.py"), "--port", str(port), "--mounts", str(mounts),
               "--codec", codec]
    if bframes:
        command.append("--bframes")
    if frames:
        command += ["--frames", str(frames)]
    if digest is not None:
        command += ["--digest", digest[0]]
    return child(command, "GST READY", stdin_text=None if digest is None else digest[1] + "\n")
