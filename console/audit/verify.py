"""Verify the audit trail of a console.db file, opened read-only (verifying never changes the evidence): the
rows in one read snapshot, against the station's public key and the signed head beside the database.

A database nobody has open (no `-wal` beside it) is read as immutable: nothing is created beside it, and a copy
on a read-only medium can be checked. Should the console start during that pass, the pass is made again."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

from console.audit.head import HeadUnreadableError, TrailHead, head_path, read_head
from console.audit.messages import Finding
from console.audit.scan import scan
from console.audit.verdict import TrailVerdict
from console.evidence.keys import PUBLIC_KEY_FILE, PublicKey, key_folder, read_public_key
from console.evidence.messages import EvidenceError
from console.store.audit import has_table, row_count, stored_values

# The running console commits, then rewrites the head: a pass that started between the two sees rows the head
# it read does not cover yet. Reading again once the head has moved (or the console has started) settles it.
HEAD_RACE_PASSES = 3
_CHAIN_FINDINGS_FIRST = frozenset({None, Finding.HEAD_MISSING, Finding.NOT_SIGNED})


def station_public_key_path(db_path: Path) -> Path:
    """Where the station's public key is for a database: keys/ in the data folder that holds it."""
    return key_folder(db_path.parent) / PUBLIC_KEY_FILE


def verify_database(db_path: Path, public_key: PublicKey | None = None) -> TrailVerdict:
    if not db_path.is_file():
        return TrailVerdict(0, Finding.NO_DATABASE, {"path": str(db_path)})
    if public_key is None:
        try:
            public_key = read_public_key(station_public_key_path(db_path))
        except EvidenceError:
            return TrailVerdict(0, Finding.NO_PUBLIC_KEY, {"path": str(station_public_key_path(db_path))})
    head_file = head_path(db_path)
    verdict = TrailVerdict(0)
    for _ in range(HEAD_RACE_PASSES):
        before = _bytes_of(head_file)
        idle = not _wal(db_path).exists()
        verdict = _one_pass(db_path, public_key, head_file, idle)
        moved = _bytes_of(head_file) != before or (idle and _wal(db_path).exists())
        if verdict.ok or not moved:
            break
    return verdict


def _wal(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + "-wal")


def _one_pass(db_path: Path, key: PublicKey, head_file: Path, idle: bool) -> TrailVerdict:
    try:
        head: TrailHead | None = read_head(head_file)
        head_damaged = False
    except HeadUnreadableError:
        head, head_damaged = None, True
    try:
        conn = sqlite3.connect(db_path.resolve().as_uri() + ("?mode=ro&immutable=1" if idle else "?mode=ro"),
                               uri=True)
    except sqlite3.Error as exc:
        return TrailVerdict(0, Finding.DATABASE_UNREADABLE, {"path": str(db_path), "reason": str(exc)})
    try:
        conn.execute("BEGIN")  # one snapshot: the count and the rows agree even while the console writes
        if not has_table(conn):
            return TrailVerdict(0, Finding.NO_AUDIT_TABLE, {"path": str(db_path)})
        verdict = scan(stored_values(conn), row_count(conn), key, head, str(head_file))
    except sqlite3.Error as exc:
        return TrailVerdict(0, Finding.DATABASE_UNREADABLE, {"path": str(db_path), "reason": str(exc)})
    finally:
        conn.close()
    if head_damaged and verdict.finding in _CHAIN_FINDINGS_FIRST:
        return replace(verdict, finding=Finding.HEAD_UNREADABLE, params={"path": str(head_file)}, first_bad_row=None)
    return verdict


def _bytes_of(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None
