"""The alert log on a real SQLite file: batched writer, filters, diacritics-insensitive note search, the
acknowledge workflow with its audit trail, and a writer killed with SIGKILL in the middle of a burst."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils

from console.core.alerts import AlertEvent, AlertKind, AlertState, Priority, TransitionError
from console.core.uncaught import UncaughtHooks, alert_reporter
from console.core.vntime import now_ms
from console.store.alerts import AlertQuery, AlertStore, AlertWriter, Transition, Transitions
from console.store.database import MIGRATIONS, open_database
from tests.support.databases import OpenDb
from tests.support.waiting import wait_event, wait_until

JPEG = b"\xff\xd8\xff\xe0fake-jpeg\xff\xd9"


def start(writer: AlertWriter, camera: str, site: str, kind: AlertKind, at_ms: int, **extra: object) -> int:
    alert_id = writer.next_id()
    writer.submit(AlertEvent(alert_id, camera, site, kind, at_ms, 0.5, "start", **extra))  # type: ignore[arg-type]
    return alert_id


def transition(writer: AlertWriter, alert_id: int, target: AlertState, note: str) -> Exception | None:
    outcome: list[Exception | None] = []
    done = threading.Event()

    def finished(error: Exception | None) -> None:
        outcome.append(error)
        done.set()

    writer.submit(Transition(alert_id, target, "trucban1", note, finished))
    wait_event(done, 10, f"the writer's answer to {target.value} for alert {alert_id}")
    return outcome[0]


@pytest.fixture()
def log(tmp_path: Path, open_db: OpenDb) -> Iterator[tuple[AlertWriter, AlertStore]]:
    store = AlertStore(open_db(tmp_path / "console.db"))
    writer = AlertWriter(tmp_path / "console.db", tmp_path / "alerts")
    yield writer, store
    writer.close()


def flush(writer: AlertWriter) -> None:
    """Wait until everything submitted so far is committed (a transition is answered after its batch)."""
    done = threading.Event()
    writer.submit(Transition(0, AlertState.CLOSED, "-", "", lambda _: done.set()))
    wait_event(done, 10, "the writer to commit everything submitted")


def test_episode_rows_snapshot_and_filters(log: tuple[AlertWriter, AlertStore], tmp_path: Path) -> None:
    writer, store = log
    t0 = now_ms()
    motion = start(writer, "C01", "S01", AlertKind.MOTION, t0 - 5000, snapshot=JPEG)
    writer.submit(AlertEvent(motion, "C01", "S01", AlertKind.MOTION, t0 - 4000, 0.9, "peak", snapshot=JPEG))
    writer.submit(AlertEvent(motion, "C01", "S01", AlertKind.MOTION, t0 - 1000, 0.9, "end"))
    offline = start(writer, "C07", "S04", AlertKind.CAMERA_OFFLINE, t0 - 3000)
    old = start(writer, "C01", "S01", AlertKind.MOTION, t0 - 2 * 24 * 3600 * 1000)
    flush(writer)
    row = store.get(motion)
    assert row is not None and row.state is AlertState.NEW and row.score == 0.9 and row.ended_ms == t0 - 1000
    assert row.snapshot and (tmp_path / "alerts" / row.snapshot).read_bytes() == JPEG
    assert [r.id for r in store.query(AlertQuery.last_day())] == [offline, motion]  # newest first, 24 h
    assert [r.id for r in store.query(AlertQuery(camera_id="C01"))] == [motion, old]
    assert [r.id for r in store.query(AlertQuery(kind=AlertKind.CAMERA_OFFLINE))] == [offline]
    # One camera offline is Trung bình, like motion (not Cao).
    assert [r.id for r in store.query(AlertQuery(priority=Priority.MEDIUM))] == [offline, motion, old]
    assert store.query(AlertQuery(priority=Priority.HIGH)) == []
    assert [r.id for r in store.query(AlertQuery(site_id="S04", since_ms=t0 - 10_000))] == [offline]
    assert store.count_new() == 3 and store.new_cameras() == {"C01", "C07"}


def test_acknowledge_needs_a_note_then_close_with_audit(log: tuple[AlertWriter, AlertStore]) -> None:
    writer, store = log
    alert = start(writer, "C03", "S01", AlertKind.TAMPER_COVERED, now_ms())
    refused = transition(writer, alert, AlertState.ACKNOWLEDGED, "  ")
    assert isinstance(refused, TransitionError) and refused.reason == "note_required"
    illegal = transition(writer, alert, AlertState.CLOSED, "đóng luôn")
    assert isinstance(illegal, TransitionError) and illegal.reason == "illegal"
    assert transition(writer, alert, AlertState.ACKNOWLEDGED, "Đã cử tổ tuần tra đến kiểm tra xe máy") is None
    assert transition(writer, alert, AlertState.CLOSED, "Camera bị che, đã gỡ") is None
    row = store.get(alert)
    assert row is not None and row.state is AlertState.CLOSED and row.acked_by == "trucban1"
    assert [(a[2], a[3]) for a in store.audit(alert)] == [(None, "new"), ("new", "acknowledged"),
                                                          ("acknowledged", "closed")]
    # Note search ignores diacritics and case, and matches word prefixes.
    for text in ("xe may", "TUẦN tra", "tuan"):
        assert [r.id for r in store.query(AlertQuery(text=text))] == [alert], text
    assert store.query(AlertQuery(text="ô tô")) == []


CHILD = """
import sys, time
from pathlib import Path
from console.core.alerts import AlertEvent, AlertKind
from console.store.alerts import AlertWriter
committed = []
def done(ids):
    print(" ".join(map(str, ids)), flush=True)
