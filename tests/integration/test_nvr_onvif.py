"""The simulated recorder's ONVIF Profile G face proved from outside by onvif-zeep-async's own ONVIFCamera (the
independent client), then the console's ONVIF recorder adapter against it: channels, a day's ranges equal to the
simulator's recordings, a replay URI that plays (ffprobe, with the moment in PLAY's Range), events through
PullPoint, the wrong password and the download ONVIF does not have. Loopback only."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import shutil
import subprocess
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from console.core.alerts import AlertEvent, AlertKind
from console.core.camera_events import CameraEventKind, ChannelState
from console.core.config import SiteConfig, StreamKind, parse_config
from console.core.credentials import Credentials, with_credentials
from console.core.paths import demo_config_path
from console.core.vntime import VN_TZ
from console.media.recorder_stream import RecorderStreamPlayer
from console.nvr import open_recorder
from console.nvr.errors import NvrError, NvrErrorKind
from console.nvr.events import RecorderEventSettings
from console.nvr.models import RecorderAddress, RecorderNotice
from console.nvr.onvif_recorder import DownloadNotSupportedError, OnvifRecorder
from console.nvr.playback_source import RtspClock
from console.nvr.recorder import vn_day
from console.nvr.services import RecorderServices, RecorderServicesSettings
from console.onvif.library import load
from console.simulator.nvr.onvif_face import OnvifRecorderServer
from console.simulator.nvr.recorder import EventKind, RecorderSettings, channels_of
from tests.support.nvr_site import ADMIN, USERS, WRONG_PASSWORD, demo_config, run, yesterday_at
from tests.support.waiting import wait_until

CHANNELS = 4


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> SiteConfig:
    return demo_config(tmp_path_factory.mktemp("nvr-onvif"))


@pytest.fixture(scope="module")
def sim(config: SiteConfig) -> Iterator[OnvifRecorderServer]:
    settings = RecorderSettings(loop_s=4.0, gop_s=2.0, record_kind=StreamKind.SUB)
    with OnvifRecorderServer(channels_of(config)[:CHANNELS], USERS, settings=settings) as server:
        yield server


def _address(sim: OnvifRecorderServer) -> RecorderAddress:
    return RecorderAddress("127.0.0.1", sim.http_port, sim.rtsp_port)


def _adapter(sim: OnvifRecorderServer, credentials: Credentials | None = ADMIN) -> OnvifRecorder:
    recorder = open_recorder("onvif", _address(sim), credentials)
    assert isinstance(recorder, OnvifRecorder)
    return recorder


def _yesterday() -> dt.date:
    return dt.datetime.fromtimestamp(yesterday_at(12, 0, 0) / 1000, VN_TZ).date()


def _expected_spans(sim: OnvifRecorderServer, channel: int, start_ms: int, end_ms: int) -> list[tuple[int, int]]:
    assert sim.state is not None
    schedule = sim.state.schedule(channel)
    assert schedule is not None
    return [(s.start_ms, s.end_ms) for s in schedule.spans(start_ms, end_ms, sim.state.now_ms())]


# -- the face, from outside -----------------------------------------------------------------------------------------
def test_zeep_finds_the_recordings_and_a_replay_uri(sim: OnvifRecorderServer) -> None:
    library = load()

    async def body() -> tuple[Any, Any, str]:
        camera = library.camera_class("127.0.0.1", sim.http_port, ADMIN.username, ADMIN.password,
                                      wsdl_dir=library.wsdl_dir, no_cache=True)
        try:
            await camera.update_xaddrs()
            search = await camera.create_search_service()
            token = await search.FindRecordings({"Scope": {}, "KeepAliveTime": "PT10S"})
            found = await search.GetRecordingSearchResults({"SearchToken": token, "WaitTime": "PT1S"})
            replay = await camera.create_replay_service()
            uri = await replay.GetReplayUri({"StreamSetup": {"Stream": "RTP-Unicast",
                                                             "Transport": {"Protocol": "RTSP"}},
                                             "RecordingToken": found.RecordingInformation[2].RecordingToken})
            summary = await search.GetRecordingSummary()
            return found, summary, str(uri)
        finally:
            await camera.close()

    found, summary, uri = run(body)
    assert found.SearchState == "Completed"
    tokens = [info.RecordingToken for info in found.RecordingInformation]
    assert tokens == [f"Recording_{n}" for n in range(1, CHANNELS + 1)]
    assert found.RecordingInformation[0].Track[0].TrackType == "Video"
    assert found.RecordingInformation[0].EarliestRecording < found.RecordingInformation[0].LatestRecording
    assert summary.NumberRecordings == CHANNELS
    assert uri == f"rtsp://127.0.0.1:{sim.rtsp_port}/onvif/replay?recording=Recording_3"


def test_zeep_without_the_password_is_refused(sim: OnvifRecorderServer) -> None:
    library = load()

    async def body() -> str:
        camera = library.camera_class("127.0.0.1", sim.http_port, ADMIN.username, WRONG_PASSWORD,
                                      wsdl_dir=library.wsdl_dir, no_cache=True)
        try:
            await camera.update_xaddrs()
            return "answered"
        except Exception as exc:  # the library's Fault for ter:NotAuthorized
            return str(exc)
        finally:
            await camera.close()

    assert "not authorized" in run(body).lower()


# -- the adapter ----------------------------------------------------------------------------------------------------
def test_adapter_lists_the_recordings_as_channels(sim: OnvifRecorderServer, config: SiteConfig) -> None:
    async def body() -> list[Any]:
        recorder = _adapter(sim)
        try:
            return await recorder.channels()
        finally:
            await recorder.close()

    channels = run(body)
    assert [c.number for c in channels] == list(range(1, CHANNELS + 1))
    assert [c.name for c in channels] == [camera.name for camera in config.cameras[:CHANNELS]]
    assert all(c.online for c in channels)


def test_a_days_ranges_are_the_simulators_recordings(sim: OnvifRecorderServer) -> None:
    day = _yesterday()
    start, end = vn_day(day)

    async def body() -> tuple[list[tuple[int, int]], str]:
        recorder = _adapter(sim)
        try:
            clock = await recorder.read_clock()
            assert abs(clock.clock_offset_s) < 2
            found = await recorder.search_day(2, day)
            return [(s.start_ms, s.end_ms) for s in found.segments], found.segments[0].playback_uri
        finally:
            await recorder.close()

    spans, uri = run(body)
    assert spans == _expected_spans(sim, 2, start, end)
    assert len(spans) >= 3  # the night's and the afternoon's gaps are seen, not only the outer bounds
    assert uri == f"rtsp://127.0.0.1:{sim.rtsp_port}/onvif/replay?recording=Recording_2"


def test_the_replay_uri_plays(sim: OnvifRecorderServer) -> None:
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        pytest.skip("ffprobe is not installed")
    async def body() -> str:
        recorder = _adapter(sim)
        try:
            return await recorder.replay_uri(1)
        finally:
            await recorder.close()

    uri = run(body).replace("rtsp://", f"rtsp://{ADMIN.username}:{ADMIN.password}@")
    before = len(sim.rtsp_requests)
    probe = subprocess.run([ffprobe, "-v", "error", "-rtsp_transport", "tcp", "-show_streams", "-of", "json",
                            "-select_streams", "v:0", uri], capture_output=True, text=True, timeout=20)
    assert probe.returncode == 0, probe.stderr
    stream = json.loads(probe.stdout)["streams"][0]
    assert stream["codec_name"] == "h264"
    plays = [r for r in sim.rtsp_requests[before:] if r.method == "PLAY"]
    assert plays, "ffprobe's PLAY reached the recorder's replay session"


def test_events_arrive_through_pullpoint(sim: OnvifRecorderServer) -> None:
    async def body() -> list[RecorderNotice]:
        recorder = _adapter(sim)
        got: list[RecorderNotice] = []
        try:
            async with recorder.events(heartbeat_s=1.0) as notices:
                loop = asyncio.get_running_loop()
                loop.call_later(0.3, lambda: loop.run_in_executor(None, sim.event, 3, EventKind.MOTION))
                async with asyncio.timeout(10):
                    async for notice in notices:
                        got.append(notice)
                        if not notice.heartbeat:
                            break
        finally:
            await recorder.close()
        return got

    notices = run(body)
    event = notices[-1]
    assert (event.heartbeat, event.channel, event.kind, event.active) == (False, 3, CameraEventKind.MOTION, True)


def test_wrong_password_is_an_auth_error_in_vietnamese(sim: OnvifRecorderServer) -> None:
    async def body() -> NvrError:
        recorder = _adapter(sim, Credentials(ADMIN.username, WRONG_PASSWORD))
        try:
            await recorder.channels()
        except NvrError as exc:
            return exc
        finally:
            await recorder.close()
        raise AssertionError("the wrong password was accepted")

    error = run(body)
    assert error.kind is NvrErrorKind.AUTH
    assert "sai tên đăng nhập hoặc mật khẩu" in error.message_vi
    assert f"127.0.0.1:{sim.http_port}" in error.message_vi
    assert WRONG_PASSWORD not in f"{error.message_vi} {error.message_en} {error.detail}"


def test_download_is_refused_with_a_clear_reason(sim: OnvifRecorderServer, tmp_path: Path) -> None:
    async def body() -> NvrError:
        recorder = _adapter(sim)
        try:
            await recorder.download(1, 0, 1000, tmp_path / "clip.mp4")
        except NvrError as exc:
            return exc
        finally:
            await recorder.close()
        raise AssertionError("an ONVIF download was attempted")

    error = run(body)
    assert isinstance(error, DownloadNotSupportedError)
    assert error.message_vi.startswith(f"Đầu ghi ONVIF 127.0.0.1:{sim.http_port} không cho tải tệp")
    assert not (tmp_path / "clip.mp4").exists()


def test_the_consoles_services_take_an_onvif_recorders_events_and_clock(sim: OnvifRecorderServer) -> None:
    """`vendor = "onvif"` in the site file: the console's RecorderServices contact it like the others — its event
    channel goes live over PullPoint, a motion on channel 3 becomes the camera's alert, its clock is read."""
    data = tomllib.loads(demo_config_path().read_text("utf-8"))
    data.pop("credentials_file", None)
    data.pop("map", None)
    data["recorders"] = [{"id": "nvr-o", "vendor": "onvif", "host": "127.0.0.1", "http_port": sim.http_port,
                          "rtsp_port": sim.rtsp_port, "credentials": "nvr"}]
    for camera in data["cameras"]:
        if camera["id"] == "C03":
            camera["recorder"], camera["recorder_channel"] = "nvr-o", 3
    config, issues = parse_config(data)
    assert config is not None, [i.describe("en") for i in issues]
    alerts: list[AlertEvent] = []
    counter = iter(range(1, 1 << 40))
    fast = RecorderServicesSettings(events=RecorderEventSettings(heartbeat_s=0.5, silent_after_s=3.0,
                                                                 stale_after_s=3.0, lost_after_s=6.0, tick_s=0.1,
                                                                 cooldown_ms=0), call_timeout_s=5.0,
                                    close_timeout_s=5.0)
    services = RecorderServices(config, lambda ref: ADMIN if ref == "nvr" else None, alerts.append,
                                lambda: next(counter), settings=fast)
    services.start()
    try:
        def live() -> bool:
            health = services.events_health("nvr-o")
            return health is not None and health.state is ChannelState.LIVE
        wait_until(live, 15, what="the ONVIF recorder's event channel live")
        sim.event(3, EventKind.MOTION)
        wait_until(lambda: any(a.kind is AlertKind.CAMERA_MOTION and a.camera_id == "C03" for a in alerts), 10,
                   what="C03's motion alert from the ONVIF recorder")
        wait_until(lambda: services.clock("nvr-o") is not None, 15, what="the ONVIF recorder's clock")
        clock = services.clock("nvr-o")
        assert clock is not None and clock.error_kind is None and abs(clock.offset_s or 0.0) < 2.0
    finally:
        services.close()


