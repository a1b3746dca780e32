"""Deleting recordings (issue 19): refused to an officer where it is carried out, whole segments inside the range
only, a clip linked to an incident and the segment still being written kept, one audit row for the admin's gesture;
what retention deletes by itself is a system row per camera."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.audit.actions import AuditAction, AuditEntry
from console.core.recording import RecordingSettings, TimeRange
from console.core.users import Role, User
from console.incidents.model import IncidentKind, Origin, Place, RecordingLink
from console.media.recording import apply_retention
from console.officers.guard import ActionRefusedError, Guard, Officers
from console.officers.recording_deletion import RecordingDeletion, retention_audit
from console.store.incidents import insert_incident, insert_link
from console.store.recordings import RecordingIndex, index_opener
from tests.support.databases import OpenDb
from tests.support.stamped_clip import lay_out_recording, write_stamped_segment

T0 = 1_780_000_000_000  # a fixed moment: the segments' names and the range are the test's own
SEGMENT_MS = 10_000
ADMIN = User("quantri", "Trần Văn Kỹ", Role.ADMIN)
OFFICER = User("trucban1", "Nguyễn Văn An", Role.OFFICER)


@pytest.fixture()
def station(open_db: OpenDb, tmp_path: Path) -> tuple[RecordingIndex, Path, Path]:
    """Six closed 10 s segments of C01 from T0, back to back, and one of C02 at the same time."""
    clip = tmp_path / "clip.ts"
    write_stamped_segment(clip, 1.0, 320, 180, 15)
    root, db = tmp_path / "rec", tmp_path / "console.db"
    index = RecordingIndex(open_db(db))
    lay_out_recording(index, root, "C01", clip, T0, 6, SEGMENT_MS, 1000)
    lay_out_recording(index, root, "C02", clip, T0, 1, SEGMENT_MS, 1000)
    return index, root, db


def _officers(user: User) -> tuple[Officers, list[AuditEntry]]:
    audit: list[AuditEntry] = []
    return Officers(Guard(lambda: user, audit=audit.append), audit.append), audit


def test_an_officer_is_refused_and_nothing_goes(station: tuple[RecordingIndex, Path, Path]) -> None:
    index, root, db = station
    officers, audit = _officers(OFFICER)
    deletion = RecordingDeletion(officers, root, index_opener(db))
    for attempt in (lambda: deletion.plan("C01", TimeRange(T0, T0 + 60_000)),
                    lambda: deletion.delete("C01", TimeRange(T0, T0 + 60_000), "dọn ổ đĩa")):
        with pytest.raises(ActionRefusedError) as refused:
            attempt()
        assert refused.value.message().startswith("Chỉ quản trị viên được xóa ghi hình.")
    assert len(index.segments("C01", 0, 2**62)) == 6
    assert [(e.action, e.details["action"]) for e in audit] == [(AuditAction.ACTION_REFUSED, "delete_recordings")] * 2


def test_an_admin_deletes_whole_segments_inside_the_range_and_evidence_stays(
        station: tuple[RecordingIndex, Path, Path]) -> None:
    index, root, db = station
    before = {s.start_ms: root / s.path for s in index.segments("C01", 0, 2**62)}
    with index.db.conn:  # the third segment is a clip of an incident
        incident = insert_incident(index.db.conn, "Trộm xe máy", IncidentKind.THEFT, Place(camera_id="C01"), None,
                                   None, ["trucban1"], Origin.FORM, None, T0, "trucban1")
        insert_link(index.db.conn, incident, T0, "trucban1", RecordingLink("C01", T0 + 22_000, T0 + 25_000))
    open_id = index.open_segment("C01", T0 + 60_000, "C01/open.ts", "h264", 0, 0)  # being written
    officers, audit = _officers(ADMIN)
    deletion = RecordingDeletion(officers, root, index_opener(db))
    span = TimeRange(T0 + 5_000, T0 + 70_000)  # cuts the first segment: it is kept whole
    plan = deletion.plan("C01", span)
    assert [s.start_ms - T0 for s in plan.segments] == [10_000, 30_000, 40_000, 50_000]
    assert (plan.kept_edges, plan.kept_held, plan.kept_open) == (1, 1, 1)
    assert audit == []  # a plan is no gesture
    with pytest.raises(ValueError):
        deletion.delete("C01", span, "  ")  # a reason is required
    done = deletion.delete("C01", span, "Hết thời hạn lưu theo quyết định 12/QĐ")
    assert done.segments == plan.segments
    left = [s.start_ms - T0 for s in index.segments("C01", 0, 2**62)]
    assert left == [0, 20_000, 60_000] and {s.id for s in index.unclosed()} == {open_id}
    assert [at - T0 for at, path in before.items() if path.exists()] == [0, 20_000]  # hard links: own names
    assert len(index.segments("C02", 0, 2**62)) == 1  # another camera is never touched
    [row] = audit
    assert (row.action, row.user, row.camera) == (AuditAction.RECORDING_DELETED, "quantri", "C01")
    assert row.details["files"] == 4 and row.details["reason"] == "Hết thời hạn lưu theo quyết định 12/QĐ"
    assert (row.details["start_ms"], row.details["end_ms"]) == (span.start_ms, span.end_ms)
    assert row.details["bytes"] == plan.bytes > 0


def test_what_retention_deletes_is_one_system_row_per_camera(station: tuple[RecordingIndex, Path, Path]) -> None:
    index, root, _db = station
    rows: list[AuditEntry] = []
    settings = RecordingSettings(retention_days=1)
    gone = apply_retention(index, root, settings, now_ms=T0 + 3 * 86_400_000, deleted=retention_audit(rows.append))
    assert gone == 7 and index.segments("C01", 0, 2**62) == []
    assert [(r.action, r.user, r.camera, r.details["files"], r.details["reason"]) for r in rows] == [
        (AuditAction.RECORDING_DELETED, "-", "C01", 6, "retention"),
        (AuditAction.RECORDING_DELETED, "-", "C02", 1, "retention")]
    assert rows[0].details["start_ms"] == T0 and rows[0].details["end_ms"] == T0 + 6 * SEGMENT_MS
