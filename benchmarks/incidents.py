"""Investigation benchmarks of issue 21: `python -m benchmarks.incidents --json OUT [--smoke] [--only NAME ...]`.

Each measurement is one entry of MEASUREMENTS, returning its keys; the run merges them into one JSON with every key
of the issue (null when not measured). What several measurements use (the phone video, the day of motion grids) is
made once a run, on first use, in the run's temporary folder; `--smoke` makes every phase tiny (the suite's run).

intake: the real `receive_video` of a 1 GiB citizen's file: a short phone-like MP4 followed by a `free` box of random
bytes (players skip it), so the whole intake runs — copy while hashed, the medium read again (its pages dropped),
probe, working copy, record — while the copy and the re-read move the whole GiB. `intake_mb_per_s` is the file over
the copy and the re-read (the progress hook's phase changes); the baselines are the same file copied by
`shutil.copyfile` (+ fsync, as the intake syncs its copy) and hashed by hashlib alone, on the same disk. The file's
pages are dropped from the page cache before each of the three reads.
`intake_hash_verified`: the SHA-256 the intake recorded is the baseline's and the kept original's.

working_copy: `make_working_copy` (with its thumbnail strip, as the intake makes it) of a 1080p30 phone-like MP4
(High profile, 1 s GOP, 16 Mbit/s, AAC) made here; the baseline is the ffmpeg command line's libx264 transcode of
the same file with the same settings, when ffmpeg is installed.

plates: `benchmarks/plate_reading.py`'s `measure(smoke)`: the simulator's plates read off its own pictures.

motion_search: a day of 25 cameras' motion grids made by the real detector (no zones: the grid is kept
whatever the zones) on the simulator's own pictures at the analytics' rate (one keyframe a second, the
simulator's GOP): one loop per camera is analysed after the detector has learnt the scene, and its grids repeat
over the day, as the simulator's loop does. Each camera's day is then searched in the road (where the scripted
vehicles cross: recall, and moments matching no crossing) and in two regions where nothing scripted moves (the
sky, the fields below the road: any moment there is a false hit).

desk: the officer's desk in a real QApplication (offscreen unless a display is given): the *Vụ việc* dock with an
incident linked to recordings of three cameras (stamped H.264 segments, and a camera with nothing recorded),
snapshots, a plate's crop and notes. Through the UI, as the officer does: the phone video received with the intake
sheet, the road searched in each camera's day with *Tìm chuyển động*, then *Xuất hồ sơ…* → `case_export_s` (the
core's own time of the export) and whether `console.evidence` verifies the folder. The GUI thread's heartbeat
(`EventLoopWatch`: how late a 10 ms timer fires) is watched from each click to its outcome shown →
`gui_block_ms` per phase, `gui_block_max_ms` the worst of the three; `idle` the same watch with nothing running.
"""

from __future__ import annotations

import argparse
import bisect
import functools
import hashlib
import os
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from benchmarks import plate_reading
from benchmarks.report import write_result
from console.app import GIL_SWITCH_INTERVAL_S
from console.audit.actions import AuditEntry
from console.core.motion import MotionDetector, MotionGrid, MotionSettings
from console.core.users import Role, User
from console.evidence.verify import verify_export
from console.incidents.case_export import CaseExportResult
from console.incidents.case_report import CaseNames
from console.incidents.intake import IntakeRequest, receive_video
from console.incidents.model import PlateLink, RecordingLink, SnapshotLink
from console.incidents.probe import probe
from console.incidents.progress import IntakeProgress, Phase
from console.incidents.service import Incidents
from console.incidents.thumbnails import ThumbnailStrip
from console.incidents.video_record import Bringer, Channel, IntakeRecord
from console.incidents.working_copy import CRF, PRESET, make_working_copy
from console.officers.guard import Guard, Officers
from console.search.motion_search import MotionQuery, Region, search_motion
from console.simulator.scene import ROAD_BOTTOM, ROAD_TOP, SceneRenderer, motion_script
from console.store.database import open_database
from console.store.motion_grid import insert_grids
from console.store.recordings import RecordingIndex
from console.ui.incidents.case_export_dialog import CaseExportDialog, CaseExportSetup
from console.ui.incidents.install import install_incidents
from console.ui.playback.motion_search import MotionSearchDialog
from console.ui.shell.bench_report import WATCH_INTERVAL_MS, EventLoopWatch
from console.ui.widgets.form_units import FormUnits
from tests.support.phone_video import Phone, phone_video
from tests.support.stamped_clip import lay_out_recording, write_stamped_segment

