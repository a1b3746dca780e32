"""The recorder simulator as tests use it: the Gia Đông demo's 25 cameras as channels of a Hikvision and a Dahua
recorder on loopback, its users (an administrator and an operator without playback rights), the adapters pointed
at it, faults reset between tests, and a few helpers (a moment surely recorded, a loop frame decoded)."""

from __future__ import annotations

import asyncio
import tomllib
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar

import av
import numpy as np
import numpy.typing as npt

from console.core.config import SiteConfig, StreamKind, load_config, parse_config
from console.core.credentials import Credentials
from console.core.paths import demo_config_path
from console.core.vntime import VN_TZ
from console.nvr import RecorderClient, open_recorder
from console.nvr.models import RecorderAddress
from console.simulator.loops import EncodedLoop
from console.simulator.nvr.device_time import DeviceClock
from console.simulator.nvr.digest import RecorderUser
from console.simulator.nvr.recorder import RecorderFaults, RecorderSettings, Vendor, channels_of
from console.simulator.nvr.server import RecorderOptions, RecorderSimulator, RunningRecorder
from tests.support.siteconfig import write_demo_config

_T = TypeVar("_T")

PASSWORD = "Dung-Mat-Khau-1"
WRONG_PASSWORD = "Sai-Mat-Khau"
VIEWER_PASSWORD = "Mat-Khau-Moi-22"
ADMIN = Credentials("admin", PASSWORD)
VIEWER = Credentials("xemlai", VIEWER_PASSWORD)  # an operator who may watch live but not play back
USERS = (RecorderUser(ADMIN.username, PASSWORD), RecorderUser(VIEWER.username, VIEWER_PASSWORD, playback=False))
VENDORS = (Vendor.HIKVISION, Vendor.DAHUA)
TEST_TIMEOUT_S = 30.0


def demo_config(folder: Path) -> SiteConfig:
    return load_config(write_demo_config(folder / "site.toml"))


@contextmanager
def recorder_simulator(config: SiteConfig) -> Iterator[RecorderSimulator]:
    # Sub-stream loops with 2-s GOPs: small to encode, and a moment is then found within a GOP that is not a second.
    settings = RecorderSettings(loop_s=4.0, gop_s=2.0, record_kind=StreamKind.SUB, heartbeat_s=0.5)
    with RecorderSimulator(channels_of(config), USERS, RecorderOptions(settings=settings)) as sim:
        yield sim


def reset(sim: RecorderSimulator) -> None:
    """Every recorder as it starts: no faults, its clock right, in Vietnam's zone."""
    for running in sim.recorders.values():
        running.state.faults = RecorderFaults()
        clock = running.state.clock
        clock.zone_offset_s, clock.offset_s = DeviceClock().zone_offset_s, 0.0
        clock.z_means_local = clock.status_with_offset = False


def address(running: RunningRecorder) -> RecorderAddress:
    return RecorderAddress("127.0.0.1", running.http_port, running.rtsp_port)


def adapter(running: RunningRecorder, credentials: Credentials | None = ADMIN) -> RecorderClient:
    return open_recorder(running.vendor.value, address(running), credentials)


def run(make: Callable[[], Awaitable[_T]], timeout_s: float = TEST_TIMEOUT_S) -> _T:
    """Run a coroutine on a fresh loop, bounded."""
    async def bounded() -> _T:
        async with asyncio.timeout(timeout_s):
            return await make()

    return asyncio.run(bounded())


async def using(running: RunningRecorder, body: Callable[[RecorderClient], Awaitable[_T]],
                credentials: Credentials | None = ADMIN) -> _T:
    recorder = adapter(running, credentials)
    try:
        return await body(recorder)
    finally:
        await recorder.close()


def yesterday_at(hour: int, minute: int, second: int) -> int:
    """Epoch ms of yesterday's `hour:minute:second` in Vietnam time: recorded on every channel (the recorders hold
    three days; no gap is at these times), and never in the future."""
    day = datetime.now(VN_TZ).date() - timedelta(days=1)
    return int(datetime.combine(day, time(hour, minute, second), VN_TZ).timestamp() * 1000)


def loop_of(running: RunningRecorder, channel: int) -> EncodedLoop:
    return running.state.loop(channel, running.state.settings.record_kind).result(timeout=120)


def expected_first(running: RunningRecorder, at_ms: int) -> int:
    """The moment of the keyframe at or before `at_ms` (what a playback from there must start with)."""
    profile = running.state.profile(running.state.settings.record_kind)
    number = at_ms * profile.fps // 1000
    return (number - number % profile.gop_frames) * 1000 // profile.fps


def recorded_luma(running: RunningRecorder, channel: int, at_ms: int) -> npt.NDArray[np.uint8]:
    """The picture the recording of `channel` shows at the keyframe `at_ms`, decoded here on its own."""
    loop = loop_of(running, channel)
    profile = loop.profile
    index = (at_ms * profile.fps // 1000) % loop.frame_count
    frame = loop.frames[index]
    assert frame.key, "expected a keyframe"
    codec = av.CodecContext.create("h264", "r")
    data = b"".join(b"\x00\x00\x00\x01" + nal for nal in frame.nals)
    pictures = codec.decode(av.Packet(data)) + codec.decode(None)
    return np.asarray(pictures[0].to_ndarray(format="gray"), dtype=np.uint8)


def key_moments(running: RunningRecorder) -> list[int]:
    """Loop indexes of every keyframe, for telling one picture from the others."""
    loop = loop_of(running, 1)
    return [i for i, frame in enumerate(loop.frames) if frame.key]


def recorder_site(sim: RecorderSimulator, on_channels: dict[str, tuple[str, int]], *, hik_id: str = "nvr-hik",
                  dahua_id: str = "nvr-dh", hik_port: int | None = None, events: bool = True,
                  extra: tuple[dict[str, Any], ...] = ()) -> SiteConfig:
    """The demo site with the simulator's two recorders as `[[recorders]]` (`hik_port`: another HTTP port for the
    Hikvision one) and `on_channels` ({camera: (recorder, channel)}) of them; `extra` recorders added as given."""
    data = tomllib.loads(demo_config_path().read_text("utf-8"))
    data.pop("credentials_file", None)
    data.pop("map", None)
    hik, dahua = sim.recorder(Vendor.HIKVISION), sim.recorder(Vendor.DAHUA)
    quiet = {} if events else {"events": False}
    data["recorders"] = [
        {"id": hik_id, "vendor": "hikvision", "host": "127.0.0.1", "http_port": hik_port or hik.http_port,
         "rtsp_port": hik.rtsp_port, "credentials": "nvr", **quiet},
        {"id": dahua_id, "vendor": "dahua", "host": "127.0.0.1", "http_port": dahua.http_port,
         "rtsp_port": dahua.rtsp_port, "credentials": "nvr", "time_zone": "+07:00", **quiet}, *extra]
    for camera in data["cameras"]:
        if camera["id"] in on_channels:
            camera["recorder"], camera["recorder_channel"] = on_channels[camera["id"]]
    config, issues = parse_config(data)
    assert config is not None, [i.describe("en") for i in issues]
    return config
