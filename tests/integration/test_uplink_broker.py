"""The commune's uplink against Debian's mosquitto on 127.0.0.1 (TLS, password file, per-commune ACL): receipts
delete exactly their rows, TLS is required, wrong credentials and another commune's root are refused, and a
commune can log in with a certificate over MQTT 5. The province is a stand-in on paho's threaded client."""

from __future__ import annotations

import json
import logging
import socket
import struct
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import paho.mqtt.client as paho
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from console.core.alerts import AlertKind
from console.core.credentials import Credentials
from console.core.uplink_settings import MqttProtocol
from console.uplink.messages import UplinkProblem
from console.uplink.status import Connection
from tests.support.mosquitto import (
    HOST,
    TEST_TUNING,
    Mosquitto,
    ProvinceStand,
    client_context,
    commune_console,
    make_pki,
    settings_for,
    uplink_settings,
)
from tests.support.waiting import wait_until

COMMUNE = "gia-dong"
NEIGHBOUR = "dai-dong"
PASSWORD = "Bi-Mat#2026"
NEIGHBOUR_PASSWORD = "Pw-Two"


@pytest.fixture()
def broker(tmp_path: Path) -> Iterator[Mosquitto]:
    with Mosquitto(tmp_path / "broker", {COMMUNE: PASSWORD, NEIGHBOUR: NEIGHBOUR_PASSWORD}) as running:
        yield running


def connected(client: paho.Client, timeout_s: float = 5.0) -> None:
    up = threading.Event()
    client.on_connect = lambda *_: up.set()
    client.loop_start()
    if not up.wait(timeout_s):
        raise AssertionError("the probe client did not connect")


def probe(broker: Mosquitto, user: str, password: str) -> paho.Client:
    client = paho.Client(CallbackAPIVersion.VERSION2, client_id=f"probe-{user}-{time.monotonic_ns()}",
                         protocol=paho.MQTTv311)
    client.tls_set_context(client_context(broker.pki.ca_cert))
    client.username_pw_set(user, password)
    client.connect(HOST, broker.port, keepalive=10)
    connected(client)
    return client


def close(client: paho.Client) -> None:
    client.disconnect()  # first: it wakes paho's loop, which then ends at once instead of at its 1 s select
    client.loop_stop()


def test_receipts_delete_exactly_the_acknowledged_rows(tmp_path: Path, broker: Mosquitto) -> None:
    with ProvinceStand(broker, confirm=False) as province, \
            commune_console(tmp_path / "c", uplink_settings(broker, COMMUNE), Credentials(COMMUNE, PASSWORD)) as c:
        for _ in range(10):
            c.alert()
        wait_until(lambda: len(province.seqs(COMMUNE)) == 10, 10, what="10 alerts at the province")
        seqs = province.seqs(COMMUNE)
        assert c.backlog() == sorted(seqs)  # a PUBACK deletes nothing
        sender = probe(broker, "province", "Dung-Mat-Khau-1")
        try:
            receipts = f"bn/v1/{COMMUNE}/receipts"
            sender.publish(receipts, b'{"v":1,"seqs":["not a seq"]}', qos=1)  # malformed: logged and dropped
            sender.publish(receipts, b"\xff" * 10, qos=1)
            confirmed = [seqs[1], seqs[4], seqs[7]]
            sender.publish(receipts, json.dumps({"v": 1, "type": "receipt", "seqs": [*confirmed, 99_999]}), qos=1)
            wait_until(lambda: len(c.backlog()) == 7, 10, what="three rows deleted by the receipt")
            assert c.backlog() == sorted(set(seqs) - set(confirmed))
            sender.publish(receipts, json.dumps({"v": 1, "seqs": [s for s in seqs if s not in confirmed]}), qos=1)
            wait_until(lambda: c.backlog() == [], 10, what="the rest deleted")
        finally:
            close(sender)
        assert c.publisher.status().connected and c.publisher.status().confirmed == 10


def _connect_packet(user: str, password: str) -> bytes:
    def text(value: str) -> bytes:
        raw = value.encode()
        return struct.pack("!H", len(raw)) + raw

    body = text("MQTT") + bytes([4, 0xC2]) + struct.pack("!H", 10) + text("plain-probe") + text(user) + text(password)
    return bytes([0x10, len(body)]) + body


