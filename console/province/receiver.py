"""The province's receiver: one MQTT session to the province broker on its own network loop thread, subscribed to
every commune's root, each message checked against schema v1, stored once per (commune, seq) in the province's
SQLite, and confirmed on `bn/v1/<commune>/receipts` only after its row is committed. It connects again with
backoff and jitter when the link drops (aiomqtt does not).

Messages are stored in batches (whatever arrived while the last batch was being committed) on a store thread of
their own, so the loop keeps reading the socket while SQLite syncs. A duplicate is confirmed again, never stored
twice; a malformed, oversized, unknown-version or forged message is logged (rate-limited) and dropped.

Snapshot requests (`request_snapshot`) go out on the same connection, to `bn/v1/<commune>/commands`; the commune's
answers (on its `snapshots` topic, not sequenced) are handed to `requests`, never stored.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import os
import ssl
import time
from collections.abc import Coroutine
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import aiomqtt
from aiomqtt.exceptions import MqttCodeError, MqttConnectError

from console.core.uplink_settings import MqttProtocol
from console.core.vntime import now_ms
from console.onvif.network_loop import NetworkLoop
from console.province.config import ProvinceConfig
from console.province.messages import DropReason, ReceiverProblem, render
from console.province.queries import ProvinceQueries
from console.province.snapshot_requests import SnapshotRequests
from console.province.store import BatchResult, ProvinceStore
from console.province.tuning import DEFAULT_TUNING, ReceiverTuning
from console.province.validate import (
    CameraHealthReport,
    CommandAnswer,
    Dropped,
    Echo,
    Sequenced,
    StatusReport,
    parse_message,
)
from console.uplink import schema
from console.uplink.backoff import Backoff
from console.uplink.schema import MessageType, Topic
from console.uplink.tasks import abandon, end_session, first_of, publish_all

log = logging.getLogger(__name__)
MQTT_LOG = logging.getLogger("console.province.mqtt")
SUBSCRIPTION = f"{schema.TOPIC_ROOT}/+/#"
SUBSCRIPTION_QOS = 1
_REFUSED = {4, 5, 134, 135}


@dataclass(frozen=True)
class ReceiverStatus:
    """What the province window polls (replaced whole by the loop: no lock, no I/O)."""

    connected: bool = False
    since_ms: int | None = None  # connected since / disconnected since
    problem: ReceiverProblem | None = None
    problem_params: dict[str, str] | None = None
    stored: int = 0  # reports stored since start
    duplicates: int = 0  # reports received again (confirmed again, not stored)
    dropped: int = 0
    receipts: int = 0  # seqs confirmed since start
    batches: int = 0

    def problem_text(self, lang: str = "vi") -> str | None:
        return None if self.problem is None else render(self.problem, lang, self.problem_params or {})


class _StoppedError(Exception):
    pass


class ProvinceReceiver:
    """`start()`, poll `status()`, read through `queries()`, `stop()` at exit. Every call returns at once or within
    `stop_timeout_s`."""

    def __init__(self, config: ProvinceConfig, db_path: Path, snapshots: Path, *, network: NetworkLoop | None = None,
                 tuning: ReceiverTuning = DEFAULT_TUNING, identifier: str | None = None) -> None:
        self.config = config
        self.db_path = db_path
        self.snapshots = snapshots
        self._tuning = tuning
        self._own_network = network is None
        self._network = network or NetworkLoop("province-network")
        self._identifier = identifier or f"province-{config.credentials.username}-{os.getpid()}"
        self._store: ProvinceStore | None = None
        self._executor: concurrent.futures.ThreadPoolExecutor | None = None
        self._future: concurrent.futures.Future[None] | None = None
        self._stop = asyncio.Event()
        self._status = ReceiverStatus()
        self._drop_window = (0.0, 0)
        self._client_now: aiomqtt.Client | None = None  # the connected session's client (the loop's only)
        self._sends: set[asyncio.Task[None]] = set()
        self.requests = SnapshotRequests()

    # --- what other threads call --------------------------------------------------------------------------

    def start(self) -> ProvinceReceiver:
        """Open the store (sqlite3.Error if it cannot be) and connect in the background."""
        if self._future is not None:
            return self
        self._store = ProvinceStore(self.db_path, self.snapshots)
        self._executor = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="province-store")
        self._network.start()
        self._stop = asyncio.Event()
        self._status = ReceiverStatus(since_ms=now_ms())
        self._future = self._network.submit(self._run())
        return self

    def stop(self, timeout_s: float | None = None) -> None:
        if self._future is None:
            return
        timeout = self._tuning.stop_timeout_s if timeout_s is None else timeout_s
        end_session(self._network, self._stop, self._future, timeout, "province: the receiver")
        self._future = None
        if self._own_network:
            self._network.stop(timeout)
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
        if self._store is not None:
            self._store.close()
            self._store = None
        self._status = replace(self._status, connected=False)

    def status(self) -> ReceiverStatus:
        return self._status

    def request_snapshot(self, commune: str, camera: str, by: str) -> str:
        """Ask `commune` for a live picture of `camera` (returns at once); follow it in `requests` by the id."""
        request = self.requests.ask(commune, camera, by, now_ms())
        try:
            self._network.call_soon(self._send_request, request.request)
        except RuntimeError:  # the loop has ended
            self.requests.not_sent(request.request, now_ms())
        return request.request

    def queries(self) -> ProvinceQueries:
        """A reader of the store for the calling thread (close it when done)."""
        return ProvinceQueries(self.db_path, self.snapshots, self.config.communes)

    # --- the loop --------------------------------------------------------------------------------------------

    async def _run(self) -> None:
        backoff = Backoff(self._tuning.backoff())
        while not self._stop.is_set():
            connected_at: list[float] = []
            problem, refused = ReceiverProblem.LOST, False
            params: dict[str, str] = {}
            try:
                await self._session(connected_at)
            except _StoppedError:
                break
            except Exception as exc:
                problem, params, refused = self._failure(exc)
            if self._stop.is_set():
                break
            backoff.session_ended(time.monotonic() - connected_at[0] if connected_at else 0.0)
            delay = backoff.next_delay(refused)
            was = self._status
            self._status = replace(was, connected=False, problem=problem, problem_params=params,
                                   since_ms=now_ms() if was.connected else was.since_ms)
            log.warning("province: %s; next attempt in %.1f s", render(problem, "en", params), delay)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await self._stop.wait()

    def _failure(self, exc: BaseException) -> tuple[ReceiverProblem, dict[str, str], bool]:
        broker = {"broker": self.config.broker}
        if isinstance(exc, MqttConnectError):
            value: object = getattr(exc.rc, "value", exc.rc)
            code = value if isinstance(value, int) else -1
            return ReceiverProblem.REFUSED, {"code": str(code)}, code in _REFUSED
        cause = exc.__cause__ or exc.__context__
        if isinstance(exc, ssl.SSLError) or isinstance(cause, ssl.SSLError):
            return ReceiverProblem.TLS, {"ca_file": str(self.config.ca_file)}, False
        if isinstance(exc, MqttCodeError | TimeoutError) or isinstance(cause, OSError | TimeoutError):
            return ReceiverProblem.UNREACHABLE, broker, False
        if isinstance(exc, OSError):
            return ReceiverProblem.UNREACHABLE, broker, False
        return ReceiverProblem.LOST, {}, False

    def _client(self) -> aiomqtt.Client:
        config, tuning = self.config, self._tuning
        context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=str(config.ca_file))
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        v5 = config.protocol is MqttProtocol.V5
        client = aiomqtt.Client(
            config.host, config.port, username=config.credentials.username, password=config.credentials.password,
            identifier=self._identifier, protocol=aiomqtt.ProtocolVersion.V5 if v5 else aiomqtt.ProtocolVersion.V311,
            clean_session=None if v5 else True, keepalive=tuning.keepalive_s, timeout=tuning.publish_timeout_s,
            tls_context=context, max_inflight_messages=tuning.max_inflight, logger=MQTT_LOG)
        client.pending_calls_threshold = tuning.max_inflight  # receipts of a big batch go out together
        return client

    async def _session(self, connected_at: list[float]) -> None:
        client = self._client()
        try:
            await first_of(self._connect(client), self._until_stopped())
        except BaseException:
            abandon(client)
            raise
        connected_at.append(time.monotonic())
        try:
            await first_of(client.subscribe(self.subscriptions(), timeout=self._tuning.subscribe_timeout_s),
                            self._until_stopped())
            self._status = replace(self._status, connected=True, since_ms=now_ms(), problem=None,
                                   problem_params=None)
            log.info("province: connected to %s, subscribed to %s", self.config.broker, SUBSCRIPTION)
            self._client_now = client
            await first_of(self._receive(client), self._until_stopped())
        finally:
            self._client_now = None
            with contextlib.suppress(Exception):
                async with asyncio.timeout(2.0):
                    await client.__aexit__(None, None, None)
            abandon(client)

    def subscriptions(self) -> list[tuple[str, int]]:
        """Every commune's root, and each configured commune's `status` by its exact topic as well: RabbitMQ 3.10
        hands a retained message only to a subscription of its exact topic, never to a wildcard, so without it a
        province started after a commune's last will would not learn that the commune is offline. (mosquitto then
        sends that retained status twice, once per subscription; a status is stored as state, the same twice.)"""
        exact = [(schema.topic(commune.id, Topic.STATUS), SUBSCRIPTION_QOS) for commune in self.config.communes]
        return [(SUBSCRIPTION, SUBSCRIPTION_QOS), *exact]

    def _send_request(self, request_id: str) -> None:
        client, asked = self._client_now, self.requests.get(request_id, now_ms())
        if asked is None:
            return
        if client is None:
            self.requests.not_sent(request_id, now_ms())
            return
        payload = schema.command_payload(MessageType.SNAPSHOT_REQUEST.value, request_id, asked.camera, asked.by,
                                         now_ms())
        task = asyncio.get_running_loop().create_task(self._publish_request(client, asked.commune, request_id,
                                                                            payload))
        self._sends.add(task)
        task.add_done_callback(self._sends.discard)

    async def _publish_request(self, client: aiomqtt.Client, commune: str, request_id: str, payload: bytes) -> None:
        try:
            await client.publish(schema.topic(commune, Topic.COMMANDS), payload, qos=1)
        except Exception as exc:
            log.info("province: snapshot request %s to %s not sent (%s)", request_id, commune, exc)
            self.requests.not_sent(request_id, now_ms())
            return
        self.requests.sent(request_id)

    async def _connect(self, client: aiomqtt.Client) -> None:
        async with asyncio.timeout(self._tuning.connect_timeout_s):
            await client.__aenter__()

    async def _until_stopped(self) -> None:
        await self._stop.wait()
        raise _StoppedError

    async def _receive(self, client: aiomqtt.Client) -> None:
        messages = client.messages
        loop = asyncio.get_running_loop()
        while True:
            batch = [await anext(messages)]
            while len(messages) and len(batch) < self._tuning.batch_max:
                batch.append(await anext(messages))
            items = self._parse(batch)
            if not items:
                continue
            store, executor = self._store, self._executor
            if store is None or executor is None:
                raise _StoppedError
            result = await loop.run_in_executor(executor, store.write, items, now_ms())
            self._status = replace(self._status, stored=self._status.stored + result.stored,
                                   duplicates=self._status.duplicates + result.duplicates,
                                   batches=self._status.batches + 1)
            await self._confirm(client, result)

    def _parse(self, batch: list[aiomqtt.Message]) -> list[Sequenced | StatusReport | CameraHealthReport]:
        received = now_ms()
        items: list[Sequenced | StatusReport | CameraHealthReport] = []
        for message in batch:
            payload = message.payload if isinstance(message.payload, bytes | bytearray) else b""
            parsed = parse_message(str(message.topic), bytes(payload), received)
            if isinstance(parsed, Dropped):
                self._dropped(parsed)
            elif isinstance(parsed, CommandAnswer):
                if not self.requests.answered(parsed):
                    log.info("province: an answer of %s to request %s nobody waits for", parsed.commune,
                             parsed.request)
            elif not isinstance(parsed, Echo):
                items.append(parsed)
        return items

    def _dropped(self, dropped: Dropped) -> None:
        self._status = replace(self._status, dropped=self._status.dropped + 1)
        started, logged = self._drop_window
        now = time.monotonic()
        if now - started > self._tuning.drop_log_every_s:
            if logged > self._tuning.drop_log_burst:
                log.warning("province: %d more messages were dropped", logged - self._tuning.drop_log_burst)
            started, logged = now, 0
        if logged < self._tuning.drop_log_burst:
            log.warning("province: %s", render(dropped.reason, "en", dropped.params))
        self._drop_window = (started, logged + 1)

    async def _confirm(self, client: aiomqtt.Client, result: BatchResult) -> None:
        """The receipts of a committed batch, one message per commune (chunks of the schema's limit)."""
        sends: list[Coroutine[Any, Any, None]] = []
        count = 0
        for commune, seqs in result.receipts.items():
            topic = schema.topic(commune, Topic.RECEIPTS)
            for start in range(0, len(seqs), schema.MAX_RECEIPT_SEQS):
                chunk = seqs[start:start + schema.MAX_RECEIPT_SEQS]
                sends.append(client.publish(topic, schema.receipt_payload(chunk), qos=1))
                count += len(chunk)
        if sends:
            await publish_all(sends)  # on a failure the rest are sent again: the commune repeats, we confirm again
            self._status = replace(self._status, receipts=self._status.receipts + count)




__all__ = ["DropReason", "ProvinceReceiver", "ReceiverStatus"]