writer = AlertWriter(Path(sys.argv[1]), Path(sys.argv[2]), committed=done)
print("READY", flush=True)
while True:
    for _ in range(200):
        i = writer.next_id()
        writer.submit(AlertEvent(i, "C%02d" % (i % 25 + 1), "S01", AlertKind.MOTION, int(time.time() * 1000),
                                 0.5, "start"))
    time.sleep(0.01)
"""


def test_sigkill_during_a_burst_keeps_every_committed_alert_and_integrity(open_db: OpenDb, tmp_path: Path) -> None:
    db_path = tmp_path / "console.db"
    open_database(db_path).close()
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db_path), str(tmp_path / "alerts")],
                             stdout=subprocess.PIPE, text=True, env={**os.environ})
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "READY"
    committed: set[int] = set()

    def read_commits() -> None:  # the ids the child prints after each commit, until it dies
        for line in child.stdout:  # type: ignore[union-attr]
            committed.update(int(x) for x in line.split())

    reader = threading.Thread(target=read_commits, daemon=True)
    reader.start()
    try:
        wait_until(lambda: len(committed) >= 5000 or child.poll() is not None, 60,
                   what="5000 alerts committed by the child's writer")
        assert child.poll() is None, "the child's writer died before 5000 commits"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    reader.join(10)  # every commit it printed before the kill is read
    assert not reader.is_alive()
    db = open_db(db_path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = {row[0] for row in db.execute("SELECT id FROM alerts")}
    assert committed <= stored
    assert db.execute("SELECT count(*) FROM alert_audit").fetchone()[0] == len(stored)
    db.close()


def test_the_writer_survives_callbacks_that_raise(open_db: OpenDb, tmp_path: Path) -> None:
    """An exception in the owner's callback killed the writer thread: its queue grew and alerts were lost."""
    open_database(tmp_path / "console.db").close()
    told: list[list[int]] = []

    def committed(ids: list[int]) -> None:
        told.append(ids)
        if len(told) == 1:
            raise RuntimeError("the window is gone")

    writer = AlertWriter(tmp_path / "console.db", tmp_path / "alerts", committed=committed)
    try:
        first = start(writer, "C01", "S01", AlertKind.MOTION, now_ms())
        flush(writer)
        writer.submit(Transition(first, AlertState.ACKNOWLEDGED, "trucban1", "đã xem", _raise))
        second = start(writer, "C02", "S01", AlertKind.MOTION, now_ms())
        flush(writer)
        assert writer.failures == 2  # both callbacks' failures logged
        rows = {r.id: r for r in AlertStore(open_db(tmp_path / "console.db")).query(AlertQuery())}
        assert second in rows and rows[first].state is AlertState.ACKNOWLEDGED
        assert any(second in ids for ids in told)
    finally:
        writer.close()


def _raise(_error: Exception | None) -> None:
    raise ValueError("a dialog closed before its answer")


def test_uncaught_exceptions_are_logged_redacted_and_raise_one_system_alert(
        log: tuple[AlertWriter, AlertStore], caplog: pytest.LogCaptureFixture) -> None:
    writer, store = log
    hooks = UncaughtHooks(alert_reporter(writer.submit, writer.next_id, now_ms))
    hooks.install()
    try:
        for _ in range(3):  # a loop failing on every item: one alert, three log records
            worker = threading.Thread(target=_fail_with_url, name="analytics")
            worker.start()
            worker.join()
    finally:
        hooks.uninstall()
    flush(writer)
    records = [r for r in caplog.records if r.name == "uncaught"]
    assert len(records) == 3 and all(r.levelname == "CRITICAL" for r in records)
    [row] = [r for r in store.query(AlertQuery()) if r.kind is AlertKind.SYSTEM_ERROR]
    assert row.note == "analytics: RuntimeError: camera rtsp://admin:***@127.0.0.1/x stopped answering"
    assert row.ended_ms is not None
    assert threading.excepthook is not hooks._thread  # uninstalled