DAY0_MS = 1_780_246_800_000  # 01/06/2026 00:00 in Vietnam
PICTURE_MS = 1000  # the analytics' rate on the simulator: its keyframes, one a second
FOUND_WITHIN_S = 1.5  # a moment this close to a crossing's ends found it (a picture's spacing, and a half)
SMALL = (96, 54)  # as console.media.analytics.SMALL
ROAD = Region.from_rect(0.0, ROAD_TOP, 1.0, ROAD_BOTTOM)
NOWHERE = {"sky": Region.from_rect(0.25, 0.05, 0.75, 0.3), "fields": Region.from_rect(0.2, 0.9, 1.0, 1.0)}

MB = 1e6
MIB = 1024 * 1024
CHUNK_BYTES = 8 * MIB
# A phone's own 1080p30 file: High profile (CABAC, as phones' encoders write it: `ultrafast` would make a cheaper
# file to decode), a keyframe a second, 16 Mbit/s, AAC stereo. `superfast` only to make it quickly.
PHONE_NAME = "VID_20260101_065800.mp4"
PHONE_SIZE = (1920, 1080)
PHONE_FPS = 30
PHONE_BITRATE = 16_000_000
PHONE_PRESET = "superfast"
NOISE_LEVEL = 24  # texture so the encoder spends a phone's bitrate (as tests/support/stamped_clip.py)
PHONE = Phone(PHONE_SIZE, PHONE_FPS, PHONE_BITRATE, PHONE_PRESET, NOISE_LEVEL, 48_000, "stereo")
INTAKE_HEAD = ((320, 180), 1.0, 500_000)  # the real video in front of the intake file's padding
AN = User("nguyen.van.an", "Nguyễn Văn An", Role.OFFICER)
BRINGER = "Lê Văn Cường"
# The case: three cameras recorded for 4 minutes, the incident opened in playback on C01 at 2 minutes (a minute
# either side linked), C02 and C03 linked too, C04 linked with nothing recorded.
CASE_START_MS = 1_790_000_000_000
RECORDED_MS = 240_000
CASE_CAMERAS = ("C01", "C02", "C03", "C04")
CASE_LINKS = (("C02", 60_000, 180_000), ("C03", 90_000, 150_000), ("C04", 60_000, 120_000))
UNITS = FormUnits("Công an huyện Gia Bình", "Công an xã Đông Cứu", "Đông Cứu", "CAX")
NAMES = CaseNames({"C01": "Cổng trường THCS", "C02": "Ngã ba chợ", "C03": "Trạm y tế", "C04": "Đình làng"},
                  {"S01": "Trường THCS Đông Cứu"})
POLL_MS = 5  # how often the desk looks whether an outcome is shown (the heartbeat is EventLoopWatch's own)
IDLE_WATCH_S = 1.0
SEARCH_TIMEOUT_S = 30.0

Measurement = Callable[["Run", Path], dict[str, Any]]


@dataclass(frozen=True)
class Recording:
    """The stamped segment every recorded camera's minutes are hard links of."""

    width: int
    height: int
    fps: int
    bitrate: int
    segment_s: float


@dataclass(frozen=True)
class Sizes:
    intake_bytes: int
    phone_s: float
    cameras: int
    hours: float
    loop_s: int
    recording: Recording


