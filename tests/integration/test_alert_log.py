"""The alert log on a real SQLite file: batched writer, filters, diacritics-insensitive note search, the
acknowledge workflow with its audit trail, and a writer killed with SIGKILL in the middle of a burst."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from console.core.alerts import AlertEvent, AlertKind, AlertState, Priority, TransitionError
from console.store.alerts import AlertQuery, AlertStore, AlertWriter, Transition, now_ms
from console.store.database import open_database

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
    assert done.wait(10)
    return outcome[0]


@pytest.fixture()
def log(tmp_path: Path) -> tuple[AlertWriter, AlertStore]:
    open_database(tmp_path / "console.db").close()
    writer = AlertWriter(tmp_path / "console.db", tmp_path / "alerts")
    yield writer, AlertStore(open_database(tmp_path / "console.db"))  # type: ignore[misc]
    writer.close()


def flush(writer: AlertWriter) -> None:
    """Wait until everything submitted so far is committed (a transition is answered after its batch)."""
    done = threading.Event()
    writer.submit(Transition(0, AlertState.CLOSED, "-", "", lambda _: done.set()))
    assert done.wait(10)


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
    assert [r.id for r in store.query(AlertQuery(priority=Priority.HIGH))] == [offline]
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


def test_sigkill_during_a_burst_keeps_every_committed_alert_and_integrity(tmp_path: Path) -> None:
    db_path = tmp_path / "console.db"
    open_database(db_path).close()
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db_path), str(tmp_path / "alerts")],
                             stdout=subprocess.PIPE, text=True, env={**os.environ})
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "READY"
    committed: set[int] = set()
    while len(committed) < 5000:
        committed.update(int(x) for x in child.stdout.readline().split())
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    db = open_database(db_path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = {row[0] for row in db.execute("SELECT id FROM alerts")}
    assert committed <= stored
    assert db.execute("SELECT count(*) FROM alert_audit").fetchone()[0] == len(stored)
    db.close()
