"""A camera's event channel against a fake pull point: renewed at 80 % of the granted lifetime, subscribed again
after errors with backoff and jitter, health live → stale → lost and back, every failure turned into state,
never an Unsubscribe."""

from __future__ import annotations

import asyncio
import itertools
import random
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from console.core.camera_events import CameraEpisodeEvent, CameraEventMessage, ChannelState
from console.core.health import backoff_delay
from console.onvif.errors import OnvifError, OnvifErrorKind
from console.onvif.events import CameraEventChannel, ChannelHealth, EventChannelSettings, Pulled

ADDRESS = "127.0.0.1:9"
TT = "http://www.onvif.org/ver10/schema"


def tt_message(item: str, value: str, source: tuple[tuple[str, str], ...] = ()) -> ET.Element:
    message = ET.Element(f"{{{TT}}}Message", {"UtcTime": "2026-03-01T02:00:00Z", "PropertyOperation": "Changed"})
    holder = ET.SubElement(message, f"{{{TT}}}Source")
    for name, text in source:
        ET.SubElement(holder, f"{{{TT}}}SimpleItem", {"Name": name, "Value": text})
    ET.SubElement(ET.SubElement(message, f"{{{TT}}}Data"), f"{{{TT}}}SimpleItem", {"Name": item, "Value": value})
    return message


@dataclass
class Camera:
    """What the fake pull points share: one camera, its script, and what was asked of it."""

    granted_s: float | None = 1.0
    fail_connects: list[OnvifError | Exception] = field(default_factory=list)
    fail_pull_at: dict[int, OnvifError | Exception] = field(default_factory=dict)
    hang: bool = False
    queue: list[tuple[str, Any]] = field(default_factory=list)
    log: list[tuple[float, str, Any]] = field(default_factory=list)
    pulls: int = 0

    def record(self, what: str, value: Any = None) -> None:
        self.log.append((time.monotonic(), what, value))

    def times(self, what: str) -> list[float]:
        return [t for t, w, _ in self.log if w == what]

    async def connect(self) -> FakePullPoint:
        self.record("connect")
        if self.fail_connects:
            raise self.fail_connects.pop(0)
        return FakePullPoint(self)


class FakePullPoint:
    def __init__(self, camera: Camera) -> None:
        self.camera = camera

    async def subscribe(self, lifetime_s: float) -> float | None:
        self.camera.record("subscribe", lifetime_s)
        return self.camera.granted_s

    async def pull(self, timeout_s: float, limit: int) -> Pulled:
        camera = self.camera
        camera.pulls += 1
        camera.record("pull", timeout_s)
        failure = camera.fail_pull_at.pop(camera.pulls, None)
        if failure is not None:
            raise failure
        if camera.hang:
            await asyncio.sleep(3600)
        if camera.queue:
            batch, camera.queue = camera.queue, []
            return Pulled(batch)
        await asyncio.sleep(min(timeout_s, 0.05))
        return Pulled([])

    async def renew(self, lifetime_s: float) -> float | None:
        self.camera.record("renew", lifetime_s)
        return self.camera.granted_s

    async def unsubscribe(self) -> None:  # the channel must never call it
        self.camera.record("unsubscribe")

    async def close(self) -> None:
        self.camera.record("close")


FAST = EventChannelSettings(lifetime_s=1.0, min_lifetime_s=0.1, pull_timeout_s=0.2, stale_after_s=0.4,
                            lost_after_s=0.8, tick_s=0.05, cooldown_ms=60_000, call_timeout_s=0.3)


def channel(camera: Camera, settings: EventChannelSettings = FAST, **callbacks: Any) -> CameraEventChannel:
    return CameraEventChannel("C01", camera.connect, site_id="S01", settings=settings, rng=random.Random(7),
                              **callbacks)


def run_for(make: Callable[[], CameraEventChannel], seconds: float,
            during: Callable[[CameraEventChannel], Any] | None = None) -> CameraEventChannel:
    async def scenario() -> CameraEventChannel:
        ch = make()
        ch.start()
        if during is not None:
            await during(ch)
        else:
            await asyncio.sleep(seconds)
        await ch.close()
        return ch

    return asyncio.run(scenario())


def test_the_subscription_is_renewed_at_80_percent_of_the_granted_lifetime() -> None:
    camera = Camera(granted_s=0.5)
    run_for(lambda: channel(camera), 1.45)
    subscribed, renews = camera.times("subscribe")[0], camera.times("renew")
    assert len(camera.times("subscribe")) == 1 and len(renews) == 3
    assert renews[0] - subscribed == pytest.approx(0.4, abs=0.06)
    assert renews[1] - renews[0] == pytest.approx(0.4, abs=0.06)
    assert max(v for _, w, v in camera.log if w == "pull") <= 0.2 + 1e-9


def test_a_camera_that_grants_nothing_is_renewed_on_the_asked_lifetime() -> None:
    camera = Camera(granted_s=None)
    run_for(lambda: channel(camera), 1.0)
    renews = camera.times("renew")
    assert len(renews) == 1 and renews[0] - camera.times("subscribe")[0] == pytest.approx(0.8, abs=0.06)