def _fail_with_url() -> None:
    raise RuntimeError("camera rtsp://admin:Secr3t!@127.0.0.1/x stopped answering")


def test_a_continuing_episode_keeps_its_last_activity_and_a_migrated_log_has_one(open_db: OpenDb,
                                                                                  tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    db = sqlite_utils.Database(old)
    for version, step in enumerate(MIGRATIONS[:5]):  # a log written before migration 6
        step(db)
        db.execute(f"PRAGMA user_version = {version + 1}")
    db.execute("INSERT INTO alerts (id, started_ms, peak_ms, ended_ms, kind, priority) VALUES (1, 1000, 2000, 9000, "
               "'motion', 2)")
    db.conn.commit()
    db.close()
    migrated = AlertStore(open_db(old)).get(1)
    assert migrated is not None and migrated.ended_ms == 9000 and migrated.last_ms is None  # unknown, not made up
    open_database(tmp_path / "console.db").close()
    writer = AlertWriter(tmp_path / "console.db", tmp_path / "alerts")
    store = AlertStore(open_db(tmp_path / "console.db"))
    try:
        t0 = now_ms() - 60_000
        motion = start(writer, "C01", "S01", AlertKind.MOTION, t0)
        for second in (1, 2, 3):  # the tracker's heartbeats while the motion goes on
            writer.submit(AlertEvent(motion, "C01", "S01", AlertKind.MOTION, t0 + second * 1000, 0.5, "active"))
        flush(writer)
        row = store.get(motion)
        assert row is not None and row.ended_ms is None and row.last_ms == t0 + 3000
    finally:
        writer.close()


def test_a_manual_incident_is_stored_acknowledged_by_its_author(log: tuple[AlertWriter, AlertStore]) -> None:
    writer, store = log
    incident = start(writer, "C03", "S01", AlertKind.MANUAL, now_ms(), note="Hai thanh niên gây rối",
                     actor="trucban1")
    flush(writer)
    row = store.get(incident)
    assert row is not None and row.state is AlertState.ACKNOWLEDGED and row.acked_by == "trucban1"
    assert store.count_new() == 0 and store.new_cameras() == set()  # no bell, no blinking
    assert [(a[1], a[2], a[3]) for a in store.audit(incident)] == [("trucban1", None, "acknowledged")]
    assert transition(writer, incident, AlertState.CLOSED, "") is None


def test_many_alerts_change_in_one_job_with_one_note(log: tuple[AlertWriter, AlertStore]) -> None:
    writer, store = log
    t0 = now_ms()
    ids = [start(writer, f"C{i:02d}", "S01", AlertKind.CAMERA_OFFLINE, t0 - i * 1000) for i in range(1, 6)]
    writer.submit(AlertEvent(ids[0], "C01", "S01", AlertKind.CAMERA_OFFLINE, t0, 1.0, "end"))
    writer.submit(AlertEvent(ids[1], "C02", "S01", AlertKind.CAMERA_OFFLINE, t0, 1.0, "end"))
    flush(writer)
    assert store.ended_health() == [ids[0], ids[1]]  # still going on: not offered for bulk acknowledgement
    outcome: list[dict[int, Exception | None]] = []
    done = threading.Event()
    writer.submit(Transitions(tuple(ids[:3]), AlertState.ACKNOWLEDGED, "trucban1", "Mất điện khu vực",
                              lambda result: (outcome.append(result), done.set())))
    assert done.wait(10) and outcome[0] == dict.fromkeys(ids[:3])
    assert {store.get(i).state for i in ids[:3]} == {AlertState.ACKNOWLEDGED}  # type: ignore[union-attr]
    # Closing new ones acknowledges them first with the note; an already closed one is refused, not the rest.
    done.clear()
    writer.submit(Transitions((ids[2], ids[3], ids[4]), AlertState.CLOSED, "trucban1", "Đã có điện lại",
                              lambda result: (outcome.append(result), done.set())))
    assert done.wait(10) and outcome[1] == dict.fromkeys((ids[2], ids[3], ids[4]))
    assert [(a[2], a[3], a[4]) for a in store.audit(ids[4])] == [
        (None, "new", ""), ("new", "acknowledged", "Đã có điện lại"), ("acknowledged", "closed", "")]
    done.clear()
    writer.submit(Transitions((ids[4], ids[0]), AlertState.CLOSED, "trucban1", "",
                              lambda result: (outcome.append(result), done.set())))
    assert done.wait(10)
    assert isinstance(outcome[2][ids[4]], TransitionError) and outcome[2][ids[0]] is None
    assert store.count_new() == 0