FULL = Sizes(1024 * MIB, 60.0, 25, 24.0, 30, Recording(1920, 1080, 25, 4_000_000, 10.0))  # as benchmarks/recording
SMOKE = Sizes(16 * MIB, 2.0, 2, 1.0, 30, Recording(320, 180, 15, 300_000, 2.0))


@dataclass(frozen=True)
class GridDay:
    """The motion grids of `cameras` over `seconds` from DAY0_MS, in console.db at `path`."""

    path: Path
    cameras: list[str]
    seconds: int
    rows: int
    insert_s: float
    analysed_s: float
    size_bytes: int


class Inputs:
    """What several measurements use, made on first use in the run's folder and kept until the run ends."""

    def __init__(self, sizes: Sizes, folder: Path) -> None:
        self.sizes = sizes
        self.folder = folder

    @functools.cached_property
    def phone_video(self) -> Path:
        return phone_video(self.folder / PHONE_NAME, self.sizes.phone_s, PHONE)

    @functools.cached_property
    def grid_day(self) -> GridDay:
        return write_grid_day(self.folder / "grids" / "console.db", self.sizes)


@dataclass(frozen=True)
class Run:
    sizes: Sizes
    smoke: bool
    inputs: Inputs


# --- made here ---------------------------------------------------------------------------------------------

def padded_phone_video(path: Path, size_bytes: int) -> Path:
    """A short phone video followed by a top-level `free` box of random bytes up to `size_bytes` in all, on disk
    (synced) and out of the page cache."""
    size, seconds, bitrate = INTAKE_HEAD
    path.parent.mkdir(parents=True, exist_ok=True)
    phone_video(path, seconds, replace(PHONE, size=size, bitrate=bitrate))
    left = size_bytes - path.stat().st_size
    with path.open("ab") as out:
        out.write(struct.pack(">I4sQ", 1, b"free", left))  # size 1: the 64-bit size follows the type
        left -= 16
        while left > 0:
            left -= out.write(os.urandom(min(CHUNK_BYTES, left)))
        out.flush()
        os.fsync(out.fileno())
    drop_cached(path)
    return path


def drop_cached(path: Path) -> None:
    """The file's pages out of the page cache (written back first): the next read comes from the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def loop_grids(camera: str, loop_s: int) -> list[int]:
    """The grid of each second of the camera's loop, from the detector after it learnt the scene."""
    renderer = SceneRenderer(camera, "Điểm thử", 640, 360, 15, float(loop_s))
    detector = MotionDetector(MotionSettings())
    grids = [0] * loop_s
    for second in range(MotionDetector.LEARN_SAMPLES + 2 * loop_s):  # learn, settle a loop, keep the next
        luma = np.asarray(Image.fromarray(renderer.frame(second * renderer.fps)[0]).resize(
            SMALL, Image.Resampling.BILINEAR), dtype=np.uint8)
        detector.sample(luma)
        grids[second % loop_s] = detector.grid
    return grids


def write_grid_day(path: Path, sizes: Sizes) -> GridDay:
    """Each camera's loop analysed once, its grids repeated over the period, an hour a transaction (the writer's
    are a second each)."""
    cameras = [f"C{n:02d}" for n in range(1, sizes.cameras + 1)]
    seconds = int(sizes.hours * 3600)
    started = time.perf_counter()
    grids = {camera: loop_grids(camera, sizes.loop_s) for camera in cameras}
    analysed_s = time.perf_counter() - started
    path.parent.mkdir(parents=True, exist_ok=True)
    db = open_database(path)
    rows = 0
    started = time.perf_counter()
    for hour in range(0, seconds, 3600):
        batch = [MotionGrid(camera, DAY0_MS + s * PICTURE_MS + index, grids[camera][s % sizes.loop_s])
                 for s in range(hour, min(seconds, hour + 3600)) for index, camera in enumerate(cameras)
                 if grids[camera][s % sizes.loop_s]]  # a still picture writes nothing, as in the analytics
        with db.conn:
            insert_grids(db.conn, batch)
        rows += len(batch)
    insert_s = time.perf_counter() - started
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return GridDay(path, cameras, seconds, rows, insert_s, analysed_s, path.stat().st_size)