def test_failed_subscriptions_are_retried_with_a_growing_jittered_backoff() -> None:
    refused = OnvifError(OnvifErrorKind.UNREACHABLE, ADDRESS)
    camera = Camera(fail_connects=[refused, refused, refused])
    run_for(lambda: channel(camera), 4.2)
    connects = camera.times("connect")
    assert len(connects) == 4 and len(camera.times("subscribe")) == 1
    gaps = [b - a for a, b in itertools.pairwise(connects)]
    for gap, nominal in zip(gaps, (0.5, 1.0, 2.0), strict=True):  # core.health's backoff, ±20 % jitter
        assert nominal * 0.8 - 0.02 <= gap <= nominal * 1.2 + 0.1
    assert backoff_delay(1, random.Random(7)) != 0.5  # the jitter is there


def test_a_dropped_pull_point_is_created_again_and_counted() -> None:
    gone = OnvifError(OnvifErrorKind.FAULT, ADDRESS, operation="PullMessages", reason="unknown subscription")
    camera = Camera(granted_s=60.0, fail_pull_at={3: gone})
    healths: list[ChannelHealth] = []
    ch = run_for(lambda: channel(camera, on_health=healths.append), 1.5)
    assert len(camera.times("subscribe")) == 2 and camera.times("close")
    assert any(h.subscriptions == 2 and h.state is ChannelState.LIVE for h in healths)
    assert "unsubscribe" not in [w for _, w, _ in camera.log]
    assert ch.health.state is ChannelState.CLOSED


def test_health_goes_stale_then_lost_and_back_to_live() -> None:
    camera = Camera(granted_s=60.0)
    healths: list[ChannelHealth] = []

    async def during(_: CameraEventChannel) -> None:
        await asyncio.sleep(0.3)
        camera.hang = True  # the camera stops answering in the middle of a long poll
        await asyncio.sleep(1.3)
        camera.hang = False
        await asyncio.sleep(2.0)

    run_for(lambda: channel(camera, on_health=healths.append), 0, during)
    states = [h.state for i, h in enumerate(healths) if i == 0 or h.state is not healths[i - 1].state]
    assert states[:4] == [ChannelState.LIVE, ChannelState.STALE, ChannelState.LOST, ChannelState.LIVE]
    lost = next(h for h in healths if h.state is ChannelState.LOST)
    assert lost.lost and lost.last_pull_ms is not None and lost.since_ms - lost.last_pull_ms >= 800
    assert states[-1] is ChannelState.CLOSED


def test_a_channel_that_never_subscribes_is_lost_after_the_limit() -> None:
    camera = Camera(fail_connects=[OnvifError(OnvifErrorKind.TIMEOUT, ADDRESS, seconds=5)] * 20)
    healths: list[ChannelHealth] = []
    run_for(lambda: channel(camera, on_health=healths.append), 1.2)
    lost = next(h for h in healths if h.state is ChannelState.LOST)
    assert lost.error_kind == "timeout" and lost.error_vi and "không trả lời" in lost.error_vi
    assert "mất kết nối" in lost.label_vi


def test_a_refused_login_is_retried_slowly_then_given_up_until_asked() -> None:
    refused = OnvifError(OnvifErrorKind.AUTH, ADDRESS)
    camera = Camera(granted_s=60.0, fail_connects=[refused] * 3)
    healths: list[ChannelHealth] = []
    settings = EventChannelSettings(**{**FAST.__dict__, "auth_retry_s": (0.1, 0.1)})

    async def during(ch: CameraEventChannel) -> None:
        await asyncio.sleep(0.6)
        assert ch.health.state is ChannelState.HALTED and ch.health.lost
        assert len(camera.times("connect")) == 3
        ch.retry_now()
        await asyncio.sleep(0.3)
        assert ch.health.state is ChannelState.LIVE

    run_for(lambda: channel(camera, settings, on_health=healths.append), 0, during)


def test_unexpected_failures_are_logged_and_retried_never_the_end_of_the_channel(
        caplog: pytest.LogCaptureFixture) -> None:
    camera = Camera(granted_s=60.0, fail_pull_at={1: ValueError("unexpected shape")})
    ch = run_for(lambda: channel(camera), 1.2)
    assert len(camera.times("subscribe")) == 2 and ch.health.subscriptions == 2
    assert "unexpected failure" in caplog.text and "ValueError" in caplog.text


def test_notifications_become_messages_and_episodes_and_a_callback_bug_changes_nothing() -> None:
    camera = Camera(granted_s=60.0)
    messages: list[CameraEventMessage] = []
    episodes: list[CameraEpisodeEvent] = []

    def broken(_: CameraEventMessage) -> None:
        raise RuntimeError("the receiver's bug")

    async def during(ch: CameraEventChannel) -> None:
        await asyncio.sleep(0.1)
        camera.queue.append(("tns1:VideoSource/MotionAlarm", tt_message("State", "true")))
        camera.queue.append(("tns1:Monitoring/ProcessorUsage", tt_message("Value", "12")))
        await asyncio.sleep(0.2)
        camera.queue.append(("tns1:VideoSource/MotionAlarm", tt_message("State", "false")))
        await asyncio.sleep(0.2)
        ch._on_message = broken
        camera.queue.append(("tns1:Device/Trigger/DigitalInput",
                             tt_message("LogicalState", "true", (("InputToken", "IN1"),))))
        await asyncio.sleep(0.2)

    run_for(lambda: channel(camera, on_message=messages.append, on_episode=episodes.append), 0, during)
    assert [m.kind for m in messages][:2] == ["camera_motion", None]
    assert [(e.kind.value, e.phase) for e in episodes] == [("camera_motion", "start"), ("camera_motion", "end"),
                                                           ("alarm_input", "start"), ("alarm_input", "end")]
    assert episodes[2].key == "IN1" and episodes[0].alert_id != episodes[2].alert_id
