"""The alert log in SQLite: episodes written in batches by one writer thread, read by filtered queries that
each use an index, every state change kept in an audit table."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from console.core.alerts import (
    DEFAULT_PRIORITY,
    HEALTH_KINDS,
    AlertEvent,
    AlertKind,
    AlertState,
    Priority,
    born_acknowledged,
    check_transition,
)
from console.core.vntime import now_ms as now_ms  # noqa: PLC0414 - re-exported: the alert log's clock
from console.store.database import open_database
from console.store.outbox import AlertChange, OutboxHook
from console.store.plates import PLATE_MATCH, plate_pattern

log = logging.getLogger(__name__)

BATCH_MAX = 2000
TRANSITIONS_CHUNK = 500  # alerts changed in one job: ~0.2 ms each on the writer, so ≤ ~100 ms of its time
BATCH_WINDOW_S = 0.05
DAY_MS = 24 * 3600 * 1000
SEARCH_CHUNK = 2000


@dataclass(frozen=True)
class AlertRow:
    id: int
    started_ms: int
    peak_ms: int | None
    ended_ms: int | None
    camera_id: str | None
    site_id: str | None
    kind: AlertKind
    priority: Priority
    score: float
    snapshot: str | None
    state: AlertState
    note: str
    acked_by: str | None
    acked_ms: int | None
    closed_by: str | None
    closed_ms: int | None
    last_ms: int | None = None  # the episode's last activity (a heartbeat, a peak) while it goes on


_COLUMNS = ("id, started_ms, peak_ms, ended_ms, camera_id, site_id, kind, priority, score, snapshot, state, note, "
            "acked_by, acked_ms, closed_by, closed_ms, last_ms")


def _row(values: Sequence[Any]) -> AlertRow:
    (id_, started, peak, ended, camera, site, kind, priority, score, snapshot, state, note, acked_by, acked_ms,
     closed_by, closed_ms, last) = values
    return AlertRow(int(id_), int(started), peak, ended, camera, site, AlertKind(kind), Priority(priority),
                    float(score), snapshot, AlertState(state), str(note), acked_by, acked_ms, closed_by, closed_ms,
                    last)


@dataclass(frozen=True)
class AlertQuery:
    """The alarm list's filters. Default: the last 24 h, unacknowledged first, newest first."""

    since_ms: int | None = None
    until_ms: int | None = None
    camera_id: str | None = None
    site_id: str | None = None
    kind: AlertKind | None = None
    state: AlertState | None = None
    priority: Priority | None = None
    text: str | None = None
    plate: str | None = None  # part of a plate read on the alert's picture, punctuation ignored ("29A123")
    new_first: bool = True
    limit: int = 500

    @classmethod
    def last_day(cls, at_ms: int | None = None) -> AlertQuery:
        return cls(since_ms=(at_ms or now_ms()) - DAY_MS)

    def match(self) -> str | None:
        """The FTS5 query for the search text: every word, as a prefix, diacritics ignored by the index."""
        if not self.text or not self.text.strip():
            return None
        return " ".join('"' + w.replace('"', '""') + '"*' for w in self.text.split())

    def filters(self) -> tuple[str, list[Any]]:
        return self._where(self.state)

    def _where(self, state: AlertState | None, not_new: bool = False) -> tuple[str, list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        for column, value in (("camera_id", self.camera_id), ("site_id", self.site_id), ("kind", self.kind),
                              ("state", state), ("priority", self.priority)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(int(value) if isinstance(value, Priority) else str(value))
        if self.plate and (pattern := plate_pattern(self.plate)) is not None:
            where.append(PLATE_MATCH)
            params.append(pattern)
        if not_new:
            where.append("state != 'new'")
        if self.since_ms is not None:
            where.append("started_ms >= ?")
            params.append(self.since_ms)
        if self.until_ms is not None:
            where.append("started_ms < ?")
            params.append(self.until_ms)
        return (f"WHERE {' AND '.join(where)} " if where else ""), params

    def statements(self) -> list[tuple[str, list[Any]]]:
        """The SELECTs to run in order. "New first" is two queries, the new alerts and then the rest, each
        walking an index in time order and stopping at the limit (one query sorting by state would sort
        every matching row: 100,000s over a year)."""
        select = f"SELECT {_COLUMNS} FROM alerts "
        order = f"ORDER BY started_ms DESC LIMIT {int(self.limit)}"
        if not self.new_first or self.state is not None:
            where, params = self._where(self.state)
            return [(select + where + order, params)]
        new_where, new_params = self._where(AlertState.NEW)
        rest_where, rest_params = self._where(None, not_new=True)
        # New alerts are few: find them through the state index whatever else is filtered.
        return [(select + "INDEXED BY alerts_state " + new_where + order, new_params),
                (select + rest_where + order, rest_params)]


class AlertStore:
    """Reads of the alert log (any thread with its own connection; the GUI uses one)."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def file(self) -> Path:
        """The database file, for a worker that reads it on a connection of its own."""
        return Path(self._db.execute("PRAGMA database_list").fetchone()[2])

    def query(self, query: AlertQuery) -> list[AlertRow]:
        if query.match():
            return self._search(query)
        rows: list[AlertRow] = []
        for sql, params in query.statements():
            if len(rows) >= query.limit:
                break
            rows += [_row(values) for values in self._db.execute(sql, params).fetchall()]
        return rows[:query.limit]

    def _search(self, query: AlertQuery) -> list[AlertRow]:
        """Note search: the full-text matches newest first (ids grow with time), a chunk at a time, each chunk
        filtered by the other fields, until the list is full: never every match of a common word at once."""
        where, params = query.filters()
        found: list[AlertRow] = []
        below = None
        while len(found) < query.limit:
            ids = [r[0] for r in self._db.execute(
                "SELECT rowid FROM alerts_fts WHERE alerts_fts MATCH ?" + (" AND rowid < ?" if below else "")
                + f" ORDER BY rowid DESC LIMIT {SEARCH_CHUNK}", [query.match(), *([below] if below else [])])]
            if not ids:
                break
            below = ids[-1]
            marks = ",".join("?" * len(ids))
            clause = f"{where} AND id IN ({marks})" if where else f"WHERE id IN ({marks})"
            found += [_row(v) for v in self._db.execute(
                f"SELECT {_COLUMNS} FROM alerts {clause} ORDER BY id DESC", [*params, *ids]).fetchall()]
        found = found[:query.limit]
        if query.new_first:
            found.sort(key=lambda r: r.state is not AlertState.NEW)  # stable: newest first within each part
        return found

    def get(self, alert_id: int) -> AlertRow | None:
        values = self._db.execute(f"SELECT {_COLUMNS} FROM alerts WHERE id = ?", [alert_id]).fetchone()
        return _row(values) if values else None

    def count_new(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM alerts WHERE state = 'new'").fetchone()[0])

    def new_cameras(self) -> set[str]:
        rows = self._db.execute("SELECT DISTINCT camera_id FROM alerts INDEXED BY alerts_state "
                                "WHERE state = 'new' AND camera_id IS NOT NULL")
        return {str(r[0]) for r in rows.fetchall()}

    def newest_new(self) -> AlertRow | None:
        """The newest alert nobody has acknowledged yet (the wall's overlay names its camera)."""
        values = self._db.execute(f"SELECT {_COLUMNS} FROM alerts INDEXED BY alerts_state WHERE state = 'new' "
                                  "ORDER BY started_ms DESC LIMIT 1").fetchone()
        return _row(values) if values else None

    def ended_health(self, limit: int = 10_000) -> list[int]:
        """New alerts about connections (camera, site, link offline; frozen) that have ended, newest first."""
        kinds = ",".join(f"'{k.value}'" for k in sorted(HEALTH_KINDS))
        return [int(r[0]) for r in self._db.execute(
            "SELECT id FROM alerts INDEXED BY alerts_state WHERE state = 'new' AND ended_ms IS NOT NULL "
            f"AND kind IN ({kinds}) ORDER BY started_ms DESC LIMIT {int(limit)}").fetchall()]

    def audit(self, alert_id: int) -> list[tuple[int, str, str | None, str, str]]:
        return [tuple(r) for r in self._db.execute(
            "SELECT at_ms, actor, from_state, to_state, note FROM alert_audit WHERE alert_id = ? ORDER BY id",
            [alert_id]).fetchall()]

    def max_id(self) -> int:
        return int(self._db.execute("SELECT coalesce(max(id), 0) FROM alerts").fetchone()[0])


@dataclass(frozen=True)
class Transition:
    alert_id: int
    target: AlertState
    actor: str
    note: str
    done: Callable[[Exception | None], None] | None = None


@dataclass(frozen=True)
class Transitions:
    """One change for many alerts with one note, in one transaction (the alarm list's multi-select). Closing a
    new alert acknowledges it first with the note. `done` gets each alert's outcome (None: changed)."""

    alert_ids: tuple[int, ...]
    target: AlertState
    actor: str
    note: str
    done: Callable[[dict[int, Exception | None]], None] | None = None


Job = AlertEvent | Transition | Transitions
_NEWS = {"peak": AlertChange.UPDATE, "end": AlertChange.END}  # what an update event tells the province


def _transition_news(target: AlertState) -> AlertChange:
    return AlertChange.ACK if target is AlertState.ACKNOWLEDGED else AlertChange.CLOSE


def snapshot_name(event: AlertEvent) -> str:
    day = datetime.fromtimestamp(event.at_ms / 1000, tz=UTC).strftime("%Y-%m-%d")
    return f"{day}/{event.alert_id}-{event.phase}.jpg"


class AlertWriter:
    """The only writer of the alert log: a thread that takes events and state changes from a queue and
    commits them in batches (one transaction per ≤ 50 ms or 2,000 jobs), snapshots written before rows.
    With an `outbox` (the province uplink), each change's outbox row is written in the same transaction."""

    def __init__(self, db_path: Path, snapshots: Path,
                 committed: Callable[[list[int]], None] | None = None, outbox: OutboxHook | None = None) -> None:
        self._db_path = db_path
        self._snapshots = snapshots
        self._committed = committed
        self._outbox = outbox
        self._queue: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="alert-writer", daemon=True)
        self._lock = threading.Lock()
        self._next = 0
        self.batches = 0
        self.written = 0
        self.failures = 0  # batches or callbacks that raised (logged; the writer went on)
        self._ready = threading.Event()
        self.listeners: list[Callable[[AlertEvent], None]] = []  # told of each event as it is submitted
        self._thread.start()
        self._ready.wait(10)

    def next_id(self) -> int:
        """A new alert id (ids are assigned here, so a detector can update its episode before it is committed)."""
        with self._lock:
            self._next += 1
            return self._next

    def submit(self, job: Job) -> None:
        self._queue.put(job)
        if isinstance(job, AlertEvent):
            for listener in self.listeners:
                try:
                    listener(job)
                except Exception:  # one failing listener must not stop the others or the log
                    log.exception("alert %d: a listener failed", job.alert_id)

    def close(self, timeout_s: float = 10.0) -> None:
        self._queue.put(None)
        self._thread.join(timeout_s)

    def _run(self) -> None:
        db = open_database(self._db_path)
        self._next = AlertStore(db).max_id()
        self._ready.set()
        try:
            while True:
                first = self._queue.get()
                if first is None:
                    return
                batch: list[Job] = [first]
                stop = False
                deadline = time.monotonic() + BATCH_WINDOW_S
                while len(batch) < BATCH_MAX:
                    try:
                        job = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
                    except queue.Empty:
                        break
                    if job is None:
                        stop = True
                        break
                    batch.append(job)
                    if isinstance(job, Transitions):
                        break  # its own transaction ends here: alerts behind it wait ≤ one chunk's time
                try:
                    self._write(db, batch)
                except Exception:  # never the end of the alert log: the next batch is written
                    log.exception("alert log: a batch of %d failed", len(batch))
                    self.failures += 1
                if stop:
                    return
        finally:
            db.close()

    def _write(self, db: sqlite_utils.Database, batch: list[Job]) -> None:
        outcomes: list[tuple[Transition | Transitions, Any]] = []
        changed: list[int] = []
        news: list[tuple[int, AlertChange]] = []  # for the outbox
        for job in batch:
            if isinstance(job, AlertEvent) and job.snapshot:
                self._save_snapshot(job)
        starts = [job for job in batch if isinstance(job, AlertEvent) and job.phase == "start"]
        try:
            with db.conn:
                # New alerts in one executemany (an alert's start always precedes its other events), then
                # everything else in arrival order.
                self._insert_starts(db, starts)
                changed += [job.alert_id for job in starts]
                news += [(job.alert_id, AlertChange.NEW) for job in starts]
                for job in batch:
                    if isinstance(job, AlertEvent):
                        if job.phase == "start":
                            continue
                        reopened = job.phase == "active" and self._outbox is not None and self._ended(db, job.alert_id)
                        if self._apply_update(db, job):
                            changed.append(job.alert_id)
                            change = AlertChange.UPDATE if reopened else _NEWS.get(job.phase)
                            if change is not None:
                                news.append((job.alert_id, change))
                    elif isinstance(job, Transition):
                        error = self._apply_transition(db, job.alert_id, job.target, job.actor, job.note)
                        outcomes.append((job, error))
                        changed.append(job.alert_id)
                        if error is None:
                            news.append((job.alert_id, _transition_news(job.target)))
                    else:
                        many = self._apply_many(db, job)
                        outcomes.append((job, many))
                        changed += job.alert_ids
                        news += [(i, _transition_news(job.target)) for i, e in many.items() if e is None]
                if self._outbox is not None and news:
                    self._outbox.write(db.conn, news)
        except Exception as exc:  # the batch is rolled back: say so, keep the thread alive
            log.exception("alert log: a batch of %d was not written", len(batch))
            outcomes = [(job, exc if isinstance(job, Transition) else dict.fromkeys(job.alert_ids, exc))
                        for job in batch if isinstance(job, Transition | Transitions)]
            changed = []
            news = []
        outbox = self._outbox
        if outbox is not None and news:
            self._tell(lambda _: outbox.committed(), None)
        self.batches += 1
        self.written += len(changed)
        for transition, error in outcomes:
            if transition.done is not None:
                self._tell(transition.done, error)
        if changed and self._committed is not None:
            self._tell(self._committed, changed)

    def _tell(self, callback: Callable[[Any], None], value: object) -> None:
        """A callback of the writer's owner: its exception is logged, the writer goes on."""
        try:
            callback(value)
        except Exception:
            log.exception("alert log: a callback failed")
            self.failures += 1

    def _save_snapshot(self, event: AlertEvent) -> None:
        assert event.snapshot is not None
        path = self._snapshots / snapshot_name(event)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(event.snapshot)
        except OSError as exc:
            log.warning("alert %d: snapshot not saved (%s)", event.alert_id, exc.strerror)

    @staticmethod
    def _insert_starts(db: sqlite_utils.Database, starts: list[AlertEvent]) -> None:
        if not starts:
            return
        def state(e: AlertEvent) -> AlertState:
            return AlertState.ACKNOWLEDGED if born_acknowledged(e.kind, e.actor) else AlertState.NEW

        db.conn.executemany(
            "INSERT OR IGNORE INTO alerts (id, started_ms, peak_ms, last_ms, camera_id, site_id, kind, priority, "
            "score, snapshot, note, state, acked_by, acked_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(e.alert_id, e.at_ms, e.at_ms, e.at_ms, e.camera_id, e.site_id, e.kind.value,
              int(e.priority or DEFAULT_PRIORITY[e.kind]), e.score, snapshot_name(e) if e.snapshot else None,
              e.note or "", state(e).value, *((e.actor, e.at_ms) if state(e) is AlertState.ACKNOWLEDGED
                                               else (None, None))) for e in starts])
        db.conn.executemany("INSERT INTO alerts_fts (rowid, note) VALUES (?, ?)",
                            [(e.alert_id, e.note) for e in starts if e.note])
        db.conn.executemany(
            "INSERT INTO alert_audit (alert_id, at_ms, actor, from_state, to_state, note) "
            "VALUES (?, ?, ?, NULL, ?, ?)",
            [(e.alert_id, e.at_ms, e.actor or "system", state(e).value, e.note or "") for e in starts])

    @staticmethod
    def _apply_update(db: sqlite_utils.Database, event: AlertEvent) -> bool:
        """Apply a peak, an "active" or an end; False when the row did not change (a heartbeat of an episode
        already open: the list has nothing to refresh)."""
        if event.phase == "peak":
            snapshot = snapshot_name(event) if event.snapshot else None
            cursor = db.conn.execute(
                "UPDATE alerts SET peak_ms = ?, last_ms = ?, score = max(score, ?), snapshot = coalesce(?, snapshot), "
                "ended_ms = NULL WHERE id = ?", [event.at_ms, event.at_ms, event.score, snapshot, event.alert_id])
        elif event.phase == "active":  # a heartbeat, or reopened within its cooldown: it has not ended after all
            cursor = db.conn.execute("UPDATE alerts SET ended_ms = NULL, last_ms = ? WHERE id = ? "
                                     "AND (ended_ms IS NOT NULL OR coalesce(last_ms, 0) < ?)",
                                     [event.at_ms, event.alert_id, event.at_ms])
        else:
            cursor = db.conn.execute("UPDATE alerts SET ended_ms = ? WHERE id = ?", [event.at_ms, event.alert_id])
        return cursor.rowcount > 0

    @staticmethod
    def _ended(db: sqlite_utils.Database, alert_id: int) -> bool:
        row = db.execute("SELECT ended_ms IS NOT NULL FROM alerts WHERE id = ?", [alert_id]).fetchone()
        return bool(row and row[0])

    @classmethod
    def _apply_many(cls, db: sqlite_utils.Database, job: Transitions) -> dict[int, Exception | None]:
        outcomes: dict[int, Exception | None] = {}
        for alert_id in job.alert_ids:
            note = job.note
            if job.target is AlertState.CLOSED and cls._state(db, alert_id) is AlertState.NEW:
                if (error := cls._apply_transition(db, alert_id, AlertState.ACKNOWLEDGED, job.actor, note)):
                    outcomes[alert_id] = error
                    continue
                note = ""  # the note went with the acknowledgement
            outcomes[alert_id] = cls._apply_transition(db, alert_id, job.target, job.actor, note)
        return outcomes

    @staticmethod
    def _state(db: sqlite_utils.Database, alert_id: int) -> AlertState | None:
        row = db.execute("SELECT state FROM alerts WHERE id = ?", [alert_id]).fetchone()
        return None if row is None else AlertState(row[0])

    @staticmethod
    def _apply_transition(db: sqlite_utils.Database, alert_id: int, target: AlertState, actor: str,
                          note: str) -> Exception | None:
        row = db.execute("SELECT state, note FROM alerts WHERE id = ?", [alert_id]).fetchone()
        if row is None:
            return KeyError(alert_id)
        current = AlertState(row[0])
        try:
            cleaned = check_transition(current, target, note)
        except Exception as exc:
            return exc
        at = now_ms()
        who, when = ("acked_by", "acked_ms") if target is AlertState.ACKNOWLEDGED else ("closed_by", "closed_ms")
        combined = f"{row[1]}\n{cleaned}".strip() if cleaned else row[1]
        db.execute(f"UPDATE alerts SET state = ?, note = ?, {who} = ?, {when} = ? WHERE id = ?",
                   [target.value, combined, actor, at, alert_id])
        db.execute("INSERT INTO alert_audit (alert_id, at_ms, actor, from_state, to_state, note) "
                   "VALUES (?, ?, ?, ?, ?, ?)", [alert_id, at, actor, current.value, target.value, cleaned])
        return None
