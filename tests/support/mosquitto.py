"""Debian's mosquitto as the province broker, started by a test on 127.0.0.1 only, and a province stand-in.

The broker listens on free loopback ports with TLS only (a CA and a server certificate generated with
`cryptography` into the test's folder), a password file made by `mosquitto_passwd -b`, and the per-commune ACL
a province would deploy: a commune (user = its id) may publish only under `bn/v1/<id>/#` and read only its
`receipts`; the `province` user reads and writes all of `bn/v1/#`. A second listener takes client certificates
(the certificate's CN is the user). Every start waits at most `START_TIMEOUT_S`; the process is always killed.
The PKI, the province account and the bounded start are shared with RabbitMQ (`tests/support/broker_process.py`).

`ProvinceStand` is the province application in miniature, built on paho's threaded client (not on aiomqtt nor on
the console's code): it stores each (commune, seq) once, counts duplicates and confirms what it stored.
`commune_console` is the side under test: the console's own alert writer, outbox hook and publisher.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion

from console.core.alerts import AlertEvent, AlertKind, AlertState
from console.core.credentials import Credentials
from console.core.uplink_settings import MqttProtocol, UplinkSettings
from console.core.vntime import now_ms
from console.store import outbox
from console.store.alerts import AlertWriter, Transition
from console.store.database import open_database
from console.uplink.publisher import UplinkPublisher
from console.uplink.schema import COMMUNE_READS, COMMUNE_WRITES
from console.uplink.tuning import UplinkTuning
from tests.support.broker_process import (
    HOST,
    PROVINCE_PASSWORD,
    PROVINCE_USER,
    BrokerProcess,
    Pki,
    client_context,
    make_pki,
    wait_ready,
)
from tests.support.ports import free_ports

__all__ = ["HOST", "PROVINCE_PASSWORD", "PROVINCE_USER", "TEST_TUNING", "Mosquitto", "Pki", "ProvinceStand",
           "client_context", "commune_console", "make_pki", "settings_for", "uplink_settings"]

MOSQUITTO = "/usr/sbin/mosquitto"
MOSQUITTO_PASSWD = "/usr/bin/mosquitto_passwd"
START_TIMEOUT_S = 10.0


def acl_text() -> str:
    """The province's ACL: a commune writes only the topics of its own root it sends (never its `commands` or
    `receipts`: mosquitto has no write-only deny, so the allowed ones are listed) and reads only its receipts and
    commands; the province reads and writes everything."""
    writes = "".join(f"pattern write bn/v1/%u/{suffix}\n" for suffix in COMMUNE_WRITES)
    reads = "".join(f"pattern read bn/v1/%u/{suffix}\n" for suffix in COMMUNE_READS)
    return f"user {PROVINCE_USER}\ntopic readwrite bn/v1/#\n\n{writes}{reads}"


class Mosquitto(BrokerProcess):
    """One mosquitto process; `kill()` is `kill -9`, `start()` again serves the same ports and files."""

    name = "mosquitto"

    def __init__(self, folder: Path, accounts: dict[str, str]) -> None:
        super().__init__(folder)
        self.port, self.cert_port = free_ports(2)
        self._process: subprocess.Popen[bytes] | None = None
        self._write_files({PROVINCE_USER: PROVINCE_PASSWORD, **accounts})

    def _write_files(self, accounts: dict[str, str]) -> None:
        passwords = self.folder / "passwords"
        for index, (user, password) in enumerate(accounts.items()):
            # -b takes the password on the command line: fine for a loopback test broker, never for a province.
            subprocess.run([MOSQUITTO_PASSWD, *(["-c"] if index == 0 else []), "-b", str(passwords), user, password],
                           check=True, timeout=10, capture_output=True)
        acl = self.folder / "acl"
        acl.write_text(acl_text())
        tls = (f"cafile {self.pki.ca_cert}\ncertfile {self.pki.server_cert}\nkeyfile {self.pki.server_key}\n"
               "tls_version tlsv1.2\n")
        (self.folder / "mosquitto.conf").write_text(
            "per_listener_settings false\nallow_anonymous false\n"
            f"password_file {passwords}\nacl_file {acl}\n"
            "user root\npersistence false\n"  # root: the test's files are the test user's only
            f"log_dest file {self.log}\nlog_type error\nlog_type warning\nlog_type notice\nlog_type information\n"
            "connection_messages true\nmax_keepalive 120\n"
            f"listener {self.port} {HOST}\n{tls}require_certificate false\n"
            f"listener {self.cert_port} {HOST}\n{tls}require_certificate true\nuse_identity_as_username true\n")

    def start(self) -> Mosquitto:
        logged = self.log.stat().st_size if self.log.exists() else 0
        self._process = process = subprocess.Popen([MOSQUITTO, "-c", str(self.folder / "mosquitto.conf")],
                                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

        def tail() -> str:
            error = process.stderr.read().decode(errors="replace") if process.poll() is not None and \
                process.stderr else ""
            return f"{error}\n{self.log_text()[-2000:]}"

        try:
            self.started_s.append(wait_ready(process, lambda: " running" in self.log_text()[logged:],
                                             START_TIMEOUT_S, "mosquitto", tail))
        except RuntimeError:
            self.kill()
            raise
        return self

    def kill(self) -> None:
        """SIGKILL (no autosave, no clean goodbye to anyone), reaped."""
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGKILL)
            self._process.wait(timeout=10)
        self._process = None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None


@dataclass
class Received:
    topic: str
    data: dict[str, Any]
    retained: bool
    at: float  # time.monotonic() at arrival


class ProvinceStand:
    """Subscribes to `bn/v1/#`; stores each (commune, seq) once and confirms it on the commune's receipts topic
    (unless `confirm` is False). Reconnects by itself (paho's threaded loop) when the broker comes back."""

    def __init__(self, broker: BrokerProcess, confirm: bool = True, user: str = PROVINCE_USER,
                 password: str = PROVINCE_PASSWORD, subscribe: str | list[str] = "bn/v1/#") -> None:
        self.confirm = confirm
        self.received: list[Received] = []
        self.stored: dict[tuple[str, int], Received] = {}
        self.duplicates = 0
        self._subscribe = subscribe
        self._lock = threading.Lock()
        self._subscribed = threading.Event()
        self._client = paho.Client(CallbackAPIVersion.VERSION2, client_id=f"province-stand-{os.getpid()}-{id(self)}",
                                   protocol=paho.MQTTv311, clean_session=True)
        self._client.tls_set_context(client_context(broker.pki.ca_cert))
        self._client.username_pw_set(user, password)
        self._client.reconnect_delay_set(min_delay=1, max_delay=1)
        self._client.on_connect = self._on_connect
        self._client.on_subscribe = self._on_subscribe
        self._client.on_message = self._on_message
        self._client.on_disconnect = self._on_disconnect
        self._host, self._port = HOST, broker.port

    def start(self, timeout_s: float = 10.0) -> ProvinceStand:
        self._client.connect_async(self._host, self._port, keepalive=10)
        self._client.loop_start()
        self.wait_subscribed(timeout_s)
        return self

    def wait_subscribed(self, timeout_s: float = 10.0) -> None:
        if not self._subscribed.wait(timeout_s):
            raise AssertionError(f"the province stand-in did not subscribe within {timeout_s} s")

    def stop(self) -> None:
        self._client.disconnect()
        self._client.loop_stop()

    def __enter__(self) -> ProvinceStand:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def _on_connect(self, client: paho.Client, _userdata: object, _flags: object, reason: Any,
                    _properties: object) -> None:
        if not reason.is_failure:
            topics = [self._subscribe] if isinstance(self._subscribe, str) else self._subscribe
            client.subscribe([(topic, 1) for topic in topics])

    def _on_subscribe(self, *_args: object) -> None:
        self._subscribed.set()

    def _on_disconnect(self, *_args: object) -> None:
        self._subscribed.clear()

    def _on_message(self, client: paho.Client, _userdata: object, message: paho.MQTTMessage) -> None:
        try:
            data = json.loads(message.payload)
        except ValueError:
            data = {"unparsed": message.payload.hex()}
        item = Received(message.topic, data, bool(message.retain), time.monotonic())
        seq, commune = data.get("seq"), data.get("commune")
        with self._lock:
            self.received.append(item)
            if isinstance(seq, int) and isinstance(commune, str):
                if (commune, seq) in self.stored:
                    self.duplicates += 1
                else:
                    self.stored[(commune, seq)] = item
        if self.confirm and isinstance(seq, int) and isinstance(commune, str):
            client.publish(f"bn/v1/{commune}/receipts", json.dumps({"v": 1, "type": "receipt", "seqs": [seq]}),
                           qos=1)

    def seqs(self, commune: str) -> list[int]:
        """Stored seqs of `commune` in arrival order."""
        with self._lock:
            items = sorted(((k[1], v.at) for k, v in self.stored.items() if k[0] == commune), key=lambda x: x[1])
        return [seq for seq, _ in items]

    def on_topic(self, suffix: str) -> list[Received]:
        with self._lock:
            return [r for r in self.received if r.topic.endswith(suffix)]


# --- the commune side under test: the console's own writer, outbox hook and publisher -------------------------

@dataclass
class CommuneUnderTest:
    db_path: Path
    writer: AlertWriter
    publisher: UplinkPublisher

    def alert(self, camera: str = "C01", kind: AlertKind = AlertKind.MOTION, phase: str = "start",
              alert_id: int | None = None) -> int:
        alert_id = alert_id if alert_id is not None else self.writer.next_id()
        self.writer.submit(AlertEvent(alert_id, camera, "S01", kind, now_ms(), 0.5, phase))
        return alert_id

    def flush(self, timeout_s: float = 10.0) -> None:
        """Wait until every alert submitted so far is committed (a transition is answered after its batch)."""
        done = threading.Event()
        self.writer.submit(Transition(0, AlertState.CLOSED, "-", "", lambda _: done.set()))
        if not done.wait(timeout_s):
            raise AssertionError("the alert writer did not commit within the time")

    def backlog(self) -> list[int]:
        """Seqs still in the outbox (read on a connection of its own)."""
        db = open_database(self.db_path)
        try:
            return [r.seq for r in outbox.after(db.conn, 0, 1_000_000)]
        finally:
            db.close()

    def newest_seq(self) -> int:
        db = open_database(self.db_path)
        try:
            return int(db.execute("SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'outbox'")
                       .fetchone()[0])
        finally:
            db.close()


def uplink_settings(broker: BrokerProcess, commune: str, *, protocol: MqttProtocol = MqttProtocol.V311,
                    ca: Path | None = None, cert: tuple[Path, Path] | None = None,
                    backlog_per_s: float = 200.0) -> UplinkSettings:
    """The `[uplink]` of a commune logging in to `broker` with a password (or with `cert` on its cert port)."""
    port = broker.cert_port if cert else broker.port
    assert port is not None, f"{broker.name} has no listener for client certificates"
    return settings_for(port, ca or broker.pki.ca_cert, commune,
                        protocol=protocol, cert=cert, backlog_per_s=backlog_per_s)


def settings_for(port: int, ca: Path, commune: str, *, protocol: MqttProtocol = MqttProtocol.V311,
                 cert: tuple[Path, Path] | None = None, backlog_per_s: float = 200.0) -> UplinkSettings:
    return UplinkSettings(HOST, port, commune, ca, None if cert else "uplink", protocol, cert[0] if cert else None,
                          cert[1] if cert else None, backlog_per_s)


# Tests shorten what would make them wait: backoff, receipt timeout.
TEST_TUNING = UplinkTuning(backoff_first_s=0.3, backoff_cap_s=2.0, good_session_s=2.0, receipt_timeout_s=3.0,
                           refused_wait_s=1.0, status_refresh_s=0.2, stop_timeout_s=5.0)


@contextmanager
def commune_console(folder: Path, settings: UplinkSettings, credentials: Credentials | None, *,
                    tuning: UplinkTuning = TEST_TUNING, start: bool = True) -> Iterator[CommuneUnderTest]:
    """A commune's alert log and uplink on `folder`/console.db; everything closed afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    db_path = folder / "console.db"
    open_database(db_path).close()
    publisher = UplinkPublisher(settings, db_path, credentials, snapshots=folder / "alerts", tuning=tuning)
    writer = AlertWriter(db_path, folder / "alerts", outbox=publisher.alert_outbox)
    try:
        if start:
            publisher.start()
        yield CommuneUnderTest(db_path, writer, publisher)
    finally:
        writer.close()
        publisher.stop()
