"""The audit trail: rows chained by SHA-256 and signed at checkpoints by one writer thread; `verify` finds
every way of tampering with it, also across a restart of the console."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
import sqlite_utils

from benchmarks.audit import TAMPER_CASES, TamperCase, copy_trail, signed_trail, truncated_tail
from console.audit.actions import AuditAction, AuditEntry, action_label, action_labels
from console.audit.chain import CHECKPOINT_ACTION, GENESIS_HASH, canonical_details, checkpoint_message
from console.audit.csv_export import write_csv
from console.audit.head import head_path
from console.audit.messages import Finding, templates
from console.audit.verify import verify_database
from console.audit.writer import AuditWriter
from console.evidence.keys import StationKey, load_or_create_station_key
from console.store import audit as table
from console.store.database import MIGRATIONS, open_database

_FIELD = re.compile(r"{(\w+)}")


def rows_of(db: Path) -> list[table.ChainedRow]:
    conn = sqlite3.connect(db)
    try:
        return [table.ChainedRow(*v) for v in table.stored_values(conn)]
    finally:
        conn.close()


def officer(i: int, **changes: object) -> AuditEntry:
    values: dict[str, object] = {"action": AuditAction.PLAYBACK_VIEWED, "user": "nguyen.van.an", "role": "officer",
                                 "camera": "C01", "details": {"start_ms": i, "end_ms": i + 60_000}, "at_ms": 1_000 + i}
    values.update(changes)
    return AuditEntry(**values)  # type: ignore[arg-type]


@pytest.fixture()
def station(tmp_path: Path) -> StationKey:
    return load_or_create_station_key(tmp_path)


@pytest.fixture(scope="module")
def base_trail(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The benchmark's closed 10,000-row trail, made once; each tamper test works on a copy."""
    return signed_trail(tmp_path_factory.mktemp("trail"), 10_000)[0]


def test_a_row_is_compact_json_chained_to_the_previous_hash_as_a_reviewer_recomputes_it(
        tmp_path: Path, station: StationKey) -> None:
    with AuditWriter(tmp_path / "console.db", station) as writer:
        writer.append(officer(1, details={"ghi_chú": "Xe máy dừng lâu", "a": 1}))
        writer.append(officer(2))
    first, second, checkpoint = rows_of(tmp_path / "console.db")
    assert first.details == '{"a":1,"ghi_chú":"Xe máy dừng lâu"}'  # sorted keys, no spaces, UTF-8 kept
    canonical = json.dumps([1, 1001, "nguyen.van.an", "officer", "playback.viewed", "C01", None, first.details],
                           ensure_ascii=False, separators=(",", ":")).encode()
    assert first.prev_hash == GENESIS_HASH
    assert first.hash == hashlib.sha256(bytes(32) + canonical).hexdigest()
    assert second.prev_hash == first.hash and checkpoint.prev_hash == second.hash
    assert checkpoint.action == CHECKPOINT_ACTION and checkpoint.signature is not None
    assert station.public.verify(bytes.fromhex(checkpoint.signature), checkpoint_message(checkpoint.hash))


