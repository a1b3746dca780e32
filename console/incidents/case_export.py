"""*Xuất hồ sơ vụ việc*: one incident exported as one signed folder — a clip per linked recording range (stream
copy, `EvidenceExport`), the citizens' originals byte for byte, the snapshots and plate crops, the notes, the case
report, and `manifest.json` signed with the station key over every file, so `python -m console.evidence verify
<folder>` checks the whole case.

The officer on duty must be allowed to export evidence (`Permission.EXPORT_EVIDENCE`: officers too unless the
site file says `officer_may_export = false`); a refusal is audited by the guard, a finished export is one audit
row (*Trích xuất chứng cứ*, target: the folder). Everything is written into `<name>.part` and renamed when whole;
a failure or a cancel removes that folder, so no half case is ever found under the case's name. A citizen's
original is copied while hashed and refused when its bytes differ from what the intake recorded.

`run()` blocks (call it off the GUI thread); `start()` runs it on a thread of its own. The report is written by the
`write_report` it is handed (the UI's PDF writer uses QTextDocument: the UI runs `run()` on a QThread)."""

from __future__ import annotations

import errno
import hashlib
import logging
import shutil
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from console.audit.actions import AuditAction, AuditEntry
from console.core.atomic import fsync_path, write_durably
from console.core.recording import ExportIndex, SegmentRow, TimeRange
from console.core.users import User
from console.core.vntime import format_vn_ms
from console.evidence.export_signing import sign_case_export
from console.evidence.keys import StationKey, load_or_create_station_key
from console.evidence.manifest import MANIFEST_FILE, CaseFacts, hash_file
from console.evidence.messages import EvidenceError
from console.incidents.case_folder import NOTES_FILE, REPORT_FILE, commit_folder, discard_folder, part_folder
from console.incidents.case_plan import CaseIndex, CasePlan, PlannedClip, PlannedCopy, plan_case
from console.incidents.case_report import (
    CaseNames,
    CaseReport,
    Contents,
    ExportedFile,
    case_report,
    clip_text,
    notes_text,
    place_text,
)
from console.incidents.messages import (
    CaseExportCancelledError,
    CaseExportError,
    IncidentError,
    IntakeCancelledError,
    IntakeRefusedError,
    Say,
    render,
)
from console.incidents.originals import copy_original, inspect_source, keep_read_only
from console.incidents.progress import PROGRESS_EVERY_S
from console.incidents.report_words import Word, word
from console.incidents.service import CaseFile, Incidents, target_of
from console.media.export import EvidenceExport, ExportState, sidecar_path
from console.officers.guard import ActionRefusedError
from console.officers.roles import Permission

log = logging.getLogger(__name__)

REPORT_WEIGHT_BYTES = 4 * 1024 * 1024  # the report's share of the bar: about what copying 4 MB takes
SIGN_SHARE = 0.5  # the manifest reads every file once more, about twice as fast as copying it
SPACE_MARGIN_BYTES = 64 * 1024 * 1024

ReportWriter = Callable[[Path, CaseReport], None]


@dataclass(frozen=True)
class CaseExportRequest:
    """`target` is the case folder to make (it must not exist); `recordings` the recordings folder and
    `open_index` a connection of the export's own to their index; `picture` resolves a snapshot's or crop's
    stored path."""

    incident_id: int
    target: Path
    recordings: Path
    open_index: Callable[[], CaseIndex]
    picture: Callable[[str], Path]
    write_report: ReportWriter
    names: CaseNames = field(default_factory=CaseNames)
    lang: str = "vi"


@dataclass(frozen=True)
class CaseProgress:
    """What the bar shows: the step (`message()` names its file) and the share done overall (0..1)."""

    say: Say
    name: str
    overall: float

    def message(self, lang: str = "vi") -> str:
        return render(self.say, lang, {"name": self.name})


ProgressHook = Callable[[CaseProgress], None]


@dataclass(frozen=True)
class CaseExportResult:
    folder: Path
    manifest: Path
    manifest_sha256: str
    files: tuple[ExportedFile, ...]  # as the report lists them (the report and the manifest's own files aside)
    absent: tuple[str, ...]  # linked items not included, in the report's words
    seconds: float


