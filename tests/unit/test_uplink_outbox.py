"""The outbox: one row per change the province is told of, written in the alert log's own transaction; none
without an uplink; seqs never reused; exactly the receipted seqs deleted; an outbox fault never costs an alert."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
import sqlite_utils

from console.core.alerts import AlertEvent, AlertKind, AlertState
from console.core.vntime import now_ms
from console.store import outbox
from console.store.alerts import AlertStore, AlertWriter, Transition, Transitions
from console.store.database import MIGRATIONS, SCHEMA_VERSION, open_database, schema_version
from console.store.outbox import AlertChange
from console.uplink.outbox_hook import AlertOutbox, enqueue_audit_checkpoint
from tests.support.databases import OpenDb
from tests.support.waiting import wait_event

JPEG = b"\xff\xd8\xff\xe0fake-jpeg\xff\xd9"
# An officer pasted a camera address with its password into a note: the local log keeps what was typed (so this
# is no suite password the sweep looks for), the province gets it masked.
NOTE_PASSWORD = "Ghi-chu" + "-Pw9"
PASTED_URL = "rtsp://admin:" + NOTE_PASSWORD + "@10.0.0.5/Streaming/Channels/101"


def flush(writer: AlertWriter) -> None:
    done = threading.Event()
    writer.submit(Transition(0, AlertState.CLOSED, "-", "", lambda _: done.set()))
    wait_event(done, 10, "the writer to commit everything submitted")


@pytest.fixture()
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "console.db"
    open_database(path).close()
    return path


@pytest.fixture()
def woken() -> list[int]:
    return []


@pytest.fixture()
def writer(db_path: Path, tmp_path: Path, woken: list[int]) -> Iterator[AlertWriter]:
    hook = AlertOutbox(wake=lambda: woken.append(1))
    made = AlertWriter(db_path, tmp_path / "alerts", outbox=hook)
    yield made
    made.close()


def rows(db: sqlite_utils.Database) -> list[tuple[int, str, dict[str, object], str | None]]:
    return [(r.seq, r.topic, json.loads(r.body), r.ref) for r in outbox.after(db.conn, 0, 10_000)]


def event(alert_id: int, phase: str, at: int, kind: AlertKind = AlertKind.MOTION, **extra: object) -> AlertEvent:
    return AlertEvent(alert_id, "C01", "S01", kind, at, 0.5, phase, **extra)  # type: ignore[arg-type]


def test_each_change_of_an_alert_has_its_outbox_row(writer: AlertWriter, db_path: Path, open_db: OpenDb,
                                                    woken: list[int]) -> None:
    t0 = now_ms() - 60_000
    motion = writer.next_id()
    writer.submit(event(motion, "start", t0, snapshot=JPEG))
    flush(writer)
    writer.submit(event(motion, "active", t0 + 1000))  # a heartbeat: not news
    writer.submit(event(motion, "active", t0 + 2000))
    writer.submit(event(motion, "peak", t0 + 2500))
    writer.submit(event(motion, "end", t0 + 5000))
    flush(writer)
    writer.submit(event(motion, "active", t0 + 6000))  # reopened within its cooldown: news
    writer.submit(Transition(motion, AlertState.ACKNOWLEDGED, "trucban1", f"Đã kiểm tra, {PASTED_URL}"))
    writer.submit(Transition(motion, AlertState.CLOSED, "trucban2", "Xong"))
    manual = writer.next_id()
    writer.submit(AlertEvent(manual, None, "S01", AlertKind.MANUAL, t0, 0.0, "start", note="Va chạm", actor="trucban1"))
    offline = writer.next_id()
    writer.submit(AlertEvent(offline, "C02", "S01", AlertKind.CAMERA_OFFLINE, t0, 1.0, "start"))
    writer.submit(AlertEvent(offline, "C02", "S01", AlertKind.CAMERA_OFFLINE, t0 + 9000, 1.0, "end"))
    flush(writer)
    found = rows(open_db(db_path))
    topics = [(topic, body["type"], ref) for _, topic, body, ref in found]
    assert topics == [
        ("alerts/new", "alert_new", f"alert:{motion}"), ("snapshots", "snapshot", f"alert:{motion}"),
        ("alerts/update", "alert_update", f"alert:{motion}"), ("alerts/end", "alert_end", f"alert:{motion}"),
        ("incidents/new", "incident_new", f"alert:{manual}"), ("health", "health_change", f"alert:{offline}"),
        ("alerts/update", "alert_update", f"alert:{motion}"), ("alerts/ack", "alert_ack", f"alert:{motion}"),
        ("alerts/close", "alert_close", f"alert:{motion}"), ("health", "health_change", f"alert:{offline}"),
    ]
    assert [seq for seq, *_ in found] == sorted(seq for seq, *_ in found)
    by_type = {body["type"]: body for _, _, body, _ in found}
    ack = by_type["alert_ack"]
    assert ack["officer"] == "trucban1" and NOTE_PASSWORD not in json.dumps(found) and "***" in str(ack["note"])
    assert by_type["alert_close"]["officer"] == "trucban2"
    alert = by_type["alert_close"]["alert"]
    assert isinstance(alert, dict) and alert["state"] == "closed" and alert["acked_by"] == "trucban1"
    assert by_type["incident_new"]["alert"]["acked_by"] == "trucban1"  # type: ignore[index]
    health = [body for _, _, body, _ in found if body["type"] == "health_change"]
    assert [(h["state"], h["camera"], h["kind"]) for h in health] == [("down", "C02", "camera_offline"),
                                                                       ("up", "C02", "camera_offline")]
    snapshot = by_type["snapshot"]
    assert snapshot["file"] and snapshot["alert"] == motion
    assert woken  # the publisher was told after the commits


def test_many_transitions_in_one_job_each_get_a_row(writer: AlertWriter, db_path: Path, open_db: OpenDb) -> None:
    t0 = now_ms() - 60_000
    ids = [writer.next_id() for _ in range(3)]
    for alert_id in ids:
        writer.submit(event(alert_id, "start", t0))
    flush(writer)
    writer.submit(Transitions((ids[0], ids[1], 999_999), AlertState.CLOSED, "trucban1", "Đóng hàng loạt"))
    flush(writer)
    closes = [body for _, topic, body, _ in rows(open_db(db_path)) if topic == "alerts/close"]
    assert sorted(b["alert"]["id"] for b in closes) == ids[:2]  # type: ignore[index]  # not the unknown id


def test_without_an_uplink_nothing_is_written(db_path: Path, tmp_path: Path, open_db: OpenDb) -> None:
    plain = AlertWriter(db_path, tmp_path / "alerts")
    try:
        alert_id = plain.next_id()
        plain.submit(event(alert_id, "start", now_ms()))
        plain.submit(event(alert_id, "end", now_ms()))
        flush(plain)
    finally:
        plain.close()
    db = open_db(db_path)
    assert AlertStore(db).get(alert_id) is not None and rows(db) == []


class _Broken(AlertOutbox):
    def _rows(self, conn: sqlite3.Connection, changes: Sequence[tuple[int, AlertChange]]) -> list[
            tuple[str, str, int, str | None]]:
        conn.execute("INSERT INTO outbox (created_ms, topic, body) VALUES (1, 'x', '{}')")  # then it fails
        raise RuntimeError("a bug in building the message")


def test_a_fault_in_the_outbox_never_costs_the_alert(db_path: Path, tmp_path: Path, open_db: OpenDb,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    hook = _Broken()
    broken = AlertWriter(db_path, tmp_path / "alerts", outbox=hook)
    try:
        alert_id = broken.next_id()
        broken.submit(event(alert_id, "start", now_ms()))
        flush(broken)
    finally:
        broken.close()
    db = open_db(db_path)
    assert AlertStore(db).get(alert_id) is not None
    assert rows(db) == [] and hook.failures == 1 and broken.failures == 0  # the half-written row rolled back
    assert "outbox rows not written" in caplog.text


def test_receipts_delete_exactly_their_seqs_and_seqs_are_never_reused(db_path: Path, open_db: OpenDb) -> None:
    db = open_db(db_path)
    with db.conn:
        seqs = [outbox.enqueue(db.conn, "alerts/new", "{}", 1000 + i) for i in range(10)]
    with db.conn:
        assert outbox.delete(db.conn, [seqs[1], seqs[4], seqs[9], 12345]) == 3
    assert [r.seq for r in outbox.after(db.conn, 0, 100)] == [s for s in seqs if s not in (seqs[1], seqs[4], seqs[9])]
    assert outbox.backlog(db.conn) == outbox.Backlog(7, 1000)
    with db.conn:
        again = outbox.enqueue(db.conn, "alerts/new", "{}", 2000)
    assert again == seqs[-1] + 1  # the deleted newest seq is not handed out again: the province dedups on it


def test_an_audit_checkpoint_row(db_path: Path, open_db: OpenDb) -> None:
    db = open_db(db_path)
    with db.conn:
        enqueue_audit_checkpoint(db.conn, row_id=1000, row_at_ms=5, row_hash="ab" * 32, signature="cd" * 64,
                                 key_fingerprint="ef12")
    (_, topic, body, ref), = rows(db)
    assert (topic, body["type"], body["row"], ref) == ("audit/checkpoint", "audit_checkpoint", 1000, "audit:1000")


def test_migration_9_adds_the_outbox_to_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "console.db"
    old = sqlite_utils.Database(sqlite3.connect(path))
    for version, step in enumerate(MIGRATIONS[:8]):
        step(old)
        old.execute(f"PRAGMA user_version = {version + 1}")
    old.conn.commit()
    old.close()
    db = open_database(path)
    try:
        assert schema_version(db) == SCHEMA_VERSION and MIGRATIONS[8] is outbox.schema_v9
        assert outbox.backlog(db.conn).count == 0
    finally:
        db.close()
