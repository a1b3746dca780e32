"""The playback window with the station's recorder (the Hikvision and Dahua simulators): its ranges drawn in the gaps
of the console's own recording, played over RTSP at a moment (the first picture is the recording's keyframe at or
before it), at the recorder's speeds (the playhead following the picture's own moment), sought, paused and resumed
in the same RTSP session, downloaded into a signed evidence export that `python -m console.evidence verify`
accepts (a range partly the console's and partly only the recorder's stitched from both), and a recorder that
refuses the login told in Vietnamese while the window goes on playing the console's own recording.

The pictures are named to the GOP as tests/integration/test_nvr_playback_download.py names them: the loop's
keyframe at or before the moment, decoded on its own, equals the first picture the window's recorder player decoded
(every keyframe of the loop looks different)."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt
import pytest
from pytestqt.qtbot import QtBot

from console.core.config import SiteConfig
from console.core.credentials import Credentials
from console.core.recording import TimeRange
from console.core.stamp import read_stamp
from console.core.vntime import VN_TZ
from console.media.recorder_rtsp import scale_text
from console.nvr.events import RecorderEventSettings
from console.nvr.services import RecorderServices, RecorderServicesSettings
from console.simulator.nvr.recorder import Vendor
from console.simulator.nvr.rtsp_playback import RtspRequestSeen
from console.simulator.nvr.server import RecorderSimulator, RunningRecorder
from console.store.database import open_database
from console.store.recordings import RecordingIndex
from console.ui.playback.mixed_export_dialog import MixedExportDialog
from console.ui.playback.window import PlaybackWindow
from tests.support.nvr_site import (
    ADMIN,
    WRONG_PASSWORD,
    demo_config,
    expected_first,
    loop_of,
    recorded_luma,
    recorder_simulator,
    recorder_site,
    reset,
    yesterday_at,
)
from tests.support.playback import CLIP_S
from tests.support.stamped_clip import lay_out_recording

ROOT = Path(__file__).resolve().parents[2]
HIK, DAHUA = "nvr-hik", "nvr-dh"
ON_CHANNELS = {"C01": (HIK, 1), "C03": (DAHUA, 3)}
VENDOR_OF = {"C01": Vendor.HIKVISION, "C03": Vendor.DAHUA}
QUIET = RecorderServicesSettings(events=RecorderEventSettings(heartbeat_s=0.5), call_timeout_s=5.0)
OWN_START = (10, 0, 0)  # own segments of 10 s every 30 s from 10:00:00 yesterday: 20-s gaps the recorder fills


@pytest.fixture(scope="module")
def nvr(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RecorderSimulator]:
    with recorder_simulator(demo_config(tmp_path_factory.mktemp("nvr-window"))) as sim:
        sim.prepare(channels=(1, 3))
        yield sim


def site(nvr: RecorderSimulator) -> SiteConfig:
    return recorder_site(nvr, ON_CHANNELS, hik_id=HIK, dahua_id=DAHUA, events=False)


@contextmanager
def playback(qtbot: QtBot, nvr: RecorderSimulator, tmp_path: Path, clip: Path,
             credentials: Credentials) -> Iterator[PlaybackWindow]:
    config = site(nvr)
    services = RecorderServices(config, lambda ref: credentials if ref == "nvr" else None, lambda _e: None,
                                lambda: 1, settings=QUIET)
    services.start()
    db = open_database(tmp_path / "console.db")
    index = RecordingIndex(db)
    for camera in ON_CHANNELS:
        lay_out_recording(index, tmp_path / "rec", camera, clip, yesterday_at(*OWN_START), 3, CLIP_S * 1000, 1000,
                          gap_ms=20_000)
    window = PlaybackWindow(config, db, tmp_path / "rec", tmp_path, "Nguyễn Văn An", recorders=services)
    qtbot.addWidget(window)
    window.show()
    try:
        yield window
    finally:
        window.close()
        services.close()
        db.close()


def differs(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(np.abs(a.astype(np.int16) - b.astype(np.int16))))


def first_luma(window: PlaybackWindow, qtbot: QtBot, run: int) -> np.ndarray:
    """The first picture of the session's `run`-th open or seek (1: the open)."""
    side = window.recorder
    assert side is not None
    qtbot.waitUntil(lambda: side.player.run_number >= run and side.player.first_frame is not None, timeout=10_000)
    frame = side.player.first_frame
    assert frame is not None
    luma: np.ndarray = frame.to_ndarray(format="gray")
    return luma


