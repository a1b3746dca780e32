"""A camera's own events through an ONVIF PullPoint subscription: subscribe, long-poll PullMessages, Renew at
80 % of the lifetime, subscribe again after an error or a reboot (backoff with jitter), read each notification
into a `CameraEventMessage`, turn them into episodes, and keep the channel's health (live / stale / lost).

Events must never die silently (Home Assistant's most common ONVIF complaint): every failure is logged and
becomes the channel's state, the loop only ends when it is closed, and a channel without a successful pull for
`lost_after_s` is LOST — an event the alert layer raises. A closed channel never sends Unsubscribe: some
cameras cancel *every* subscription on one Unsubscribe (the live wall's and the NVR's too), so pull points are
left to expire at their termination time.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import random
import time
import xml.etree.ElementTree as ET
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from console.core.camera_events import (
    CHANNEL_LABELS_VI,
    DEFAULT_COOLDOWN_MS,
    LOST_AFTER_S,
    STALE_AFTER_S,
    CameraEpisodeEvent,
    CameraEpisodes,
    CameraEventKind,
    CameraEventMessage,
    ChannelState,
    channel_state,
    kind_of_topic,
    read_state,
)
from console.core.credentials import Credentials
from console.core.health import AUTH_RETRY_S, Failure, plan_retry
from console.onvif.device import CALL_TIMEOUT_S
from console.onvif.errors import OnvifError, OnvifErrorKind
from console.onvif.failures import to_onvif_error
from console.onvif.session import CameraSession, open_session
from console.onvif.soap import local, parse_envelope

log = logging.getLogger(__name__)
_T = TypeVar("_T")

LIFETIME_S = 60.0  # asked for each pull point; cameras grant 60 s – 1 h
RENEW_SHARE = 0.8  # issue 18: renewed at 80 % of the granted lifetime
PULL_TIMEOUT_S = 5.0  # the long poll: the camera answers at once with messages, else after this
MESSAGE_LIMIT = 64
HEALTH_TICK_S = 1.0
MIN_LIFETIME_S = 10.0  # a camera granting less (broken relative times) is renewed as if it granted this
PULLPOINT_NAMESPACE = "http://www.onvif.org/ver10/events/wsdl/PullPointSubscription"


# -- reading notifications -------------------------------------------------------------------------------------
def _items(parent: Any) -> tuple[tuple[str, str], ...]:
    found = []
    for item in parent if parent is not None else ():
        tag = getattr(item, "tag", None)
        if isinstance(tag, str) and local(tag) == "SimpleItem":
            name, value = item.get("Name"), item.get("Value")
            if name is not None:
                found.append((str(name), str(value if value is not None else "")))
    return tuple(found)


def _child(element: Any, name: str) -> Any:
    for node in element:
        tag = getattr(node, "tag", None)
        if isinstance(tag, str) and local(tag) == name:
            return node
    return None


def _utc_ms(text: str | None) -> int | None:
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return int(moment.timestamp() * 1000)


def _message_element(element: Any) -> Any:
    """The tt:Message itself when handed the wsnt:Message around it."""
    if element is None:
        return None
    inner = _child(element, "Message")
    if inner is not None and _child(element, "Data") is None and _child(element, "Source") is None:
        return inner
    return element


def _is_element(node: Any) -> bool:
    return isinstance(getattr(node, "tag", None), str)


def _object_items(parent: Any) -> tuple[tuple[str, str], ...]:
    """SimpleItems of zeep's typed tt:ItemList (the library's schema knows tt:Message)."""
    found = []
    for item in getattr(parent, "SimpleItem", None) or []:
        name, value = getattr(item, "Name", None), getattr(item, "Value", None)
        if name is not None:
            found.append((str(name), str(value if value is not None else "")))
    return tuple(found)


def _time_ms(value: Any) -> int | None:
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
        return int(moment.timestamp() * 1000)
    return _utc_ms(str(value)) if value else None


def read_notification(camera_id: str, topic: str, message: Any, received_ms: int) -> CameraEventMessage:
    """One notification: its topic and its tt:Message — an XML element (ElementTree or lxml; a wrapping
    wsnt:Message is looked through) or the object zeep made of it."""
    if message is None or _is_element(message):
        message = _message_element(message)
        source = _items(_child(message, "Source")) if message is not None else ()
        data = _items(_child(message, "Data")) if message is not None else ()
        utc = message.get("UtcTime") if message is not None else None
        operation = message.get("PropertyOperation") if message is not None else None
    else:
        source = _object_items(getattr(message, "Source", None))
        data = _object_items(getattr(message, "Data", None))
        utc, operation = getattr(message, "UtcTime", None), getattr(message, "PropertyOperation", None)
    return CameraEventMessage(
        camera_id=camera_id, topic=topic.strip(), kind=kind_of_topic(topic), active=read_state(dict(data)),
        camera_time_ms=_time_ms(utc), received_ms=received_ms, source=source, data=data,
        operation=str(operation or ""))


def notifications_in(body: bytes) -> list[tuple[str, ET.Element | None]]:
    """(topic, tt:Message) of every NotificationMessage in a PullMessagesResponse (or a Notify) envelope."""
    envelope = parse_envelope(body)
    found: list[tuple[str, ET.Element | None]] = []
    for node in envelope.iter():
        if local(node.tag) != "NotificationMessage":
            continue
        topic = _child(node, "Topic")
        holder = _child(node, "Message")
        found.append(("".join(topic.itertext()).strip() if topic is not None else "",
                      _child(holder, "Message") if holder is not None else None))
    return found


def _zeep_notifications(answer: Any) -> list[tuple[str, Any]]:
    """(topic, tt:Message element) from the library's PullMessages answer."""
    found = []
    for item in getattr(answer, "NotificationMessage", None) or []:
        topic = getattr(item, "Topic", None)
        text = getattr(topic, "_value_1", topic)
        holder = getattr(item, "Message", None)
        element = getattr(holder, "_value_1", holder)
        found.append((str(text or "").strip(), element))
    return found


