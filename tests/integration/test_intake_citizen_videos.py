"""*Tiếp nhận video từ người dân* on real files made with PyAV here: phone-like MP4/MOV/3GP/MKV/H.265 (and a
dashcam's MJPEG AVI) received byte for byte and read-only, with a playable H.264 working copy and thumbnails;
damaged, non-video, changing, unreadable or cancelled files refused in Vietnamese naming the file, leaving nothing
behind (no file, no row, no audit)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import av
import av.audio.stream
import av.container
import av.video.stream
import numpy as np
import pytest
import sqlite_utils
from PIL import Image

from console.audit.actions import AuditAction
from console.audit.chain import ChainedRow
from console.audit.writer import AuditWriter
from console.core.users import Role, User
from console.evidence.keys import load_or_create_station_key
from console.incidents.intake import IntakeRequest, receive_video, remove_leftovers
from console.incidents.messages import IncidentError, IntakeCancelledError, IntakeRefusedError, Say
from console.incidents.model import IncidentQuery, IncidentStatus, Point, VideoLink
from console.incidents.progress import IntakeProgress, Phase, ProgressHook
from console.incidents.service import Incidents
from console.incidents.video_record import Bringer, Channel, Claim, IntakeRecord
from console.officers.guard import Guard, Officers
from console.store import audit as audit_table
from console.store.database import open_database
from console.store.incidents import schema_v11

ROOT = Path(__file__).resolve().parents[2]
AN = User("nguyen.van.an", "Nguyễn Văn An", Role.OFFICER)
BRINGER = Bringer("Lê Văn Cường", "0912 345 678", "001090012345")
AUDIO_FRAME = {"aac": 1024, "libmp3lame": 1152, "libopencore_amrnb": 160, "pcm_s16le": 1024}
HAS_X265 = "libx265" in av.codecs_available
HAS_AMR = "libopencore_amrnb" in av.codecs_available


# --- files as phones make them ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Clip:
    """A short synthetic recording: a moving bar, a white mark in the top-left corner of the stored picture."""

    name: str
    container: str
    codec: str
    size: tuple[int, int] = (320, 240)
    fps: int = 30
    seconds: float = 2.0
    pix_fmt: str = "yuv420p"
    audio: str | None = "aac"
    audio_rate: int = 44100
    audio_layout: str = "mono"
    rotation: int = 0
    metadata: dict[str, str] = field(default_factory=dict)
    muxer_options: dict[str, str] = field(default_factory=dict)
    codec_options: dict[str, str] = field(default_factory=dict)


def make_clip(folder: Path, clip: Clip) -> Path:
    path = folder / clip.name
    width, height = clip.size
    with av.open(str(path), "w", format=clip.container, options=clip.muxer_options) as out:
        out.metadata.update(clip.metadata)
        video = out.add_stream(clip.codec, rate=clip.fps)
        assert isinstance(video, av.video.stream.VideoStream)
        video.width, video.height, video.pix_fmt = width, height, clip.pix_fmt
        video.options = dict(clip.codec_options)
        if clip.rotation:
            video.set_display_rotation(clip.rotation)
        audio = out.add_stream(clip.audio, rate=clip.audio_rate) if clip.audio else None
        if audio is not None:
            assert isinstance(audio, av.audio.stream.AudioStream)
            audio.layout = clip.audio_layout
        for i in range(round(clip.fps * clip.seconds)):
            rgb = np.full((height, width, 3), 40, np.uint8)
            x = (i * 7) % (width - 24)
            rgb[height // 3:2 * height // 3, x:x + 24] = (220, 60, 30)
            rgb[:20, :40] = 255
            out.mux(video.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")))
        out.mux(video.encode(None))
        if isinstance(audio, av.audio.stream.AudioStream):
            _sound(out, audio, clip)
    return path


def _sound(out: av.container.OutputContainer, audio: av.audio.stream.AudioStream, clip: Clip) -> None:
    """A 440 Hz tone in the sample format and frame size the encoder takes."""
    codec = clip.audio or "aac"
    step, packed = AUDIO_FRAME[codec], codec in ("libopencore_amrnb", "pcm_s16le")
    channels = 1 if clip.audio_layout == "mono" else 2
    for start in range(0, round(clip.audio_rate * clip.seconds), step):
        wave = 0.2 * np.sin(2 * np.pi * 440 * np.arange(start, start + step) / clip.audio_rate)
        if packed:  # s16, channels interleaved in one plane
            planes = np.repeat((wave * 32767).astype(np.int16), channels).reshape(1, -1)
        else:  # fltp, one plane per channel
            planes = np.tile(wave.astype(np.float32), (channels, 1))
        frame = av.AudioFrame.from_ndarray(planes, format="s16" if packed else "fltp", layout=clip.audio_layout)
        frame.sample_rate, frame.pts, frame.time_base = clip.audio_rate, start, Fraction(1, clip.audio_rate)
        out.mux(audio.encode(frame))
    out.mux(audio.encode(None))


IPHONE = Clip("IMG_0412.MOV", "mov", "libx264", size=(320, 180), rotation=-90, audio_rate=44100,
              audio_layout="stereo", muxer_options={"movflags": "use_metadata_tags"},
              metadata={"com.apple.quicktime.location.ISO6709": "+21.0285+105.8542+012.000/",
                        "com.apple.quicktime.creationdate": "2026-01-01T06:58:00+0700",
                        "com.apple.quicktime.make": "Apple", "com.apple.quicktime.model": "iPhone 12"})
ANDROID = Clip("VID_20260101_065800.mp4", "mp4", "libx264", audio_rate=48000,
               metadata={"creation_time": "2025-12-31T23:58:00.000000Z", "location": "+20.9712+105.7788/"},
               codec_options={"preset": "ultrafast"})
OLD_PHONE = Clip("MOV00012.3gp", "3gp", "h263", size=(176, 144), fps=15,
                 audio="libopencore_amrnb" if HAS_AMR else "aac", audio_rate=8000)
MKV = Clip("quay_man_hinh.mkv", "matroska", "mpeg4", fps=25, audio="libmp3lame", audio_rate=44100)
HEVC = Clip("hevc_20260101.mp4", "mp4", "libx265", codec_options={"preset": "ultrafast",
                                                                  "x265-params": "log-level=error"})
DASHCAM = Clip("FILE0001.AVI", "avi", "mjpeg", pix_fmt="yuvj420p", fps=25, audio="pcm_s16le", audio_rate=16000)
PHONE_FILES = [IPHONE, ANDROID, OLD_PHONE, MKV, pytest.param(HEVC, marks=pytest.mark.skipif(
    not HAS_X265, reason="this PyAV has no libx265")), DASHCAM]


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- the station -----------------------------------------------------------------------------------------------

def incidents_db(path: Path) -> sqlite_utils.Database:
    db = open_database(path)
    if "incidents" not in db.table_names():
        with db.conn:
            schema_v11(db)
    return db


class Station:
    def __init__(self, folder: Path) -> None:
        self.path = folder / "console.db"
        self.db = incidents_db(self.path)
        self.writer = AuditWriter(self.path, load_or_create_station_key(folder / "keys"))
        self.data = folder / "data"
        self.on_duty: User | None = AN
        officers = Officers(Guard(lambda: self.on_duty, audit=self.writer.append), self.writer.append)
        self.incidents = Incidents(self.db.conn, officers, self.data)
        self.incident = self.incidents.create("Trộm xe máy ở Cổng trường")

    def receive(self, source: Path, channel: Channel = Channel.USB, progress: ProgressHook | None = None,
                cancel: threading.Event | None = None) -> IntakeRecord:
        request = IntakeRequest(source, self.incident.id, BRINGER, channel,
                                Claim(1_767_225_480_000, "Cổng trường THCS", Point(21.0285, 105.8542)),
                                note="Quay từ ban công nhà đối diện")
        return receive_video(self.incidents, request, progress, cancel)

    def audit_rows(self) -> list[ChainedRow]:
        assert self.writer.flush()
        return [r for r in audit_table.query(self.db.conn, audit_table.AuditQuery())[::-1]
                if r.action != AuditAction.CHECKPOINT]

    def audit_actions(self) -> list[str]:
        return [r.action for r in self.audit_rows()]

    def files(self) -> list[Path]:
        return sorted(p for p in self.data.rglob("*") if p.is_file())

    def close(self) -> None:
        self.writer.close()
        self.db.close()


@pytest.fixture()
def station(tmp_path: Path) -> Iterator[Station]:
    made = Station(tmp_path)
    yield made
    made.close()


@pytest.fixture()
def medium(tmp_path: Path) -> Path:
    """The USB stick."""
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


def assert_nothing_kept(station: Station) -> None:
    assert station.files() == []
    assert station.incidents.case_file(station.incident.id).videos == ()
    assert station.audit_actions() == [AuditAction.INCIDENT_CREATED]


def refusal(station: Station, source: Path, cancel: threading.Event | None = None) -> IncidentError:
    with pytest.raises(IncidentError) as refused:
        station.receive(source, cancel=cancel)
    return refused.value


# --- received ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("clip", PHONE_FILES, ids=lambda c: c.name)
def test_a_phone_file_is_kept_byte_for_byte_read_only_with_a_playable_h264_copy_and_thumbnails(
        station: Station, medium: Path, clip: Clip) -> None:
    source = make_clip(medium, clip)
    before = sha256_of(source)
    record = station.receive(source)
    original = station.incidents.file(record.original)
    assert sha256_of(source) == before == record.sha256 == sha256_of(original)  # the medium's file untouched
    assert original.read_bytes() == source.read_bytes() and record.size_bytes == source.stat().st_size
    assert original.stat().st_mode & 0o777 == 0o444
    assert original.parent == station.data / "incidents" / str(station.incident.id) / "originals"
    assert record.file_name == clip.name and record.facts.width == clip.size[0]
    assert record.facts.duration_ms is not None and abs(record.facts.duration_ms - clip.seconds * 1000) <= 100
    with av.open(str(station.incidents.file(record.working_copy))) as copy:
        picture = copy.streams.video[0]
        assert copy.format.name.startswith("mov,mp4") and picture.codec_context.name == "h264"
        assert copy.duration is not None and abs(copy.duration / 1000 - clip.seconds * 1000) <= 150
        assert sum(1 for _ in copy.decode(picture)) == pytest.approx(clip.fps * clip.seconds, abs=1)
        assert bool(copy.streams.audio) == (clip.audio is not None)
    assert len(record.thumbnails) == 8
    for thumbnail in record.thumbnails:
        with Image.open(station.incidents.file(thumbnail)) as picture_file:
            assert picture_file.format == "JPEG" and picture_file.width <= 320
    assert station.incidents.case_file(station.incident.id).videos == (record,)
    assert station.audit_actions() == [AuditAction.INCIDENT_CREATED, AuditAction.VIDEO_RECEIVED]


def test_the_intake_sheet_keeps_who_brought_it_how_what_they_claim_and_what_the_file_says(
        station: Station, medium: Path) -> None:
    record = station.receive(make_clip(medium, IPHONE), Channel.ZALO)
    assert record.bringer == BRINGER and record.channel is Channel.ZALO and record.officer == "nguyen.van.an"
    assert record.claim == Claim(1_767_225_480_000, "Cổng trường THCS", Point(21.0285, 105.8542))
    assert record.note == "Quay từ ban công nhà đối diện" and record.source_path == str(medium / IPHONE.name)
    assert record.original_preferred  # came through Zalo: the sheet asks for the phone's own file
    facts = record.facts
    assert facts.created_ms == 1_767_225_480_000 and facts.created_text == "2026-01-01T06:58:00+0700"
    assert facts.location == Point(21.0285, 105.8542) and facts.device == "Apple iPhone 12"
    assert facts.video_codec == "h264" and facts.audio_codec == "aac" and facts.rotation == 270
    stored = station.incidents.video(record.id)
    assert stored == record and record.received_ms > 0
    assert [link.target for link in station.incidents.case_file(station.incident.id).links] == [VideoLink(record.id)]
    matches = station.incidents.search(IncidentQuery(text="le van cuong"))
    assert [i.id for i in matches] == [station.incident.id]  # the bringer's name is searchable


def test_android_metadata_time_and_place_are_read(station: Station, medium: Path) -> None:
    record = station.receive(make_clip(medium, ANDROID), Channel.USB)
    assert record.facts.created_ms == 1_767_225_480_000 and record.facts.location == Point(20.9712, 105.7788)
    assert not record.original_preferred


def test_a_portrait_phone_video_stands_upright_in_the_working_copy_and_thumbnails(
        station: Station, medium: Path) -> None:
    """Stored 320×180 turned a quarter clockwise for display (an iPhone held upright): the white mark of the stored
    top-left corner is then at the top right of a 180×320 picture, as FFmpeg's own player shows it."""
    record = station.receive(make_clip(medium, IPHONE))
    with av.open(str(station.incidents.file(record.working_copy))) as copy:
        frame = next(copy.decode(video=0))
        assert (frame.width, frame.height, round(frame.rotation)) == (180, 320, 0)
        gray = frame.to_ndarray(format="gray")
    rows, cols = np.nonzero(gray > 128)
    assert rows.max() < 48 and cols.min() > 180 - 48
    with Image.open(station.incidents.file(record.thumbnails[0])) as thumbnail:
        assert thumbnail.height > thumbnail.width