class Station:
    """console.db as the console opens it, the officer on duty (an officer: the exports are theirs too), the audit
    rows as written."""

    def __init__(self, folder: Path) -> None:
        self.db_path = folder / "console.db"
        self.data = folder / "data"
        self.snapshots = self.data / "alerts"
        self.db = open_database(self.db_path)
        self.audit: list[AuditEntry] = []
        self.incidents = Incidents(self.db.conn, Officers(Guard(lambda: AN, audit=self.audit.append),
                                                          self.audit.append), self.data)

    def close(self) -> None:
        self.db.close()


def lay_out_case(station: Station, folder: Path, recording: Recording) -> tuple[int, Path]:
    """The theft at the school gate (no citizen's video yet: the desk receives it); the incident's id and the
    recordings folder."""
    clip = folder / "segment.ts"
    write_stamped_segment(clip, recording.segment_s, recording.width, recording.height, recording.fps,
                          bitrate=recording.bitrate)
    segment_ms = round(recording.segment_s * 1000)
    recordings = folder / "rec"
    index = RecordingIndex(open_database(station.db_path))
    for camera in CASE_CAMERAS[:3]:
        lay_out_recording(index, recordings, camera, clip, CASE_START_MS, RECORDED_MS // segment_ms, segment_ms,
                          1000)
    index.close()
    incidents = station.incidents
    incident = incidents.create_from_playback("C01", CASE_START_MS + RECORDED_MS // 2, "S01",
                                              title="Trộm xe máy ở Cổng trường")
    for camera, start_ms, end_ms in CASE_LINKS:
        incidents.link(incident.id, RecordingLink(camera, CASE_START_MS + start_ms, CASE_START_MS + end_ms))
    for number, colour in enumerate(((200, 60, 40), (40, 90, 200)), start=1):
        stored = f"2026/09/21/C0{number}_0702{number}0.jpg"
        _jpeg(station.snapshots / stored, colour, (1280, 720))
        incidents.link(incident.id, SnapshotLink(stored, f"C0{number}", CASE_START_MS + number * 10_000))
    crop = "2026/09/21/C01_070216_plate.jpg"
    _jpeg(station.snapshots / crop, (240, 240, 240), (320, 120))
    incidents.link(incident.id, PlateLink("29A-123.45", "C01", CASE_START_MS + 136_000, image=crop))
    incidents.add_note(incident.id, "Người dân báo mất xe máy Wave lúc 7 giờ\nxe màu đỏ")
    incidents.add_note(incident.id, "Đã xem camera Cổng trường: hai người đi xe không biển số")
    return incident.id, recordings


def _jpeg(path: Path, colour: tuple[int, int, int], size: tuple[int, int]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path, "JPEG")