# -- the pull point ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Pulled:
    notifications: list[tuple[str, Any]]  # (topic, tt:Message element)


class PullPointSource(Protocol):
    """One camera's pull point, as the channel drives it (the library's, or a test's fake)."""

    async def subscribe(self, lifetime_s: float) -> float | None:
        """Create the pull point; the lifetime the camera granted (None: not told)."""

    async def pull(self, timeout_s: float, limit: int) -> Pulled: ...

    async def renew(self, lifetime_s: float) -> float | None:
        """Extend the pull point's life; the lifetime granted (None: not told)."""

    async def close(self) -> None: ...


def _granted(answer: Any) -> tuple[float | None, dt.datetime | None]:
    current, termination = getattr(answer, "CurrentTime", None), getattr(answer, "TerminationTime", None)
    if isinstance(current, dt.datetime) and isinstance(termination, dt.datetime):
        if current.tzinfo is None:
            current = current.replace(tzinfo=dt.UTC)
        if termination.tzinfo is None:
            termination = termination.replace(tzinfo=dt.UTC)
        return (termination - current).total_seconds(), current
    return None, None


class LibraryPullPoint:
    """A pull point over the library (its events, pullpoint and subscription-manager services)."""

    def __init__(self, session: CameraSession) -> None:
        self.session = session
        self._pull: Any = None
        self._manager: Any = None
        self._camera_ahead_s: float | None = None  # set when the camera mistakes relative times (absolute used)

    def _termination(self, lifetime_s: float) -> str:
        if self._camera_ahead_s is None:
            return f"PT{round(lifetime_s)}S"
        moment = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=self._camera_ahead_s + lifetime_s)
        return moment.isoformat(timespec="seconds").replace("+00:00", "Z")

    async def subscribe(self, lifetime_s: float) -> float | None:
        session = self.session
        events = await session.service("events")
        answer = await session.call("CreatePullPointSubscription", events.CreatePullPointSubscription(
            {"InitialTerminationTime": self._termination(lifetime_s)}))
        reference = getattr(getattr(answer, "SubscriptionReference", None), "Address", None)
        address = getattr(reference, "_value_1", reference)
        if not address:
            raise to_onvif_error(ValueError("a pull point without an address"), session.address,
                                 operation="CreatePullPointSubscription")
        session.camera.xaddrs[PULLPOINT_NAMESPACE] = str(address).strip()
        self._pull = await session.service("pullpoint")
        self._manager = await session.service("subscription")
        granted, camera_now = _granted(answer)
        if granted is not None and camera_now is not None and granted < lifetime_s / 2 and self._camera_ahead_s is None:
            # Read PT60S as "60 s after 1970" or the like: from now on termination times are absolute, in the
            # camera's time.
            self._camera_ahead_s = (camera_now - dt.datetime.now(dt.UTC)).total_seconds()
            log.info("%s grants %.0f s for %.0f s asked: using absolute termination times", session.address,
                     granted, lifetime_s)
            return await self.renew(lifetime_s)
        return granted

    async def pull(self, timeout_s: float, limit: int) -> Pulled:
        answer = await self.session.call("PullMessages", self._pull.PullMessages(
            {"Timeout": dt.timedelta(seconds=max(1, round(timeout_s))), "MessageLimit": limit}),
            timeout_s=timeout_s + self.session.timeout_s)
        return Pulled(_zeep_notifications(answer))

    async def renew(self, lifetime_s: float) -> float | None:
        answer = await self.session.call("Renew", self._manager.Renew(
            {"TerminationTime": self._termination(lifetime_s)}))
        return _granted(answer)[0]

    async def close(self) -> None:
        await self.session.close()  # no Unsubscribe: see the module's docstring


