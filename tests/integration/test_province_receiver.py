"""The province receiver against both province brokers on 127.0.0.1 — Debian's mosquitto (TLS, password file,
per-commune ACL) and RabbitMQ's MQTT plugin (TLS, users, topic permissions) — and the console's own commune side:
receipts only after the commit, duplicates confirmed again and stored once, bad messages dropped with a log line
while the receiver goes on, an alert's snapshot stored with it, a commune's last will shown within 30 s, and shown
by a province started after it (RabbitMQ hands the retained status only to the exact subscription)."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import random
import threading
import time
from pathlib import Path

import paho.mqtt.client as paho
import pytest
from paho.mqtt.enums import CallbackAPIVersion
from PIL import Image

from console.core.alerts import AlertEvent, AlertKind
from console.core.credentials import Credentials
from console.core.uplink_settings import MqttProtocol
from console.core.vntime import now_ms
from console.province.config import ProvinceCommune, ProvinceConfig
from console.province.queries import CommuneLink
from console.province.receiver import ProvinceReceiver
from console.province.store import BatchResult
from console.province.tuning import ReceiverTuning
from tests.support.broker_process import BrokerProcess
from tests.support.brokers import COMMUNE, NEIGHBOUR, PASSWORD
from tests.support.mosquitto import (
    HOST,
    PROVINCE_PASSWORD,
    PROVINCE_USER,
    client_context,
    commune_console,
    uplink_settings,
)
from tests.support.waiting import wait_until

TUNING = ReceiverTuning(backoff_first_s=0.2, backoff_cap_s=1.0, stop_timeout_s=3.0)


def province_config(broker: BrokerProcess) -> ProvinceConfig:
    return ProvinceConfig(HOST, broker.port, broker.pki.ca_cert, Credentials(PROVINCE_USER, PROVINCE_PASSWORD),
                          MqttProtocol.V311, (ProvinceCommune(COMMUNE, "Gia Đông", 21.06, 106.07),
                                              ProvinceCommune(NEIGHBOUR, "Đại Đồng", 21.08, 106.05)))


def started(receiver: ProvinceReceiver) -> ProvinceReceiver:
    receiver.start()
    wait_until(lambda: receiver.status().connected, 10, what="the receiver subscribed")
    time.sleep(0.2)  # the SUBACK is in: what is published now reaches it
    return receiver


def probe(broker: BrokerProcess, user: str, password: str, will: tuple[str, bytes] | None = None) -> paho.Client:
    client = paho.Client(CallbackAPIVersion.VERSION2, client_id=f"probe-{user}-{time.monotonic_ns()}",
                         protocol=paho.MQTTv311)
    client.tls_set_context(client_context(broker.pki.ca_cert))
    client.username_pw_set(user, password)
    if will is not None:
        client.will_set(will[0], will[1], qos=1, retain=True)
    up = threading.Event()
    client.on_connect = lambda *_: up.set()
    client.connect(HOST, broker.port, keepalive=10)
    client.loop_start()
    assert up.wait(5), "the probe client did not connect"
    return client


def close(client: paho.Client) -> None:
    client.disconnect()
    client.loop_stop()


def receipts_of(broker: BrokerProcess, commune: str, password: str) -> tuple[paho.Client, list[list[int]]]:
    """A commune's probe that keeps every receipt it reads."""
    got: list[list[int]] = []
    client = probe(broker, commune, password)
    done = threading.Event()
    client.on_subscribe = lambda *_: done.set()
    client.on_message = lambda _c, _u, m: got.append(json.loads(m.payload)["seqs"])
    client.subscribe(f"bn/v1/{commune}/receipts", qos=1)
    assert done.wait(5)
    return client, got


def flat(receipts: list[list[int]]) -> list[int]:
    return [seq for receipt in receipts for seq in receipt]


def alert_message(commune: str, seq: int, alert_id: int = 1, claimed: str | None = None) -> bytes:
    alert = {"id": alert_id, "kind": "motion", "camera": "C01", "site": "S01", "priority": 2, "score": 0.5,
             "state": "new", "started_ms": 1_780_000_000_000, "peak_ms": None, "last_ms": None, "ended_ms": None,
             "note": "", "acked_by": None, "acked_ms": None, "closed_by": None, "closed_ms": None,
             "has_snapshot": False}
    return json.dumps({"v": 1, "commune": claimed or commune, "seq": seq, "at_ms": 1_780_000_000_000,
                       "type": "alert_new", "alert": alert}).encode()


class _CrashBeforeReceipts(ProvinceReceiver):
    """A province that dies between its commit and its receipts: the rows are on disk, no receipt leaves."""

    committed = threading.Event()

    async def _confirm(self, client: object, result: BatchResult) -> None:
        if result.stored:
            self.committed.set()
            await asyncio.Event().wait()  # hangs until stopped: no receipt ever leaves