def loop_lumas(running: RunningRecorder, channel: int) -> list[npt.NDArray[np.uint8]]:
    """Every picture of the channel's recording loop, decoded here in order (frame n of the recording is loop frame
    n modulo its length)."""
    codec = av.CodecContext.create("h264", "r")
    pictures = []
    for frame in loop_of(running, channel).frames:
        pictures += codec.decode(av.Packet(b"".join(b"\x00\x00\x00\x01" + nal for nal in frame.nals)))
    pictures += codec.decode(None)
    return [np.asarray(p.to_ndarray(format="gray"), dtype=np.uint8) for p in pictures]


def assert_shows_its_moment(window: PlaybackWindow, lumas: list[npt.NDArray[np.uint8]], fps: int) -> None:
    """The picture on screen is the recording's frame at the moment the window says it shows."""
    side = window.recorder
    assert side is not None
    shown = side.player.shown()
    assert shown is not None
    moment, frame = shown
    expected = round(moment * fps / 1000) % len(lumas)
    luma = np.asarray(frame.to_ndarray(format="gray"), dtype=np.uint8)
    assert differs(luma, lumas[expected]) < 0.5, f"the picture shown is not the recording's at {moment}"


def playhead_rate(window: PlaybackWindow, qtbot: QtBot, seconds: float) -> float:
    """Recording seconds the timeline's playhead moved per second of wall time, over `seconds`."""
    qtbot.waitUntil(lambda: window.timeline.cursor_ms is not None, timeout=5000)
    qtbot.wait(200)  # a few of the window's ticks: the playhead is on the pictures' moments, not a seek's target
    start_wall, start_ms = time.monotonic(), window.timeline.cursor_ms
    qtbot.wait(int(seconds * 1000))  # the window ticks meanwhile: the playhead is what the officer watches
    end_wall, end_ms = time.monotonic(), window.timeline.cursor_ms
    assert start_ms is not None and end_ms is not None
    return (end_ms - start_ms) / 1000 / (end_wall - start_wall)


def played(running: RunningRecorder, method: str) -> list[RtspRequestSeen]:
    return [r for r in running.rtsp_requests if r.method == method]


@pytest.mark.parametrize("camera_id", ["C01", "C03"])
def test_a_gap_of_own_recording_plays_from_the_recorder_and_seeks(qtbot: QtBot, nvr: RecorderSimulator,
                                                                   tmp_path: Path, clip: Path,
                                                                   camera_id: str) -> None:
    running = nvr.recorder(VENDOR_OF[camera_id])
    channel = ON_CHANNELS[camera_id][1]
    own_start = yesterday_at(*OWN_START)
    moment = yesterday_at(10, 0, 17)  # in the first gap (10:00:10 – 10:00:30): the recorder's
    with playback(qtbot, nvr, tmp_path, clip, ADMIN) as window:
        window.open_camera(camera_id, moment)
        side = window.recorder
        assert side is not None
        timeline = window.timeline
        # once the day's search came back (the timeline is redrawn as each of the window's searches answers)
        qtbot.waitUntil(lambda: window.from_recorder and bool(timeline.recorder_ranges), timeout=10_000)
        assert timeline.ranges
        gap = TimeRange(own_start + CLIP_S * 1000, own_start + 30_000)
        assert any(r.start_ms == gap.start_ms and r.end_ms == gap.end_ms for r in timeline.recorder_ranges)
        assert not any(own.overlaps(mine) for own in timeline.ranges for mine in timeline.recorder_ranges)
        assert window.source_label.isVisible() and window.source_label.text() == "Recorder"  # "Đầu ghi" in Vietnamese
        speeds = [window.rate.itemText(n) for n in range(window.rate.count())]  # the vendor's, labelled as our own
        assert window.rate.isEnabled() and "0.25×" in speeds and "8×" in speeds and window.rate.currentText() == "1×"

        first = expected_first(running, moment)
        assert differs(first_luma(window, qtbot, 1), recorded_luma(running, channel, first)) < 0.5
        counts = running.rtsp_counts
        setups, pauses, connections = counts["SETUP"], counts.get("PAUSE", 0), counts["connections"]
        qtbot.waitUntil(lambda: window.picture.image is not None, timeout=5000)
        shown = window._moment()  # the picture's own moment: from the keyframe before the one asked
        assert first <= shown < moment + 5000

        later = yesterday_at(10, 0, 45)  # the second gap, in the recorder's same file: PLAY with Range, same session
        window.seek(later)
        assert differs(first_luma(window, qtbot, 2),
                       recorded_luma(running, channel, expected_first(running, later))) < 0.5
        assert side.player.session_number == 1 and running.rtsp_counts["SETUP"] == setups
        window.toggle_play()  # pause: PAUSE on the session, the still and its moment stay
        assert side.player.paused and window.play_button.text() == "Play"
        qtbot.waitUntil(lambda: running.rtsp_counts.get("PAUSE", 0) == pauses + 1, timeout=5000)
        qtbot.wait(300)  # the pictures already on their way
        paused_at = window._moment()
        assert later - 2000 <= paused_at < later + 5000
        qtbot.wait(700)
        assert window._moment() == paused_at  # nothing moves while paused
        window.toggle_play()  # PLAY without Range: on from the paused picture, the same session
        qtbot.waitUntil(lambda: window._moment() > paused_at, timeout=5000)
        assert window._moment() < paused_at + 1000 and side.player.session_number == 1
        resumed = played(running, "PLAY")[-1]
        assert resumed.range == "" and resumed.session == played(running, "PAUSE")[-1].session
        assert running.rtsp_counts["SETUP"] == setups and running.rtsp_counts["connections"] == connections

        window.seek(own_start + 2000)  # own recording again: the console's own file plays
        assert not window.from_recorder and not window.source_label.isVisible()
        assert window.player is not None and window.player.segment is not None
        assert window.player.segment.start_ms == own_start


