"""The simulated recorders (Hikvision and Dahua, tests/support/nvr_site.py) as fixtures of every test module that
asks for `nvr`: started once per module in a folder named after it, and set back as they start (no faults, clock
right) before and after each test that uses them. A module may define its own `nvr` (prepared recordings, its own
site) and still gets the reset."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from console.core.config import SiteConfig
from console.simulator.nvr.server import RecorderSimulator
from tests.support.nvr_site import demo_config, recorder_simulator, reset


@pytest.fixture(scope="module")
def nvr_config(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> SiteConfig:
    return demo_config(tmp_path_factory.mktemp(request.module.__name__.rpartition(".")[2]))


@pytest.fixture(scope="module")
def nvr(nvr_config: SiteConfig) -> Iterator[RecorderSimulator]:
    with recorder_simulator(nvr_config) as sim:
        yield sim


@pytest.fixture(autouse=True)
def _recorders_as_they_start(request: pytest.FixtureRequest) -> Iterator[None]:
    if "nvr" not in request.fixturenames:
        yield
        return
    sim = request.getfixturevalue("nvr")
    reset(sim)
    yield
    reset(sim)
