"""Pytest plugin: the suite's own QApplication runs offscreen (a 1920×1080 screen that needs no X server) unless
`--onscreen` is given; the tests that read the X server's pixels (`@pytest.mark.onscreen`: screenshots off
the screen) need it and are skipped without it, with the reason. scripts/test.sh runs both passes.

Tests that start the console as a process (the demo end to end, the CLI dialogs, the packages) still use the
X server from DISPLAY: only this process's Qt is offscreen.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SCREEN = {"name": "offscreen", "x": 0, "y": 0, "width": 1920, "height": 1080, "logicalDpi": 96,
          "logicalBaseDpi": 96, "dpr": 1}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--onscreen", action="store_true",
                     help="run Qt on the X server of DISPLAY (Xvfb) and the tests marked onscreen")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "onscreen: reads the X server's screen; runs with --onscreen (scripts/test.sh)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--onscreen"):
        return
    skip = pytest.mark.skip(reason="reads the X server's screen: runs in the --onscreen pass of scripts/test.sh")
    for item in items:
        if item.get_closest_marker("onscreen") is not None:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def qapp_args(pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """pytest-qt's QApplication arguments: offscreen at 1920×1080, or (--onscreen) the X server."""
    if pytestconfig.getoption("--onscreen"):
        return ["camera-console-tests"]
    config = tmp_path_factory.mktemp("qpa") / "offscreen.json"
    config.write_text(json.dumps({"synchronousWindowSystemEvents": False, "windowFrameMargins": False,
                                  "screens": [SCREEN]}), "utf-8")
    return ["camera-console-tests", "-platform", f"offscreen:configfile={Path(config)}"]
