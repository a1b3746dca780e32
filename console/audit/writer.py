"""The only writer of the audit trail: a thread that takes entries from any thread and commits them in
batches, chaining each row to the one before, signing a checkpoint every CHECKPOINT_EVERY_ROWS rows and at
close, and rewriting the signed head after every commit."""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from console.audit.actions import AuditAction, AuditEntry
from console.audit.chain import (
    CHECKPOINT_ACTION,
    GENESIS_HASH,
    SYSTEM_USER,
    ChainedRow,
    canonical_details,
    chain_next,
    checkpoint_message,
)
from console.audit.head import HeadUnreadableError, head_path, read_head, write_head
from console.audit.messages import Finding, render, row_span
from console.core.vntime import now_ms
from console.evidence.keys import StationKey
from console.store import audit as table
from console.store.database import open_database

log = logging.getLogger(__name__)

CHECKPOINT_EVERY_ROWS = 1000
BATCH_MAX = 2000
BATCH_WINDOW_S = 0.05
QUEUE_MAX = 50_000  # entries waiting; a person makes a few a minute: only a runaway loop fills it (then it waits)
COMMIT_ATTEMPTS = 5
COMMIT_RETRY_S = 0.5
CLOSE_TIMEOUT_S = 30.0
SECRET_WORDS = ("password", "passwd", "secret", "private_key", "mat_khau", "mật khẩu")


@dataclass(frozen=True)
class _Tip:
    """The end of the chain as committed."""

    last_id: int
    last_hash: str
    since_checkpoint: int  # rows after the last checkpoint


@dataclass(frozen=True)
class _Prepared:
    entry: AuditEntry
    at_ms: int
    details: str


class _Flush:
    def __init__(self) -> None:
        self.done = threading.Event()


class _Close(_Flush):
    pass