def test_tls_is_required_a_plain_connection_is_refused(tmp_path: Path, broker: Mosquitto) -> None:
    with socket.create_connection((HOST, broker.port), timeout=5) as plain:
        plain.sendall(_connect_packet(COMMUNE, PASSWORD))
        plain.settimeout(5)
        try:
            answer = plain.recv(16)
        except (ConnectionResetError, TimeoutError):
            answer = b""
    assert not answer.startswith(b"\x20")  # no CONNACK: the listener speaks TLS only
    assert "New client connected" not in broker.log_text()
    # And our client refuses a broker whose certificate the province CA did not sign.
    stranger = make_pki(tmp_path / "other-ca", "stranger")
    settings = uplink_settings(broker, COMMUNE, ca=stranger.ca_cert)
    with commune_console(tmp_path / "c", settings, Credentials(COMMUNE, PASSWORD)) as c:
        wait_until(lambda: c.publisher.status().problem is UplinkProblem.CERTIFICATE, 10,
                   what="the certificate problem in the status")
        assert c.publisher.status().connection is Connection.DISCONNECTED


def test_wrong_credentials_are_refused_and_never_logged(tmp_path: Path, broker: Mosquitto,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "Sai-Mat-Khau"
    with commune_console(tmp_path / "c", uplink_settings(broker, COMMUNE), Credentials(COMMUNE, wrong)) as c:
        c.alert()
        wait_until(lambda: c.publisher.status().problem in (UplinkProblem.CREDENTIALS_REFUSED,
                                                            UplinkProblem.NOT_AUTHORIZED), 10,
                   what="the broker's refusal in the status")
        status = c.publisher.status()
        assert status.connection is Connection.DISCONNECTED and status.since_ms is not None
        wait_until(lambda: c.publisher.status().backlog == 1, 5, what="the alert waiting in the outbox")
        assert "mật khẩu" in (status.problem_text("vi") or "") or "tài khoản" in (status.problem_text("vi") or "")
        assert "mất kết nối từ" in status.line("vi")
    assert wrong not in caplog.text and PASSWORD not in caplog.text
    assert "uplink:" in caplog.text  # the refusal was logged, in our words


def test_a_commune_may_publish_only_under_its_own_root(broker: Mosquitto) -> None:
    with ProvinceStand(broker, confirm=False) as province:
        commune = probe(broker, COMMUNE, PASSWORD)
        neighbour = probe(broker, NEIGHBOUR, NEIGHBOUR_PASSWORD)
        overheard: list[str] = []
        subscribed = threading.Event()
        commune.on_message = lambda _c, _u, m: overheard.append(m.topic)
        commune.on_subscribe = lambda *_: subscribed.set()
        try:
            commune.subscribe([(f"bn/v1/{NEIGHBOUR}/receipts", 1), (f"bn/v1/{COMMUNE}/receipts", 1)])
            assert subscribed.wait(5)
            commune.publish(f"bn/v1/{NEIGHBOUR}/alerts/new", b'{"v":1,"forged":true}', qos=1).wait_for_publish(5)
            commune.publish("bn/v2/anything", b'{"v":1,"forged":true}', qos=1).wait_for_publish(5)
            neighbour.publish(f"bn/v1/{NEIGHBOUR}/alerts/new", b'{"v":1,"own":true}', qos=1).wait_for_publish(5)
            commune.publish(f"bn/v1/{COMMUNE}/alerts/new", b'{"v":1,"own":true}', qos=1).wait_for_publish(5)
            wait_until(lambda: len(province.on_topic("alerts/new")) == 2, 5, what="both communes' own messages")
            # Order per connection is kept: the forged message went before the commune's own, so it is not late.
            assert all(r.data.get("own") for r in province.on_topic("alerts/new"))
            assert province.on_topic("bn/v2/anything") == []
            sender = probe(broker, "province", "Dung-Mat-Khau-1")
            sender.publish(f"bn/v1/{NEIGHBOUR}/receipts", b'{"v":1,"seqs":[1]}', qos=1).wait_for_publish(5)
            sender.publish(f"bn/v1/{COMMUNE}/receipts", b'{"v":1,"seqs":[2]}', qos=1).wait_for_publish(5)
            wait_until(lambda: overheard, 5, what="the commune's own receipt")
            assert overheard == [f"bn/v1/{COMMUNE}/receipts"]  # never the neighbour's
            close(sender)
        finally:
            close(commune)
            close(neighbour)


def test_a_commune_logs_in_with_a_certificate_over_mqtt_5(tmp_path: Path, broker: Mosquitto) -> None:
    cert = broker.pki.client_cert(COMMUNE)
    settings = uplink_settings(broker, COMMUNE, protocol=MqttProtocol.V5, cert=cert)
    with ProvinceStand(broker) as province, commune_console(tmp_path / "c", settings, None) as c:
        alert = c.alert(kind=AlertKind.TAMPER_COVERED)
        c.alert(kind=AlertKind.TAMPER_COVERED, phase="end", alert_id=alert)
        wait_until(lambda: len(province.seqs(COMMUNE)) == 2, 10, what="the alert and its end at the province")
        wait_until(lambda: c.backlog() == [], 10, what="both confirmed")
        kinds = [r.data["type"] for r in province.on_topic("alerts/new") + province.on_topic("alerts/end")]
        assert kinds == ["alert_new", "alert_end"]
        status = [r.data for r in province.on_topic("/status")]
        assert status and status[-1]["state"] == "online"
    assert "u'gia-dong'" in broker.log_text()  # the certificate's CN is the user


def test_a_broker_that_never_answers_blocks_neither_status_nor_stop(tmp_path: Path) -> None:
    """A listener on 127.0.0.1 that accepts and then says nothing (no TLS handshake, no CONNACK)."""
    hole = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    hole.bind((HOST, 0))
    hole.listen(8)
    held: list[socket.socket] = []
    threading.Thread(target=lambda: held.append(hole.accept()[0]), daemon=True).start()
    settings = settings_for(hole.getsockname()[1], make_pki(tmp_path / "pki").ca_cert, COMMUNE)
    try:
        with commune_console(tmp_path / "c", settings, Credentials(COMMUNE, PASSWORD)) as c:
            wait_until(lambda: held, 5, what="the console's connection attempt")
            started = time.monotonic()
            for _ in range(1000):
                assert c.publisher.status().connection is Connection.CONNECTING
            assert time.monotonic() - started < 0.05  # the status bar's poll costs nothing
            c.alert()
            c.flush()  # the alert log is not held up by the link either
            started = time.monotonic()
            c.publisher.stop()
            assert time.monotonic() - started < 1.0
            assert c.backlog()  # kept for the next start
    finally:
        for conn in held:
            conn.close()
        hole.close()


def test_status_and_camera_health_are_retained_and_published_again(tmp_path: Path, broker: Mosquitto) -> None:
    tuning = replace(TEST_TUNING, status_every_s=0.5)  # every minute in the console; RabbitMQ keeps retained per node
    with ProvinceStand(broker) as province, commune_console(tmp_path / "c", uplink_settings(broker, COMMUNE),
                                                             Credentials(COMMUNE, PASSWORD), tuning=tuning,
                                                             start=False) as c:
        c.publisher.report_camera_health("C01", "ok")  # known before the link is up: sent when it is
        c.publisher.report_camera_health("C02", "ok")
        c.publisher.start()
        wait_until(lambda: len(province.on_topic("cameras/C02/health")) >= 1, 10, what="C02's health")
        c.alert(camera="C02", kind=AlertKind.CAMERA_OFFLINE)  # a health change: the outbox and the retained topic
        wait_until(lambda: province.on_topic("cameras/C02/health")[-1].data["state"] == "camera_offline", 10,
                   what="C02 offline on its health topic")
        wait_until(lambda: len([r for r in province.on_topic("/status") if r.data["state"] == "online"]) >= 3, 5,
                   what="the status published again")
        assert [r.data["type"] for r in province.on_topic(f"{COMMUNE}/health")] == ["health_change"]
    with ProvinceStand(broker, confirm=False) as late:  # a province view started later: retained state
        wait_until(lambda: len(late.on_topic("/health")) >= 2 and late.on_topic("/status"), 5,
                   what="the retained topics")
        health = {r.data["camera"]: r.data["state"] for r in late.on_topic("/health") if r.retained}
        assert health == {"C01": "ok", "C02": "camera_offline"}
        assert late.on_topic("/status")[-1].data["reason"] == "stopped"  # a clean stop said so itself
