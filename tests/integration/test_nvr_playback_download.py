"""Playback at a moment and clip download from both recorder faces, proven twice: through the adapters (the
console's own PyAV opening the adapter's playback URI, the adapter's download), and from outside (a bare RTSP client
reading what PLAY answers and the first RTP packet, `ffmpeg` decoding the first picture, `ffprobe` and an MP4
stream copy of the downloaded file).

"The first frame equals the moment within one GOP": the recording of a channel at moment t is the loop's frame at t
(frames counted from 1970 at the stream's rate), so the picture a playback must start with is the loop's keyframe
at or before the moment. It is decoded here on its own and compared with the first picture PyAV and ffmpeg show;
keyframes two seconds apart differ (the loop's burnt-in clock and its vehicles move), so equal pictures name the
moment to the GOP. PLAY's `Range: clock=` says the same moment in the recorder's words.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np
import pytest

from console.core.credentials import with_credentials
from console.nvr import RecorderClient
from console.nvr.errors import NvrError, NvrErrorKind
from console.nvr.models import DownloadProgress, DownloadResult, MediaFormat
from console.nvr.timebase import DeviceTimebase, TimeMode
from console.simulator.nvr.recorder import Vendor
from console.simulator.nvr.server import RecorderSimulator, RunningRecorder
from tests.support.nvr_raw_client import RawRtspPlayback
from tests.support.nvr_site import (
    ADMIN,
    VENDORS,
    demo_config,
    expected_first,
    key_moments,
    loop_of,
    recorded_luma,
    recorder_simulator,
    run,
    using,
    yesterday_at,
)

FFMPEG_TIMEOUT_S = 20


@pytest.fixture(scope="module")
def nvr(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RecorderSimulator]:
    with recorder_simulator(demo_config(tmp_path_factory.mktemp("nvr-playback"))) as sim:
        sim.prepare(channels=(1, 2))
        yield sim



def playback_uri(running: RunningRecorder, channel: int, at_ms: int) -> str:
    async def body(recorder: RecorderClient) -> str:
        await recorder.read_clock()
        return recorder.playback_uri(channel, at_ms, at_ms + 600_000)

    return run(lambda: using(running, body))


def pyav_first_luma(url: str) -> np.ndarray:
    """The first picture through PyAV, opened as a player opens a recording: without the live path's
    `fflags=nobuffer`, which drops what FFmpeg reads while probing — the playback's first GOP (seen here)."""
    options = {"rtsp_transport": "tcp", "timeout": "4000000", "probesize": "32768", "analyzeduration": "500000"}
    with av.open(url, options=options, timeout=5.0) as container:
        stream = container.streams.video[0]
        for frame in container.decode(stream):
            luma: np.ndarray = frame.to_ndarray(format="gray")
            return luma
    raise AssertionError("no picture")