def test_receipts_only_after_commit_a_province_killed_before_them_stores_once(tmp_path: Path,
                                                                              broker: BrokerProcess) -> None:
    db, snaps = tmp_path / "province.db", tmp_path / "snaps"
    crashing = started(_CrashBeforeReceipts(province_config(broker), db, snaps, tuning=TUNING))
    try:
        with commune_console(tmp_path / "c", uplink_settings(broker, COMMUNE), Credentials(COMMUNE, PASSWORD)) as c:
            wait_until(lambda: c.publisher.status().connected, 10, what="the commune connected")
            for _ in range(10):
                c.alert()
            c.flush()
            assert crashing.committed.wait(10)
            time.sleep(0.5)
            crashing.stop(1.0)  # killed: nothing confirmed
            reader = crashing.queries()
            stored_before = reader.seqs(COMMUNE)
            reader.close()
            assert stored_before and set(c.backlog()) >= set(stored_before)  # stored, not confirmed: still waiting
            second = started(ProvinceReceiver(province_config(broker), db, snaps, tuning=TUNING))
            try:
                wait_until(lambda: c.backlog() == [], 15, what="the commune's outbox confirmed by the new province")
                queries = second.queries()
                assert queries.seqs(COMMUNE) == list(range(1, c.newest_seq() + 1))  # each seq once
                assert len(queries.alerts()) == 10
                queries.close()
                assert second.status().duplicates >= len(stored_before)  # sent again, confirmed again
            finally:
                second.stop()
    finally:
        crashing.stop()


def test_a_duplicate_is_confirmed_again_and_stored_once(tmp_path: Path, broker: BrokerProcess) -> None:
    receiver = started(ProvinceReceiver(province_config(broker), tmp_path / "p.db", tmp_path / "s", tuning=TUNING))
    client, receipts = receipts_of(broker, COMMUNE, PASSWORD)
    try:
        for sent in range(1, 4):  # one at a time: a batch holding the same seq twice confirms it once
            client.publish(f"bn/v1/{COMMUNE}/alerts/new", alert_message(COMMUNE, 7), qos=1).wait_for_publish(5)
            wait_until(lambda n=sent: flat(receipts).count(7) == n, 10, what=f"receipt {sent} for seq 7")
        queries = receiver.queries()
        assert queries.seqs(COMMUNE) == [7] and len(queries.alerts()) == 1
        queries.close()
        assert receiver.status().stored == 1 and receiver.status().duplicates == 2
    finally:
        close(client)
        receiver.stop()


def test_malformed_oversized_foreign_and_unknown_version_are_dropped_and_the_receiver_goes_on(
        tmp_path: Path, broker: BrokerProcess, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="console.province")
    receiver = started(ProvinceReceiver(province_config(broker), tmp_path / "p.db", tmp_path / "s", tuning=TUNING))
    client, receipts = receipts_of(broker, COMMUNE, PASSWORD)
    try:
        root = f"bn/v1/{COMMUNE}"
        bad = [(f"{root}/alerts/new", b"{not json"),
               (f"{root}/alerts/new", b"x" * (97 * 1024)),
               (f"{root}/alerts/new", alert_message(COMMUNE, 1).replace(b'"v": 1', b'"v": 2')),
               (f"{root}/alerts/new", alert_message(COMMUNE, 2, claimed=NEIGHBOUR)),  # another commune's name
               (f"{root}/alerts/update", alert_message(COMMUNE, 3)),  # a type its topic does not carry
               (f"{root}/alerts/new", json.dumps({"v": 1, "commune": COMMUNE, "seq": 4, "at_ms": 1,
                                                  "type": "alert_new"}).encode()),  # no alert
               (f"{root}/alerts/new", b"[1, 2, 3]")]
        for topic, payload in bad:
            client.publish(topic, payload, qos=1).wait_for_publish(5)
        client.publish(f"{root}/alerts/new", alert_message(COMMUNE, 9), qos=1).wait_for_publish(5)
        wait_until(lambda: [9] in receipts, 10, what="the good message after the bad ones confirmed")
        wait_until(lambda: receiver.status().dropped == len(bad), 5, what="every bad message counted")
        assert receiver.status().connected
        queries = receiver.queries()
        assert queries.seqs(COMMUNE) == [9] and queries.seqs(NEIGHBOUR) == []
        queries.close()
        assert flat(receipts) == [9]  # nothing bad was confirmed
        lines = [r.getMessage() for r in caplog.records if r.name == "console.province.receiver"]
        for words in ("not valid JSON", "over the 98304-byte limit", "schema version 2",
                      'claims the commune "dai-dong"', "does not match the topic", 'the field "alert"'):
            assert any(words in line for line in lines), words
    finally:
        close(client)
        receiver.stop()