def library_source(host: str, port: int, credentials: Credentials | None, *,
                   timeout_s: float = CALL_TIMEOUT_S) -> Callable[[], Awaitable[PullPointSource]]:
    """What a channel calls for each (re)subscription: a fresh login (a rebooted camera's old connections are
    dead) and its pull point."""

    async def connect() -> PullPointSource:
        return LibraryPullPoint(await open_session(host, port, credentials, timeout_s=timeout_s))

    return connect


# -- the channel ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EventChannelSettings:
    lifetime_s: float = LIFETIME_S
    renew_share: float = RENEW_SHARE
    pull_timeout_s: float = PULL_TIMEOUT_S
    message_limit: int = MESSAGE_LIMIT
    stale_after_s: float = STALE_AFTER_S
    lost_after_s: float = LOST_AFTER_S
    tick_s: float = HEALTH_TICK_S
    kinds: frozenset[CameraEventKind] = frozenset(CameraEventKind)  # opt-in per kind for episodes
    cooldown_ms: int = DEFAULT_COOLDOWN_MS
    min_lifetime_s: float = MIN_LIFETIME_S
    call_timeout_s: float = CALL_TIMEOUT_S  # beyond the long poll's own timeout
    auth_retry_s: tuple[float, ...] = AUTH_RETRY_S  # a refused login waits minutes: cameras lock accounts


@dataclass(frozen=True)
class ChannelHealth:
    """A camera's event channel as the tree tooltip and the alert layer see it."""

    camera_id: str
    state: ChannelState
    since_ms: int  # station wall clock, when this state began
    last_pull_ms: int | None = None  # the last successful pull
    subscriptions: int = 0  # pull points created (the first one, then each re-creation)
    renewals: int = 0
    error_kind: str | None = None  # the last failure, if the channel is not live
    error_vi: str | None = None
    error_en: str | None = None
    retry_in_s: float | None = None

    @property
    def lost(self) -> bool:
        """What the alert layer raises: no events for longer than the limit, or given up (wrong login)."""
        return self.state in (ChannelState.LOST, ChannelState.HALTED)

    @property
    def label_vi(self) -> str:
        text = CHANNEL_LABELS_VI[self.state]
        return f"{text} — {self.error_vi}" if self.error_vi and self.state is not ChannelState.LIVE else text


_FAILURES = {OnvifErrorKind.AUTH: Failure.AUTH, OnvifErrorKind.CLOCK: Failure.AUTH,
             OnvifErrorKind.TIMEOUT: Failure.TIMEOUT, OnvifErrorKind.UNREACHABLE: Failure.REFUSED,
             OnvifErrorKind.MALFORMED: Failure.BAD_DATA, OnvifErrorKind.NOT_ONVIF: Failure.BAD_DATA}


def _now_ms() -> int:
    return int(time.time() * 1000)


@dataclass
class _Counters:
    subscriptions: int = 0
    renewals: int = 0
    last_ok: float | None = None  # monotonic
    last_ok_ms: int | None = None
    error: OnvifError | None = None
    retry_at: float | None = None
    halted: bool = False
    ids: list[int] = field(default_factory=list)