class Desk:
    """The *Vụ việc* dock in a main window offering case exports, the incident chosen, and the GUI thread's
    heartbeat; each step is driven as the officer does it and watched from the click to its outcome shown."""

    def __init__(self, station: Station, incident_id: int, recordings: Path, cameras: tuple[str, ...]) -> None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        self.app = QApplication.instance() or QApplication(sys.argv[:1])
        self.incident_id = incident_id
        self.window = QMainWindow()
        self.window.resize(1600, 900)
        self.window.setCentralWidget(QWidget())
        setup = CaseExportSetup(recordings, station.db_path, UNITS, NAMES)
        self.dock = install_incidents(self.window, station.incidents, cameras,
                                      camera_sites=dict.fromkeys(cameras, "S01"), snapshots=station.snapshots,
                                      exports=setup)
        self.window.show()
        self.dock.raise_()
        self.dock.refresh(select=incident_id)
        QTest.qWaitForWindowExposed(self.window)
        self.watch = EventLoopWatch()
        self.gc_max_ms = 0.0

    def watched(self, start: Callable[[], object], done: Callable[[], bool], timeout_s: float) -> float:
        """The longest GUI block (ms) from `start()` until `done()`, and the heartbeat after it (a block just
        before the outcome shows is seen by the next beat only)."""
        self.watch.reset()
        start()
        if not wait_until(done, timeout_s):
            raise RuntimeError(f"not done within {timeout_s:g} s")
        settled = time.monotonic() + 2 * WATCH_INTERVAL_MS / 1000
        wait_until(lambda: time.monotonic() >= settled, 1.0)
        self.gc_max_ms = round(max(self.gc_max_ms, self.watch.max_gc_ms), 1)
        return round(self.watch.max_block_ms, 1)

    def idle(self, seconds: float) -> float:
        started = time.monotonic()
        return self.watched(_nothing, lambda: time.monotonic() - started >= seconds, seconds + 5)

    def receive(self, source: Path, bringer: str, timeout_s: float) -> float:
        """The file dropped on the dock, the bringer's name written, *Tiếp nhận* clicked: the longest GUI block."""
        sheet = self.dock.receive_video(source)
        assert sheet is not None
        QTest.qWaitForWindowExposed(sheet)
        sheet.name.setText(bringer)
        received: list[IntakeRecord] = []
        sheet.received.connect(received.append)
        block = self.watched(sheet.receive.click, lambda: not sheet.run.running, timeout_s)
        if not received:
            raise RuntimeError(f"intake refused: {sheet.outcome.text()}")
        sheet.close()
        return block

    def search_road(self, db_path: Path, cameras: list[str], at_ms: int,
                    rect: tuple[float, float, float, float]) -> tuple[int, float, float]:
        """*Tìm chuyển động* opened on each camera, the road dragged, the day searched: the moments found, the
        longest GUI block and the slowest search from the click to the list shown (ms, to POLL_MS)."""
        searched = [self._search(db_path, camera, at_ms, rect) for camera in cameras]
        return (sum(moments for moments, _, _ in searched), max(block for _, block, _ in searched),
                max(ms for _, _, ms in searched))

    def _search(self, db_path: Path, camera: str, at_ms: int,
                rect: tuple[float, float, float, float]) -> tuple[int, float, float]:
        dialog = MotionSearchDialog(db_path, camera, camera, at_ms, None, self.window)
        dialog.show()
        QTest.qWaitForWindowExposed(dialog)
        dialog.picture.set_region(*rect)
        searching = dialog.tr("Searching…")
        shown: list[float] = []

        def listed() -> bool:
            if not shown and dialog.status.text() != searching:
                shown.append(time.perf_counter())
            return bool(shown)

        started = time.perf_counter()
        block = self.watched(dialog.search, listed, SEARCH_TIMEOUT_S)
        dialog.close()
        dialog.deleteLater()
        return len(dialog.moments), block, round((shown[0] - started) * 1000, 1)

    def export(self, usb: Path, timeout_s: float) -> tuple[CaseExportResult, float, bool]:
        """*Xuất hồ sơ…* on the incident, the folder chosen: the result, the longest GUI block, whether
        `console.evidence` verifies the folder."""
        usb.mkdir()
        self.dock.refresh(select=self.incident_id)
        sheets: list[CaseExportDialog | None] = []
        block = self.watched(lambda: sheets.append(self.dock.export_case(usb)),
                             lambda: sheets[0] is None or not sheets[0].running, timeout_s)
        sheet = sheets[0]
        if sheet is None or sheet.case_result is None:
            raise RuntimeError(f"case export failed: {sheet.outcome.text() if sheet else self.dock.message.text()}")
        result = sheet.case_result
        sheet.close()
        return result, block, verify_export(result.folder).ok

    def close(self) -> None:
        self.window.close()
        self.app.processEvents()


