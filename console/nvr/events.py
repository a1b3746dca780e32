"""A recorder's event channel: its one event stream (every channel's events, Hikvision's `alertStream`, Dahua's
`attach`), read notice by notice, reconnected when it ends, fails or goes silent (no part, not even a heartbeat, for
`silent_after_s`: a recorder that hangs keeps the connection open and sends nothing), with the same health as a
camera's event channel (live / stale / lost, halted after refused logins), each event handed on as the camera's own
`CameraEventMessage` and turned into episodes by the same rules.

Events must never die silently: every failure is logged and becomes the channel's state; the loop ends only when
the channel is closed.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass

from console.core.camera_events import (
    DEFAULT_COOLDOWN_MS,
    LOST_AFTER_S,
    CameraEpisodeEvent,
    CameraEpisodes,
    CameraEventKind,
    CameraEventMessage,
    ChannelState,
    channel_state,
)
from console.core.health import AUTH_RETRY_S, Failure, plan_retry
from console.nvr.errors import NvrError, NvrErrorKind
from console.nvr.messages import CHANNEL_LABELS, Operation, Say, render
from console.nvr.models import RecorderNotice

log = logging.getLogger(__name__)

HEARTBEAT_S = 5.0  # asked of Dahua; Hikvision keeps its own (about 10 s)
SILENT_AFTER_S = 30.0  # three of Hikvision's heartbeats missed
HEALTH_TICK_S = 1.0

Connect = Callable[[], AbstractAsyncContextManager[AsyncIterator[RecorderNotice]]]


@dataclass(frozen=True)
class RecorderEventSettings:
    heartbeat_s: float = HEARTBEAT_S
    silent_after_s: float = SILENT_AFTER_S
    stale_after_s: float = SILENT_AFTER_S
    lost_after_s: float = LOST_AFTER_S
    tick_s: float = HEALTH_TICK_S
    kinds: frozenset[CameraEventKind] = frozenset(CameraEventKind)
    cooldown_ms: int = DEFAULT_COOLDOWN_MS
    auth_retry_s: tuple[float, ...] = AUTH_RETRY_S


@dataclass(frozen=True)
class RecorderEventHealth:
    recorder_id: str
    state: ChannelState
    since_ms: int
    last_notice_ms: int | None = None
    connections: int = 0  # streams opened (the first, then each reconnection)
    silences: int = 0  # streams given up because they went silent
    error_kind: str | None = None
    error_vi: str | None = None
    error_en: str | None = None

    @property
    def lost(self) -> bool:
        return self.state in (ChannelState.LOST, ChannelState.HALTED)

    @property
    def label_vi(self) -> str:
        text = CHANNEL_LABELS[self.state.value][0]
        return f"{text} — {self.error_vi}" if self.error_vi and self.state is not ChannelState.LIVE else text


_FAILURES = {NvrErrorKind.AUTH: Failure.AUTH, NvrErrorKind.FORBIDDEN: Failure.AUTH,
             NvrErrorKind.TIMEOUT: Failure.TIMEOUT, NvrErrorKind.UNREACHABLE: Failure.REFUSED,
             NvrErrorKind.MALFORMED: Failure.BAD_DATA, NvrErrorKind.NOT_FOUND: Failure.NOT_FOUND}


class _SilentError(Exception):
    pass


def _now_ms() -> int:
    return int(time.time() * 1000)


class RecorderEventChannel:
    """Callbacks run on the loop the channel runs on: `on_message` for every event of a known channel,
    `on_episode` for episode events of the opted-in kinds, `on_health` on every state change."""

    def __init__(self, recorder_id: str, address: str, connect: Connect, cameras: Mapping[int, str], *,
                 sites: Mapping[str, str | None] | None = None, settings: RecorderEventSettings | None = None,
                 on_message: Callable[[CameraEventMessage], None] | None = None,
                 on_episode: Callable[[CameraEpisodeEvent], None] | None = None,
                 on_health: Callable[[RecorderEventHealth], None] | None = None,
                 next_id: Callable[[], int] | None = None, rng: random.Random | None = None) -> None:
        self.recorder_id = recorder_id
        self.address = address
        self.settings = settings or RecorderEventSettings()
        self._connect = connect
        self._cameras = dict(cameras)  # recorder channel (or alarm input) number → camera id
        self._on_message, self._on_episode, self._on_health = on_message, on_episode, on_health
        self._rng = rng
        counter = iter(range(1, 1 << 62))
        ids = next_id or (lambda: next(counter))
        self._episodes = {camera: CameraEpisodes(camera, (sites or {}).get(camera), ids, kinds=self.settings.kinds,
                                                 cooldown_ms=self.settings.cooldown_ms)
                          for camera in self._cameras.values()}
        self._unknown: set[int] = set()
        self._started = time.monotonic()
        self._last_ok: float | None = None
        self._last_ok_ms: int | None = None
        self._connections = self._silences = 0
        self._error: NvrError | None = None
        self._halted = False
        self._closed = False
        self._retry = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._health = RecorderEventHealth(recorder_id, ChannelState.STARTING, _now_ms())

    @property
    def health(self) -> RecorderEventHealth:
        return self._health

    def start(self) -> None:
        if self._tasks:
            return
        loop = asyncio.get_running_loop()
        self._started = time.monotonic()
        self._tasks = [loop.create_task(self._run(), name=f"nvr-events-{self.recorder_id}"),
                       loop.create_task(self._watch(), name=f"nvr-events-health-{self.recorder_id}")]

    def retry_now(self) -> None:
        self._halted = False
        self._retry.set()

    def is_closed(self) -> bool:
        return self._closed

    async def close(self) -> None:
        self._closed = True
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        for episodes in self._episodes.values():
            self._emit_episodes(episodes.close_all(_now_ms()))
        self._set_state(ChannelState.CLOSED)

    # -- the stream loop ------------------------------------------------------------------------------------------
    async def _run(self) -> None:
        attempt = auth_failures = 0
        while not self.is_closed():
            error, delivered = await self._stream()
            if self.is_closed():
                return
            if delivered:
                attempt = auth_failures = 0
            failure = _FAILURES.get(error.kind, Failure.OTHER)
            plan = plan_retry(failure, attempt, auth_failures, self._rng, auth_steps_s=self.settings.auth_retry_s)
            attempt, auth_failures = plan.attempt, plan.auth_failures
            self._error = error
            if plan.delay_s is None:
                self._halted = True
                log.warning("%s: recorder events: %s %d times in a row; not retried until asked", self.recorder_id,
                            error.kind.value, auth_failures)
            else:
                log.warning("%s: recorder events: %s (%s); connecting again in %.1f s", self.recorder_id,
                            error.kind.value, error.detail or error.message_en, plan.delay_s)
            self._update()
            self._retry.clear()
            try:
                async with asyncio.timeout(plan.delay_s):
                    await self._retry.wait()
                attempt = auth_failures = 0
            except TimeoutError:
                pass
            self._halted = False

    async def _stream(self) -> tuple[NvrError, bool]:
        """One stream from connection to its end: why it ended, and whether it delivered anything."""
        delivered = False
        try:
            async with self._connect() as notices:
                self._connections += 1
                log.info("%s: recorder event stream open (%d)", self.recorder_id, self._connections)
                iterator = aiter(notices)
                while not self.is_closed():
                    try:
                        async with asyncio.timeout(self.settings.silent_after_s):
                            notice = await anext(iterator)
                    except TimeoutError:
                        raise _SilentError() from None
                    except StopAsyncIteration:
                        return NvrError(NvrErrorKind.UNREACHABLE, self.address, Operation.EVENTS,
                                        detail="the recorder ended the event stream"), delivered
                    delivered = True
                    self._alive()
                    self._handle(notice)
            return NvrError(NvrErrorKind.UNREACHABLE, self.address, Operation.EVENTS, detail="closed"), delivered
        except _SilentError:
            self._silences += 1
            detail = render(Say.EVENTS_SILENT, "en", {"address": self.address,
                                                      "seconds": f"{self.settings.silent_after_s:g}"})
            return NvrError(NvrErrorKind.TIMEOUT, self.address, Operation.EVENTS,
                            seconds=self.settings.silent_after_s, detail=detail), delivered
        except asyncio.CancelledError:
            raise
        except NvrError as exc:
            return exc, delivered
        except Exception as exc:  # a shape of stream we did not expect: logged whole, and retried
            log.exception("%s: recorder events: unexpected failure", self.recorder_id)
            return NvrError(NvrErrorKind.MALFORMED, self.address, Operation.EVENTS, detail=repr(exc)), delivered

    def _alive(self) -> None:
        self._last_ok = time.monotonic()
        self._last_ok_ms = _now_ms()
        self._error = None
        self._update()

    def _handle(self, notice: RecorderNotice) -> None:
        if notice.heartbeat or notice.kind is None:
            return
        camera = self._cameras.get(notice.channel)
        if camera is None:
            if notice.channel not in self._unknown:
                self._unknown.add(notice.channel)
                log.info("%s: events of channel %d, which is no camera of the site, are passed over",
                         self.recorder_id, notice.channel)
            return
        received = _now_ms()
        message = CameraEventMessage(camera_id=camera, topic=f"{self.recorder_id}:{notice.code}", kind=notice.kind,
                                     active=notice.active, camera_time_ms=None, received_ms=received,
                                     source=(("channel", str(notice.channel)),), data=(("code", notice.code),))
        self._emit(self._on_message, message)
        episodes = self._episodes[camera]
        self._emit_episodes(episodes.feed(message))
        self._emit_episodes(episodes.tick(received))

    # -- health ---------------------------------------------------------------------------------------------------
    async def _watch(self) -> None:
        while not self.is_closed():
            await asyncio.sleep(self.settings.tick_s)
            try:
                self._update()
            except Exception:
                log.exception("%s: recorder events: the health check failed", self.recorder_id)

    def _update(self) -> None:
        state = channel_state(time.monotonic(), self._started, self._last_ok,
                              stale_after_s=self.settings.stale_after_s, lost_after_s=self.settings.lost_after_s)
        if self._halted:
            state = ChannelState.HALTED
        if state in (ChannelState.LOST, ChannelState.HALTED):
            for episodes in self._episodes.values():
                self._emit_episodes(episodes.close_all(_now_ms()))
        self._set_state(state)

    def _set_state(self, state: ChannelState) -> None:
        previous, error = self._health, (self._error if state is not ChannelState.LIVE else None)
        health = RecorderEventHealth(self.recorder_id, state,
                                     previous.since_ms if previous.state is state else _now_ms(), self._last_ok_ms,
                                     self._connections, self._silences, error.kind.value if error else None,
                                     error.message_vi if error else None, error.message_en if error else None)
        changed = (health.state, health.connections, health.error_kind) != \
            (previous.state, previous.connections, previous.error_kind)
        self._health = health
        if changed:
            self._emit(self._on_health, health)

    def _emit_episodes(self, events: list[CameraEpisodeEvent]) -> None:
        for event in events:
            self._emit(self._on_episode, event)

    def _emit(self, callback: Callable[[object], None] | Callable[..., None] | None, value: object) -> None:
        if callback is None:
            return
        try:
            callback(value)
        except Exception:  # a receiver's bug must not end the recorder's events
            log.exception("%s: a recorder event callback failed", self.recorder_id)
