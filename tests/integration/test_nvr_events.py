"""A recorder's event stream through the adapters' event channel, against both faces: events of the site's cameras
arrive as the cameras' own messages and episodes, heartbeats keep the channel live, a stream that goes silent (open,
sending nothing) is given up and reconnected, and the channel is live again once the recorder speaks. Loopback."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import pytest

from console.core.camera_events import CameraEpisodeEvent, CameraEventKind, CameraEventMessage, ChannelState
from console.nvr import RecorderClient
from console.nvr.events import RecorderEventChannel, RecorderEventHealth, RecorderEventSettings
from console.simulator.nvr.recorder import Vendor
from console.simulator.nvr.server import RecorderSimulator
from tests.support.nvr_site import VENDORS, adapter, run

SETTINGS = RecorderEventSettings(heartbeat_s=0.5, silent_after_s=1.5, stale_after_s=1.5, lost_after_s=30.0,
                                 tick_s=0.1, cooldown_ms=0)




async def until(predicate: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout_s} s for {what}")
        await asyncio.sleep(0.05)


async def in_thread(call: Callable[[], None]) -> None:
    await asyncio.to_thread(call)


@pytest.mark.parametrize("vendor", VENDORS)
def test_events_arrive_and_a_silent_stream_is_reconnected(nvr: RecorderSimulator, vendor: Vendor) -> None:
    running = nvr.recorder(vendor)
    cameras = {number: f"C{number:02d}" for number in range(1, 26)}
    messages: list[CameraEventMessage] = []
    episodes: list[CameraEpisodeEvent] = []
    states: list[RecorderEventHealth] = []

    async def scenario() -> None:
        recorder: RecorderClient = adapter(running)
        channel = RecorderEventChannel("nvr1", recorder.address.http, lambda: recorder.events(SETTINGS.heartbeat_s),
                                       cameras, settings=SETTINGS, on_message=messages.append,
                                       on_episode=episodes.append, on_health=states.append)
        channel.start()
        try:
            await until(lambda: channel.health.state is ChannelState.LIVE and running.event_streams == 1, 5,
                        "the channel live")
            await in_thread(lambda: running.event(2, "motion", True))
            await until(lambda: bool(messages), 5, "the motion event")
            assert (messages[0].camera_id, messages[0].kind, messages[0].active) == \
                ("C02", CameraEventKind.MOTION, True)
            assert [(e.camera_id, e.phase) for e in episodes] == [("C02", "start")]

            running.faults.events_silent = True  # the recorder hangs: the connection stays, nothing comes
            await until(lambda: channel.health.silences >= 1 and channel.health.connections >= 2, 6,
                        "the silent stream given up and opened again")
            await until(lambda: channel.health.state is ChannelState.STALE, 4, "the channel stale")
            assert "im lặng" in (channel.health.error_vi or "") or channel.health.error_kind == "timeout"

            running.faults.events_silent = False
            await until(lambda: channel.health.state is ChannelState.LIVE, 6, "the channel live again")
            await until(lambda: running.event_streams == 1, 5, "one stream at the recorder, the silent ones gone")
            await in_thread(lambda: running.event(2, "motion", False))
            await in_thread(lambda: running.event(7, "tamper", True))
            await until(lambda: len(messages) >= 3, 5, "the events after the reconnection")
        finally:
            await channel.close()
            await recorder.close()

    run(scenario, timeout_s=40)
    assert [(m.camera_id, m.kind, m.active) for m in messages[1:]] == [
        ("C02", CameraEventKind.MOTION, False), ("C07", CameraEventKind.TAMPER, True)]
    assert ("C02", "end") in [(e.camera_id, e.phase) for e in episodes]
    seen = [s.state for s in states]
    changes = [state for index, state in enumerate(seen) if index == 0 or seen[index - 1] is not state]
    assert changes == [ChannelState.STARTING, ChannelState.LIVE, ChannelState.STALE, ChannelState.LIVE,
                       ChannelState.CLOSED]


def test_an_alarm_input_is_the_inputs_camera_and_an_unknown_channel_is_passed_over(nvr: RecorderSimulator) -> None:
    running = nvr.recorder(Vendor.HIKVISION)
    messages: list[CameraEventMessage] = []

    async def scenario() -> None:
        recorder = adapter(running)
        channel = RecorderEventChannel("nvr1", recorder.address.http, lambda: recorder.events(0.5),
                                       {1: "C01", 3: "C03"}, settings=SETTINGS, on_message=messages.append)
        channel.start()
        try:
            await until(lambda: running.event_streams == 1, 5, "the stream open")
            await in_thread(lambda: running.event(9, "motion", True))  # channel 9 is no camera of this site
            await in_thread(lambda: running.event(1, "alarm_input", True, input_port=3))
            await until(lambda: bool(messages), 5, "the alarm input")
        finally:
            await channel.close()
            await recorder.close()

    run(scenario)
    assert [(m.camera_id, m.kind) for m in messages] == [("C03", CameraEventKind.ALARM_INPUT)]