def test_a_file_on_a_read_only_medium_is_received_and_the_medium_is_left_as_it_was(
        station: Station, medium: Path) -> None:
    source = make_clip(medium, ANDROID)
    source.chmod(0o444)
    medium.chmod(0o555)
    try:
        listing, stat_before = sorted(medium.iterdir()), source.stat()
        record = station.receive(source)
        assert sorted(medium.iterdir()) == listing  # nothing written beside the file
        after = source.stat()
        assert (after.st_mtime_ns, after.st_size, after.st_mode) == (stat_before.st_mtime_ns, stat_before.st_size,
                                                                     stat_before.st_mode)
        assert sha256_of(source) == record.sha256
    finally:
        medium.chmod(0o755)


def test_progress_goes_through_every_phase_forward_and_ends_at_one(station: Station, medium: Path) -> None:
    seen: list[IntakeProgress] = []
    station.receive(make_clip(medium, ANDROID), progress=seen.append)
    assert [p.phase for p in seen if p.phase_done == 0] == list(Phase)
    overall = [p.overall for p in seen]
    assert overall == sorted(overall) and overall[-1] == pytest.approx(1.0)
    assert seen[0].message() == f"Đang sao chép và tính mã SHA-256 của tệp {ANDROID.name}"


def test_a_screen_locked_during_a_long_intake_still_credits_the_officer_who_started_it(
        station: Station, medium: Path) -> None:
    def lock_screen(report: IntakeProgress) -> None:
        if report.phase is Phase.WORKING_COPY:
            station.on_duty = None

    record = station.receive(make_clip(medium, ANDROID), progress=lock_screen)
    received = station.audit_rows()[-1]
    assert (received.action, received.user, received.role) == (AuditAction.VIDEO_RECEIVED, "nguyen.van.an", "officer")
    assert received.target == f"incident:{station.incident.id}" and f'"video_id":{record.id}' in received.details
    assert f'"sha256":"{record.sha256}"' in received.details and "0912" not in received.details  # no phone number
    assert record.officer == "nguyen.van.an"


