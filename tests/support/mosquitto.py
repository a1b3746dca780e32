"""Debian's mosquitto as the province broker, started by a test on 127.0.0.1 only, and a province stand-in.

The broker listens on free loopback ports with TLS only (a CA and a server certificate generated with
`cryptography` into the test's folder), a password file made by `mosquitto_passwd -b`, and the per-commune ACL
a province would deploy: a commune (user = its id) may publish only under `bn/v1/<id>/#` and read only its
`receipts`; the `province` user reads and writes all of `bn/v1/#`. A second listener takes client certificates
(the certificate's CN is the user). Every start waits at most `START_TIMEOUT_S`; the process is always killed.

`ProvinceStand` is the province application in miniature, built on paho's threaded client (not on aiomqtt nor on
the console's code): it stores each (commune, seq) once, counts duplicates and confirms what it stored.
`commune_console` is the side under test: the console's own alert writer, outbox hook and publisher.
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import os
import signal
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import paho.mqtt.client as paho
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from paho.mqtt.enums import CallbackAPIVersion

from console.core.alerts import AlertEvent, AlertKind, AlertState
from console.core.credentials import Credentials
from console.core.uplink_settings import MqttProtocol, UplinkSettings
from console.core.vntime import now_ms
from console.store import outbox
from console.store.alerts import AlertWriter, Transition
from console.store.database import open_database
from console.uplink.publisher import UplinkPublisher
from console.uplink.tuning import UplinkTuning
from tests.support.ports import free_ports

HOST = "127.0.0.1"  # never any other address
MOSQUITTO = "/usr/sbin/mosquitto"
MOSQUITTO_PASSWD = "/usr/bin/mosquitto_passwd"
START_TIMEOUT_S = 10.0
PROVINCE_USER = "province"
PROVINCE_PASSWORD = "Dung-Mat-Khau-1"


def _write_private(path: Path, data: bytes) -> Path:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    return path


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


@dataclass(frozen=True)
class Pki:
    """A throwaway province CA and what it signed, as PEM files in `folder`."""

    folder: Path
    ca_cert: Path
    server_cert: Path
    server_key: Path
    _ca_key: ec.EllipticCurvePrivateKey = field(repr=False)
    _ca: x509.Certificate = field(repr=False)

    def client_cert(self, common_name: str) -> tuple[Path, Path]:
        """A client certificate for `common_name` (the commune's id), signed by this CA."""
        key = ec.generate_private_key(ec.SECP256R1())
        cert = _signed(_name(common_name), key, self._ca.subject, self._ca_key,
                       x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]))
        cert_path = self.folder / f"{common_name}.pem"
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return cert_path, _write_private(self.folder / f"{common_name}.key", _pem_key(key))


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _signed(subject: x509.Name, key: ec.EllipticCurvePrivateKey, issuer: x509.Name,
            issuer_key: ec.EllipticCurvePrivateKey, *extensions: x509.ExtensionType) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=2)))
    for extension in extensions:
        builder = builder.add_extension(extension, critical=isinstance(extension, x509.BasicConstraints))
    return builder.sign(issuer_key, hashes.SHA256())


def make_pki(folder: Path, name: str = "ca") -> Pki:
    folder.mkdir(parents=True, exist_ok=True)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name(f"Test province CA {name}")
    ca = _signed(ca_name, ca_key, ca_name, ca_key,
                 x509.BasicConstraints(ca=True, path_length=0),
                 x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                               data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                               encipher_only=False, decipher_only=False))
    server_key = ec.generate_private_key(ec.SECP256R1())
    server = _signed(_name(HOST), server_key, ca_name, ca_key,
                     x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(HOST)),
                                                  x509.DNSName("localhost")]),
                     x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]))
    ca_path = folder / f"{name}.pem"
    ca_path.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    server_path = folder / f"{name}-server.pem"
    server_path.write_bytes(server.public_bytes(serialization.Encoding.PEM))
    return Pki(folder, ca_path, server_path, _write_private(folder / f"{name}-server.key", _pem_key(server_key)),
               ca_key, ca)


class Mosquitto:
    """One broker process; `kill()` is `kill -9`, `start()` again serves the same ports and files."""

    def __init__(self, folder: Path, accounts: dict[str, str]) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.pki = make_pki(folder / "pki")
        self.port, self.cert_port = free_ports(2)
        self.log = folder / "mosquitto.log"
        self._process: subprocess.Popen[bytes] | None = None
        self._write_files({PROVINCE_USER: PROVINCE_PASSWORD, **accounts})

    def _write_files(self, accounts: dict[str, str]) -> None:
        passwords = self.folder / "passwords"
        for index, (user, password) in enumerate(accounts.items()):
            # -b takes the password on the command line: fine for a loopback test broker, never for a province.
            subprocess.run([MOSQUITTO_PASSWD, *(["-c"] if index == 0 else []), "-b", str(passwords), user, password],
                           check=True, timeout=10, capture_output=True)
        acl = self.folder / "acl"
        acl.write_text(f"user {PROVINCE_USER}\ntopic readwrite bn/v1/#\n\n"
                       "pattern write bn/v1/%u/#\npattern read bn/v1/%u/receipts\n")
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
        self._process = subprocess.Popen([MOSQUITTO, "-c", str(self.folder / "mosquitto.conf")],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                error = self._process.stderr.read().decode(errors="replace") if self._process.stderr else ""
                raise RuntimeError(f"mosquitto exited at start: {error}\n{self.log_text()[-2000:]}")
            if " running" in self.log_text()[logged:]:
                return self
            time.sleep(0.02)
        self.kill()
        raise RuntimeError(f"mosquitto did not start within {START_TIMEOUT_S} s:\n{self.log_text()[-2000:]}")

    def kill(self) -> None:
        """SIGKILL (no autosave, no clean goodbye to anyone), reaped."""
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGKILL)
            self._process.wait(timeout=10)
        self._process = None

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""

    def __enter__(self) -> Mosquitto:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.kill()


def client_context(ca: Path) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(ca))
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


@dataclass
class Received:
    topic: str
    data: dict[str, Any]
    retained: bool
    at: float  # time.monotonic() at arrival


class ProvinceStand:
    """Subscribes to `bn/v1/#`; stores each (commune, seq) once and confirms it on the commune's receipts topic
    (unless `confirm` is False). Reconnects by itself (paho's threaded loop) when the broker comes back."""

    def __init__(self, broker: Mosquitto, confirm: bool = True, user: str = PROVINCE_USER,
                 password: str = PROVINCE_PASSWORD, subscribe: str = "bn/v1/#") -> None:
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
            client.subscribe(self._subscribe, qos=1)

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


def uplink_settings(broker: Mosquitto, commune: str, *, protocol: MqttProtocol = MqttProtocol.V311,
                    ca: Path | None = None, cert: tuple[Path, Path] | None = None,
                    backlog_per_s: float = 200.0) -> UplinkSettings:
    """The `[uplink]` of a commune logging in to `broker` with a password (or with `cert` on its cert port)."""
    return settings_for(broker.cert_port if cert else broker.port, ca or broker.pki.ca_cert, commune,
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
