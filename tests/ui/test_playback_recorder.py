"""The playback window with the station's recorder (the Hikvision and Dahua simulators): its ranges drawn in the gaps
of the console's own recording, played over RTSP at a moment (the first picture is the recording's keyframe at or
before it), sought, downloaded into a signed evidence export that `python -m console.evidence verify` accepts, and a
recorder that refuses the login told in Vietnamese while the window goes on playing the console's own recording.

The pictures are named to the GOP as tests/integration/test_nvr_playback_download.py names them: the loop's
keyframe at or before the moment, decoded on its own, equals the first picture the window's recorder player decoded
(every keyframe of the loop looks different)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from console.core.config import SiteConfig
from console.core.credentials import Credentials
from console.core.recording import TimeRange
from console.core.vntime import VN_TZ
from console.nvr.events import RecorderEventSettings
from console.nvr.services import RecorderServices, RecorderServicesSettings
from console.simulator.nvr.recorder import Vendor
from console.simulator.nvr.server import RecorderSimulator
from console.store.database import open_database
from console.store.recordings import RecordingIndex
from console.ui.playback.window import PlaybackWindow
from tests.support.nvr_site import (
    ADMIN,
    WRONG_PASSWORD,
    demo_config,
    expected_first,
    recorded_luma,
    recorder_simulator,
    recorder_site,
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


def first_luma(window: PlaybackWindow, qtbot: QtBot, session: int) -> np.ndarray:
    side = window.recorder
    assert side is not None
    qtbot.waitUntil(lambda: side.player.session_number >= session and side.player.first_frame is not None,
                    timeout=10_000)
    frame = side.player.first_frame
    assert frame is not None
    luma: np.ndarray = frame.to_ndarray(format="gray")
    return luma


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
        assert not window.rate.isEnabled() and "1×" in window.rate.toolTip()

        first = expected_first(running, moment)
        assert differs(first_luma(window, qtbot, 1), recorded_luma(running, channel, first)) < 0.5
        qtbot.waitUntil(lambda: window.picture.image is not None, timeout=5000)
        shown = window._moment()
        assert moment <= shown < moment + 5000

        later = yesterday_at(10, 0, 45)  # the second gap: a new session at the new moment
        window.seek(later)
        assert differs(first_luma(window, qtbot, 2),
                       recorded_luma(running, channel, expected_first(running, later))) < 0.5
        window.toggle_play()  # pause: the session ends, the still and its moment stay
        assert side.player.paused and window.play_button.text() == "Play"
        paused_at = window._moment()
        assert later - 2000 <= paused_at < later + 5000
        window.toggle_play()
        qtbot.waitUntil(lambda: side.player.session_number == 3 and side.player.first_frame is not None,
                        timeout=10_000)

        window.seek(own_start + 2000)  # own recording again: the console's own file plays
        assert not window.from_recorder and not window.source_label.isVisible()
        assert window.player is not None and window.player.segment is not None
        assert window.player.segment.start_ms == own_start


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