@pytest.mark.parametrize("camera_id", ["C01", "C03"])
def test_the_recorder_plays_at_its_speeds_with_the_playhead_on_the_picture_s_moment(
        qtbot: QtBot, nvr: RecorderSimulator, tmp_path: Path, clip: Path, camera_id: str) -> None:
    running = nvr.recorder(VENDOR_OF[camera_id])
    channel = ON_CHANNELS[camera_id][1]
    fps = running.state.profile(running.state.settings.record_kind).fps
    lumas = loop_lumas(running, channel)
    moment = yesterday_at(11, 0, 5)  # after the own recording: only the recorder has it
    with playback(qtbot, nvr, tmp_path, clip, ADMIN) as window:
        window.open_camera(camera_id, moment)
        side = window.recorder
        assert side is not None
        first_luma(window, qtbot, 1)
        setups = running.rtsp_counts["SETUP"]
        for speed in (2.0, 0.5):
            window.rate.setCurrentIndex(window.rate.findData(speed))  # as the officer picks it: PLAY with Scale
            qtbot.waitUntil(lambda s=speed: played(running, "PLAY")[-1].scale == scale_text(s), timeout=5000)
            qtbot.wait(300)  # the pictures sent before the new pace
            rate = playhead_rate(window, qtbot, 3.0)
            assert speed * 0.85 <= rate <= speed * 1.15, f"{speed}×: the playhead moved at {rate:.2f}×"
            assert_shows_its_moment(window, lumas, fps)

        window.rate.setCurrentIndex(window.rate.findData(2.0))
        later = moment + 120_000
        window.seek(later)  # during 2×: PLAY with Range and Scale 2, the same session
        assert differs(first_luma(window, qtbot, 2), recorded_luma(running, channel, expected_first(running, later))) \
            < 0.5
        sought = played(running, "PLAY")[-1]
        assert sought.range.startswith("clock=") and sought.scale == "2.0"
        rate = playhead_rate(window, qtbot, 2.0)
        assert 1.7 <= rate <= 2.3, f"after the seek the playhead moved at {rate:.2f}×"
        assert later - 2000 <= window._moment() <= later + 7000
        assert_shows_its_moment(window, lumas, fps)
        assert running.rtsp_counts["SETUP"] == setups and side.player.session_number == 1


def test_a_seek_is_written_in_the_recorder_s_own_time_mode(qtbot: QtBot, nvr: RecorderSimulator, tmp_path: Path,
                                                           clip: Path) -> None:
    """Hikvision firmware that writes and reads its local time under a `Z`: the seek's `Range: clock=` is its local
    time too (read from the recorder's clock as the searches are), and the picture is the moment's."""
    running = nvr.recorder(Vendor.HIKVISION)
    running.clock.z_means_local = True
    try:
        with playback(qtbot, nvr, tmp_path, clip, ADMIN) as window:
            moment = yesterday_at(11, 0, 5)
            window.open_camera("C01", moment)
            first_luma(window, qtbot, 1)
            later = moment + 61_000
            window.seek(later)
            assert differs(first_luma(window, qtbot, 2), recorded_luma(running, 1, expected_first(running, later))) \
                < 0.5
            local = datetime.fromtimestamp(later / 1000, VN_TZ).strftime("%Y%m%dT%H%M%SZ")
            assert played(running, "PLAY")[-1].range == f"clock={local}-"
    finally:
        reset(nvr)