def test_entries_from_many_threads_make_one_chain_that_verifies(tmp_path: Path, station: StationKey) -> None:
    db = tmp_path / "console.db"
    writer = AuditWriter(db, station)

    def officer_thread(n: int) -> None:
        for i in range(500):
            writer.append(officer(i, user=f"officer{n}"))

    threads = [threading.Thread(target=officer_thread, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert writer.flush()
    assert verify_database(db).ok  # while the console runs: the head covers rows after the last checkpoint
    writer.close()
    verdict = verify_database(db)
    assert verdict.ok and verdict.rows == 2000 + 2  # checkpoints after rows 1000 and 2000: none left at close
    assert sorted(r.user for r in rows_of(db) if r.action != CHECKPOINT_ACTION) == sorted(
        f"officer{n}" for n in range(4) for _ in range(500))


def test_a_checkpoint_is_signed_every_n_rows_and_at_close(tmp_path: Path, station: StationKey) -> None:
    db = tmp_path / "console.db"
    with AuditWriter(db, station, checkpoint_every=10) as writer:
        for i in range(25):
            writer.append(officer(i))
    checkpoints = [r for r in rows_of(db) if r.action == CHECKPOINT_ACTION]
    assert [c.id for c in checkpoints] == [11, 22, 28]
    assert all(json.loads(c.details) == {"key": station.public.fingerprint()} for c in checkpoints)
    verdict = verify_database(db)
    assert verdict.ok and verdict.last_checkpoint == 28 and verdict.fingerprint == station.public.fingerprint()


def test_one_bad_entry_is_refused_and_the_others_are_written(tmp_path: Path, station: StationKey,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "console.db"
    with AuditWriter(db, station) as writer:
        writer.append(officer(1))
        writer.append(officer(2, details={"camera": object()}))  # not JSON
        writer.append(officer(3, details={"score": float("nan")}))
        writer.append(officer(4, details={"after": {"password": "Bi-Mat#2026"}}))  # the trail never holds one
        writer.append(officer(5, user=""))
        writer.append(officer(6))
    assert writer.rejected == 4
    assert [r.at_ms for r in rows_of(db) if r.action != CHECKPOINT_ACTION] == [1001, 1006]
    assert verify_database(db).ok
    assert "Bi-Mat#2026" not in caplog.text
    assert b"Bi-Mat#2026" not in db.read_bytes()


def test_the_table_refuses_updates_and_deletes(tmp_path: Path, station: StationKey) -> None:
    db = tmp_path / "console.db"
    with AuditWriter(db, station) as writer:
        writer.append(officer(1))
    conn = sqlite3.connect(db)
    try:
        for statement in ("UPDATE audit SET user = 'x' WHERE id = 1", "DELETE FROM audit WHERE id = 1"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                conn.execute(statement)
    finally:
        conn.close()


@pytest.mark.parametrize("case", TAMPER_CASES, ids=lambda c: c.name)
def test_verify_finds_the_tampering(case: TamperCase, base_trail: Path, tmp_path: Path) -> None:
    copy = tmp_path / "console.db"
    shutil.copytree(base_trail.parent / "keys", tmp_path / "keys")
    copy_trail(base_trail, copy)
    assert verify_database(copy).ok
    first_bad = case.apply(copy)
    verdict = verify_database(copy)
    assert (verdict.finding, verdict.first_bad_row) == (case.expected, first_bad)
    assert verdict.checked and not verdict.ok
    assert verdict.reason("vi") and verdict.reason("vi") != verdict.reason("en")


def test_rows_cut_after_the_last_checkpoint_of_a_running_console_are_found(tmp_path: Path,
                                                                           station: StationKey) -> None:
    db = tmp_path / "console.db"
    writer = AuditWriter(db, station)
    for i in range(1500):
        writer.append(officer(i))
    assert writer.flush()
    assert verify_database(db).ok  # rows 1002-1501 are signed by the head only
    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER audit_no_delete")
    with conn:
        conn.execute("DELETE FROM audit WHERE id > 1401")
    conn.close()
    verdict = verify_database(db)
    assert (verdict.finding, verdict.first_bad_row, verdict.last_checkpoint) == (Finding.TRUNCATED, 1402, 1001)
    writer.close()  # the writer chains its checkpoint onto row 1501, which is gone
    assert verify_database(db).finding is Finding.MISSING_ROWS


def test_a_restart_after_a_cut_records_it_and_verify_keeps_reporting_it(tmp_path: Path) -> None:
    db, key = signed_trail(tmp_path, 3000)
    expected_first = truncated_tail(db) - 1
    with AuditWriter(db, key) as writer:  # the console starts again on the cut trail
        writer.append(officer(1))
    anomalies = [r for r in rows_of(db) if r.action == AuditAction.ANOMALY]
    assert len(anomalies) == 1 and json.loads(anomalies[0].details)["finding"] == Finding.TRUNCATED
    verdict = verify_database(db)
    assert verdict.finding is Finding.ANOMALY_RECORDED and verdict.first_bad_row == anomalies[0].id
    assert f"dừng ở dòng {expected_first}" in (verdict.reason("vi") or "")
    assert f"ends at row {expected_first}" in (verdict.reason("en") or "")


def test_a_trail_stripped_of_its_signatures_is_not_signed_again_at_start(tmp_path: Path) -> None:
    db, key = signed_trail(tmp_path, 1500)
    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER audit_no_delete")
    with conn:
        conn.execute("DELETE FROM audit WHERE action = ?", [CHECKPOINT_ACTION])
    conn.close()
    head_path(db).unlink()
    AuditWriter(db, key).close()
    anomalies = [json.loads(r.details) for r in rows_of(db) if r.action == AuditAction.ANOMALY]
    assert anomalies == [{"finding": "not_signed", "params": {"rows": 1500}}]
    assert not verify_database(db).ok


def test_a_clean_restart_continues_the_chain(tmp_path: Path, station: StationKey) -> None:
    db = tmp_path / "console.db"
    for start in range(3):
        with AuditWriter(db, station) as writer:
            for i in range(300):
                writer.append(officer(start * 1000 + i))
    verdict = verify_database(db)
    assert verdict.ok and verdict.rows == 900 + 3
    assert all(r.action != AuditAction.ANOMALY for r in rows_of(db))


def test_a_damaged_head_is_named(tmp_path: Path, station: StationKey) -> None:
    db = tmp_path / "console.db"
    with AuditWriter(db, station) as writer:
        writer.append(officer(1))
    head_path(db).write_text("{not json", "utf-8")
    verdict = verify_database(db)
    assert verdict.finding is Finding.HEAD_UNREADABLE and str(head_path(db)) in (verdict.reason("vi") or "")


def test_a_trail_checked_against_another_stations_key_is_refused(tmp_path: Path, station: StationKey) -> None:
    db = tmp_path / "console.db"
    with AuditWriter(db, station) as writer:
        writer.append(officer(1))
    other = load_or_create_station_key(tmp_path / "other")
    verdict = verify_database(db, other.public)
    assert verdict.finding is Finding.OTHER_KEY and station.public.fingerprint() in (verdict.reason("vi") or "")


def test_verify_changes_nothing_and_says_when_it_cannot_check(tmp_path: Path, station: StationKey) -> None:
    db = tmp_path / "console.db"
    with AuditWriter(db, station) as writer:
        writer.append(officer(1))
    before = sorted((p.name, p.read_bytes()) for p in tmp_path.iterdir() if p.is_file())
    assert verify_database(db).ok
    assert sorted((p.name, p.read_bytes()) for p in tmp_path.iterdir() if p.is_file()) == before
    missing = verify_database(tmp_path / "absent.db")
    assert missing.finding is Finding.NO_DATABASE and not missing.checked
    (tmp_path / "elsewhere").mkdir()
    shutil.copy(db, tmp_path / "elsewhere" / "console.db")
    assert verify_database(tmp_path / "elsewhere" / "console.db").finding is Finding.NO_PUBLIC_KEY


def _schema_6_database(path: Path) -> None:
    """A console.db as the console before the audit trail left it: alerts with their old audit rows."""
    db = sqlite_utils.Database(sqlite3.connect(path))
    for migration in MIGRATIONS[:6]:
        migration(db)
    db.execute("PRAGMA user_version = 6")
    db.execute("INSERT INTO alerts (id, started_ms, camera_id, site_id, kind, priority, state, note) VALUES "
               "(1, 1000, 'C03', 'S01', 'motion', 2, 'closed', 'Báo động nhầm do cây đung đưa'), "
               "(2, 5000, 'C07', 'S02', 'manual', 2, 'acknowledged', 'Người lạ vào ngõ')")
    db.execute("INSERT INTO alert_audit (alert_id, at_ms, actor, from_state, to_state, note) VALUES "
               "(1, 1000, 'system', NULL, 'new', ''), (1, 2000, 'tran.thi.binh', 'new', 'acknowledged', "
               "'Báo động nhầm do cây đung đưa'), (1, 3000, 'tran.thi.binh', 'acknowledged', 'closed', ''), "
               "(2, 5000, 'le.van.cuong', NULL, 'acknowledged', 'Người lạ vào ngõ')")
    db.conn.commit()
    db.close()


def test_the_officers_alert_audit_rows_are_migrated_and_signed_at_first_start(tmp_path: Path,
                                                                             station: StationKey) -> None:
    db = tmp_path / "console.db"
    _schema_6_database(db)
    open_database(db).close()  # the console's update: migration 7
    migrated = rows_of(db)
    assert [(r.user, r.action, r.camera, r.target, r.at_ms) for r in migrated] == [
        ("tran.thi.binh", "alert.acknowledged", "C03", "alert:1", 2000),
        ("tran.thi.binh", "alert.closed", "C03", "alert:1", 3000),
        ("le.van.cuong", "incident.manual", "C07", "alert:2", 5000)]
    assert json.loads(migrated[0].details)["note"] == "Báo động nhầm do cây đung đưa"
    assert verify_database(db).finding is Finding.NOT_SIGNED  # chained, not yet signed: no key in a migration
    AuditWriter(db, station).close()  # the first start after the update signs them
    verdict = verify_database(db)
    assert verdict.ok and verdict.rows == 4 and verdict.last_checkpoint == 4


def test_the_window_filters_and_its_csv_export(tmp_path: Path, station: StationKey) -> None:
    db = tmp_path / "console.db"
    with AuditWriter(db, station) as writer:
        writer.append(officer(1))
        writer.append(officer(2, user="tran.thi.binh", camera="C02", action=AuditAction.PTZ))
        writer.append(officer(3, user="tran.thi.binh", camera="C01", action=AuditAction.SNAPSHOT))
    conn = sqlite3.connect(db)
    try:
        found = table.query(conn, table.AuditQuery(user="tran.thi.binh"))
        assert [r.action for r in found] == ["snapshot", "ptz"]  # newest first
        assert [r.at_ms for r in table.query(conn, table.AuditQuery(camera="C01", since_ms=1002))] == [1003]
        assert [r.user for r in table.query(conn, table.AuditQuery(action="ptz"))] == ["tran.thi.binh"]
        out = tmp_path / "nhat_ky.csv"
        assert write_csv(found, out) == 2
    finally:
        conn.close()
    text = out.read_text("utf-8-sig")
    assert text.splitlines()[0].startswith("Dòng,Thời gian (UTC+7)")
    assert "Chụp ảnh" in text and "Điều khiển PTZ" in text and found[0].hash in text


def test_every_action_and_finding_has_both_languages_with_the_same_placeholders() -> None:
    assert set(action_labels()) == set(AuditAction)
    assert action_label("audit.checkpoint") == "Điểm ký xác thực"
    assert action_label("from.a.newer.console") == "from.a.newer.console"
    assert set(templates()) == set(Finding)
    for finding, (vi, en) in templates().items():
        assert sorted(_FIELD.findall(vi)) == sorted(_FIELD.findall(en)), finding
    assert canonical_details({"b": 1, "a": "ă"}) == '{"a":"ă","b":1}'
