"""The recorder event channel's rules with a stand-in stream: a silent stream is reconnected, a channel that hears
nothing goes stale then lost (and closes its episodes), refused logins halt it until asked, events of unknown
channels are passed over, a receiver's bug never ends it."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from console.core.camera_events import CameraEpisodeEvent, CameraEventKind, CameraEventMessage, ChannelState
from console.nvr.errors import NvrError, NvrErrorKind
from console.nvr.events import RecorderEventChannel, RecorderEventSettings
from console.nvr.messages import Operation
from console.nvr.models import RecorderNotice

FAST = RecorderEventSettings(silent_after_s=0.3, stale_after_s=0.3, lost_after_s=0.8, tick_s=0.05, cooldown_ms=0,
                             auth_retry_s=(0.05, 0.05))


class FakeRecorder:
    """Streams whose notices a test scripts; each connection takes the next script (an exception: refused)."""

    def __init__(self, scripts: list[list[RecorderNotice | float] | NvrError]) -> None:
        self.scripts = scripts
        self.connections = 0

    def connect(self) -> AbstractAsyncContextManager[AsyncIterator[RecorderNotice]]:
        @asynccontextmanager
        async def stream() -> AsyncIterator[AsyncIterator[RecorderNotice]]:
            script = self.scripts[min(self.connections, len(self.scripts) - 1)]
            self.connections += 1
            if isinstance(script, NvrError):
                raise script

            async def notices() -> AsyncIterator[RecorderNotice]:
                for step in script:
                    if isinstance(step, float):
                        await asyncio.sleep(step)
                    else:
                        yield step
                await asyncio.sleep(3600)  # then silence

            yield notices()

        return stream()


def heartbeat() -> RecorderNotice:
    return RecorderNotice(heartbeat=True)


def motion(channel: int, active: bool) -> RecorderNotice:
    return RecorderNotice(False, channel, "VMD", CameraEventKind.MOTION, active)


async def until(predicate: Callable[[], bool], timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        assert time.monotonic() < deadline, "never happened"
        await asyncio.sleep(0.02)


def run(recorder: FakeRecorder, body: Callable[[RecorderEventChannel], object], **kwargs: object) -> None:
    async def scenario() -> None:
        channel = RecorderEventChannel("nvr1", "10.0.0.5:80", recorder.connect, {1: "C01", 2: "C02"},
                                       settings=FAST, rng=random.Random(1), **kwargs)  # type: ignore[arg-type]
        channel.start()
        try:
            result = body(channel)
            if asyncio.iscoroutine(result):
                await result
        finally:
            await channel.close()

    asyncio.run(asyncio.wait_for(scenario(), 20))


def test_a_silent_stream_is_reconnected_and_the_events_after_it_arrive() -> None:
    messages: list[CameraEventMessage] = []
    recorder = FakeRecorder([[heartbeat(), motion(1, True)], [heartbeat(), motion(1, False)]])

    async def body(channel: RecorderEventChannel) -> None:
        await until(lambda: len(messages) == 2, 5)
        assert channel.health.silences == 1 and channel.health.connections == 2

    run(recorder, body, on_message=messages.append)
    assert [(m.camera_id, m.active) for m in messages] == [("C01", True), ("C01", False)]


def test_a_channel_that_hears_nothing_is_stale_then_lost_and_its_episodes_end() -> None:
    episodes: list[CameraEpisodeEvent] = []
    recorder = FakeRecorder([[motion(2, True)], []])

    async def body(channel: RecorderEventChannel) -> None:
        await until(lambda: channel.health.state is ChannelState.LIVE, 2)
        await until(lambda: channel.health.state is ChannelState.STALE, 2)
        await until(lambda: channel.health.state is ChannelState.LOST, 3)
        assert channel.health.lost and "mất kết nối" in channel.health.label_vi

    run(recorder, body, on_episode=episodes.append)
    assert [(e.camera_id, e.phase) for e in episodes][:2] == [("C02", "start"), ("C02", "end")]


def test_refused_logins_halt_the_channel_until_asked() -> None:
    refused = NvrError(NvrErrorKind.AUTH, "10.0.0.5:80", Operation.EVENTS)
    recorder = FakeRecorder([refused, refused, refused, [heartbeat()]])

    async def body(channel: RecorderEventChannel) -> None:
        await until(lambda: channel.health.state is ChannelState.HALTED, 3)
        assert recorder.connections == 3
        assert "sai tên đăng nhập hoặc mật khẩu" in (channel.health.error_vi or "")
        await asyncio.sleep(0.3)
        assert recorder.connections == 3  # not retried: recorders lock accounts
        channel.retry_now()
        await until(lambda: channel.health.state is ChannelState.LIVE, 3)

    run(recorder, body)


def test_unknown_channels_are_passed_over_and_a_receivers_bug_is_survived() -> None:
    seen: list[CameraEventMessage] = []

    def receiver(message: CameraEventMessage) -> None:
        seen.append(message)
        raise RuntimeError("a bug in the alert layer")

    recorder = FakeRecorder([[motion(9, True), motion(2, True), motion(2, False), heartbeat()]])

    async def body(channel: RecorderEventChannel) -> None:
        await until(lambda: len(seen) == 2, 3)

    run(recorder, body, on_message=receiver)
    assert [m.camera_id for m in seen] == ["C02", "C02"]
