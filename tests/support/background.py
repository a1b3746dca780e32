"""Pytest plugin: a test marked `@pytest.mark.background("module")` has its scenario — `python -m module FOLDER`,
the test's own code with the same real parts — started as a process of its own as soon as the suite is collected,
so a scenario that mostly waits (three minutes of traffic recorded on alert) runs beside the other tests instead of
adding its minutes to the suite's. When the test's turn comes, the `background_run` fixture waits for the process
(bounded) and hands the test what it wrote; a scenario that failed fails its test with its output. Only tests
selected to run are started; what is still running when the session ends is killed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
WAIT_S = 420.0


class BackgroundRun:
    def __init__(self, module: str) -> None:
        self.module = module
        self.folder = Path(tempfile.mkdtemp(prefix=f"{module.rsplit('.', 1)[-1]}-"))
        self._log = open(self.folder / "output.txt", "w")  # noqa: SIM115 - closed in wait/kill
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.started = time.monotonic()
        self.process = subprocess.Popen([sys.executable, "-m", module, str(self.folder)], cwd=ROOT, env=env,
                                        stdout=self._log, stderr=subprocess.STDOUT)

    def wait(self, timeout_s: float = WAIT_S) -> dict[str, Any]:
        """What the scenario wrote to result.json; fails (with its output) when it failed or overran."""
        left = max(1.0, timeout_s - (time.monotonic() - self.started))
        try:
            code = self.process.wait(left)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"{self.module} overran {timeout_s:.0f} s:\n{self.output()}")
        self._log.close()
        if code != 0:
            pytest.fail(f"{self.module} failed (exit {code}):\n{self.output()}")
        return dict(json.loads((self.folder / "result.json").read_text("utf-8")))

    def output(self) -> str:
        self._log.flush()
        return (self.folder / "output.txt").read_text("utf-8", errors="replace")[-6000:]

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self._log.close()


_RUNS: dict[str, BackgroundRun] = {}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "background(module): the test's scenario runs as `python -m module FOLDER` "
                                       "from the start of the session (tests/support/background.py)")


def pytest_collection_finish(session: pytest.Session) -> None:
    for item in session.items:
        marker = item.get_closest_marker("background")
        if marker is not None and item.nodeid not in _RUNS:
            _RUNS[item.nodeid] = BackgroundRun(str(marker.args[0]))


def pytest_sessionfinish(session: pytest.Session) -> None:
    for run in _RUNS.values():
        run.kill()


@pytest.fixture()
def background_run(request: pytest.FixtureRequest) -> BackgroundRun:
    run = _RUNS.get(request.node.nodeid)
    if run is None:  # not collected through this session (cannot happen with the marker): start it now
        marker = request.node.get_closest_marker("background")
        assert marker is not None, "background_run needs @pytest.mark.background(module)"
        run = _RUNS[request.node.nodeid] = BackgroundRun(str(marker.args[0]))
    return run
