"""Audit trail and signed evidence benchmark: `python -m benchmarks.audit --json OUT [--keep-db FILE] [--rows N]`.

1. Append `rows` audit entries (a busy year of a station: playback, PTZ, alerts, logins, 25 cameras) through the
   console's AuditWriter from one thread, until the writer has committed them all: append_per_s.
2. Close the writer (signed checkpoint, head) and verify the whole trail as `python -m console.audit verify`
   does: verify_s.
3. Tamper with copies of a smaller signed trail (TAMPER_ROWS) in every way of issue 19 and a few more, each
   verified: tamper_cases, tamper_detected (the finding must be the expected one, and the first bad row too).
4. Sign an evidence export of `--export-mb` MiB (SHA-256 of the file, manifest, Ed25519): export_sign_ms, then
   verify it as a prosecutor's machine would: export_verify_ms.
5. The role table for both roles (and nobody logged in) through the services that perform the actions
   (benchmarks/roles.py): role_checks, role_refusals_correct; a login's time (PBKDF2): login_ms_p95.

`--keep-db FILE` leaves the million-row database (with FILE.audit-head and the station key in keys/ beside it)
so a reviewer can tamper with it and run `python -m console.audit verify --db FILE`.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from benchmarks.report import write_result
from benchmarks.roles import measure_roles
from console.audit.actions import AuditAction, AuditEntry
from console.audit.chain import CHECKPOINT_ACTION, canonical_details, canonical_row, checkpoint_message, link
from console.audit.head import head_path, write_head
from console.audit.messages import Finding
from console.audit.verify import verify_database
from console.audit.writer import AuditWriter
from console.core.paths import demo_config_path
from console.core.recording import TimeRange
from console.core.vntime import now_ms
from console.evidence.keys import StationKey, load_or_create_station_key
from console.evidence.manifest import Labelled, write_manifest
from console.evidence.verify import verify_export

TAMPER_ROWS = 10_000
EXPORT_MB = 100
FLUSH_TIMEOUT_S = 3600.0
USERS = (("nguyen.van.an", "officer"), ("tran.thi.binh", "officer"), ("le.van.cuong", "officer"),
         ("pham.duc.dung", "admin"))
ACTIONS = (AuditAction.PLAYBACK_VIEWED, AuditAction.PTZ, AuditAction.ALERT_ACKNOWLEDGED, AuditAction.ALERT_CLOSED,
           AuditAction.SNAPSHOT, AuditAction.LOGIN, AuditAction.LOGOUT, AuditAction.SHIFT_CHANGE,
           AuditAction.SETTINGS_CHANGED, AuditAction.BELL_MUTED)


def entry(i: int, start_ms: int) -> AuditEntry:
    """The i-th entry of the synthetic year: every action's usual details, Vietnamese notes included."""
    user, role = USERS[i % len(USERS)]
    action = ACTIONS[i % len(ACTIONS)]
    at = start_ms + i * 30_000
    camera = f"C{i % 25 + 1:02d}"
    details: dict[str, Any] = {"start_ms": at - 600_000, "end_ms": at}
    if action in (AuditAction.ALERT_ACKNOWLEDGED, AuditAction.ALERT_CLOSED):
        details = {"note": "Đã cử tổ tuần tra đến kiểm tra", "from": "new", "to": "acknowledged"}
    elif action is AuditAction.SETTINGS_CHANGED:
        details = {"before": {"retention_days": 30}, "after": {"retention_days": 45}}
    return AuditEntry(action, user, role, camera, f"alert:{i}" if "alert" in action else None, details, at)


def append_rows(db_path: Path, key: StationKey, rows: int) -> tuple[float, AuditWriter]:
    writer = AuditWriter(db_path, key)
    start_ms = now_ms() - rows * 30_000
    started = time.perf_counter()
    for i in range(rows):
        writer.append(entry(i, start_ms))
    if not writer.flush(FLUSH_TIMEOUT_S):
        raise RuntimeError("the audit writer did not commit the rows in time")
    return rows / (time.perf_counter() - started), writer


# -- tampering ----------------------------------------------------------------------------------------------


