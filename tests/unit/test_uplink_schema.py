"""The uplink's payloads: versioned JSON under bn/v1/<commune>/, seq in every outbox message, receipts read
strictly, never a camera's credentials or stream address, and the status line the officer reads."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from console.core.alerts import AlertEvent, AlertKind, AlertState
from console.core.config import load_config
from console.core.credentials import Credentials, with_credentials
from console.core.vntime import now_ms
from console.store import outbox
from console.store.alerts import AlertWriter, Transition
from console.store.database import open_database
from console.uplink import schema
from console.uplink.messages import UplinkProblem
from console.uplink.outbox_hook import AlertOutbox
from console.uplink.schema import LinkState, Topic
from console.uplink.status import Connection, UplinkStatus, moment_text
from tests.support.siteconfig import write_demo_config
from tests.support.waiting import wait_event


def test_topics_live_under_one_versioned_root() -> None:
    assert schema.topic("gia-dong", Topic.ALERT_NEW) == "bn/v1/gia-dong/alerts/new"
    assert schema.topic("gia-dong", Topic.RECEIPTS) == "bn/v1/gia-dong/receipts"
    assert schema.camera_health_topic("gia-dong", "C01") == "bn/v1/gia-dong/cameras/C01/health"


def test_an_outbox_message_carries_version_commune_and_seq() -> None:
    data = json.loads(schema.envelope("gia-dong", 42, 1000, '{"type":"alert_new","alert":{"id":7}}'))
    assert data == {"v": 1, "commune": "gia-dong", "seq": 42, "at_ms": 1000, "type": "alert_new",
                    "alert": {"id": 7}}


def test_status_and_the_last_will() -> None:
    online = json.loads(schema.status_payload("gia-dong", LinkState.ONLINE, "ab12", 5, backlog=3))
    will = json.loads(schema.status_payload("gia-dong", LinkState.OFFLINE, "ab12", None, reason="lost"))
    assert (online["v"], online["state"], online["backlog"], online["session"]) == (1, "online", 3, "ab12")
    assert (will["state"], will["reason"], will["session"], will["at_ms"]) == ("offline", "lost", "ab12", None)
    assert "seq" not in online  # state, not an event: no receipt


@pytest.mark.parametrize(("payload", "seqs"), [
    (b'{"v":1,"type":"receipt","seqs":[3,1,2]}', [3, 1, 2]),
    (b'{"v":1,"seqs":[]}', []),
    (b'{"v":2,"seqs":[1]}', None),
    (b'{"v":1,"seqs":[1,"2"]}', None),
    (b'{"v":1,"seqs":[true]}', None),
    (b'{"v":1,"seqs":[0]}', None),
    (b'{"v":1,"seqs":7}', None),
    (b'[1,2]', None),
    (b'\xff\xfe', None),
    (b'{"v":1,"seqs":[' + b",".join(b"1" for _ in range(10_001)) + b"]}", None),
    (b"[" * 100_000, None),
])
def test_receipts_are_read_strictly(payload: bytes, seqs: list[int] | None) -> None:
    assert schema.parse_receipt(payload) == seqs


def test_snapshot_message_sends_the_picture_never_the_file_name() -> None:
    body = '{"type":"snapshot","alert":3,"camera":"C01","file":"2026-05-01/3-start.jpg"}'
    sent = json.loads(schema.snapshot_message(body, b"\xff\xd8jpeg"))
    assert "file" not in sent and sent["bytes"] == 6 and sent["jpeg"] == "/9hqcGVn"
    assert json.loads(schema.snapshot_message(body, None))["missing"] is True


def test_no_payload_carries_camera_credentials_or_stream_addresses(tmp_path: Path) -> None:
    """A whole working day through the real alert writer and hook: every message that could leave the station,
    envelope included, is searched for every camera's address, host and the stored user and password."""
    secret = Credentials("admin", "Bi-Mat#2026")
    site = load_config(write_demo_config(tmp_path / "site.toml", cameras=4, credentials="demo"),
                       lambda: {"demo"})
    forbidden = {secret.password, "rtsp://", "rtsps://"}
    for camera in site.cameras:
        for url in (camera.main_url, camera.sub_url or camera.main_url):
            forbidden |= {url, with_credentials(url, secret), url.split("//", 1)[1].split("/", 1)[0]}
    db_path = tmp_path / "console.db"
    open_database(db_path).close()
    writer = AlertWriter(db_path, tmp_path / "alerts", outbox=AlertOutbox())
    try:
        at = now_ms() - 3_600_000
        for index, camera in enumerate(site.cameras):
            alert_id = writer.next_id()
            kind = (AlertKind.MOTION, AlertKind.TAMPER_COVERED, AlertKind.CAMERA_OFFLINE, AlertKind.FROZEN)[index % 4]
            writer.submit(AlertEvent(alert_id, camera.id, camera.site_id, kind, at, 0.7, "start", b"\xff\xd8x"))
            writer.submit(AlertEvent(alert_id, camera.id, camera.site_id, kind, at + 500, 0.9, "peak"))
            writer.submit(AlertEvent(alert_id, camera.id, camera.site_id, kind, at + 900, 0.9, "end"))
            writer.submit(Transition(alert_id, AlertState.ACKNOWLEDGED, "trucban1", "Đã xem"))
        done = threading.Event()
        writer.submit(Transition(0, AlertState.CLOSED, "-", "", lambda _: done.set()))
        wait_event(done, 10, "the writer to commit")
    finally:
        writer.close()
    db = open_database(db_path)
    try:
        stored = outbox.after(db.conn, 0, 10_000)
    finally:
        db.close()
    assert len(stored) == 4 * 5
    payloads = [schema.envelope("gia-dong", r.seq, r.created_ms,
                                schema.snapshot_message(r.body, b"\xff\xd8x") if r.topic == Topic.SNAPSHOT else r.body)
                for r in stored]
    payloads += [schema.status_payload("gia-dong", LinkState.ONLINE, "s", 1, backlog=2),
                 schema.camera_health_payload("gia-dong", site.cameras[0].id, "camera_offline", 1)]
    for payload in payloads:
        text = payload.decode("utf-8")
        assert json.loads(text)["v"] == 1
        assert [f for f in forbidden if f in text] == [], text


def test_the_status_line_reads_as_the_issue_writes_it() -> None:
    at = 1_777_000_000_000  # some afternoon, Vietnam time
    lost = UplinkStatus(Connection.DISCONNECTED, at, backlog=1234, problem=UplinkProblem.UNREACHABLE,
                        problem_params={"broker": "mqtts://tinh:8883"})
    hhmm = moment_text(at, at)
    assert lost.line("vi", at) == f"Kết nối tỉnh: mất kết nối từ {hhmm}, 1.234 tin chờ gửi"
    assert lost.line("en", at) == f"Province link: disconnected since {hhmm}, 1,234 messages waiting"
    assert lost.problem_text("vi") == "Không kết nối được máy chủ tỉnh mqtts://tinh:8883"
    assert UplinkStatus(Connection.CONNECTED, at).line("vi") == "Kết nối tỉnh: đã kết nối"
    assert UplinkStatus(Connection.CONNECTED, at, backlog=5).line("vi") == "Kết nối tỉnh: đã kết nối, 5 tin chờ gửi"
    assert UplinkStatus().line("vi") == "Kết nối tỉnh: chưa bật"
    assert moment_text(at, at + 2 * 86_400_000).endswith("/2026")  # another day: the date too