def test_a_speed_the_recorder_refuses_is_said_and_the_playback_goes_on(qtbot: QtBot, nvr: RecorderSimulator,
                                                                       tmp_path: Path, clip: Path,
                                                                       vietnamese: object) -> None:
    running = nvr.recorder(Vendor.DAHUA)
    with playback(qtbot, nvr, tmp_path, clip, ADMIN) as window:
        window.open_camera("C03", yesterday_at(11, 0, 5))
        side = window.recorder
        assert side is not None
        first_luma(window, qtbot, 1)
        speeds = [window.rate.itemText(n) for n in range(window.rate.count())]
        assert speeds == ["0,25×", "0,5×", "1×", "2×", "4×", "8×"]  # Dahua's, with the decimal comma
        side.set_scale(3.0)  # a speed no recorder plays (the box never offers it): PLAY Scale 3.0, refused
        qtbot.waitUntil(lambda: "3×" in window.status.text(), timeout=5000)  # "Đầu ghi nvr-dh không phát lại…"
        said = window.status.text()
        assert DAHUA in said and "3×" in said and window._camera_label("C03") in said, said
        assert played(running, "PLAY")[-1].scale == "3.0" and side.player.scale == 1.0
        assert window.rate.currentText() == "1×"
        moving = window._moment()
        qtbot.waitUntil(lambda: window._moment() > moving + 500, timeout=5000)  # it goes on at 1×


@pytest.mark.parametrize("camera_id", ["C01", "C03"])
def test_a_range_only_on_the_recorder_downloads_into_a_signed_export(qtbot: QtBot, nvr: RecorderSimulator,
                                                                     tmp_path: Path, clip: Path,
                                                                     camera_id: str) -> None:
    running = nvr.recorder(VENDOR_OF[camera_id])
    running.faults.preamble_max_bytes = 4096  # Dahua: bytes before the first DHAV frame, dropped by the download
    with playback(qtbot, nvr, tmp_path, clip, ADMIN) as window:
        moment = yesterday_at(11, 0, 5)  # after the own recording: only the recorder has it
        window.open_camera(camera_id, moment)
        qtbot.waitUntil(lambda: window.from_recorder, timeout=10_000)
        window._mark_days()  # the calendar: the recorder's days of the month (one request), tinted where only it has
        day = datetime.fromtimestamp(moment / 1000, VN_TZ).date()
        qtbot.waitUntil(lambda: day in window.calendar.recorder_days, timeout=10_000)
        assert day in window.calendar.marked and day not in window.calendar.on_recorder  # own recording that day
        dialog = window.export_range(camera_id, TimeRange(moment, moment + 20_000))
        assert dialog.make_job is not None  # the recorder's download, then the same export
        dialog.reason.setText("Xác minh vụ va chạm")
        dialog.requested_by.setText("Đội CSGT")
        dialog.begin()
        qtbot.waitUntil(lambda: dialog.manifest is not None, timeout=20_000)
        target = Path(dialog.target.text())
        assert dialog.outcome is not None and dialog.outcome.path == target
        assert not list(target.parent.glob(".recorder-download-*"))  # the working download is gone
        probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=format_name,duration", "-of",
                                "json", str(target)], capture_output=True, text=True, timeout=20)
        assert probe.returncode == 0, probe.stderr
        info = json.loads(probe.stdout)["format"]
        assert "mp4" in info["format_name"] and 19 <= float(info["duration"]) <= 22.1  # from the keyframe before
        # The first picture's moment (on the record): the keyframe at or before the start, to a frame (67 ms).
        assert abs(dialog.outcome.first_ms - expected_first(running, moment)) <= 67
        checked = subprocess.run([sys.executable, "-m", "console.evidence", "verify", str(target.parent)], cwd=ROOT,
                                 capture_output=True, text=True, timeout=60)
        assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.parametrize("camera_id", ["C01", "C03"])