def _open_for_tampering(db_path: Path) -> sqlite3.Connection:
    """What anyone with the file can do: drop the append-only triggers, then change rows."""
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER IF EXISTS audit_no_update")
    conn.execute("DROP TRIGGER IF EXISTS audit_no_delete")
    return conn


def _checkpoints(conn: sqlite3.Connection) -> list[int]:
    return [r[0] for r in conn.execute("SELECT id FROM audit WHERE action = ? ORDER BY id", [CHECKPOINT_ACTION])]


def _last_id(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT max(id) FROM audit").fetchone()[0])


def _hash_of(conn: sqlite3.Connection, row_id: int) -> str:
    return str(conn.execute("SELECT hash FROM audit WHERE id = ?", [row_id]).fetchone()[0])


def _rehash_from(conn: sqlite3.Connection, first: int, signer: Ed25519PrivateKey | None = None,
                 fingerprint: str | None = None) -> None:
    """Recompute every hash from row `first` on, as an attacker without the station key can; with `signer`,
    also re-sign the checkpoints with that (other) key and name it in them."""
    prev = _hash_of(conn, first - 1) if first > 1 else "0" * 64
    rows = conn.execute("SELECT id, at_ms, user, role, action, camera, target, details FROM audit WHERE id >= ? "
                        "ORDER BY id", [first]).fetchall()
    for row_id, at_ms, user, role, action, camera, target, stored_details in rows:
        signature = None
        details = stored_details
        if action == CHECKPOINT_ACTION and fingerprint is not None:
            details = canonical_details({"key": fingerprint})
        new = link(prev, canonical_row(row_id, at_ms, user, role, action, camera, target, details))
        if action == CHECKPOINT_ACTION and signer is not None:
            signature = signer.sign(checkpoint_message(new)).hex()
        conn.execute("UPDATE audit SET details = ?, prev_hash = ?, hash = ?, signature = coalesce(?, signature) "
                     "WHERE id = ?", [details, prev, new, signature, row_id])
        prev = new


def changed_field(db: Path) -> int:
    with _open_for_tampering(db) as conn:
        conn.execute("UPDATE audit SET user = 'ke.gian' WHERE id = 4321")
    return 4321


def deleted_row(db: Path) -> int:
    with _open_for_tampering(db) as conn:
        conn.execute("DELETE FROM audit WHERE id = 4321")
    return 4321


def inserted_row(db: Path) -> int:
    """A forged row slipped in after row 4321 (later rows renumbered), its own hash correct."""
    with _open_for_tampering(db) as conn:
        conn.execute("UPDATE audit SET id = -(id + 1) WHERE id > 4321")
        conn.execute("UPDATE audit SET id = -id WHERE id < 0")
        prev = _hash_of(conn, 4321)
        forged = (4322, now_ms(), "ke.gian", "admin", "recording.deleted", "C01", None, "{}")
        conn.execute("INSERT INTO audit (id, at_ms, user, role, action, camera, target, details, prev_hash, hash) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [*forged, prev, link(prev, canonical_row(*forged))])
    return 4323


def swapped_rows(db: Path) -> int:
    with _open_for_tampering(db) as conn:
        a, b = (conn.execute("SELECT at_ms, user, role, action, camera, target, details, prev_hash, hash FROM audit "
                             "WHERE id = ?", [i]).fetchone() for i in (4321, 4322))
        for row_id, values in ((4321, b), (4322, a)):
            conn.execute("UPDATE audit SET at_ms = ?, user = ?, role = ?, action = ?, camera = ?, target = ?, "
                         "details = ?, prev_hash = ?, hash = ? WHERE id = ?", [*values, row_id])
    return 4321


def truncated_tail(db: Path) -> int:
    """The newest rows cut off, the closing checkpoint with them: what is left ends after a good checkpoint."""
    with _open_for_tampering(db) as conn:
        keep = _checkpoints(conn)[-2] + 5
        conn.execute("DELETE FROM audit WHERE id > ?", [keep])
    return keep + 1


def truncated_to_checkpoint(db: Path) -> int:
    with _open_for_tampering(db) as conn:
        keep = _checkpoints(conn)[-2]
        conn.execute("DELETE FROM audit WHERE id > ?", [keep])
    return keep + 1


def rehashed_without_key(db: Path) -> int:
    """A row changed and the whole chain after it recomputed: only the station key could sign it again."""
    with _open_for_tampering(db) as conn:
        conn.execute("UPDATE audit SET user = 'ke.gian' WHERE id = 4321")
        _rehash_from(conn, 4321)
        return max(c for c in _checkpoints(conn) if c < 4321) + 1


def resigned_with_other_key(db: Path) -> int:
    """The same, checkpoints and head signed again with a key of the attacker's own."""
    other = Ed25519PrivateKey.generate()
    stranger = StationKey(other, db.parent / "stranger.key")
    with _open_for_tampering(db) as conn:
        conn.execute("UPDATE audit SET user = 'ke.gian' WHERE id = 4321")
        first = max(c for c in _checkpoints(conn) if c < 4321) + 1
        _rehash_from(conn, 4321, other, stranger.public.fingerprint())
        last = _last_id(conn)
        tip = _hash_of(conn, last)
    write_head(head_path(db), last, tip, stranger)
    return first


def appended_row(db: Path) -> int:
    """A forged row added at the end with a correct hash: the station never signed it."""
    with _open_for_tampering(db) as conn:
        last = _last_id(conn)
        prev = _hash_of(conn, last)
        forged = (last + 1, now_ms(), "ke.gian", "officer", "login", None, None, "{}")
        conn.execute("INSERT INTO audit (id, at_ms, user, role, action, camera, target, details, prev_hash, hash) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [*forged, prev, link(prev, canonical_row(*forged))])
    return last + 1


def head_deleted(db: Path) -> int:
    """The signed head removed along with a cut tail: the checkpoints still say the trail was signed."""
    with _open_for_tampering(db) as conn:
        keep = _checkpoints(conn)[-2]
        conn.execute("DELETE FROM audit WHERE id > ?", [keep])
    head_path(db).unlink()
    return keep + 1


@dataclass(frozen=True)
class TamperCase:
    name: str
    expected: Finding
    apply: Callable[[Path], int]  # tampers with the database (and its head); returns the first bad row


TAMPER_CASES = (
    TamperCase("changed_field", Finding.CHANGED_ROW, changed_field),
    TamperCase("deleted_row", Finding.MISSING_ROWS, deleted_row),
    TamperCase("inserted_row", Finding.BROKEN_LINK, inserted_row),
    TamperCase("swapped_rows", Finding.BROKEN_LINK, swapped_rows),
    TamperCase("truncated_tail", Finding.TRUNCATED, truncated_tail),
    TamperCase("truncated_to_checkpoint", Finding.TRUNCATED, truncated_to_checkpoint),
    TamperCase("rehashed_without_key", Finding.BAD_SIGNATURE, rehashed_without_key),
    TamperCase("resigned_with_other_key", Finding.OTHER_KEY, resigned_with_other_key),
    TamperCase("appended_row", Finding.UNSIGNED_TAIL, appended_row),
    TamperCase("head_deleted", Finding.HEAD_MISSING, head_deleted),
)


def copy_trail(source: Path, target: Path) -> None:
    """The database (one consistent file, SQLite's backup) and its head; the key stays where verify finds it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    shutil.copyfile(head_path(source), head_path(target))


def signed_trail(folder: Path, rows: int) -> tuple[Path, StationKey]:
    """A closed trail of `rows` entries (checkpoints every 1,000) in `folder`, its key in folder/keys."""
    key = load_or_create_station_key(folder)
    db = folder / "console.db"
    _, writer = append_rows(db, key, rows)
    writer.close()
    return db, key


def run_tamper_cases(folder: Path) -> dict[str, dict[str, Any]]:
    base, _ = signed_trail(folder, TAMPER_ROWS)
    outcomes: dict[str, dict[str, Any]] = {}
    for case in TAMPER_CASES:
        copy = folder / case.name / "console.db"
        shutil.copytree(folder / "keys", copy.parent / "keys")
        copy_trail(base, copy)
        first_bad = case.apply(copy)
        verdict = verify_database(copy)
        outcomes[case.name] = {"expected": case.expected.value, "found": verdict.finding,
                               "first_bad_row": verdict.first_bad_row, "expected_first_bad_row": first_bad,
                               "detected": verdict.finding is case.expected and verdict.first_bad_row == first_bad,
                               "reason_vi": verdict.reason("vi")}
    return outcomes


# -- evidence -----------------------------------------------------------------------------------------------


def export_signing(folder: Path, key: StationKey, megabytes: int) -> dict[str, Any]:
    export = folder / "export"
    export.mkdir()
    clip = export / "C01_bang-chung.mp4"
    block = hashlib.sha256(b"clip").digest() * (1 << 15)  # 1 MiB of bytes no compressor would shrink
    with open(clip, "wb") as handle:
        for i in range(megabytes):
            handle.write(i.to_bytes(4, "big") + block[4:])
    end = now_ms()
    started = time.perf_counter()
    write_manifest(export, [clip], Labelled("C01", "Cổng UBND xã"), Labelled("S01", "Trụ sở UBND"),
                   TimeRange(end - 600_000, end), 1.5, "nguyen.van.an", end, "benchmark", key)
    sign_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    verdict = verify_export(clip, key.public)
    verify_ms = (time.perf_counter() - started) * 1000
    return {"export_sign_ms": round(sign_ms, 1), "export_mb": megabytes, "export_verify_ms": round(verify_ms, 1),
            "export_verified": verdict.ok}


# -- the run ------------------------------------------------------------------------------------------------


def measure_trail(db: Path, rows: int) -> dict[str, Any]:
    key = load_or_create_station_key(db.parent)
    append_per_s, writer = append_rows(db, key, rows)
    writer.close()
    started = time.perf_counter()
    verdict = verify_database(db)
    verify_s = time.perf_counter() - started
    return {"rows": rows, "rows_stored": verdict.rows, "append_per_s": round(append_per_s),
            "verify_s": round(verify_s, 2), "verify_ok": verdict.ok, "db_mb": round(db.stat().st_size / 1e6, 1),
            "key_fingerprint": key.public.fingerprint()}


def _table(result: dict[str, Any]) -> str:
    lines = [f"audit rows              {result['rows']:>12,}",
             f"append through writer   {result['append_per_s']:>12,} rows/s (target >= 5,000)",
             f"verify whole trail      {result['verify_s']:>12.2f} s (target <= 10)",
             f"tamper cases detected   {result['tamper_detected']:>9} / {result['tamper_cases']}",
             f"sign a {result['export_mb']} MiB export    {result['export_sign_ms']:>9.1f} ms",
             f"role checks correct     {result['role_refusals_correct']:>9} / {result['role_checks']}",
             f"login (PBKDF2) p95      {result['login_ms_p95']:>9.1f} ms"]
    lines += [f"  {name:<24} {o['found'] or 'not found'}" for name, o in result["tamper"].items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.audit", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, required=True)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep-db", type=Path, help="leave the trail's database here (must not exist)")
    parser.add_argument("--export-mb", type=int, default=EXPORT_MB)
    args = parser.parse_args(argv)
    if args.keep_db is not None and args.keep_db.exists():
        parser.error(f"{args.keep_db} exists: the benchmark writes a new trail")
    with tempfile.TemporaryDirectory(prefix="audit-bench-") as folder:
        root = Path(folder)
        db = args.keep_db.resolve() if args.keep_db else root / "trail" / "console.db"
        db.parent.mkdir(parents=True, exist_ok=True)
        result = measure_trail(db, args.rows)
        (root / "tamper").mkdir()
        result["tamper"] = run_tamper_cases(root / "tamper")
        result["tamper_rows"] = TAMPER_ROWS
        result["tamper_cases"] = len(TAMPER_CASES)
        result["tamper_detected"] = sum(1 for o in result["tamper"].values() if o["detected"])
        result.update(export_signing(root, load_or_create_station_key(db.parent), args.export_mb))
        (root / "roles").mkdir()
        result.update(measure_roles(root / "roles", demo_config_path()))
        result["cpu_count"] = os.cpu_count()
        if args.keep_db:
            result["kept_db"] = str(db)
    write_result(result, args.json, _table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
