"""The province's commands to a commune against both brokers on 127.0.0.1: a snapshot request round trip (the real
province receiver asks, the console's publisher answers with a JPEG of the right camera, the audit row at the
commune), refusals (unknown camera, a command type not on the allow-list, the rate limit), and the ACL: a commune
reads only its own commands and cannot publish any."""

from __future__ import annotations

import concurrent.futures
import io
import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import paho.mqtt.client as paho
from PIL import Image

from console.audit.actions import AuditAction
from console.audit.writer import AuditWriter
from console.core.credentials import Credentials
from console.core.uplink_settings import MqttProtocol
from console.core.vntime import now_ms
from console.evidence.keys import load_or_create_station_key
from console.province.config import ProvinceCommune, ProvinceConfig
from console.province.receiver import ProvinceReceiver
from console.province.snapshot_requests import RequestState, SnapshotRequest
from console.province.tuning import ReceiverTuning
from console.uplink.commands import DEFAULT_LIMITS, CommandDesk, CommandLimits
from console.uplink.snapshot import LivePicture
from console.uplink.status import Connection
from tests.integration.test_uplink_broker import close, closed_by_broker, probe
from tests.support.broker_process import BrokerProcess
from tests.support.brokers import COMMUNE, NEIGHBOUR, PASSWORD
from tests.support.mosquitto import (
    HOST,
    PROVINCE_PASSWORD,
    PROVINCE_USER,
    Mosquitto,
    ProvinceStand,
    commune_console,
    uplink_settings,
)
from tests.support.waiting import wait_until

TUNING = ReceiverTuning(backoff_first_s=0.2, backoff_cap_s=1.0, stop_timeout_s=3.0)
COLOURS = {"C01": (220, 30, 30), "C02": (30, 40, 220)}
REFUSAL_S = 3.0


class Pictures:
    """The console's live pictures in miniature: each camera a picture of its own colour."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, camera: str) -> concurrent.futures.Future[LivePicture | None]:
        self.asked.append(camera)
        future: concurrent.futures.Future[LivePicture | None] = concurrent.futures.Future()
        width, height = 320, 180
        future.set_result(LivePicture(camera, bytes(COLOURS[camera]) * width * height, width, height, now_ms()))
        return future


def colour_of(jpeg: bytes) -> tuple[int, int, int]:
    with Image.open(io.BytesIO(jpeg)) as image:
        r, g, b = image.convert("RGB").resize((1, 1)).getpixel((0, 0))  # type: ignore[misc]
    return int(r), int(g), int(b)


def audit_rows(db: Path) -> list[tuple[str, str | None, str | None, dict[str, object]]]:
    conn = sqlite3.connect(db)
    try:
        return [(str(u), c, t, json.loads(d)) for u, c, t, d in conn.execute(
            "SELECT user, camera, target, details FROM audit WHERE action = ? ORDER BY id",
            [AuditAction.PROVINCE_COMMAND.value])]
    finally:
        conn.close()


@contextmanager
def answering_commune(folder: Path, broker: BrokerProcess, limits: CommandLimits = DEFAULT_LIMITS
                      ) -> Iterator[tuple[AuditWriter, Path, Pictures]]:
    """The console's publisher answering commands with a real audit trail on its console.db."""
    pictures = Pictures()
    with commune_console(folder, uplink_settings(broker, COMMUNE), Credentials(COMMUNE, PASSWORD)) as commune:
        audit = AuditWriter(commune.db_path, load_or_create_station_key(folder / "keys"))
        try:
            commune.publisher.answer_commands(CommandDesk(["C01", "C02"], pictures, audit.append, limits=limits))
            commune.publisher.report_camera_health("C01", "ok")
            commune.publisher.report_camera_health("C02", "ok")
            wait_until(lambda: commune.publisher.status().connection is Connection.CONNECTED, 10,
                       what="the commune connected")
            yield audit, commune.db_path, pictures
        finally:
            audit.close()


