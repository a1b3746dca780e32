"""Deleting recordings (issue 19: admins only, each deletion one *Xóa ghi hình* audit row) and the audit rows of
what retention deletes by itself.

An admin names a camera, a time range and a reason. Segments go whole, and only those wholly inside the range:
a segment crossing an edge is kept, so nothing outside the range is ever lost. Kept as well: the one still being
written, and any segment holding an unacknowledged alert, an export being written or a clip linked to an incident
(*vụ việc*): evidence is unlinked first, on purpose, by whoever may. The role is checked here, when the plan is
made and again when it is carried out (the desk may have changed in between), not only by the menu that offers it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from console.audit.actions import AuditAction, AuditEntry
from console.core.recording import SegmentRow, TimeRange
from console.core.vntime import now_ms
from console.officers.guard import Officers
from console.officers.roles import Permission
from console.store.recordings import RecordingIndex


@dataclass(frozen=True)
class DeletionPlan:
    camera_id: str
    span: TimeRange
    segments: tuple[SegmentRow, ...]  # what goes
    kept_held: int = 0  # inside the range, but holding an open alert, an export or an incident's clip
    kept_edges: int = 0  # crossing the range's edges
    kept_open: int = 0  # still being written

    @property
    def bytes(self) -> int:
        return sum(s.bytes for s in self.segments)


def _overlaps(segment: SegmentRow, ranges: Sequence[TimeRange]) -> bool:
    return any(segment.start_ms < r.end_ms and r.start_ms < segment.end_ms for r in ranges)


class RecordingDeletion:
    """`open_index` gives this caller's own connection (a worker thread's): plan and delete run off the GUI."""

    def __init__(self, officers: Officers, root: Path, open_index: Callable[[], RecordingIndex]) -> None:
        self.officers = officers
        self.root = root
        self._open_index = open_index

    def check(self, camera_id: str) -> None:
        """Raises ActionRefusedError (audited) unless the user on duty may delete recordings."""
        self.officers.require(Permission.DELETE_RECORDINGS, camera=camera_id)

    def plan(self, camera_id: str, span: TimeRange) -> DeletionPlan:
        self.check(camera_id)
        index = self._open_index()
        try:
            return self._plan(index, camera_id, span)
        finally:
            index.close()

    def delete(self, camera_id: str, span: TimeRange, reason: str) -> DeletionPlan:
        """Delete what the plan for (camera, range) holds now (files, then rows) and record it; what went."""
        user = self.officers.require(Permission.DELETE_RECORDINGS, camera=camera_id)
        if not reason.strip():
            raise ValueError("a reason is required to delete recordings")
        index = self._open_index()
        try:
            plan = self._plan(index, camera_id, span)
            for segment in plan.segments:
                path = self.root / segment.path
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                with contextlib.suppress(OSError):
                    path.parent.rmdir()  # the day's folder, once empty
            index.delete_segments([s.id for s in plan.segments])
        finally:
            index.close()
        if self.officers.audit is not None and plan.segments:
            self.officers.audit(AuditEntry(
                AuditAction.RECORDING_DELETED, user.login, user.role.value, camera=camera_id,
                target=f"recordings:{camera_id}",
                details={"start_ms": span.start_ms, "end_ms": span.end_ms, "files": len(plan.segments),
                         "bytes": plan.bytes, "first_ms": plan.segments[0].start_ms,
                         "last_ms": plan.segments[-1].end_ms, "reason": reason.strip(), "kept_held": plan.kept_held,
                         "kept_edges": plan.kept_edges, "kept_open": plan.kept_open}))
        return plan

    @staticmethod
    def _plan(index: RecordingIndex, camera_id: str, span: TimeRange) -> DeletionPlan:
        held = index.held_ranges(now_ms()).get(camera_id, []) + index.case_ranges(camera_id)
        going: list[SegmentRow] = []
        kept_held = kept_edges = kept_open = 0
        for segment in index.segments(camera_id, span.start_ms, span.end_ms):
            if not segment.closed:
                kept_open += 1
            elif segment.start_ms < span.start_ms or segment.end_ms > span.end_ms:
                kept_edges += 1
            elif _overlaps(segment, held):
                kept_held += 1
            else:
                going.append(segment)
        return DeletionPlan(camera_id, span, tuple(going), kept_held, kept_edges, kept_open)


def retention_audit(audit: Callable[[AuditEntry], None]) -> Callable[[Sequence[SegmentRow]], None]:
    """What the recorder calls (its thread) after a retention pass deleted segments: one system row per camera."""

    def deleted(segments: Sequence[SegmentRow]) -> None:
        for camera_id, rows in groupby(sorted(segments, key=lambda s: (s.camera_id, s.start_ms)),
                                       key=lambda s: s.camera_id):
            gone = list(rows)
            audit(AuditEntry(AuditAction.RECORDING_DELETED, "-", None, camera=camera_id,
                             target=f"recordings:{camera_id}",
                             details={"start_ms": gone[0].start_ms, "end_ms": max(s.end_ms for s in gone),
                                      "files": len(gone), "bytes": sum(s.bytes for s in gone),
                                      "reason": "retention"}))
    return deleted