def test_a_commune_lost_shows_offline_within_30_s(tmp_path: Path, broker: BrokerProcess) -> None:
    receiver = started(ProvinceReceiver(province_config(broker), tmp_path / "p.db", tmp_path / "s", tuning=TUNING))
    status = f"bn/v1/{COMMUNE}/status"
    will = json.dumps({"v": 1, "type": "status", "commune": COMMUNE, "state": "offline", "session": "s1",
                       "at_ms": None, "reason": "lost"}).encode()
    client = probe(broker, COMMUNE, PASSWORD, will=(status, will))
    try:
        online = {"v": 1, "type": "status", "commune": COMMUNE, "state": "online", "session": "s1",
                  "at_ms": int(time.time() * 1000), "backlog": 0}
        client.publish(status, json.dumps(online), qos=1, retain=True).wait_for_publish(5)
        health = {"v": 1, "type": "camera_health", "commune": COMMUNE, "camera": "C03", "state": "camera_offline",
                  "at_ms": 1}
        client.publish(f"bn/v1/{COMMUNE}/cameras/C03/health", json.dumps(health), qos=1,
                       retain=True).wait_for_publish(5)
        queries = receiver.queries()

        def state() -> tuple[CommuneLink, int]:
            found = next(c for c in queries.communes() if c.id == COMMUNE)
            return found.link, found.cameras_down

        wait_until(lambda: state() == (CommuneLink.ONLINE, 1), 10, what="online with one camera down")
        client.loop_stop()
        lost_at = time.monotonic()
        client.socket().close()  # the commune's link dies without a goodbye: the broker sends its will
        took = wait_until(lambda: state()[0] is CommuneLink.OFFLINE, 30, what="offline at the province")
        assert time.monotonic() - lost_at < 30 and took < 30
        neighbour = next(c for c in queries.communes() if c.id == NEIGHBOUR)
        assert neighbour.link is CommuneLink.UNKNOWN and neighbour.configured
        queries.close()
    finally:
        receiver.stop()


def noisy_jpeg(width: int = 320, height: int = 180) -> bytes:
    """A picture that does not compress much (~25 KB): the snapshot message is a large one (~35 KB of base64)."""
    rng = random.Random(20)
    picture = Image.frombytes("RGB", (width, height), bytes(rng.randrange(256) for _ in range(width * height * 3)))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=70)
    return out.getvalue()


def test_an_alert_s_snapshot_is_stored_with_it_and_the_receipts_empty_the_outbox(tmp_path: Path,
                                                                                 broker: BrokerProcess) -> None:
    receiver = started(ProvinceReceiver(province_config(broker), tmp_path / "p.db", tmp_path / "s", tuning=TUNING))
    try:
        with commune_console(tmp_path / "c", uplink_settings(broker, COMMUNE), Credentials(COMMUNE, PASSWORD)) as c:
            picture = noisy_jpeg()
            alert_id = c.writer.next_id()
            c.writer.submit(AlertEvent(alert_id, "C01", "S01", AlertKind.MOTION, now_ms(), 0.7, "start",
                                       snapshot=picture))
            c.flush()
            queries = receiver.queries()
            try:
                wait_until(lambda: (found := queries.alert(COMMUNE, alert_id)) is not None
                           and found.snapshot is not None, 15, what="the alert and its snapshot at the province")
                details = queries.alert(COMMUNE, alert_id)
            finally:
                queries.close()
            wait_until(lambda: c.backlog() == [], 15, what="the alert and its snapshot confirmed")
        assert details is not None and details.alert.has_snapshot and details.snapshot is not None
        stored = details.snapshot.read_bytes()
        assert stored[:2] == b"\xff\xd8" and Image.open(io.BytesIO(stored)).size == (320, 180)
        assert len(stored) > 20_000  # the picture came through whole, not a stub
        assert receiver.status().receipts >= 2 and receiver.status().dropped == 0
    finally:
        receiver.stop()


def test_a_province_started_after_a_commune_was_lost_shows_it_offline(tmp_path: Path, broker: BrokerProcess) -> None:
    """The commune's last will is retained; the province reads it when it subscribes (on RabbitMQ, through its
    exact subscription to each configured commune's status)."""
    status = f"bn/v1/{COMMUNE}/status"
    will = json.dumps({"v": 1, "type": "status", "commune": COMMUNE, "state": "offline", "session": "s1",
                       "at_ms": None, "reason": "lost"}).encode()
    client = probe(broker, COMMUNE, PASSWORD, will=(status, will))
    online = {"v": 1, "type": "status", "commune": COMMUNE, "state": "online", "session": "s1",
              "at_ms": int(time.time() * 1000), "backlog": 0}
    client.publish(status, json.dumps(online), qos=1, retain=True).wait_for_publish(5)
    client.loop_stop()
    client.socket().close()  # lost without a goodbye: the broker publishes the will, retained
    time.sleep(0.5)
    receiver = started(ProvinceReceiver(province_config(broker), tmp_path / "p.db", tmp_path / "s", tuning=TUNING))
    try:
        queries = receiver.queries()
        try:
            wait_until(lambda: next(c for c in queries.communes() if c.id == COMMUNE).link is CommuneLink.OFFLINE,
                       5, what="the commune offline at a province started after its will")
            assert next(c for c in queries.communes() if c.id == NEIGHBOUR).link is CommuneLink.UNKNOWN
        finally:
            queries.close()
    finally:
        receiver.stop()