def test_the_consoles_player_plays_an_onvif_recording_from_the_moment_asked(sim: OnvifRecorderServer) -> None:
    """The console's recorder player on the replay URI: PLAY carries `Require: onvif-replay` and the moment in
    `Range: clock=`; the first picture shown is the recording's at that moment (from the keyframe before it)."""
    day = _yesterday()
    start, end = vn_day(day)
    spans = _expected_spans(sim, 1, start, end)
    moment = spans[0][0] + 30_500  # half a second past a whole second, inside the first span

    async def uri() -> str:
        recorder = _adapter(sim)
        try:
            found = await recorder.search_day(1, day)
            return found.segments[0].playback_uri
        finally:
            await recorder.close()

    player = RecorderStreamPlayer()
    before = len(sim.rtsp_requests)
    player.open(with_credentials(run(uri), ADMIN), moment, RtspClock("onvif", OnvifRecorder.default_timebase()))
    try:
        wait_until(lambda: player.shown() is not None, 15, what="the ONVIF recording's first picture")
        shown = player.shown()
        assert shown is not None
        gop_ms = 2000
        assert moment - gop_ms - 100 <= shown[0] <= moment + 200  # the keyframe at or before the moment, then on
        plays = [r for r in sim.rtsp_requests[before:] if r.method == "PLAY"]
        assert plays and plays[0].require == "onvif-replay" and plays[0].range.startswith("clock=")
    finally:
        player.close()