def wait_until(done: Callable[[], bool], timeout_s: float) -> bool:
    """The GUI's event loop run until `done()` (looked at every POLL_MS) or the timeout; whether it came."""
    loop = QEventLoop()
    poll = QTimer()
    poll.timeout.connect(lambda: loop.quit() if done() else None)
    poll.start(POLL_MS)
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(loop.quit)
    deadline.start(round(timeout_s * 1000))
    if not done():
        loop.exec()
    poll.stop()
    deadline.stop()
    return done()


def _nothing() -> None:
    pass


# --- the measurements --------------------------------------------------------------------------------------

def mb_per_s(size: int, seconds: float) -> float:
    return round(size / MB / seconds, 1)


def measure_intake(run: Run, folder: Path) -> dict[str, Any]:
    source = padded_phone_video(folder / "usb" / "VID_20260101_070000.mp4", run.sizes.intake_bytes)
    size = source.stat().st_size
    started = time.perf_counter()
    shutil.copyfile(source, folder / "copy.bin")
    drop_cached(folder / "copy.bin")  # synced, as the intake syncs its copy
    copy_s = time.perf_counter() - started
    drop_cached(source)
    started = time.perf_counter()
    with source.open("rb") as medium:
        sha256 = hashlib.file_digest(medium, "sha256").hexdigest()
    hash_s = time.perf_counter() - started
    drop_cached(source)
    phases: dict[Phase, float] = {}

    def seen(progress: IntakeProgress) -> None:
        phases.setdefault(progress.phase, time.perf_counter())

    station = Station(folder / "station")
    incident = station.incidents.create("Trộm xe máy ở Cổng trường")
    started = time.perf_counter()
    record = receive_video(station.incidents, IntakeRequest(source, incident.id, Bringer(BRINGER), Channel.USB),
                           seen)
    total_s = time.perf_counter() - started
    with station.incidents.file(record.original).open("rb") as kept:
        kept_sha256 = hashlib.file_digest(kept, "sha256").hexdigest()
    station.close()
    copied_s = phases[Phase.PROBE] - started  # the file inspected, copied while hashed, read again and hashed
    return {
        "intake_mb_per_s": mb_per_s(size, copied_s),
        "intake_hash_verified": record.sha256 == sha256 == kept_sha256 and record.size_bytes == size,
        "intake_copy_mb_per_s": mb_per_s(size, phases[Phase.VERIFY] - phases[Phase.COPY]),
        "intake_reread_mb_per_s": mb_per_s(size, phases[Phase.PROBE] - phases[Phase.VERIFY]),
        "intake_total_s": round(total_s, 2),
        "intake_baseline": {"copy_mb_per_s": mb_per_s(size, copy_s), "sha256_mb_per_s": mb_per_s(size, hash_s)},
        "intake_setup": f"{size / MIB:.0f} MiB (a 1 s MP4 + random bytes), its pages dropped before each read, "
                        "same disk",
    }


def measure_working_copy(run: Run, folder: Path) -> dict[str, Any]:
    source = run.inputs.phone_video
    facts = probe(source, source.name)
    assert facts.duration_ms
    duration_s = facts.duration_ms / 1000
    strip = ThumbnailStrip(folder / "thumbnails", facts.duration_ms)
    started = time.perf_counter()
    made = make_working_copy(source, folder / "working.mp4", facts, source.name, _ignore, _never, strip)
    strip.finish()
    elapsed_s = time.perf_counter() - started
    return {
        "working_copy_realtime_factor": round(duration_s / elapsed_s, 2),
        "working_copy_fps": round(made.frames / elapsed_s, 1),
        "working_copy_baseline_ffmpeg_realtime_factor": ffmpeg_realtime_factor(source, folder / "ffmpeg.mp4",
                                                                               duration_s),
        "working_copy_setup": f"{facts.width}x{facts.height} {PHONE_FPS} fps H.264 High "
                              f"{source.stat().st_size * 8 / duration_s / 1e6:.1f} Mbit/s + AAC, {duration_s:g} s; "
                              f"libx264 {PRESET} crf {CRF}",
    }