def ffmpeg_first_luma(url: str, width: int, height: int) -> np.ndarray:
    run_ = subprocess.run(["ffmpeg", "-v", "error", "-rtsp_transport", "tcp", "-probesize", "32768", "-analyzeduration",
                           "500000", "-i", url, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", "-"],
                          capture_output=True, timeout=FFMPEG_TIMEOUT_S)
    assert run_.returncode == 0, run_.stderr.decode()[-500:]
    return np.frombuffer(run_.stdout, np.uint8).reshape(height, width)


def differs(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(np.abs(a.astype(np.int16) - b.astype(np.int16))))


@pytest.mark.parametrize("vendor", VENDORS)
def test_playback_starts_with_the_picture_recorded_at_the_moment(nvr: RecorderSimulator, vendor: Vendor) -> None:
    running = nvr.recorder(vendor)
    moment = yesterday_at(10, 0, 17)  # 2-s GOPs: the keyframe before it was taken at 10:00:16
    first = expected_first(running, moment)
    assert moment - 2000 < first <= moment
    expected = recorded_luma(running, 2, first)
    others = [recorded_luma(running, 2, first + k * 2000) for k in range(1, len(key_moments(running)))]
    assert min(differs(expected, other) for other in others) > 2  # every keyframe of the loop looks different
    uri = with_credentials(playback_uri(running, 2, moment), ADMIN)

    ours = pyav_first_luma(uri)  # the console's own stack: PyAV on the adapter's URI
    assert differs(ours, expected) < 0.5
    theirs = ffmpeg_first_luma(uri, expected.shape[1], expected.shape[0])  # an independent decoder
    assert differs(theirs, expected) < 0.5


@pytest.mark.parametrize("vendor", VENDORS)
def test_play_answers_the_recordings_clock_and_the_first_packet_carries_it(nvr: RecorderSimulator,
                                                                           vendor: Vendor) -> None:
    running = nvr.recorder(vendor)
    moment = yesterday_at(9, 30, 41)
    uri = playback_uri(running, 1, moment)
    with RawRtspPlayback(uri, ADMIN.username, ADMIN.password) as rtsp:
        status, reply = rtsp.play()
        assert status == 200, reply
        first_ts = rtsp.first_rtp_timestamp()
    clock = reply["range"].removeprefix("clock=").split("-")[0]
    timebase = DeviceTimebase(TimeMode.UTC if vendor is Vendor.HIKVISION else TimeMode.LOCAL, 7 * 3600)
    said = timebase.read_compact(clock) if vendor is Vendor.HIKVISION else _read_dahua_rtsp(timebase, clock)
    assert said == expected_first(running, moment)
    rtptime = int(reply["rtp-info"].split("rtptime=")[1].split(";")[0])
    assert first_ts == rtptime  # the first packet is the picture the Range names


def _read_dahua_rtsp(timebase: DeviceTimebase, text: str) -> int:
    day, clock = text[:10].replace("_", "-"), text[11:].replace("_", ":")
    return timebase.read_dahua(f"{day} {clock}")


def probe(path: Path) -> dict[str, object]:
    run_ = subprocess.run(["ffprobe", "-v", "error", "-count_frames", "-show_entries",
                           "format=format_name,start_time,duration:stream=codec_name,width,height,nb_read_frames",
                           "-of", "json", str(path)], capture_output=True, text=True, timeout=FFMPEG_TIMEOUT_S)
    assert run_.returncode == 0, run_.stderr
    data: dict[str, object] = json.loads(run_.stdout)
    return data


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_downloaded_clip_is_a_whole_file_that_ffmpeg_reads_and_copies_to_mp4(nvr: RecorderSimulator,
                                                                              vendor: Vendor, tmp_path: Path) -> None:
    running = nvr.recorder(vendor)
    running.faults.preamble_max_bytes = 4096  # Dahua: bytes of varying length before the first DHAV frame
    start, end = yesterday_at(11, 0, 5), yesterday_at(11, 2, 5)
    target = tmp_path / ("clip.ps" if vendor is Vendor.HIKVISION else "clip.dav")
    reports: list[DownloadProgress] = []

    async def body(recorder: RecorderClient) -> DownloadResult:
        await recorder.read_clock()
        return await recorder.download(1, start, end, target, on_progress=reports.append)

    result = run(lambda: using(running, body))
    data = target.read_bytes()
    assert result.bytes_written == len(data) > 0
    if vendor is Vendor.HIKVISION:
        assert result.format is MediaFormat.HIKVISION_PS and data.startswith(b"IMKH") and result.preamble_bytes == 0
    else:
        assert result.format is MediaFormat.DAHUA_DAV and data.startswith(b"DHAV") and result.preamble_bytes > 0
    assert reports and reports[-1].fraction == 1.0
    assert not list(tmp_path.glob("*.part"))

    info = probe(target)
    stream = info["streams"][0]  # type: ignore[index]
    assert (stream["codec_name"], stream["width"], stream["height"]) == ("h264", 640, 360)
    frames_per_s = loop_of(running, 1).profile.fps
    assert abs(int(stream["nb_read_frames"]) - 120 * frames_per_s) <= 2 * frames_per_s  # two minutes, to a GOP
    mp4 = tmp_path / "clip.mp4"  # what the evidence export does with it: a stream copy
    copy = subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(target), "-c", "copy", str(mp4)],
                          capture_output=True, text=True, timeout=FFMPEG_TIMEOUT_S)
    assert copy.returncode == 0, copy.stderr
    copied = probe(mp4)
    assert abs(float(copied["format"]["duration"]) - 120) <= 2.1  # type: ignore[index]


def test_the_first_picture_of_a_download_is_the_keyframe_at_its_start(nvr: RecorderSimulator, tmp_path: Path) -> None:
    running = nvr.recorder(Vendor.HIKVISION)
    start = yesterday_at(11, 30, 3)
    target = tmp_path / "clip.ps"

    async def body(recorder: RecorderClient) -> DownloadResult:
        return await recorder.download(2, start, start + 10_000, target)

    run(lambda: using(running, body))
    first = subprocess.run(["ffmpeg", "-v", "error", "-i", str(target), "-frames:v", "1", "-f", "rawvideo",
                            "-pix_fmt", "gray", "-"], capture_output=True, timeout=FFMPEG_TIMEOUT_S).stdout
    expected = recorded_luma(running, 2, expected_first(running, start))
    assert differs(np.frombuffer(first, np.uint8).reshape(expected.shape), expected) < 0.5


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_cancelled_download_leaves_no_file(nvr: RecorderSimulator, vendor: Vendor, tmp_path: Path) -> None:
    running = nvr.recorder(vendor)
    start = yesterday_at(12, 0, 0)
    target = tmp_path / "cancelled.bin"

    async def body(recorder: RecorderClient) -> None:
        cancel = asyncio.Event()
        await recorder.download(1, start, start + 3_600_000, target, cancel=cancel,
                                on_progress=lambda _: cancel.set())

    with pytest.raises(NvrError) as caught:
        run(lambda: using(running, body))
    assert caught.value.kind is NvrErrorKind.CANCELLED
    assert caught.value.message_vi.startswith("Đã hủy tải đoạn video")
    assert list(tmp_path.iterdir()) == []
