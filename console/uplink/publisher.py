"""The commune's publisher: connects to the province broker on the network loop thread (never the GUI's),
sends the outbox at QoS 1 as `SendPlan` orders it, deletes exactly the rows the province's receipts name, keeps
the retained status and camera health fresh, answers the province's commands (`CommandDesk`: allow-listed,
audited, rate-limited), and connects again with backoff and jitter when the link drops.

Everything the GUI calls (`start`, `stop`, `status`, `wake`, `report_camera_health`) returns at once or within
a bounded time: a broker that hangs blocks only this loop's own coroutines, each under a timeout.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import logging
import secrets
import sqlite3
import threading
import time
from collections.abc import Coroutine
from dataclasses import replace
from pathlib import Path
from typing import Any

import aiomqtt
import sqlite_utils

from console.core.alerts import HEALTH_KINDS
from console.core.config import SiteConfig
from console.core.credentials import Credentials, CredentialStore
from console.core.uplink_settings import UplinkSettings
from console.core.vntime import now_ms
from console.onvif.network_loop import NetworkLoop
from console.store import outbox
from console.store.database import DatabaseError, open_database
from console.store.outbox import OutboxRow
from console.uplink import schema
from console.uplink.backoff import Backoff
from console.uplink.commands import CommandDesk
from console.uplink.connection import Failure, client_for, failure_of
from console.uplink.messages import UplinkProblem, render
from console.uplink.outbox_hook import AlertOutbox
from console.uplink.schema import LinkState, MessageType, Topic
from console.uplink.send_plan import SendPlan
from console.uplink.snapshot import small_jpeg
from console.uplink.status import Connection, UplinkStatus
from console.uplink.tasks import abandon, end_session, first_of, publish_all
from console.uplink.tuning import DEFAULT_TUNING, UplinkTuning

log = logging.getLogger(__name__)

HEALTH_OK = "ok"
PAHO_CONNECT_TIMEOUT_S = 5.0  # paho's own bound on the TCP connect and the TLS handshake
CAMERA_HEALTH_STATES = frozenset({HEALTH_OK, *(k.value for k in HEALTH_KINDS)})


class _StoppedError(Exception):
    """The session ended because the console is stopping the uplink."""


class UplinkPublisher:
    """One commune's link to the province. Build it, hand `alert_outbox` to the AlertWriter, `start()`; poll
    `status()`; `stop()` at exit."""

    def __init__(self, settings: UplinkSettings, db_path: Path, credentials: Credentials | None, *,
                 snapshots: Path | None = None, network: NetworkLoop | None = None,
                 tuning: UplinkTuning = DEFAULT_TUNING) -> None:
        self._settings = settings
        self._db_path = db_path
        self._credentials = credentials
        self._snapshots = snapshots
        self._tuning = tuning
        self._own_network = network is None
        self._network = network or NetworkLoop("uplink-network")
        self._future: concurrent.futures.Future[None] | None = None
        self._wake = asyncio.Event()
        self._stop = asyncio.Event()
        self._health: dict[str, tuple[str, int]] = {}  # camera → (state, since ms), under the lock
        self._health_lock = threading.Lock()
        self._client: aiomqtt.Client | None = None
        self._status = UplinkStatus()
        self._identifier = f"bn-{settings.commune}-{secrets.token_hex(3)}"
        self._desk: CommandDesk | None = None
        self._commands: set[asyncio.Task[None]] = set()
        self.alert_outbox = AlertOutbox(wake=self.wake)

    @classmethod
    def from_site(cls, config: SiteConfig, store: CredentialStore, db_path: Path, *, snapshots: Path | None = None,
                  network: NetworkLoop | None = None) -> UplinkPublisher | None:
        """The publisher a site file asks for; None without an enabled `[uplink]` (nothing is written then)."""
        settings = config.uplink
        if settings is None or not settings.enabled:
            return None
        return cls(settings, db_path, store.get(settings.credentials), snapshots=snapshots, network=network)

    # --- what other threads call -------------------------------------------------------------------------

    def start(self) -> None:
        if self._future is not None:
            return
        self._wake, self._stop = asyncio.Event(), asyncio.Event()
        self._network.start()
        self._status = UplinkStatus(Connection.CONNECTING, now_ms())
        self._future = self._network.submit(self._run())

    def stop(self, timeout_s: float | None = None) -> None:
        """Say "offline" and disconnect cleanly (bounded), then end the loop if it is this publisher's own."""
        if self._future is None:
            return
        timeout = self._tuning.stop_timeout_s if timeout_s is None else timeout_s
        end_session(self._network, self._stop, self._future, timeout, "uplink: the publisher")
        self._future = None
        if self._own_network:
            self._network.stop(timeout)
        self._status = replace(self._status, connection=Connection.OFF)

    def status(self) -> UplinkStatus:
        """The latest snapshot (no lock, no I/O: safe on the GUI thread)."""
        return self._status

    def wake(self) -> None:
        """New outbox rows are committed: send them now rather than at the next poll."""
        with contextlib.suppress(RuntimeError):
            self._network.call_soon(self._wake.set)

    def answer_commands(self, desk: CommandDesk) -> None:
        """Carry out the province's commands with `desk` from now on (before: each is refused as unavailable)."""
        self._desk = desk

    def camera_health(self, camera_id: str) -> str | None:
        """The camera's last reported health; None before the first report."""
        with self._health_lock:
            known = self._health.get(camera_id)
        return known[0] if known else None

    def report_camera_health(self, camera_id: str, state: str, at_ms: int | None = None) -> None:
        """A camera's current health for its retained topic: "ok" or the kind of its problem."""
        if state not in CAMERA_HEALTH_STATES:
            raise ValueError(f"unknown camera health state {state!r}")
        if self._set_health(camera_id, state, at_ms or now_ms()):
            with contextlib.suppress(RuntimeError):  # not started yet: it goes with the first status
                self._network.call_soon(self._health_changed, camera_id)

    # --- the loop --------------------------------------------------------------------------------------------

    async def _run(self) -> None:
        try:
            db = open_database(self._db_path)
        except DatabaseError as exc:
            log.error("uplink: %s", exc)
            self._status = UplinkStatus(Connection.DISCONNECTED, now_ms(), problem=UplinkProblem.DATABASE,
                                        problem_params={"path": str(self._db_path)})
            return
        refresher = asyncio.create_task(self._refresh_backlog(db))
        backoff = Backoff(self._tuning)
        try:
            while not self._stop.is_set():
                connected_at: list[float] = []
                failure = Failure(UplinkProblem.LOST)
                try:
                    await self._session(db, connected_at)
                except _StoppedError:
                    break
                except Exception as exc:
                    failure = failure_of(exc, self._settings, self._tuning)
                if self._stop.is_set():
                    break
                backoff.session_ended(time.monotonic() - connected_at[0] if connected_at else 0.0)
                delay = backoff.next_delay(refused=failure.refused)
                self._disconnected(failure, delay)
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(delay):
                        await self._stop.wait()
        finally:
            refresher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await refresher
            db.close()
            self._status = replace(self._status, connection=Connection.OFF, next_attempt_ms=None)

    def _disconnected(self, failure: Failure, delay: float) -> None:
        now = now_ms()
        was = self._status
        since = was.since_ms if was.connection is Connection.DISCONNECTED and was.since_ms else now
        if was.connection is Connection.CONNECTING and was.since_ms:
            since = was.since_ms  # never connected since start: disconnected since the start
        self._status = replace(was, connection=Connection.DISCONNECTED, since_ms=since, problem=failure.problem,
                               problem_params=dict(failure.params), next_attempt_ms=now + int(delay * 1000))
        log.warning("uplink: %s; next attempt in %.1f s", render(failure.problem, "en", failure.params), delay)

    async def _session(self, db: sqlite_utils.Database, connected_at: list[float]) -> None:
        settings, tuning = self._settings, self._tuning
        session = secrets.token_hex(4)
        status_topic = schema.topic(settings.commune, Topic.STATUS)
        will = aiomqtt.Will(status_topic, schema.status_payload(settings.commune, LinkState.OFFLINE, session, None,
                                                                reason="lost"), qos=1, retain=True)
        client = client_for(settings, self._credentials, self._identifier, will, tuning)
        try:
            await first_of(self._connect(client), self._until_stopped())
        except BaseException:
            abandon(client)
            # paho may still be connecting in an executor thread (≤ its 5 s socket timeout): close what it opens.
            asyncio.get_running_loop().call_later(PAHO_CONNECT_TIMEOUT_S + 1, abandon, client)
            raise
        connected_at.append(time.monotonic())
        self._client = client
        try:
            await first_of(self._begin(client, session), self._until_stopped())
            self._status = replace(self._status, connection=Connection.CONNECTED, since_ms=now_ms(), problem=None,
                                   problem_params={}, next_attempt_ms=None)
            log.info("uplink: connected to %s as %s", settings.broker, settings.commune)
            plan = SendPlan(outbox.newest_seq(db.conn), settings.backlog_per_s, tuning, time.monotonic())
            await first_of(self._receive(client, db, plan), self._send(client, db, plan),
                            self._keep_state(client, session), self._until_stopped())
        except _StoppedError:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(tuning.disconnect_timeout_s):
                    await client.publish(status_topic, schema.status_payload(
                        settings.commune, LinkState.OFFLINE, session, now_ms(), reason="stopped"), qos=1, retain=True)
            raise
        finally:
            self._client = None
            with contextlib.suppress(Exception):
                async with asyncio.timeout(tuning.disconnect_timeout_s):
                    await client.__aexit__(None, None, None)
            abandon(client)

    async def _connect(self, client: aiomqtt.Client) -> None:
        async with asyncio.timeout(self._tuning.connect_timeout_s):
            await client.__aenter__()

    async def _begin(self, client: aiomqtt.Client, session: str) -> None:
        commune = self._settings.commune
        await client.subscribe([(schema.topic(commune, Topic.RECEIPTS), 1), (schema.topic(commune, Topic.COMMANDS), 1)],
                               timeout=self._tuning.subscribe_timeout_s)
        await self._publish_state(client, session)

    async def _until_stopped(self) -> None:
        await self._stop.wait()
        raise _StoppedError

    async def _publish_state(self, client: aiomqtt.Client, session: str) -> None:
        """The retained status and every camera's health (at connect and every `status_every_s`)."""
        commune = self._settings.commune
        await client.publish(schema.topic(commune, Topic.STATUS), schema.status_payload(
            commune, LinkState.ONLINE, session, now_ms(), backlog=self._status.backlog), qos=1, retain=True)
        with self._health_lock:
            health = sorted(self._health.items())
        for camera_id, (state, since) in health:
            await self._publish_health(client, camera_id, state, since)

    async def _publish_health(self, client: aiomqtt.Client, camera_id: str, state: str, since: int) -> None:
        commune = self._settings.commune
        await client.publish(schema.camera_health_topic(commune, camera_id),
                             schema.camera_health_payload(commune, camera_id, state, since), qos=1, retain=True)

    async def _keep_state(self, client: aiomqtt.Client, session: str) -> None:
        while True:
            await asyncio.sleep(self._tuning.status_every_s)
            await self._publish_state(client, session)

    def _set_health(self, camera_id: str, state: str, at_ms: int) -> bool:
        """Keep a camera's health; whether it changed (any thread)."""
        with self._health_lock:
            if self._health.get(camera_id, ("", 0))[0] == state:
                return False
            self._health[camera_id] = (state, at_ms)
            return True

    def _health_changed(self, camera_id: str) -> None:
        """Publish one camera's new health now if connected (else it goes with the next status)."""
        client = self._client
        with self._health_lock:
            state, since = self._health[camera_id]
        if client is not None:
            task = asyncio.get_running_loop().create_task(self._publish_health(client, camera_id, state, since))
            task.add_done_callback(_quiet)

    async def _receive(self, client: aiomqtt.Client, db: sqlite_utils.Database, plan: SendPlan) -> None:
        commands = schema.topic(self._settings.commune, Topic.COMMANDS)
        async for message in client.messages:
            payload = message.payload if isinstance(message.payload, bytes | bytearray) else b""
            if str(message.topic) == commands:
                self._start_command(client, bytes(payload))
                continue
            seqs = schema.parse_receipt(bytes(payload))
            if seqs is None:
                log.warning("uplink: a malformed receipt (%d bytes) was dropped", len(payload))
                continue
            try:
                with db.conn:
                    deleted = outbox.delete(db.conn, seqs)
            except sqlite3.Error as exc:  # the rows stay: sent again after the receipt timeout, confirmed again
                log.warning("uplink: a receipt for %d messages could not be applied (%s)", len(seqs), exc)
                continue
            full = plan.unconfirmed >= self._tuning.window
            plan.confirmed(seqs)
            self._status = replace(self._status, confirmed=self._status.confirmed + deleted,
                                   backlog=max(0, self._status.backlog - deleted))
            if full:
                self._wake.set()  # the window has room again

    def _start_command(self, client: aiomqtt.Client, payload: bytes) -> None:
        """Answer a command beside the receipts (a live picture takes a moment); kept until done."""
        task = asyncio.get_running_loop().create_task(self._command(client, payload))
        self._commands.add(task)
        task.add_done_callback(self._commands.discard)

    async def _command(self, client: aiomqtt.Client, payload: bytes) -> None:
        commune = self._settings.commune
        desk = self._desk or CommandDesk((), None, None)  # no desk yet: refused as unavailable, not audited
        try:
            outcome = await desk.answer(commune, payload, self.camera_health, self._tuning.snapshot_max_bytes)
            if outcome.payload is not None:
                await client.publish(schema.topic(commune, Topic.SNAPSHOT), outcome.payload, qos=1)
        except aiomqtt.MqttError as exc:
            log.info("uplink: the answer to a command could not be sent (%s)", exc)
        except Exception:
            log.exception("uplink: a command of the province could not be answered")

    async def _send(self, client: aiomqtt.Client, db: sqlite_utils.Database, plan: SendPlan) -> None:
        while True:
            self._wake.clear()
            try:
                rows = plan.take(db.conn, time.monotonic())
            except sqlite3.Error as exc:  # a busy or failing disk: try again at the next poll
                log.warning("uplink: the outbox could not be read (%s)", exc)
                rows = []
            if rows:
                await self._publish_rows(client, rows)
                continue
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(plan.wait_s(time.monotonic())):
                    await self._wake.wait()

    async def _publish_rows(self, client: aiomqtt.Client, rows: list[OutboxRow]) -> None:
        commune = self._settings.commune
        sends: list[Coroutine[Any, Any, None]] = []
        health: list[tuple[str, str, int]] = []
        for row in rows:
            body = row.body
            if row.topic == Topic.SNAPSHOT:
                body = await self._snapshot_body(body)
            payload = schema.envelope(commune, row.seq, row.created_ms, body)
            if len(payload) > schema.MAX_MESSAGE_BYTES:
                log.error("uplink: message %d (%s) is %d bytes, over the cap; sent without its content", row.seq,
                          row.topic, len(payload))
                payload = schema.envelope(commune, row.seq, row.created_ms, '{"type":"oversized"}')
            sends.append(client.publish(schema.topic(commune, row.topic), payload, qos=1))
            if row.topic == Topic.HEALTH:
                health += _camera_health_of(body, row.created_ms)
        await publish_all(sends)  # the first failure ends the session
        self._status = replace(self._status, sent=self._status.sent + len(rows))
        for camera_id, state, at in health:
            if self._set_health(camera_id, state, at):
                self._health_changed(camera_id)

    async def _snapshot_body(self, body: str) -> str:
        name = json.loads(body).get("file")
        jpeg = None
        if self._snapshots is not None and isinstance(name, str):
            path = self._snapshots / name
            loop = asyncio.get_running_loop()
            jpeg = await loop.run_in_executor(None, small_jpeg, path, self._tuning.snapshot_max_bytes)
        return schema.snapshot_message(body, jpeg)

    async def _refresh_backlog(self, db: sqlite_utils.Database) -> None:
        while True:
            try:
                waiting = outbox.backlog(db.conn)
                self._status = replace(self._status, backlog=waiting.count, oldest_ms=waiting.oldest_ms)
            except Exception:
                log.exception("uplink: the backlog could not be counted")
            await asyncio.sleep(self._tuning.status_refresh_s)


def _camera_health_of(body: str, at_ms: int) -> list[tuple[str, str, int]]:
    """A health change of one camera also sets its retained health topic."""
    data = json.loads(body)
    camera, kind = data.get("camera"), data.get("kind")
    if data.get("type") != MessageType.HEALTH_CHANGE or not isinstance(camera, str) or not isinstance(kind, str):
        return []
    return [(camera, kind if data.get("state") == "down" else HEALTH_OK, at_ms)]




def _quiet(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.info("uplink: a camera health publish failed (sent again with the next status)")