def test_a_range_partly_own_and_partly_only_on_the_recorder_exports_both_stitched(
        qtbot: QtBot, nvr: RecorderSimulator, tmp_path: Path, clip: Path, camera_id: str) -> None:
    running = nvr.recorder(VENDOR_OF[camera_id])
    channel = ON_CHANNELS[camera_id][1]
    recorder_id = ON_CHANNELS[camera_id][0]
    # Own segments 10:05:01 – :11 and 10:05:31 – :41: the hole starts on an odd second, so the recorder's keyframe
    # before it (every 2 s) lies a second inside the console's own segment, where the recorder takes over.
    own_start = yesterday_at(10, 5, 1)
    hole = TimeRange(own_start + CLIP_S * 1000, own_start + 30_000)
    span = TimeRange(own_start + 5000, own_start + 35_000)  # own ~5 s, the recorder's ~20 s, own 5 s
    with playback(qtbot, nvr, tmp_path, clip, ADMIN) as window:
        lay_out_recording(window.index, tmp_path / "rec", camera_id, clip, own_start, 2, CLIP_S * 1000, 1000,
                          gap_ms=20_000)
        window.open_camera(camera_id, span.start_ms)
        qtbot.waitUntil(lambda: bool(window.timeline.recorder_ranges), timeout=10_000)
        dialog = window.export_range(camera_id, span)
        assert isinstance(dialog, MixedExportDialog)
        dialog.reason.setText("Xác minh vụ va chạm")
        dialog.requested_by.setText("Đội CSGT")
        dialog.begin()
        qtbot.waitUntil(lambda: dialog.manifest is not None, timeout=30_000)
        target = Path(dialog.target.text())
        assert not list(target.parent.glob(".recorder-download-*"))
        checked = subprocess.run([sys.executable, "-m", "console.evidence", "verify", str(target.parent)], cwd=ROOT,
                                 capture_output=True, text=True, timeout=60)
        assert checked.returncode == 0, checked.stdout + checked.stderr

        manifest = json.loads((target.parent / "manifest.json").read_text("utf-8"))
        parts = manifest["parts"]
        assert [p["source"] for p in parts] == ["console", "recorder", "console"]
        assert [p["recorder"] for p in parts] == [None, recorder_id, None]
        taken_over = expected_first(running, hole.start_ms)  # the recorder's keyframe at or before the hole
        assert taken_over < hole.start_ms
        assert parts[0]["start"]["ms"] == span.start_ms and parts[0]["end"]["ms"] == parts[1]["start"]["ms"]
        assert abs(parts[1]["start"]["ms"] - taken_over) <= 67 and parts[1]["end"]["ms"] == hole.end_ms
        assert parts[2]["start"]["ms"] == hole.end_ms and parts[2]["end"]["ms"] == span.end_ms

        # The file, in time order: the console's stamped pictures, the recorder's from its keyframe, the console's
        # again from the next segment's first picture; one picture every 1/15 s, none written twice.
        with av.open(str(target)) as video:
            stream = video.streams.video[0]
            pictures = [(int(float(f.pts * stream.time_base) * 1000) + span.start_ms,
                         np.asarray(f.to_ndarray(format="gray"), dtype=np.uint8)) for f in video.decode(stream)]
        moments = [m for m, _ in pictures]
        steps = [b - a for a, b in itertools.pairwise(moments)]
        assert min(steps) >= 50 and max(steps) <= 85, (min(steps), max(steps))
        assert 29_000 <= moments[-1] - moments[0] <= 30_100
        recorder_first = next(luma for m, luma in pictures if m >= parts[1]["start"]["ms"])
        assert differs(recorder_first, recorded_luma(running, channel, taken_over)) < 0.5
        assert all(read_stamp(luma) is not None for m, luma in pictures if m < parts[1]["start"]["ms"])
        assert all(read_stamp(luma) is None for m, luma in pictures if parts[1]["start"]["ms"] <= m < hole.end_ms)
        own_again = [read_stamp(luma) for m, luma in pictures if m >= hole.end_ms]
        assert own_again[0] == 0 and all(stamp is not None for stamp in own_again)  # the clip's stamps from 0


def test_a_recorder_that_refuses_is_named_and_the_window_stays_usable(qtbot: QtBot, nvr: RecorderSimulator,
                                                                      tmp_path: Path, clip: Path,
                                                                      vietnamese: object) -> None:
    with playback(qtbot, nvr, tmp_path, clip, Credentials(ADMIN.username, WRONG_PASSWORD)) as window:
        window.open_camera("C03", yesterday_at(10, 0, 17))
        qtbot.waitUntil(lambda: "từ chối đăng nhập" in window.status.text(), timeout=10_000)
        said = window.status.text()
        assert DAHUA in said and WRONG_PASSWORD not in said
        assert not window.from_recorder and not window.timeline.recorder_ranges
        window.open_camera("C03", yesterday_at(*OWN_START) + 2000)  # own recording plays on
        assert window.player is not None and window.player.segment is not None
        qtbot.waitUntil(lambda: window.picture.image is not None, timeout=5000)