def province(broker: BrokerProcess, folder: Path) -> ProvinceReceiver:
    config = ProvinceConfig(HOST, broker.port, broker.pki.ca_cert, Credentials(PROVINCE_USER, PROVINCE_PASSWORD),
                            MqttProtocol.V311, (ProvinceCommune(COMMUNE, "Gia Đông", 21.06, 106.07),))
    receiver = ProvinceReceiver(config, folder / "p.db", folder / "s", tuning=TUNING).start()
    wait_until(lambda: receiver.status().connected, 10, what="the receiver subscribed")
    return receiver


def answer(receiver: ProvinceReceiver, request: str, timeout_s: float = 10.0) -> SnapshotRequest:
    found: list[SnapshotRequest] = []

    def done() -> bool:
        got = receiver.requests.get(request, now_ms())
        if got is not None and got.done:
            found.append(got)
        return bool(found)

    wait_until(done, timeout_s, what="the commune's answer")
    return found[0]


def test_snapshot_request_round_trip_both_brokers(tmp_path: Path, broker: BrokerProcess) -> None:
    with answering_commune(tmp_path / "commune", broker) as (audit, db, pictures):
        receiver = province(broker, tmp_path / "province")
        try:
            asked = now_ms()
            got = answer(receiver, receiver.request_snapshot(COMMUNE, "C02", "Nguyễn Văn Tỉnh"))
            assert got.state is RequestState.ANSWERED and got.jpeg is not None
            assert got.jpeg[:2] == b"\xff\xd8" and len(got.jpeg) <= 48 * 1024
            r, g, b = colour_of(got.jpeg)
            assert b > 150 and r < 90 and g < 90  # C02's blue, not C01's red
            assert got.taken_ms is not None and asked - 1000 <= got.taken_ms <= now_ms()
            refused = answer(receiver, receiver.request_snapshot(COMMUNE, "C99", "Nguyễn Văn Tỉnh"))
            assert refused.state is RequestState.REFUSED and refused.refused == "unknown_camera"
        finally:
            receiver.stop()
        assert pictures.asked == ["C02"]
        assert audit.flush()
        rows = audit_rows(db)
        assert [(u, c, d["outcome"], d.get("reason")) for u, c, _t, d in rows] == [
            ("Nguyễn Văn Tỉnh", "C02", "done", None), ("Nguyễn Văn Tỉnh", "C99", "refused", "unknown_camera")]
        assert rows[0][2] == f"request:{got.request}"


def _command(client: paho.Client, commune: str, kind: str, request: str, camera: str | None) -> None:
    payload = json.dumps({"v": 1, "type": kind, "request": request, "camera": camera, "by": "Trần Thị B",
                          "at_ms": now_ms()})
    client.publish(f"bn/v1/{commune}/commands", payload, qos=1).wait_for_publish(5)


def _answers(stand: ProvinceStand) -> dict[str, dict[str, object]]:
    return {str(r.data.get("request")): r.data for r in stand.on_topic(f"{COMMUNE}/snapshots")}


