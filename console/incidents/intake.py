"""*Tiếp nhận video từ người dân*: one citizen's file received into an incident, as one blocking call for a worker
thread. The file is copied while hashed, read again to confirm it did not change, kept byte for byte and read-only
under `<data>/incidents/<id>/originals/`, probed, given an H.264 working copy and a thumbnail strip, then
recorded, linked to the incident and audited (one *Tiếp nhận video* row). Progress goes to a plain callback and a
`threading.Event` cancels; refused or cancelled, nothing of the file is kept (no file, no row, no audit).

Everything is first written into a hidden staging folder beside the incident's files (the same disk, so moving a
file into place is a rename) and removed with it on any failure. Nothing on the medium is ever executed or
handed to the desktop: the file is read with `os.open`, and FFmpeg only ever parses the station's copy.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from console.core.users import User
from console.incidents.messages import IncidentError, IntakeCancelledError, IntakeRefusedError, Say
from console.incidents.model import Incident
from console.incidents.originals import (
    SourceFile,
    confirm_unchanged,
    copy_original,
    discard,
    inspect_source,
    keep_read_only,
    no_space,
)
from console.incidents.probe import probe
from console.incidents.progress import Phase, ProgressHook, ProgressReport
from console.incidents.service import FOLDER, Incidents
from console.incidents.thumbnails import ThumbnailStrip
from console.incidents.video_record import RECOMPRESSING_CHANNELS, Bringer, Channel, Claim, IntakeRecord, VideoFacts
from console.incidents.working_copy import WorkingCopy, make_working_copy

log = logging.getLogger(__name__)

ORIGINALS, WORKING, THUMBNAILS = "originals", "working", "thumbnails"
STAGING_PREFIX = ".intake-"
SPACE_MARGIN_BYTES = 64 * 1024 * 1024
WORKING_COPY_ROOM_SHARE = 1.0  # room kept for the working copy, as a share of the original's size
_SUFFIX = re.compile(r"\.[a-z0-9]{1,5}$")


@dataclass(frozen=True)
class IntakeRequest:
    """What the intake sheet holds: the file, the incident, who brought it, how, and what they say it shows."""

    source: Path
    incident_id: int
    bringer: Bringer
    channel: Channel
    claim: Claim = field(default_factory=Claim)
    note: str = ""


def receive_video(incidents: Incidents, request: IntakeRequest, progress: ProgressHook | None = None,
                  cancel: threading.Event | None = None) -> IntakeRecord:
    """Receive the file (blocking: call it off the GUI thread); its stored record. Raises IntakeRefusedError
    (the file cannot be received: `message()` names it), IntakeCancelledError, IncidentError (the incident is
    closed or missing, no bringer's name) or ActionRefusedError (nobody on duty may)."""
    user, incident = incidents.require_open(request.incident_id)
    if not request.bringer.name.strip():
        raise IncidentError(Say.NO_BRINGER)
    source = inspect_source(request.source)
    report = ProgressReport(progress, source.name, source.size)
    return _Intake(incidents, request, user, incident, source, report, cancel.is_set if cancel else _never).run()


def remove_leftovers(incidents: Incidents) -> int:
    """Remove the staging folders of intakes a crash or a power cut interrupted (call it while none runs); how
    many were found."""
    found = sorted((incidents.data / FOLDER).glob(f"*/{STAGING_PREFIX}*"))
    for staging in found:
        _remove_tree(staging)
    return len(found)


class _Intake:
    def __init__(self, incidents: Incidents, request: IntakeRequest, user: User, incident: Incident,
                 source: SourceFile, report: ProgressReport, cancelled: Callable[[], bool]) -> None:
        self.incidents = incidents
        self.request = request
        self.user = user
        self.incident = incident
        self.source = source
        self.report = report
        self.cancelled = cancelled
        self.folder = incidents.folder(incident.id)
        self.staging = self.folder / f"{STAGING_PREFIX}{secrets.token_hex(8)}"
        self.placed: list[Path] = []

    def run(self) -> IntakeRecord:
        started = time.monotonic()
        try:
            self._make_staging()
            sha256 = self._keep_original()
            self.report.phase(Phase.PROBE)
            facts = probe(self.staging / "original", self.source.name)
            self.report.length_known(facts.duration_ms)
            working, pictures = self._viewing_copy(facts)
            stored = self._save(sha256, facts, working, pictures)
        except BaseException:
            self._undo()
            raise
        _remove_tree(self.staging)
        self.report.finished()
        log.info("received %s (%d bytes, sha256 %s) into incident %d as video %d in %.1f s", self.source.name,
                 self.source.size, sha256, self.incident.id, stored.id, time.monotonic() - started)
        return stored

    def _make_staging(self) -> None:
        try:
            self.staging.mkdir(parents=True)
        except OSError as exc:
            raise IntakeRefusedError(Say.CANNOT_WRITE, name=self.source.name, folder=str(self.folder),
                                     reason=exc.strerror or type(exc).__name__) from exc
        needed = self.source.size * (1 + WORKING_COPY_ROOM_SHARE) + SPACE_MARGIN_BYTES
        if shutil.disk_usage(self.staging).free < needed:
            raise no_space(self.source.name, self.folder, self.source.size)

    def _keep_original(self) -> str:
        """The station's copy, confirmed equal to the medium's file and made read-only; its SHA-256."""
        copy = self.staging / "original"
        self.report.phase(Phase.COPY)
        sha256 = copy_original(self.source, copy, self.report.update, self.cancelled)
        self.report.phase(Phase.VERIFY)
        confirm_unchanged(self.source, sha256, self.report.update, self.cancelled)
        keep_read_only(copy)
        self._refuse_received(sha256)
        return sha256

    def _viewing_copy(self, facts: VideoFacts) -> tuple[WorkingCopy, list[Path]]:
        self.report.phase(Phase.WORKING_COPY)
        strip = ThumbnailStrip(self.staging / THUMBNAILS, facts.duration_ms)
        working = make_working_copy(self.staging / "original", self.staging / "working.mp4", facts, self.source.name,
                                    self.report.update, self.cancelled, strip)
        pictures = strip.finish()
        if self.cancelled():
            raise IntakeCancelledError(self.source.name)
        return working, pictures

    def _save(self, sha256: str, facts: VideoFacts, working: WorkingCopy, pictures: list[Path]) -> IntakeRecord:
        """Files moved into place, then the record stored (and audited) by the incidents."""
        self.report.phase(Phase.SAVE)
        stem = sha256[:16]
        with self.incidents.placing_video():
            self._refuse_received(sha256)  # again: another intake of the same bytes may have finished meanwhile
            original = self._place(self.staging / "original",
                                   self.folder / ORIGINALS / f"{stem}{_suffix(self.source.name)}")
            viewing = self._place(working.path, self.folder / WORKING / f"{stem}.mp4")
            thumbnails = [self._place(p, self.folder / THUMBNAILS / stem / p.name) for p in pictures]
            request = self.request
            record = IntakeRecord(
                0, self.incident.id, self.incidents.clock(), self.user.login, self.source.name,
                str(self.source.path.absolute()), self._stored(original), self.source.size, sha256, facts,
                request.bringer, request.channel, request.claim, self._stored(viewing),
                tuple(self._stored(t) for t in thumbnails), request.channel in RECOMPRESSING_CHANNELS,
                request.note.strip())
            return self.incidents.record_video(record, self.user)

    def _refuse_received(self, sha256: str) -> None:
        if (same := self.incidents.received(self.incident.id, sha256)) is not None:
            raise IntakeRefusedError(Say.ALREADY_RECEIVED, name=self.source.name, incident=self.incident.id,
                                     video=same.id)

    def _place(self, path: Path, target: Path) -> Path:
        """Move a finished file into place; a file already there belongs to no record (the check for a video
        received ran under the same lock): a left-over of an intake that crashed, replaced."""
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            discard(target)
        os.replace(path, target)
        self.placed.append(target)
        return target

    def _stored(self, path: Path) -> str:
        return path.relative_to(self.incidents.data).as_posix()

    def _undo(self) -> None:
        """Remove what this intake wrote: placed files, the staging folder, folders it left empty."""
        for path in reversed(self.placed):
            discard(path)
        _remove_tree(self.staging)
        emptied = {p.parent for p in self.placed} | {self.folder / d for d in (ORIGINALS, WORKING, THUMBNAILS)}
        for folder in [*sorted(emptied, key=lambda p: len(p.parts), reverse=True), self.folder]:
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when empty: the incident's other videos stay


def _never() -> bool:
    return False


def _suffix(name: str) -> str:
    found = _SUFFIX.search(name.lower())
    return found.group(0) if found else ""


def _remove_tree(folder: Path) -> None:
    if not folder.exists():
        return
    try:
        for path in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
            if path.is_dir():
                path.rmdir()
            else:
                discard(path)
        folder.rmdir()
    except OSError:
        log.warning("staging folder %s not removed", folder, exc_info=True)
