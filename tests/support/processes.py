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
          env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[str]]:
    """Run `command` until its stdout prints a line starting with `ready`; terminate it afterwards."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL)
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


def gst_server(port: int, mounts: int) -> AbstractContextManager[subprocess.Popen[str]]:
    return child([DEBIAN_PYTHON, str(SUPPORT / "gst_rtsp_server.py"), "--port", str(port), "--mounts",
                  str(mounts)], "GST READY")