def test_a_command_off_the_allow_list_is_refused_and_audited_and_the_rate_limit_holds(
        tmp_path: Path, mosquitto: Mosquitto) -> None:
    limits = CommandLimits(per_camera_s=5.0, total=2, total_window_s=60.0)
    with answering_commune(tmp_path / "commune", mosquitto, limits) as (audit, db, pictures), \
            ProvinceStand(mosquitto, confirm=False, subscribe=f"bn/v1/{COMMUNE}/snapshots") as stand:
        sender = probe(mosquitto, PROVINCE_USER, PROVINCE_PASSWORD)
        try:
            _command(sender, COMMUNE, "reboot", "r-reboot", "C01")
            _command(sender, COMMUNE, "snapshot_request", "r-1", "C01")
            wait_until(lambda: {"r-reboot", "r-1"} <= set(_answers(stand)), 10, what="two answers")
            _command(sender, COMMUNE, "snapshot_request", "r-2", "C01")  # the same camera within 5 s
            _command(sender, COMMUNE, "snapshot_request", "r-3", "C02")  # another camera: allowed (2 in all)
            _command(sender, COMMUNE, "snapshot_request", "r-4", "C02")  # over the cap of all cameras
            wait_until(lambda: len(_answers(stand)) == 5, 10, what="five answers")
        finally:
            close(sender)
        answers = _answers(stand)
        assert answers["r-reboot"]["type"] == "command_refused" and answers["r-reboot"]["reason"] == "not_allowed"
        assert answers["r-1"]["type"] == "snapshot_reply" and answers["r-1"]["camera"] == "C01"
        assert answers["r-2"]["reason"] == "rate_limited"
        assert answers["r-3"]["type"] == "snapshot_reply" and answers["r-3"]["camera"] == "C02"
        assert answers["r-4"]["reason"] == "rate_limited"
        assert pictures.asked == ["C01", "C02"]  # a refused request never asks for a picture
        assert audit.flush()
        by_request = {t: d for _u, _c, t, d in audit_rows(db)}
        assert by_request["request:r-reboot"] == {"command": "reboot", "outcome": "refused", "reason": "not_allowed"}
        assert by_request["request:r-2"]["reason"] == "rate_limited"
        assert len(by_request) == 5


def test_a_commune_reads_only_its_own_commands_and_publishes_none(broker: BrokerProcess) -> None:
    """RabbitMQ closes a connection whose subscribe or publish it refuses; mosquitto grants nothing / drops it."""
    with ProvinceStand(broker, confirm=False, subscribe="bn/v1/+/commands") as stand:
        forger = probe(broker, COMMUNE, PASSWORD)
        closed = closed_by_broker(forger)
        try:
            forged = forger.publish(f"bn/v1/{COMMUNE}/commands", b'{"v":1,"forged":true}', qos=1)
            wait_until(lambda: forged.is_published() or closed.is_set(), REFUSAL_S, what="the broker's answer")
            if not broker.refused_publish_closes:
                forger.publish(f"bn/v1/{NEIGHBOUR}/commands", b'{"v":1,"forged":true}', qos=1).wait_for_publish(5)
            sender = probe(broker, PROVINCE_USER, PROVINCE_PASSWORD)
            sender.publish(f"bn/v1/{COMMUNE}/commands", b'{"v":1,"own":true}', qos=1).wait_for_publish(5)
            wait_until(lambda: stand.on_topic("/commands"), 5, what="the province's own command")
            time.sleep(0.2)
            assert [r.data for r in stand.on_topic("/commands")] == [{"v": 1, "own": True}]
            close(sender)
        finally:
            close(forger)
    eavesdropper = probe(broker, COMMUNE, PASSWORD)
    refused = closed_by_broker(eavesdropper)
    reader = probe(broker, COMMUNE, PASSWORD)
    heard: list[str] = []
    subscribed = threading.Event()
    for client in (eavesdropper, reader):
        client.on_message = lambda _c, _u, m: heard.append(m.topic)
    reader.on_subscribe = lambda *_: subscribed.set()
    sender = probe(broker, PROVINCE_USER, PROVINCE_PASSWORD)
    try:
        eavesdropper.subscribe(f"bn/v1/{NEIGHBOUR}/commands", qos=1)
        reader.subscribe(f"bn/v1/{COMMUNE}/commands", qos=1)
        assert subscribed.wait(5)
        if broker.refused_publish_closes:
            assert refused.wait(REFUSAL_S)
        sender.publish(f"bn/v1/{NEIGHBOUR}/commands", b'{"v":1}', qos=1).wait_for_publish(5)
        sender.publish(f"bn/v1/{COMMUNE}/commands", b'{"v":1}', qos=1).wait_for_publish(5)
        wait_until(lambda: heard, 5, what="the commune's own command")
        time.sleep(0.2)
        assert heard == [f"bn/v1/{COMMUNE}/commands"]
    finally:
        for client in (sender, eavesdropper, reader):
            close(client)