def test_the_same_file_twice_is_refused_naming_the_video_already_received(station: Station, medium: Path) -> None:
    source = make_clip(medium, ANDROID)
    first = station.receive(source)
    files = station.files()
    refused = refusal(station, source)
    assert refused.message() == (f"Tệp {ANDROID.name} đã được tiếp nhận cho vụ việc số {station.incident.id} "
                                 f"(video số {first.id}, cùng mã SHA-256).")
    assert station.files() == files


def test_two_officers_receiving_the_same_file_at_once_keep_one_video_intact(station: Station, medium: Path) -> None:
    source = make_clip(medium, ANDROID)
    outcomes: list[IntakeRecord | IncidentError] = []

    def receive() -> None:
        try:
            outcomes.append(station.receive(source))
        except IncidentError as exc:
            outcomes.append(exc)

    workers = [threading.Thread(target=receive) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    records = [o for o in outcomes if isinstance(o, IntakeRecord)]
    refusals = [o for o in outcomes if isinstance(o, IncidentError)]
    assert len(records) == 1 and [r.say for r in refusals] == [Say.ALREADY_RECEIVED]
    assert sha256_of(station.incidents.file(records[0].original)) == records[0].sha256
    assert station.incidents.file(records[0].working_copy).exists()
    assert station.audit_actions() == [AuditAction.INCIDENT_CREATED, AuditAction.VIDEO_RECEIVED]


# --- refused -----------------------------------------------------------------------------------------------------

def test_a_phone_video_copied_halfway_is_refused_as_damaged(station: Station, medium: Path) -> None:
    """A phone writes the MP4's index last: cut, the file has none."""
    whole = make_clip(medium, ANDROID).read_bytes()
    cut = medium / "VID_cut.mp4"
    cut.write_bytes(whole[:len(whole) // 2])
    refused = refusal(station, cut)
    assert isinstance(refused, IntakeRefusedError) and refused.say is Say.DAMAGED
    assert refused.message().startswith("Tệp video VID_cut.mp4 bị hỏng hoặc chưa được chép hết")
    assert_nothing_kept(station)


@pytest.mark.parametrize("clip", [
    Clip("cut.mkv", "matroska", "libx264", seconds=3.0, codec_options={"preset": "ultrafast"}),
    Clip("cut_faststart.mp4", "mp4", "libx264", seconds=3.0, muxer_options={"movflags": "+faststart"},
         codec_options={"preset": "ultrafast"}),
], ids=lambda c: c.name)
def test_a_video_cut_short_whose_header_states_its_length_is_refused_as_incomplete(
        station: Station, medium: Path, clip: Clip) -> None:
    whole = make_clip(medium, clip)
    data = whole.read_bytes()
    whole.write_bytes(data[:len(data) * 45 // 100])
    refused = refusal(station, whole)
    assert refused.say is Say.TRUNCATED, refused.message()
    assert refused.message().startswith(f"Tệp video {clip.name} không đầy đủ: chỉ đọc được 1 giây trong 3 giây")
    assert_nothing_kept(station)


@pytest.mark.parametrize(("name", "content", "say"), [
    ("bien_ban.mp4", "Biên bản vụ việc\n".encode() * 200, Say.NOT_VIDEO),
    ("anh_chup.jpg", None, Say.NOT_VIDEO),
    ("danh_sach.m3u8", b"#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\nhttp://example.invalid/a.ts\n"
                       b"#EXT-X-ENDLIST\n", Say.NOT_VIDEO),
    ("ghi_am.m4a", None, Say.AUDIO_ONLY),
    ("trong.mp4", b"", Say.EMPTY_FILE),
])
def test_what_is_not_a_video_is_refused_naming_the_file(station: Station, medium: Path, name: str,
                                                        content: bytes | None, say: Say) -> None:
    path = medium / name
    if name.endswith(".jpg"):
        Image.new("RGB", (64, 48), (200, 30, 30)).save(path, "JPEG")
    elif name.endswith(".m4a"):
        with av.open(str(path), "w", format="mp4") as out:
            sound = out.add_stream("aac", rate=44100)
            sound.layout = "mono"
            for start in range(0, 44100, 1024):
                frame = av.AudioFrame.from_ndarray(np.zeros((1, 1024), np.float32), format="fltp", layout="mono")
                frame.sample_rate, frame.pts = 44100, start
                out.mux(sound.encode(frame))
            out.mux(sound.encode(None))
    else:
        assert content is not None
        path.write_bytes(content)
    refused = refusal(station, path)
    assert refused.say is say
    assert name in refused.message() and name in refused.message("en")
    assert_nothing_kept(station)


def test_a_folder_a_missing_file_and_a_pipe_are_refused(station: Station, medium: Path) -> None:
    assert refusal(station, medium).message() == ("usb là một thư mục, không phải tệp video: hãy chọn từng tệp video "
                                                  "trong thư mục.")
    assert refusal(station, medium / "da_rut.mp4").say is Say.NOT_FOUND
    if hasattr(os, "mkfifo"):
        pipe = medium / "pipe.mp4"
        os.mkfifo(pipe)  # opening it would wait forever for a writer: it is never opened
        assert refusal(station, pipe).say is Say.NOT_A_FILE
    assert_nothing_kept(station)


def test_an_unreadable_file_is_refused_naming_it(station: Station, medium: Path) -> None:
    source = make_clip(medium, ANDROID)
    source.chmod(0)
    if os.geteuid() != 0:
        refused = refusal(station, source)
        assert refused.say is Say.UNREADABLE and ANDROID.name in refused.message()
        return
    # root reads any file: the refusal is checked where the console really runs, as an ordinary user
    probe = ("import sys; from pathlib import Path\n"
             "from console.incidents.messages import IntakeRefusedError\n"
             "from console.incidents.originals import inspect_source\n"
             "try:\n    inspect_source(Path(sys.argv[1]))\n"
             "except IntakeRefusedError as exc:\n    print(exc.say.value, exc.message())\n")
    run = subprocess.run([sys.executable, "-c", probe, str(source)], capture_output=True, text=True, timeout=60,
                         cwd=ROOT, user="nobody", env={"PATH": "/usr/bin:/bin", "HOME": "/"}, check=True)
    assert run.stdout.startswith(f"unreadable Không đọc được tệp {ANDROID.name} (Permission denied)"), run.stdout


class _AppendsOnSecondLook(threading.Event):
    """The cancel flag, looked at before each buffer is copied: on its second look another thread appends to the
    source (a phone still writing, a program saving over it) and the copy goes on."""

    def __init__(self, source: Path) -> None:
        super().__init__()
        self._source = source
        self.looks = 0
        self.appended = threading.Event()

    def is_set(self) -> bool:
        self.looks += 1
        if self.looks == 2:
            writer = threading.Thread(target=self._append)
            writer.start()
            writer.join()
        return super().is_set()

    def _append(self) -> None:
        with self._source.open("ab") as file:
            file.write(os.urandom(1024 * 1024))
        self.appended.set()


def test_a_file_changing_while_it_is_copied_is_refused_and_its_copy_removed(station: Station, medium: Path) -> None:
    source = medium / "dang_ghi.mp4"
    source.write_bytes(os.urandom(20 * 1024 * 1024))  # more than two copy buffers
    flag = _AppendsOnSecondLook(source)
    refused = refusal(station, source, cancel=flag)
    assert flag.appended.is_set() and refused.say is Say.CHANGED_WHILE_COPYING
    assert refused.message().startswith("Tệp dang_ghi.mp4 đã thay đổi trong lúc sao chép (mã SHA-256 không khớp)")
    assert_nothing_kept(station)


@pytest.mark.parametrize("phase", [Phase.COPY, Phase.WORKING_COPY])
def test_a_cancelled_intake_leaves_nothing(station: Station, medium: Path, phase: Phase) -> None:
    cancel = threading.Event()

    def progress(report: IntakeProgress) -> None:
        if report.phase is phase:
            cancel.set()

    with pytest.raises(IntakeCancelledError) as cancelled:
        station.receive(make_clip(medium, ANDROID), progress=progress, cancel=cancel)
    assert cancelled.value.message() == f"Đã hủy tiếp nhận tệp {ANDROID.name}: không có gì được lưu."
    assert_nothing_kept(station)
    assert not (station.data / "incidents" / str(station.incident.id)).exists()


def test_a_closed_incident_or_a_missing_name_receives_nothing(station: Station, medium: Path) -> None:
    source = make_clip(medium, ANDROID)
    with pytest.raises(IncidentError) as nameless:
        receive_video(station.incidents, IntakeRequest(source, station.incident.id, Bringer("  "), Channel.USB))
    assert nameless.value.message() == "Cần ghi họ tên người cung cấp video."
    station.incidents.set_status(station.incident.id, IncidentStatus.CLOSED)
    assert refusal(station, source).say is Say.INCIDENT_CLOSED
    assert station.files() == []


def test_staging_left_by_a_power_cut_is_removed_at_start(station: Station) -> None:
    left = station.data / "incidents" / "3" / ".intake-0123456789abcdef"
    left.mkdir(parents=True)
    (left / "original").write_bytes(b"half")
    (left / "original").chmod(0o444)
    assert remove_leftovers(station.incidents) == 1
    assert not left.exists()
