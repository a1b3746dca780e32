"""A site file whose cameras have `onvif` tables (every event kind opted in) and the simulator serving them."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from console.core.config import SiteConfig, load_config
from console.core.credentials import Credentials, CredentialStore
from console.core.onvif_settings import EventKindName
from console.simulator.server import Simulator, SimulatorOptions
from tests.support.siteconfig import write_demo_config


@contextlib.contextmanager
def onvif_site(folder: Path, credentials: Credentials, cameras: int = 2, ptz: frozenset[str] = frozenset(),
               **onvif: object) -> Iterator[tuple[Simulator, SiteConfig]]:
    """`onvif`: more keys of every camera's `onvif` table (e.g. `home_after_min`)."""
    events = [k.value for k in EventKindName]
    path = write_demo_config(folder / "site.toml", cameras=cameras, credentials="demo",
                             onvif={"events": events, **onvif})
    store = CredentialStore({"demo": credentials})
    config = load_config(path, store.refs)
    options = SimulatorOptions(loop_s=2.0, onvif=True, cache_dir=folder, ptz_cameras=ptz)
    with Simulator(config, store, options) as simulator:
        yield simulator, config