def ffmpeg_realtime_factor(source: Path, target: Path, duration_s: float) -> float | None:
    """ffmpeg's own transcode with the working copy's settings (decoder and x264 threads left to it, as ours)."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        return None
    command = [ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-i", str(source), "-map", "0:v:0",
               "-map", "0:a:0?", "-c:v", "libx264", "-preset", PRESET, "-crf", CRF, "-pix_fmt", "yuv420p",
               "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", str(target)]
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, timeout=30 + 10 * duration_s)
    return round(duration_s / (time.perf_counter() - started), 2)


def measure_plates(run: Run, _folder: Path) -> dict[str, Any]:
    return plate_reading.measure(smoke=run.smoke)


def measure_motion_search(run: Run, _folder: Path) -> dict[str, Any]:
    day = run.inputs.grid_day
    loop_s = run.sizes.loop_s
    wanted = crossings(day.seconds, loop_s)
    db = open_database(day.path)
    conn = db.conn
    times: list[float] = []
    found = unmatched = outside = listed = 0
    for camera in day.cameras:
        query = MotionQuery(camera, DAY0_MS, DAY0_MS + day.seconds * 1000, ROAD)
        started = time.perf_counter()
        moments = search_motion(conn, query)
        times.append((time.perf_counter() - started) * 1000)
        listed += len(moments)
        spans = [((m.start_ms - DAY0_MS) / 1000, (m.end_ms - DAY0_MS) / 1000) for m in moments]
        found += sum(meets(span, spans) for span in wanted)
        unmatched += sum(not meets(span, wanted) for span in spans)
        for region in NOWHERE.values():
            outside += len(search_motion(conn, MotionQuery(camera, DAY0_MS, DAY0_MS + day.seconds * 1000, region)))
    db.close()
    cameras = len(day.cameras)
    return {
        "motion_search_day_ms": round(max(times), 1),
        "motion_search_day_ms_median": round(statistics.median(times), 1),
        "motion_search_all_cameras_ms": round(sum(times), 1),
        "motion_search_recall": round(found / (len(wanted) * cameras), 4) if wanted else None,
        "motion_search_crossings": len(wanted) * cameras,
        "motion_search_moments": listed,
        "motion_search_unmatched_moments": unmatched,
        "motion_search_outside_hits": outside,
        "motion_grid_rows": day.rows,
        "motion_grid_insert_rows_per_s": round(day.rows / day.insert_s) if day.insert_s else None,
        "motion_grid_mb_per_camera_day": round(day.size_bytes / 1e6 / cameras * 86400 / day.seconds, 2),
        "motion_grid_analysed_s": round(day.analysed_s, 2),
        "motion_search_setup": f"{cameras} cameras, {day.seconds / 3600:g} h at 1 picture/s, loop {loop_s} s",
    }


def crossings(seconds: int, loop_s: int) -> list[tuple[float, float]]:
    """(start, end) in seconds from the day's start of every scripted crossing wholly inside the period."""
    spans = [(k * loop_s + e.start_s, k * loop_s + e.end_s) for k in range(seconds // loop_s + 1)
             for e in motion_script(float(loop_s))]
    return [(s, e) for s, e in spans if e <= seconds - 1]


def meets(span: tuple[float, float], others: list[tuple[float, float]]) -> bool:
    """Whether a span comes within FOUND_WITHIN_S of any of `others` (disjoint, in time order)."""
    start, end = span
    before = bisect.bisect_right(others, (end + FOUND_WITHIN_S, float("inf")))
    return before > 0 and others[before - 1][1] >= start - FOUND_WITHIN_S


def measure_desk(run: Run, folder: Path) -> dict[str, Any]:
    station = Station(folder)
    incident_id, recordings = lay_out_case(station, folder, run.sizes.recording)
    source, day = run.inputs.phone_video, run.inputs.grid_day
    desk = Desk(station, incident_id, recordings, CASE_CAMERAS)
    try:
        idle = desk.idle(IDLE_WATCH_S)
        intake = desk.receive(source, BRINGER, timeout_s=60 + 5 * run.sizes.phone_s)
        moments, search, slowest_ms = desk.search_road(day.path, day.cameras, DAY0_MS + day.seconds * 500,
                                                       (0.0, ROAD_TOP, 1.0, ROAD_BOTTOM))
        result, export, verified = desk.export(folder / "usb", timeout_s=120 + 5 * run.sizes.phone_s)
    finally:
        desk.close()
        station.close()
    blocks = {"idle": idle, "intake": intake, "search": search, "export": export}
    return {
        "case_export_s": round(result.seconds, 2),
        "case_export_verified": verified,
        "case_export_files": len(result.files),
        "case_export_mb": round(sum(f.size for f in result.files) / MB, 1),
        "gui_block_max_ms": max(intake, search, export),
        "gui_block_ms": blocks,
        "gui_gc_max_ms": desk.gc_max_ms,
        "desk_search_moments": moments,
        "desk_search_dialog_ms": slowest_ms,
        "desk_setup": f"intake of the {run.sizes.phone_s:g} s phone video; {len(day.cameras)} cameras' road "
                      f"searched over a day; {len(result.files)} files exported "
                      f"({run.sizes.recording.width}x{run.sizes.recording.height} recordings)",
    }


def _ignore(_share: float) -> None:
    pass


def _never() -> bool:
    return False


# The keys: each is in the JSON, null when its measurement did not run (--only).
CONTRACT_KEYS = ("intake_mb_per_s", "intake_hash_verified", "working_copy_realtime_factor", "plate_crop_ms_p95",
                 "plate_read_accuracy_sim", "case_export_s", "motion_search_day_ms", "motion_search_recall",
                 "gui_block_max_ms")

MEASUREMENTS: dict[str, Measurement] = {
    "intake": measure_intake,
    "working_copy": measure_working_copy,
    "plates": measure_plates,
    "motion_search": measure_motion_search,
    "desk": measure_desk,
}


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.incidents", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, required=True)
    parser.add_argument("--only", action="append", choices=sorted(MEASUREMENTS), help="run only these")
    parser.add_argument("--smoke", action="store_true", help="every phase tiny (the suite's run)")
    parser.add_argument("--cameras", type=int, help="cameras with motion grids (25; smoke 2)")
    parser.add_argument("--hours", type=float, help="motion grids kept per camera (24; smoke 1)")
    parser.add_argument("--loop-s", type=int, help="the simulated scene's loop (30)")
    parser.add_argument("--intake-mib", type=int, help="the intake's file (1024; smoke 16)")
    parser.add_argument("--phone-s", type=float, help="the phone video's length (60; smoke 2)")
    parser.add_argument("--folder", type=Path, help="where the temporary folder goes (the disk measured)")
    args = parser.parse_args(argv)
    preset = SMOKE if args.smoke else FULL
    sizes = Sizes(args.intake_mib * MIB if args.intake_mib else preset.intake_bytes, args.phone_s or preset.phone_s,
                  args.cameras or preset.cameras, args.hours or preset.hours, args.loop_s or preset.loop_s,
                  preset.recording)
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)  # as the console runs (console/app.py)
    result: dict[str, Any] = dict.fromkeys(CONTRACT_KEYS)
    loads = {"start": load()}
    with tempfile.TemporaryDirectory(prefix="incidents-bench-", dir=args.folder) as root:
        run = Run(sizes, args.smoke, Inputs(sizes, Path(root) / "inputs"))
        run.inputs.folder.mkdir()
        for name in args.only or list(MEASUREMENTS):
            loads[name] = load()
            folder = Path(root) / name
            folder.mkdir()
            result.update(MEASUREMENTS[name](run, folder))
            shutil.rmtree(folder)  # the intake's GiBs, before the next measurement
    loads["end"] = load()
    result["box"] = {"cpus": os.cpu_count(), "load_avg_1_5_15": loads}
    table = "\n".join(f"{key:34} {value}" for key, value in result.items())
    write_result(result, args.json, table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