class AuditWriter:
    def __init__(self, db_path: Path, key: StationKey, checkpoint_every: int = CHECKPOINT_EVERY_ROWS,
                 clock: Callable[[], int] = now_ms,
                 on_checkpoint: Callable[[sqlite3.Connection, ChainedRow], None] | None = None,
                 after_checkpoint: Callable[[], None] | None = None) -> None:
        """`on_checkpoint(conn, row)` runs in the transaction that writes each signed checkpoint (the province
        uplink's outbox row: both or neither); `after_checkpoint()` once it is committed."""
        self._on_checkpoint = on_checkpoint
        self._after_checkpoint = after_checkpoint
        self._db = open_database(db_path)
        self._conn = self._db.conn
        # Each commit reaches the disk before the head that signs it is written: a power cut never leaves a
        # head ahead of the trail (WAL's default NORMAL may lose the last commits).
        self._conn.execute("PRAGMA synchronous=FULL")
        self._key = key
        self._checkpoint_every = checkpoint_every
        self._clock = clock
        self._head_file = head_path(db_path)
        self._queue: queue.Queue[AuditEntry | _Flush] = queue.Queue(QUEUE_MAX)
        self._closed = False
        self.written = 0  # rows committed by this writer, checkpoints included
        self.rejected = 0  # entries refused (not JSON, a secret in details, no user): logged, the rest written
        self.lost = 0  # entries a failing disk would not take after COMMIT_ATTEMPTS (logged)
        try:
            self._tip = self._load_tip()
            self._check_start()
        except BaseException:
            self._db.close()
            raise
        self._thread = threading.Thread(target=self._run, name="audit-writer", daemon=True)
        self._thread.start()

    def append(self, entry: AuditEntry) -> None:
        """Queue an entry (any thread); the moment of the gesture is taken now when the entry has none."""
        if self._closed:
            log.warning("audit entry %s after close: not written", getattr(entry, "action", "?"))
            return
        self._queue.put(entry if entry.at_ms is not None else replace(entry, at_ms=self._clock()))

    def flush(self, timeout_s: float = 10.0) -> bool:
        """Wait until every entry appended before this call is committed; False on timeout."""
        if self._closed:
            return not self._thread.is_alive()
        marker = _Flush()
        self._queue.put(marker)
        return marker.done.wait(timeout_s)

    def close(self, timeout_s: float = CLOSE_TIMEOUT_S) -> None:
        """Write what is queued, sign a last checkpoint, close the database."""
        if self._closed:
            return
        self._closed = True
        self._queue.put(_Close())
        self._thread.join(timeout_s)
        if self._thread.is_alive():
            log.error("audit writer did not finish within %.0f s", timeout_s)

    def __enter__(self) -> AuditWriter:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def last_row(self) -> int:
        return self._tip.last_id

    # -- the writer's thread ------------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            while True:
                batch, markers = self._gather()
                try:
                    self._write(batch)
                except Exception:  # a bug must not stop the trail: the next batch is tried as usual
                    log.exception("audit batch of %d entries failed", len(batch))
                for marker in markers:
                    if isinstance(marker, _Close):
                        self._finish()
                        marker.done.set()
                        return
                    marker.done.set()
        finally:
            self._db.close()

    def _gather(self) -> tuple[list[AuditEntry], list[_Flush]]:
        batch: list[AuditEntry] = []
        markers: list[_Flush] = []
        item = self._queue.get()
        deadline = time.monotonic() + BATCH_WINDOW_S
        while True:
            if isinstance(item, _Flush):
                markers.append(item)
                break  # whoever waits is answered now, not at the end of the window
            batch.append(item)
            if len(batch) >= BATCH_MAX:
                break
            try:
                item = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
        return batch, markers

    def _finish(self) -> None:
        if self._tip.since_checkpoint:
            self._commit_rows([], checkpoint_now=True)

    def _write(self, batch: Sequence[AuditEntry]) -> None:
        prepared = [p for p in (self._prepare(entry) for entry in batch) if p is not None]
        if prepared:
            self._commit_rows(prepared)

    def _prepare(self, entry: AuditEntry) -> _Prepared | None:
        try:
            if not isinstance(entry, AuditEntry) or not isinstance(entry.user, str) or not entry.user:
                raise TypeError("not an audit entry with a user")
            _refuse_secrets(entry.details)
            return _Prepared(entry, int(entry.at_ms if entry.at_ms is not None else self._clock()),
                             canonical_details(entry.details))
        except (TypeError, ValueError) as exc:  # the messages name types and keys, never values
            self.rejected += 1
            log.warning("audit entry %s refused: %s", getattr(entry, "action", "?"), exc)
            return None

    def _commit_rows(self, prepared: Sequence[_Prepared], checkpoint_now: bool = False) -> None:
        for attempt in range(1, COMMIT_ATTEMPTS + 1):
            rows, tip = self._chain(prepared, checkpoint_now)
            try:
                checkpoints = [r for r in rows if r.action == CHECKPOINT_ACTION]
                with self._conn:
                    table.insert_rows(self._conn, rows)
                    if self._on_checkpoint is not None:
                        for row in checkpoints:
                            self._on_checkpoint(self._conn, row)
            except sqlite3.Error as exc:
                log.warning("audit commit of %d rows failed (attempt %d): %s", len(rows), attempt, exc)
                self._tip = self._load_tip()  # chain onto what is really there
                time.sleep(COMMIT_RETRY_S)
                continue
            self._tip = tip
            self.written += len(rows)
            self._write_head()
            if checkpoints and self._after_checkpoint is not None:
                self._after_checkpoint()
            return
        self.lost += len(prepared)
        log.error("audit: %d entries could not be written", len(prepared))

    def _chain(self, prepared: Sequence[_Prepared], checkpoint_now: bool) -> tuple[list[ChainedRow], _Tip]:
        rows: list[ChainedRow] = []
        tip = self._tip
        for item in prepared:
            e = item.entry
            row = chain_next(tip.last_id + 1, item.at_ms, e.user, None if e.role is None else str(e.role),
                             str(e.action), e.camera, e.target, item.details, tip.last_hash)
            rows.append(row)
            tip = _Tip(row.id, row.hash, tip.since_checkpoint + 1)
            if tip.since_checkpoint >= self._checkpoint_every:
                tip = self._checkpoint(tip, rows)
        if checkpoint_now:
            tip = self._checkpoint(tip, rows)
        return rows, tip

    def _checkpoint(self, tip: _Tip, rows: list[ChainedRow]) -> _Tip:
        details = canonical_details({"key": self._key.public.fingerprint()})
        row = chain_next(tip.last_id + 1, self._clock(), SYSTEM_USER, None, AuditAction.CHECKPOINT.value, None,
                         None, details, tip.last_hash)
        rows.append(replace(row, signature=self._key.sign(checkpoint_message(row.hash)).hex()))
        return _Tip(row.id, row.hash, 0)

    def _write_head(self) -> None:
        try:
            write_head(self._head_file, self._tip.last_id, self._tip.last_hash, self._key)
        except OSError as exc:  # verify says the newest rows are unsigned until a head is written again
            log.warning("audit head %s not written: %s", self._head_file, exc.strerror)

    # -- at start ------------------------------------------------------------------------------------------

    def _load_tip(self) -> _Tip:
        last = table.last_row(self._conn)
        if last is None:
            return _Tip(0, GENESIS_HASH, 0)
        checkpoint = table.last_checkpoint(self._conn)
        return _Tip(last.id, last.hash, last.id - (checkpoint.id if checkpoint else 0))

    def _check_start(self) -> None:
        """Compare the trail's end with the signed head before adding to it. What does not agree is written
        into the trail as an anomaly (and signed): signing on top of a cut or extended trail must not hide it."""
        found = self._start_finding()
        if found is not None:
            finding, params = found
            log.error("audit trail at start: %s", render(finding, "en", params))
            anomaly = AuditEntry(AuditAction.ANOMALY, SYSTEM_USER,
                                 details={"finding": finding.value, "params": dict(params)})
            self._commit_rows([_Prepared(anomaly, self._clock(), canonical_details(anomaly.details))],
                              checkpoint_now=True)
        elif self._tip.last_id and table.last_checkpoint(self._conn) is None:
            self._commit_rows([], checkpoint_now=True)  # rows migrated from the old alert audit: signed now

    def _start_finding(self) -> tuple[Finding, Mapping[str, object]] | None:
        try:
            head = read_head(self._head_file)
        except HeadUnreadableError:
            return Finding.HEAD_UNREADABLE, {"path": str(self._head_file)}
        last = self._tip.last_id
        if head is None:
            if table.last_checkpoint(self._conn) is not None:
                return Finding.HEAD_MISSING, {"path": str(self._head_file)}
            if last and not table.only_migrated_rows(self._conn):  # written by a console, its signatures removed
                return Finding.NOT_SIGNED, {"rows": table.row_count(self._conn)}
            return None
        if not head.is_signed_by(self._key.public):
            return Finding.HEAD_BAD_SIGNATURE, {"path": str(self._head_file)}
        if head.row > last:
            return Finding.TRUNCATED, {"last": last, "head": head.row}
        at_head = table.row_at(self._conn, head.row)
        if at_head is None or at_head.hash != head.hash:
            return Finding.HEAD_MISMATCH, {"row": head.row}
        signed = max(head.row, self._signed_checkpoint())
        if last > signed:
            return Finding.UNSIGNED_TAIL, {"rows": row_span(signed + 1, last), "signed": signed}
        return None

    def _signed_checkpoint(self) -> int:
        checkpoint = table.last_checkpoint(self._conn)
        if checkpoint is None or checkpoint.signature is None:
            return 0
        try:
            good = self._key.public.verify(bytes.fromhex(checkpoint.signature), checkpoint_message(checkpoint.hash))
        except ValueError:
            good = False
        return checkpoint.id if good else 0


def _refuse_secrets(details: Mapping[str, object]) -> None:
    for name, value in details.items():
        if any(word in str(name).lower() for word in SECRET_WORDS):
            raise ValueError(f"details key {name!r} names a secret: the audit trail never holds one")
        if isinstance(value, Mapping):
            _refuse_secrets(value)