class CaseExport:
    def __init__(self, incidents: Incidents, request: CaseExportRequest, progress: ProgressHook | None = None,
                 finished: Callable[[CaseExportResult | Exception], None] | None = None) -> None:
        self.incidents = incidents
        self.request = request
        self._hook = progress
        self._finished = finished
        self._cancel = threading.Event()
        self._clip: EvidenceExport | None = None
        self._thread: threading.Thread | None = None
        self.outcome: CaseExportResult | Exception | None = None
        self._total = 1.0
        self._done = 0.0
        self._step = CaseProgress(Say.CASE_PHASE_CLIP, "", 0.0)
        self._sent_at = 0.0

    # --- running ----------------------------------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run_here, name=f"case export {self.request.incident_id}",
                                        daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        self._cancel.set()
        clip = self._clip
        if clip is not None:
            clip.cancel()

    def wait(self, timeout_s: float | None = None) -> CaseExportResult | Exception | None:
        if self._thread is not None:
            self._thread.join(timeout_s)
        return self.outcome

    def _run_here(self) -> None:
        try:
            self.outcome = self.run()
        except Exception as exc:  # a refusal is an answer; anything else is also logged with its trace
            if not isinstance(exc, (IncidentError, ActionRefusedError, EvidenceError)):
                log.exception("case export of incident %d failed", self.request.incident_id)
            self.outcome = exc
        if self._finished is not None:
            self._finished(self.outcome)

    def run(self) -> CaseExportResult:
        """Export the case (blocking). Raises ActionRefusedError (nobody on duty may export evidence),
        CaseExportError (naming the file), CaseExportCancelledError, IncidentError (no such incident) or
        EvidenceError (the station key cannot be used)."""
        started = time.monotonic()
        request = self.request
        user = self.incidents.officers.require(Permission.EXPORT_EVIDENCE, target=target_of(request.incident_id))
        case = self.incidents.case_file(request.incident_id)
        key = load_or_create_station_key(self.incidents.data)
        part = part_folder(request.target)
        for taken in (request.target, part):
            if taken.exists():
                raise CaseExportError(Say.CASE_TARGET_EXISTS, folder=str(taken))
        plan = self._plan(case)
        self._total = plan.bytes * (1 + SIGN_SHARE) + REPORT_WEIGHT_BYTES
        self._make(part, plan)
        try:
            files = [*self._clips(plan.clips, part, user), *self._copies(plan.copies, part),
                     self._notes(case, part)]
            exported_at = self.incidents.clock()
            self._report(case, plan, files, user, exported_at, key, part)
            manifest = self._sign(case, plan, user, exported_at, key, part)
            self._commit(part)
        except BaseException:
            discard_folder(part)
            raise
        digest, _ = hash_file(request.target / manifest.name)
        self._audit(case, plan, files, user, digest)
        self._send(Say.CASE_PHASE_SIGN, manifest.name, 1.0, force=True)
        log.info("incident %d exported to %s (%d files) in %.1f s", case.incident.id, request.target, len(files),
                 time.monotonic() - started)
        return CaseExportResult(request.target, request.target / manifest.name, digest, tuple(files), plan.absent,
                                time.monotonic() - started)

    # --- the steps --------------------------------------------------------------------------------------

    def _plan(self, case: CaseFile) -> CasePlan:
        index = self.request.open_index()
        try:
            return plan_case(case, index, self.incidents.file, self.request.picture, self.request.names,
                             self.request.lang)
        finally:
            index.close()

    def _make(self, part: Path, plan: CasePlan) -> None:
        try:
            part.mkdir(parents=True)
        except OSError as exc:
            raise _write_refusal(exc, part.name, part.parent, plan.bytes) from exc
        free = _free_bytes(part)
        if free is not None and free < plan.bytes + SPACE_MARGIN_BYTES:
            discard_folder(part)
            raise CaseExportError(Say.CASE_NO_SPACE, name=self.request.target.name, folder=str(part.parent),
                                  size_mb=max(1, round(plan.bytes / 1e6)))

    def _clips(self, clips: Sequence[PlannedClip], part: Path, user: User) -> list[ExportedFile]:
        files: list[ExportedFile] = []
        for clip in clips:
            target = part / clip.name
            self._begin(Say.CASE_PHASE_CLIP, target.name)
            span = TimeRange(clip.link.start_ms, clip.link.end_ms)
            job = EvidenceExport(self.request.recordings, self._rows_for(self.request.target / clip.name),
                                 clip.link.camera_id, span, target, user.full_name,
                                 progress=self._share_of(clip.weight))
            self._clip = job
            if self._cancel.is_set():
                job.cancel()
            job.start()
            result = job.wait()
            self._clip = None
            if result is None or result.state is ExportState.CANCELLED:
                raise self._cancelled()
            if result.state is ExportState.FAILED or result.sha256 is None:
                raise CaseExportError(Say.CASE_CLIP_FAILED, name=target.name,
                                      camera=self.request.names.camera(clip.link.camera_id),
                                      start=format_vn_ms(span.start_ms), end=format_vn_ms(span.end_ms),
                                      reason=result.detail or result.state.value)
            about = clip_text(clip.link, result.first_ms, self.request.names, self.request.lang)
            files.append(ExportedFile(clip.name, about, result.sha256, result.size))
            sidecar = sidecar_path(target)
            digest, size = hash_file(sidecar)
            files.append(ExportedFile(f"{clip.name}.sha256", word(Word.ITEM_SIDECAR, self.request.lang,
                                                                 {"file": target.name}), digest, size))
            self._done += clip.weight
        return files

    def _copies(self, copies: Sequence[PlannedCopy], part: Path) -> list[ExportedFile]:
        files: list[ExportedFile] = []
        for copy in copies:
            target = part / copy.name
            self._begin(copy.say, copy.label)
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise _write_refusal(exc, copy.label, target.parent, copy.weight) from exc
            try:
                source = inspect_source(copy.source)
                digest = copy_original(source, target, self._share_of(copy.weight), self._cancel.is_set)
            except IntakeCancelledError:
                raise self._cancelled() from None
            except IntakeRefusedError as exc:
                raise _copy_refusal(exc, copy, target.parent, self.request.lang) from exc
            if copy.sha256 is not None and digest != copy.sha256:
                raise CaseExportError(Say.CASE_ORIGINAL_CHANGED, name=copy.label)
            keep_read_only(target)
            files.append(ExportedFile(copy.name, copy.about, digest, source.size))
            self._done += copy.weight
        return files

    def _notes(self, case: CaseFile, part: Path) -> ExportedFile:
        self._begin(Say.CASE_PHASE_NOTES, NOTES_FILE)
        data = notes_text(case, self.request.lang).encode("utf-8")
        try:
            write_durably(part / NOTES_FILE, data)
        except OSError as exc:
            raise _write_refusal(exc, NOTES_FILE, part, len(data)) from exc
        about = word(Word.ITEM_NOTES, self.request.lang, {"count": len(case.notes)})
        return ExportedFile(NOTES_FILE, about, hashlib.sha256(data).hexdigest(), len(data))

    def _report(self, case: CaseFile, plan: CasePlan, files: Sequence[ExportedFile], user: User, exported_at: int,
                key: StationKey, part: Path) -> None:
        self._begin(Say.CASE_PHASE_REPORT, REPORT_FILE)
        contents = Contents(len(plan.clips), sum(1 for c in plan.copies if c.sha256 is not None),
                            sum(1 for c in plan.copies if c.sha256 is None))
        report = case_report(case, files, plan.absent, contents, user.full_name, exported_at,
                             key.public.fingerprint(), self.request.names, self.request.lang)
        path = part / REPORT_FILE
        try:
            self.request.write_report(path, report)
            fsync_path(path)
        except Exception as exc:
            log.warning("case report %s not written", path, exc_info=True)
            raise CaseExportError(Say.CASE_REPORT_FAILED, name=REPORT_FILE,
                                  reason=getattr(exc, "strerror", None) or str(exc) or type(exc).__name__) from exc
        self._done += REPORT_WEIGHT_BYTES
        if self._cancel.is_set():
            raise self._cancelled()

    def _sign(self, case: CaseFile, plan: CasePlan, user: User, exported_at: int, key: StationKey,
              part: Path) -> Path:
        self._begin(Say.CASE_PHASE_SIGN, self.request.target.name)
        incident = case.incident
        facts = CaseFacts(incident.id, incident.title, incident.kind.value, incident.status.value,
                          place_text(incident, self.request.names), incident.start_ms, incident.end_ms,
                          plan.recordings)
        every_file = sorted(p for p in part.rglob("*") if p.is_file())
        try:
            return sign_case_export(key, part, every_file, facts, user.full_name, exported_at)
        except OSError as exc:
            raise _write_refusal(exc, MANIFEST_FILE, part, 0) from exc

    def _commit(self, part: Path) -> None:
        if self._cancel.is_set():
            raise self._cancelled()
        target = self.request.target
        try:
            commit_folder(part, target)
        except FileExistsError:
            raise CaseExportError(Say.CASE_TARGET_EXISTS, folder=str(target)) from None
        except OSError as exc:
            raise _write_refusal(exc, target.name, target.parent, 0) from exc

    def _audit(self, case: CaseFile, plan: CasePlan, files: Sequence[ExportedFile], user: User,
               manifest_sha256: str) -> None:
        """One row as the act of the officer who started it (the screen may have locked meanwhile)."""
        audit = self.incidents.officers.audit
        if audit is None:
            return
        incident = case.incident
        audit(AuditEntry(AuditAction.EVIDENCE_EXPORTED, user.login, user.role.value, camera=incident.place.camera_id,
                         target=str(self.request.target),
                         details={"incident": target_of(incident.id), "start_ms": incident.start_ms,
                                  "end_ms": incident.end_ms, "manifest_sha256": manifest_sha256,
                                  "files": len(files), "clips": len(plan.clips),
                                  "originals": sum(1 for c in plan.copies if c.sha256 is not None),
                                  "absent": len(plan.absent)}))

    # --- progress and cancel ----------------------------------------------------------------------------

    def _cancelled(self) -> CaseExportCancelledError:
        return CaseExportCancelledError(self.request.incident_id, str(self.request.target.parent))

    def _begin(self, say: Say, name: str) -> None:
        if self._cancel.is_set():
            raise self._cancelled()
        self._send(say, name, self._done / self._total, force=True)

    def _share_of(self, weight: int) -> Callable[[float], None]:
        """What a step calls with the share of it done (on its own thread, the clip's export's too)."""
        def advance(share: float) -> None:
            self._send(self._step.say, self._step.name, (self._done + share * weight) / self._total, force=False)
        return advance

    def _rows_for(self, final: Path) -> Callable[[], ExportIndex]:
        request = self.request
        return lambda: _ExportRows(request.open_index(), final)

    def _send(self, say: Say, name: str, overall: float, force: bool) -> None:
        now = time.monotonic()
        self._step = CaseProgress(say, name, max(self._step.overall, min(1.0, overall)))
        if self._hook is None or (not force and now - self._sent_at < PROGRESS_EVERY_S):
            return
        self._sent_at = now
        self._hook(self._step)


