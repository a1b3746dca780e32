"""*Xuất hồ sơ vụ việc* on a real station: an incident with a recorded range (stamped H.264 segments), a range with
nothing recorded, a citizen's phone video received through the intake, a snapshot, a plate's crop and a note is
exported as one folder that `python -m console.evidence verify` accepts in a fresh process and refuses, naming the
file, once one byte of a clip or of an original changed; a cancelled export leaves no folder, an officer is
refused (and the refusal audited) when the site keeps exports for admins, and an original changed since its
intake stops the export."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import av
import pytest
from PIL import Image

from console.audit.actions import AuditAction, AuditEntry
from console.core.atomic import part_path
from console.core.login_settings import DEFAULT_LOGIN, LoginSettings
from console.core.users import Role, User
from console.evidence.manifest import MANIFEST_FILE
from console.incidents.case_export import CaseExport, CaseExportRequest, CaseExportResult, CaseProgress
from console.incidents.case_folder import CLIPS, NOTES_FILE, ORIGINALS, PICTURES, PLATES, REPORT_FILE
from console.incidents.case_report import CaseNames, CaseReport
from console.incidents.intake import IntakeRequest, receive_video
from console.incidents.messages import CaseExportCancelledError, CaseExportError, Say
from console.incidents.model import PlateLink, RecordingLink, SnapshotLink
from console.incidents.service import Incidents
from console.incidents.video_record import Bringer, Channel, IntakeRecord
from console.officers.guard import ActionRefusedError, Guard, Officers
from console.store.recordings import RecordingIndex, index_opener
from console.ui.incidents.case_report_pdf import write_case_report_pdf
from console.ui.widgets.form_units import FormUnits
from tests.integration.test_intake_citizen_videos import ANDROID, make_clip
from tests.support.databases import OpenDb
from tests.support.stamped_clip import lay_out_recording, write_stamped_segment

ROOT = Path(__file__).resolve().parents[2]
AN = User("nguyen.van.an", "Nguyễn Văn An", Role.OFFICER)
START_MS = 1_790_000_000_000
SEGMENT_MS = 10_000
SEGMENTS = 3
SNAPSHOT = "2026/09/21/C01_070015.jpg"
CROP = "2026/09/21/C01_070016_plate.jpg"
UNITS = FormUnits("Công an huyện Gia Bình", "Công an xã Đông Cứu", "Đông Cứu", "CAX")
NAMES = CaseNames({"C01": "Cổng trường THCS"}, {"S01": "Trường THCS Đông Cứu"})
VERIFY_TIMEOUT_S = 120


def write_pdf(path: Path, report: CaseReport) -> None:
    write_case_report_pdf(path, report, UNITS)


def no_report(_path: Path, _report: CaseReport) -> None:
    raise AssertionError("the report is not reached")


def jpeg(path: Path, colour: tuple[int, int, int]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (320, 180), colour).save(path, "JPEG")


class Station:
    """console.db as the console opens it, the recordings of camera C01, the officer on duty, the audit rows."""

    def __init__(self, folder: Path, open_db: OpenDb, settings: LoginSettings = DEFAULT_LOGIN) -> None:
        self.folder = folder
        self.db_path = folder / "console.db"
        self.db = open_db(self.db_path)
        self.data = folder / "data"
        self.recordings = folder / "rec"
        self.snapshots = self.data / "alerts"
        self.audit: list[AuditEntry] = []
        self.on_duty: User | None = AN
        officers = Officers(Guard(lambda: self.on_duty, settings, audit=self.audit.append), self.audit.append)
        self.incidents = Incidents(self.db.conn, officers, self.data)
        self.index = RecordingIndex(open_db(self.db_path))
        clip = folder / "clip.ts"
        write_stamped_segment(clip, SEGMENT_MS / 1000, 320, 180, 15)
        lay_out_recording(self.index, self.recordings, "C01", clip, START_MS, SEGMENTS, SEGMENT_MS, 1000)

    def open_case(self, medium: Path) -> tuple[int, IntakeRecord]:
        """The theft at the school gate: a minute of C01 either side, C02 (nothing recorded), a phone video, a
        snapshot, a plate with its crop and a note."""
        incident = self.incidents.create_from_playback("C01", START_MS + 15_000, "S01",
                                                       title="Trộm xe máy ở Cổng trường")
        self.incidents.link(incident.id, RecordingLink("C02", START_MS, START_MS + 60_000))
        jpeg(self.snapshots / SNAPSHOT, (200, 60, 40))
        jpeg(self.snapshots / CROP, (240, 240, 240))
        self.incidents.link(incident.id, SnapshotLink(SNAPSHOT, "C01", START_MS + 15_000))
        self.incidents.link(incident.id, PlateLink("29A-123.45", "C01", START_MS + 16_000, image=CROP))
        self.incidents.add_note(incident.id, "Người dân báo mất xe máy Wave lúc 7 giờ\nxe màu đỏ")
        record = receive_video(self.incidents, IntakeRequest(make_clip(medium, ANDROID), incident.id,
                                                             Bringer("Lê Văn Cường"), Channel.USB))
        return incident.id, record

    def request(self, incident_id: int, write_report: Callable[[Path, CaseReport], None] = write_pdf
                ) -> CaseExportRequest:
        return CaseExportRequest(incident_id, self.folder / "usb" / "vu_viec_trom_xe", self.recordings,
                                 index_opener(self.db_path), lambda stored: self.snapshots / stored, write_report,
                                 NAMES)

    def actions(self) -> list[AuditAction]:
        return [entry.action for entry in self.audit]


@pytest.fixture()
def station(tmp_path: Path, open_db: OpenDb) -> Station:
    return Station(tmp_path, open_db)


@pytest.fixture()
def medium(tmp_path: Path) -> Path:
    folder = tmp_path / "the_phone"
    folder.mkdir()
    return folder


@pytest.fixture()
def exported(qapp: object, station: Station, medium: Path) -> Iterator[tuple[CaseExportResult, IntakeRecord,
                                                                             list[CaseProgress]]]:
    """The case exported on this (the Qt main) thread: the PDF report is laid out by QTextDocument."""
    incident_id, record = station.open_case(medium)
    seen: list[CaseProgress] = []
    yield CaseExport(station.incidents, station.request(incident_id), seen.append).run(), record, seen


def verify(folder: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "console.evidence", "verify", str(folder), *extra], cwd=ROOT,
                          capture_output=True, text=True, timeout=VERIFY_TIMEOUT_S)


def flip_one_byte(path: Path) -> None:
    path.chmod(0o644)  # the copies are read-only: the "tampering" needs to undo that first
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def test_the_case_folder_holds_every_item_and_verifies_in_a_fresh_process(
        station: Station, exported: tuple[CaseExportResult, IntakeRecord, list[CaseProgress]]) -> None:
    result, record, seen = exported
    folder = result.folder
    assert folder == station.folder / "usb" / "vu_viec_trom_xe" and folder.is_dir()
    assert not part_path(folder).exists() and sorted(p.name for p in folder.parent.iterdir()) == [folder.name]
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    [clip] = [n for n in names if n.startswith(f"{CLIPS}/") and n.endswith(".mp4")]
    [original] = [n for n in names if n.startswith(f"{ORIGINALS}/")]
    assert f"{clip}.sha256" in names and original.endswith(ANDROID.name)
    assert any(n.startswith(f"{PICTURES}/") for n in names) and any(n.startswith(f"{PLATES}/") for n in names)
    assert {NOTES_FILE, REPORT_FILE, MANIFEST_FILE, "manifest.json.sig", "station-ed25519.pub"} <= set(names)
    # The citizen's original byte for byte, the clip a stream copy of the recording (30 s recorded in the range).
    assert (folder / original).read_bytes() == station.incidents.file(record.original).read_bytes()
    with av.open(str(folder / clip)) as video:
        stream = video.streams.video[0]
        assert stream.codec_context.name == "h264" and (stream.width, stream.height) == (320, 180)
        assert video.duration is not None and 29.0 <= video.duration / 1_000_000 <= 31.0
    listed = {f.name: f for f in result.files}
    assert listed[original].sha256 == record.sha256
    assert (folder / REPORT_FILE).read_bytes().startswith(b"%PDF")
    notes = (folder / NOTES_FILE).read_text("utf-8")
    assert "Người dân báo mất xe máy Wave lúc 7 giờ" in notes and "\n    xe màu đỏ" in notes
    assert len(result.absent) == 1 and "C02" in result.absent[0] and "không có ghi hình" in result.absent[0]
    document = json.loads((folder / MANIFEST_FILE).read_text("utf-8"))
    assert document["case"]["incident_id"] == record.incident_id
    assert document["case"]["title"] == "Trộm xe máy ở Cổng trường" and document["exported_by"] == AN.full_name
    assert [(r["camera"]["id"], r["file"]) for r in document["recordings"]] == [("C01", clip), ("C02", None)]
    assert {f["name"] for f in document["files"]} == set(names) - {MANIFEST_FILE, "manifest.json.sig",
                                                                    "station-ed25519.pub"}
    # The whole folder verifies where nothing of the console runs: a fresh process, the folder only.
    checked = verify(folder)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Chứng cứ nguyên vẹn" in checked.stdout
    verdict = json.loads(verify(folder, "--json").stdout)
    assert verdict["ok"] and verdict["unlisted"] == [] and {f["name"] for f in verdict["files"]} >= {clip, original}
    # Audited once, as the officer's act; the clip's export row names the folder it stays in.
    exported_rows = [e for e in station.audit if e.action is AuditAction.EVIDENCE_EXPORTED]
    assert len(exported_rows) == 1 and exported_rows[0].user == AN.login and exported_rows[0].target == str(folder)
    assert exported_rows[0].details["manifest_sha256"] == result.manifest_sha256
    assert [row.path for row in station.index.exports()] == [str(folder / clip)]
    overall = [p.overall for p in seen]
    assert overall == sorted(overall) and overall[-1] == 1.0
    assert {Say.CASE_PHASE_CLIP, Say.CASE_PHASE_ORIGINAL, Say.CASE_PHASE_REPORT, Say.CASE_PHASE_SIGN} <= {
        p.say for p in seen}


@pytest.mark.parametrize("which", ["clip", "original"])
def test_one_changed_byte_in_a_clip_or_an_original_is_refused_naming_the_file(
        exported: tuple[CaseExportResult, IntakeRecord, list[CaseProgress]], which: str) -> None:
    result = exported[0]
    folder = result.folder
    folder_of = CLIPS if which == "clip" else ORIGINALS
    [changed] = [f.name for f in result.files if f.name.startswith(f"{folder_of}/") and not f.name.endswith(".sha256")]
    flip_one_byte(folder / changed)
    refused = verify(folder)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert f"SAI {changed} " in refused.stdout
    assert f"Tệp {changed} đã bị thay đổi: mã SHA-256 không khớp với tệp kê khai." in refused.stdout
    verdict = json.loads(verify(folder, "--json").stdout)
    assert not verdict["ok"] and [f["name"] for f in verdict["files"] if not f["ok"]] == [changed]


@pytest.mark.parametrize("phase", [Say.CASE_PHASE_CLIP, Say.CASE_PHASE_ORIGINAL, Say.CASE_PHASE_NOTES])
def test_a_cancelled_export_leaves_no_folder_and_no_audit_row(station: Station, medium: Path, phase: Say) -> None:
    incident_id, _record = station.open_case(medium)
    before = list(station.audit)
    job: CaseExport | None = None

    def cancel_at(progress: CaseProgress) -> None:
        if progress.say is phase and job is not None:
            job.cancel()

    job = CaseExport(station.incidents, station.request(incident_id, no_report), cancel_at)
    job.start()  # on the export's own thread
    outcome = job.wait(60)
    assert isinstance(outcome, CaseExportCancelledError), outcome
    assert outcome.message() == (f"Đã hủy xuất hồ sơ vụ việc số {incident_id}: không để lại tệp nào trong "
                                 f"{station.folder / 'usb'}.")
    target = station.request(incident_id).target
    assert not target.exists() and not part_path(target).exists() and list(target.parent.iterdir()) == []
    assert station.audit == before


def test_an_officer_is_refused_and_audited_when_the_site_keeps_exports_for_admins(
        tmp_path: Path, open_db: OpenDb) -> None:
    station = Station(tmp_path, open_db, LoginSettings(officer_may_export=False))
    incident = station.incidents.create_from_playback("C01", START_MS + 15_000, "S01")
    with pytest.raises(ActionRefusedError) as refused:
        CaseExport(station.incidents, station.request(incident.id, no_report)).run()
    assert refused.value.message() == (f"Chỉ quản trị viên được trích xuất chứng cứ. Tài khoản {AN.login} là cán bộ "
                                       "trực ban.")
    last = station.audit[-1]
    assert (last.action, last.user, last.target) == (AuditAction.ACTION_REFUSED, AN.login, f"incident:{incident.id}")
    assert last.details == {"action": "export_evidence", "needs_role": "admin"}
    target = station.request(incident.id).target
    assert not target.exists() and not part_path(target).exists()


def test_an_original_changed_since_its_intake_stops_the_export_naming_it(station: Station, medium: Path) -> None:
    incident_id, record = station.open_case(medium)
    flip_one_byte(station.incidents.file(record.original))
    with pytest.raises(CaseExportError) as refused:
        CaseExport(station.incidents, station.request(incident_id, no_report)).run()
    assert refused.value.say is Say.CASE_ORIGINAL_CHANGED and ANDROID.name in refused.value.message()
    target = station.request(incident_id).target
    assert not target.exists() and not part_path(target).exists()
    assert AuditAction.EVIDENCE_EXPORTED not in station.actions()


def test_a_case_is_never_exported_over_an_existing_folder(station: Station, medium: Path) -> None:
    incident_id, _record = station.open_case(medium)
    target = station.request(incident_id).target
    target.mkdir(parents=True)
    (target / "cu.txt").write_text("an earlier case")
    with pytest.raises(CaseExportError) as refused:
        CaseExport(station.incidents, station.request(incident_id, no_report)).run()
    assert refused.value.say is Say.CASE_TARGET_EXISTS and str(target) in refused.value.message()
    assert sorted(p.name for p in target.iterdir()) == ["cu.txt"]
