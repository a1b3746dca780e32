"""Shared fixtures: data folder per test, demo-based site configs on free ports, real RTSP servers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from console.core.config import SiteConfig, StreamKind, load_config
from console.core.credentials import Credentials, CredentialStore
from console.media.pool import StreamPool
from console.simulator.server import Simulator, SimulatorOptions
from tests.support.siteconfig import write_demo_config

# After the whole suite, no test password may be found in any log, database, snapshot, temp folder or output.
pytest_plugins = ["tests.support.secrets_sweep",
                  "tests.support.screens",  # Qt offscreen unless --onscreen
                  "tests.support.databases",  # open_db: connections closed with the test
                  "tests.support.playback",  # the recorded clip and its player, shared by the playback tests
                  "tests.support.nvr_fixtures",  # `nvr`: the simulated recorders, reset around each test
                  "tests.support.brokers",  # `broker`: a test on mosquitto and on RabbitMQ
                  "tests.support.background"]  # long waiting scenarios started at collection, beside the rest

ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", Path(__file__).resolve().parents[1] / "artifacts"))


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data folder: nothing touches the officer's real data."""
    data = tmp_path / "data"
    monkeypatch.setenv("CAMERA_CONSOLE_DATA", str(data))
    return data


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> SiteConfig:
    """The Gia Đông demo (11 sites, 25 cameras) moved onto free loopback ports, no passwords."""
    folder = tmp_path_factory.mktemp("site")
    return load_config(write_demo_config(folder / "site.toml"))


@pytest.fixture(scope="session")
def simulator(demo_site: SiteConfig) -> Iterator[Simulator]:
    """The project's simulator serving all 25 demo cameras; sub loops encoded before the first test."""
    with Simulator(demo_site, options=SimulatorOptions(loop_s=4.0)) as sim:
        sim.prepare((StreamKind.SUB,))
        yield sim


@pytest.fixture(scope="session")
def demo_password() -> Credentials:
    return Credentials("admin", "Gi@ Dong:2026/sim")


@pytest.fixture()
def auth_simulator(tmp_path: Path, demo_password: Credentials) -> Iterator[Simulator]:
    """Two demo cameras that require Digest auth with `demo_password`."""
    store = CredentialStore({"demo": demo_password})
    path = write_demo_config(tmp_path / "auth.toml", cameras=2, credentials="demo")
    with Simulator(load_config(path, store.refs), store, SimulatorOptions(loop_s=4.0)) as sim:
        yield sim


@pytest.fixture()
def pools() -> Iterator[list[StreamPool]]:
    """Pools a test opens, closed after it (append each one)."""
    made: list[StreamPool] = []
    yield made
    for pool in made:
        pool.close()