class _ExportRows:
    """The index as one clip of the case uses it: its export row names where the clip will be once the case
    folder has its name, not the `.part` folder it is written in."""

    def __init__(self, index: CaseIndex, final: Path) -> None:
        self._index = index
        self._final = final

    def segments(self, camera_id: str, start_ms: int, end_ms: int) -> list[SegmentRow]:
        return self._index.segments(camera_id, start_ms, end_ms)

    def begin_export(self, camera_id: str, span: TimeRange, path: str, actor: str, at_ms: int) -> int:
        return self._index.begin_export(camera_id, span, str(self._final), actor, at_ms)

    def finish_export(self, export_id: int, state: str, at_ms: int, sha256: str | None = None,
                      size: int | None = None, detail: str = "") -> None:
        self._index.finish_export(export_id, state, at_ms, sha256, size, detail)

    def close(self) -> None:
        self._index.close()


def _free_bytes(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def _write_refusal(exc: OSError, name: str, folder: Path, size: int) -> CaseExportError:
    if exc.errno == errno.ENOSPC:
        return CaseExportError(Say.CASE_NO_SPACE, name=name, folder=str(folder), size_mb=max(1, round(size / 1e6)))
    return CaseExportError(Say.CASE_CANNOT_WRITE, name=name, folder=str(folder),
                           reason=exc.strerror or type(exc).__name__)


def _copy_refusal(exc: IntakeRefusedError, copy: PlannedCopy, folder: Path, lang: str) -> CaseExportError:
    """The intake's copy refused a file: the same fact, said of a case export."""
    if exc.say is Say.NOT_FOUND:
        return CaseExportError(Say.CASE_SOURCE_MISSING, name=copy.label, path=str(copy.source))
    if exc.say is Say.NO_SPACE:
        return CaseExportError(Say.CASE_NO_SPACE, name=copy.label, folder=str(folder), size_mb=exc.params["size_mb"])
    if exc.say is Say.CANNOT_WRITE:
        return CaseExportError(Say.CASE_CANNOT_WRITE, name=copy.label, folder=str(folder),
                               reason=exc.params["reason"])
    reason = exc.params.get("reason") if exc.say is Say.UNREADABLE else exc.message(lang)
    return CaseExportError(Say.CASE_UNREADABLE, name=copy.label, reason=reason)