class CameraEventChannel:
    """One camera's event channel on the network loop. Callbacks run on that loop: `on_message` for every
    notification, `on_episode` for episode events of the opted-in kinds, `on_health` on every state change."""

    def __init__(self, camera_id: str, connect: Callable[[], Awaitable[PullPointSource]], *,
                 site_id: str | None = None, settings: EventChannelSettings | None = None,
                 next_id: Callable[[], int] | None = None,
                 on_message: Callable[[CameraEventMessage], None] | None = None,
                 on_episode: Callable[[CameraEpisodeEvent], None] | None = None,
                 on_health: Callable[[ChannelHealth], None] | None = None,
                 rng: random.Random | None = None) -> None:
        self.camera_id = camera_id
        self.settings = settings or EventChannelSettings()
        self._connect = connect
        self._on_message = on_message
        self._on_episode = on_episode
        self._on_health = on_health
        self._rng = rng
        counter = iter(range(1, 1 << 62))
        self.episodes = CameraEpisodes(camera_id, site_id, next_id or (lambda: next(counter)),
                                       kinds=self.settings.kinds, cooldown_ms=self.settings.cooldown_ms)
        self._counts = _Counters()
        self._started = time.monotonic()
        self._health = ChannelHealth(camera_id, ChannelState.STARTING, _now_ms())
        self._closed = False
        self._retry = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def health(self) -> ChannelHealth:
        return self._health

    def start(self) -> None:
        """Start subscribing (on the running loop)."""
        if self._tasks:
            return
        loop = asyncio.get_running_loop()
        self._started = time.monotonic()
        self._tasks = [loop.create_task(self._run(), name=f"events-{self.camera_id}"),
                       loop.create_task(self._watch(), name=f"events-health-{self.camera_id}")]

    def is_closed(self) -> bool:
        return self._closed

    def retry_now(self) -> None:
        """Subscribe again at once (the officer's "Thử lại", new credentials), also after HALTED."""
        self._counts.halted = False
        self._retry.set()

    async def close(self) -> None:
        self._closed = True
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            try:
                await task
            except asyncio.CancelledError:
                pass
            except Exception:
                log.exception("%s: the event channel ended with an error", self.camera_id)
        self._tasks = []
        self._emit_episodes(self.episodes.close_all(_now_ms()))
        self._set_state(ChannelState.CLOSED)

    # -- the subscription loop ----------------------------------------------------------------------------
    async def _run(self) -> None:
        attempt = auth_failures = 0
        while not self._closed:
            error, reached_live = await self._session()
            if self.is_closed():  # through a method: mypy would narrow the attribute across the await
                return
            if reached_live:  # a pull point that delivered: the next outage starts the backoff afresh
                attempt = auth_failures = 0
            failure = _FAILURES.get(error.kind, Failure.OTHER)
            plan = plan_retry(failure, attempt, auth_failures, self._rng, auth_steps_s=self.settings.auth_retry_s)
            attempt, auth_failures = plan.attempt, plan.auth_failures
            self._counts.error = error
            if plan.delay_s is None:
                self._counts.halted, self._counts.retry_at = True, None
                log.warning("%s: events: %s %d times in a row; not retried until asked", self.camera_id,
                            error.kind.value, auth_failures)
            else:
                self._counts.retry_at = time.monotonic() + plan.delay_s
                log.warning("%s: events: %s (%s); subscribing again in %.1f s", self.camera_id, error.kind.value,
                            error.detail or error.message_en, plan.delay_s)
            self._update()
            self._retry.clear()
            try:
                async with asyncio.timeout(plan.delay_s):
                    await self._retry.wait()
                attempt = auth_failures = 0
            except TimeoutError:
                pass
            self._counts.halted, self._counts.retry_at = False, None

    async def _session(self) -> tuple[OnvifError, bool]:
        """One pull point from creation to failure: the failure (every exception becomes one), and whether a
        pull succeeded."""
        source: PullPointSource | None = None
        pulls = 0
        try:
            limit = self.settings.call_timeout_s
            source = await self._limited("connect", self._connect(), limit * 3)
            granted = await self._limited("CreatePullPointSubscription", source.subscribe(self.settings.lifetime_s),
                                          limit)
            self._counts.subscriptions += 1
            renew_at = self._renew_at(granted)
            log.info("%s: events subscribed (pull point %d, %s s)", self.camera_id, self._counts.subscriptions,
                     f"{granted:.0f}" if granted is not None else "?")
            while not self._closed:
                now = time.monotonic()
                if now >= renew_at:
                    renew_at = self._renew_at(await self._limited("Renew", source.renew(self.settings.lifetime_s),
                                                                  limit))
                    self._counts.renewals += 1
                    continue
                timeout = max(0.0, min(self.settings.pull_timeout_s, renew_at - now))
                pulled = await self._limited("PullMessages", source.pull(timeout, self.settings.message_limit),
                                             timeout + limit)
                pulls += 1
                self._pulled()
                self._handle(pulled)
            return OnvifError(OnvifErrorKind.UNREACHABLE, "", detail="closed"), pulls > 0
        except asyncio.CancelledError:
            raise
        except OnvifError as exc:
            return exc, pulls > 0
        except Exception as exc:  # a shape of answer we did not expect: logged whole, and retried
            log.exception("%s: events: unexpected failure", self.camera_id)
            return to_onvif_error(exc, self.camera_id, operation="PullMessages"), pulls > 0
        finally:
            if source is not None:
                try:
                    await asyncio.shield(source.close())
                except Exception:
                    log.debug("%s: closing the pull point's session failed", self.camera_id, exc_info=True)

    async def _limited(self, operation: str, request: Awaitable[_T], timeout_s: float) -> _T:
        """Whatever the source does, under a timeout of our own: a pull point that hangs is a failure too."""
        try:
            async with asyncio.timeout(timeout_s):
                return await request
        except TimeoutError:
            raise OnvifError(OnvifErrorKind.TIMEOUT, self.camera_id, seconds=round(timeout_s, 1),
                             operation=operation, detail=f"{operation}: no answer in {timeout_s:.1f} s") from None

    def _renew_at(self, granted: float | None) -> float:
        lifetime = granted if granted is not None else self.settings.lifetime_s
        return time.monotonic() + self.settings.renew_share * max(lifetime, self.settings.min_lifetime_s)

    def _pulled(self) -> None:
        self._counts.last_ok = time.monotonic()
        self._counts.last_ok_ms = _now_ms()
        self._counts.error = None
        self._update()

    def _handle(self, pulled: Pulled) -> None:
        received = _now_ms()
        for topic, element in pulled.notifications:
            try:
                message = read_notification(self.camera_id, topic, element, received)
            except Exception:
                log.exception("%s: events: a notification that cannot be read (topic %r)", self.camera_id, topic)
                continue
            self._emit(self._on_message, message)
            self._emit_episodes(self.episodes.feed(message))
        self._emit_episodes(self.episodes.tick(received))

    # -- health -------------------------------------------------------------------------------------------
    async def _watch(self) -> None:
        while not self._closed:
            await asyncio.sleep(self.settings.tick_s)
            try:
                self._update()
            except Exception:
                log.exception("%s: events: the health check failed", self.camera_id)

    def _update(self) -> None:
        counts, now = self._counts, time.monotonic()
        state = channel_state(now, self._started, counts.last_ok, stale_after_s=self.settings.stale_after_s,
                              lost_after_s=self.settings.lost_after_s)
        if counts.halted:
            state = ChannelState.HALTED
        if state in (ChannelState.LOST, ChannelState.HALTED):
            self._emit_episodes(self.episodes.close_all(_now_ms()))
        self._set_state(state)

    def _set_state(self, state: ChannelState) -> None:
        counts, previous = self._counts, self._health
        error = counts.error if state is not ChannelState.LIVE else None
        retry = None if counts.retry_at is None else round(max(0.0, counts.retry_at - time.monotonic()), 1)
        health = ChannelHealth(self.camera_id, state, previous.since_ms if previous.state is state else _now_ms(),
                               counts.last_ok_ms, counts.subscriptions, counts.renewals,
                               error.kind.value if error else None, error.message_vi if error else None,
                               error.message_en if error else None, retry)
        changed = (health.state, health.subscriptions, health.error_kind) != \
            (previous.state, previous.subscriptions, previous.error_kind)
        self._health = health
        if changed:
            if state is ChannelState.LOST and previous.state is not ChannelState.LOST:
                log.warning("%s: event channel lost (no successful pull for %.0f s)", self.camera_id,
                            self.settings.lost_after_s)
            self._emit(self._on_health, health)

    # -- callbacks ----------------------------------------------------------------------------------------
    def _emit_episodes(self, events: Iterable[CameraEpisodeEvent]) -> None:
        for event in events:
            self._emit(self._on_episode, event)

    def _emit(self, callback: Callable[[Any], None] | None, value: Any) -> None:
        if callback is None:
            return
        try:
            callback(value)
        except Exception:  # a receiver's bug must not end the camera's events
            log.exception("%s: an event callback failed", self.camera_id)
