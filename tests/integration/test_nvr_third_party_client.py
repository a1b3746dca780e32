"""The recorder simulator seen by independent, maintained client libraries written for the real devices: pyhik
(the Hikvision library Home Assistant uses) on the ISAPI face and amcrest (python-amcrest; Amcrest firmware is
Dahua's, same CGI API) on the Dahua face. Each goes through its own `requests` session, its own Basic-then-Digest
sign-in and its own parsing: device info and clock, channel names, a day's search (times equal to the simulator's
recordings; Dahua's finder paged), a clip download that ffprobe reads, the event stream's motion and tamper, and a
wrong password refused. Nothing here comes from `console.nvr`. Loopback only.

Where a library's call was not used, the reason is the library's: pyhik's search does not page (one request,
`maxResults` only) and it has no calendar call that reads `dailyDistribution`; amcrest's `find_files` closes its
finder with `factory.close`/`factory.destroy`, which Dahua's API does not have (`close`/`destroy`; projects that
vendor amcrest patch those two lines), so its finder is driven here by amcrest's own `factory_create`/
`media_file_find_start`/`media_file_find_next` and closed through amcrest's `command()` with the documented actions.
"""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import amcrest
import pyhik
import pytest

from console.core.config import SiteConfig
from console.core.vntime import VN_TZ
from console.simulator.nvr.recorder import EventKind, Vendor
from console.simulator.nvr.schedule import DAY_MS
from console.simulator.nvr.server import RecorderSimulator, RunningRecorder
from tests.support.nvr_site import ADMIN, WRONG_PASSWORD, yesterday_at
from tests.support.waiting import wait_until

CLIP_S = 20
NO_HEARTBEAT_QUIET_S = 1.5  # longer than the Dahua face's shortest heartbeat (1 s), were it sending one unasked
CLOCK_SLACK_S = 5


@pytest.fixture(autouse=True)
def _loopback_never_proxied(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both libraries use `requests`, which honours proxy variables: the simulator is reached directly, always."""
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")


def hik_camera(running: RunningRecorder, password: str = ADMIN.password) -> pyhik.HikCamera:
    return pyhik.HikCamera("127.0.0.1", port=running.http_port, usr=ADMIN.username, pwd=password)


def dahua_camera(running: RunningRecorder, password: str = ADMIN.password) -> Any:
    return amcrest.AmcrestCamera("127.0.0.1", running.http_port, ADMIN.username, password,
                                 retries_connection=0, timeout_protocol=10.0).camera


def ms(moment: datetime) -> int:
    return round(moment.timestamp() * 1000)


def utc(at_ms: int) -> datetime:
    return datetime.fromtimestamp(at_ms / 1000, UTC)


def dahua_local(at_ms: int) -> datetime:
    """A moment as the Dahua face's wall clock shows it (Vietnam time, unmarked), as amcrest takes its times."""
    return datetime.fromtimestamp(at_ms / 1000, VN_TZ).replace(tzinfo=None)


def recorded(running: RunningRecorder, channel: int, start_ms: int, end_ms: int) -> list[tuple[int, int]]:
    """The files the simulator holds for the window, as (start, end) epoch ms."""
    schedule = running.state.schedule(channel)
    assert schedule is not None
    return [(f.start_ms, f.end_ms) for f in schedule.files(start_ms, end_ms, running.state.now_ms())]


def probe(path: Path) -> tuple[str, str, float]:
    """(codec, container, duration s) as ffprobe reads the file."""
    run = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=format_name,duration:stream=codec_name",
                          "-of", "csv=p=0", str(path)], capture_output=True, text=True, timeout=20)
    codec, container = run.stdout.split()
    name, _, duration = container.partition(",")
    return codec, name, float(duration) if duration not in ("", "N/A") else 0.0


def dahua_items(page: str) -> list[dict[str, str]]:
    """`items[i].Key=value` lines of a findNextFile answer, item by item."""
    items: dict[int, dict[str, str]] = {}
    for line in page.splitlines():
        if line.startswith("items["):
            index, _, rest = line[len("items["):].partition("].")
            key, _, value = rest.partition("=")
            items.setdefault(int(index), {})[key] = value
    return [items[i] for i in sorted(items)]


# -- Hikvision, through pyhik ---------------------------------------------------------------------------------------
def test_pyhik_reads_the_nvr_its_channels_and_its_clock(nvr: RecorderSimulator, nvr_config: SiteConfig) -> None:
    running = nvr.recorder(Vendor.HIKVISION)
    camera = hik_camera(running)
    # deviceInfo for the name and id, Event/triggers for the kind (an NVR: triggers above channel 1) and sensors.
    assert (camera.get_name, camera.get_id, camera.get_type) == ("Đầu ghi (mô phỏng)", running.state.serial, "NVR")
    assert sorted(camera.current_event_states) == ["Motion", "Tamper Detection"]
    assert [entry[1] for entry in camera.current_event_states["Motion"]] == list(range(1, 26))
    channels = pyhik.get_video_channels("127.0.0.1", running.http_port, ADMIN.username, ADMIN.password)
    assert [(c.id, c.name, c.enabled) for c in channels] == [(n, cam.name, True)
                                                              for n, cam in enumerate(nvr_config.cameras, start=1)]
    with pyhik.ISAPIClient("127.0.0.1", running.http_port, ADMIN.username, ADMIN.password) as client:
        info = client.get_device_info()
        clock = client.custom_request("GET", "/ISAPI/System/time")["Time"]
    assert (info["deviceType"], info["serialNumber"], info["ipChannelNum"]) == ("NVR", running.state.serial, "25")
    assert clock["timeZone"] == "CST-7:00:00"  # POSIX: UTC+7
    local = datetime.fromisoformat(clock["localTime"])
    assert local.utcoffset() == VN_TZ.utcoffset(None) and abs(local.timestamp() - time.time()) < CLOCK_SLACK_S


def test_pyhik_search_finds_the_days_recordings(nvr: RecorderSimulator) -> None:
    running = nvr.recorder(Vendor.HIKVISION)
    start = yesterday_at(0, 0, 0)
    found = hik_camera(running).search_recordings(301, utc(start), utc(start + DAY_MS), max_results=50)
    expected = recorded(running, 3, start, start + DAY_MS)
    assert len(expected) == 26  # 24 hour files, two of them cut by the day's gaps
    assert sorted((ms(r.start_time), ms(r.end_time)) for r in found) == expected
    prefix = f"rtsp://127.0.0.1:{running.rtsp_port}/Streaming/tracks/301/?starttime="
    assert all(r.track_id == 301 and r.content_type == "video" and r.playback_uri.startswith(prefix) for r in found)


def narrowed(playback_uri: str, start_ms: int, end_ms: int) -> str:
    """The search's playback URI with another start and end (its `name` and `size` kept, `&` left bare: that is
    what pyhik's download puts, unescaped, in its XML)."""
    parts = urlsplit(playback_uri)
    query = dict(parse_qsl(parts.query))
    query["starttime"], query["endtime"] = (f"{utc(t):%Y%m%dT%H%M%SZ}" for t in (start_ms, end_ms))
    return urlunsplit(parts._replace(query="&".join(f"{key}={value}" for key, value in query.items())))


def test_pyhik_downloads_a_clip_ffprobe_reads(nvr: RecorderSimulator, tmp_path: Path) -> None:
    running = nvr.recorder(Vendor.HIKVISION)
    camera = hik_camera(running)
    start = yesterday_at(8, 15, 0)
    hour = camera.search_recordings(101, utc(start), utc(start + 1000), max_results=5)
    assert [(ms(r.start_time), ms(r.end_time)) for r in hour] == [(yesterday_at(8, 0, 0), yesterday_at(9, 0, 0))]
    clip = tmp_path / "clip.ps"
    with clip.open("wb") as out:
        written = camera.download_recording(narrowed(hour[0].playback_uri, start, start + CLIP_S * 1000), out)
    assert written == clip.stat().st_size > 0
    codec, container, duration = probe(clip)
    assert (codec, container) == ("h264", "mpeg") and abs(duration - CLIP_S) < 0.2


def test_pyhik_alert_stream_turns_motion_and_tamper_on_and_off(nvr: RecorderSimulator) -> None:
    running = nvr.recorder(Vendor.HIKVISION)
    camera = hik_camera(running)
    changed: list[str] = []
    sensors = ("Motion.4", "Tamper Detection.7")
    for sensor in sensors:
        camera.add_update_callback(changed.append, f"{camera.get_id}.{sensor}")

    def state(sensor: str, channel: int) -> list[Any]:
        return list(camera.fetch_attributes(sensor, channel)[:3])  # [active, channel, activePostCount]

    camera.start_stream()
    try:
        # A stream that connects calls every callback once; then only changes do.
        wait_until(lambda: len(changed) == len(sensors) and running.event_streams == 1, 5, what="pyhik connected")
        changed.clear()
        running.event(4, EventKind.MOTION, True)
        running.event(7, EventKind.TAMPER, True)
        wait_until(lambda: state("Motion", 4)[0] and state("Tamper Detection", 7)[0], 5, what="both events on")
        assert state("Motion", 4) == [True, 4, 1] and state("Tamper Detection", 7) == [True, 7, 1]
        assert not state("Motion", 5)[0]
        running.event(4, EventKind.MOTION, False)
        wait_until(lambda: not state("Motion", 4)[0], 5, what="motion off")
        seen = list(changed)
    finally:
        camera.disconnect()
    prefix = f"{camera.get_id}."
    assert seen == [prefix + "Motion.4", prefix + "Tamper Detection.7", prefix + "Motion.4"]


# -- Dahua, through amcrest -----------------------------------------------------------------------------------------
def test_amcrest_reads_the_nvr_its_channel_titles_and_its_clock(nvr: RecorderSimulator,
                                                               nvr_config: SiteConfig) -> None:
    running = nvr.recorder(Vendor.DAHUA)
    camera = dahua_camera(running)
    # The first call signs in: Basic refused, then Digest on `magicBox.cgi?action=getMachineName`.
    assert (camera.machine_name, camera.serial_number) == (running.state.serial, running.state.serial)
    assert camera.device_type.startswith("DHI-NVR")
    titles = [line.split("=", 1) for line in camera.video_channel_title.splitlines()]
    assert titles == [[f"table.ChannelTitle[{n}].Name", cam.name] for n, cam in enumerate(nvr_config.cameras)]
    shown = camera.current_time.replace(tzinfo=VN_TZ)  # the device's wall clock, unmarked: Vietnam time here
    assert abs(shown.timestamp() - time.time()) < CLOCK_SLACK_S


@pytest.fixture
def dahua_finder(nvr: RecorderSimulator) -> Iterator[tuple[Any, str]]:
    camera = dahua_camera(nvr.recorder(Vendor.DAHUA))
    finder = camera.factory_create().strip().partition("=")[2]
    assert finder.isdigit()
    yield camera, finder
    for action in ("close", "destroy"):  # Dahua's own verbs (amcrest's factory_close sends `factory.close`)
        assert camera.command(f"mediaFileFind.cgi?action={action}&object={finder}").text.strip() == "OK"


def test_amcrest_pages_a_days_files_through_the_finder(nvr: RecorderSimulator, dahua_finder: tuple[Any, str]) -> None:
    running = nvr.recorder(Vendor.DAHUA)
    camera, finder = dahua_finder
    start = yesterday_at(0, 0, 0)
    answer = camera.media_file_find_start(finder, dahua_local(start), dahua_local(start + DAY_MS - 1000),
                                          channel=5, types=["dav"])
    assert answer.strip() == "OK"
    running.faults.page_limit = 10
    pages: list[list[dict[str, str]]] = []
    while not pages or pages[-1]:
        pages.append(dahua_items(camera.media_file_find_next(finder, count=100)))
    assert [len(page) for page in pages] == [10, 10, 6, 0]
    items = [item for page in pages for item in page]
    expected = recorded(running, 5, start, start + DAY_MS)
    assert [(item["StartTime"], item["EndTime"]) for item in items] == [
        (f"{dahua_local(s):%Y-%m-%d %H:%M:%S}", f"{dahua_local(e):%Y-%m-%d %H:%M:%S}") for s, e in expected]
    assert {item["Type"] for item in items} == {"dav"}
    assert all(item["FilePath"].startswith(f"/mnt/dvr/sda0/{dahua_local(start):%Y-%m-%d}/4/dav/") for item in items)


def test_amcrest_downloads_a_time_range_and_a_found_file(nvr: RecorderSimulator, dahua_finder: tuple[Any, str],
                                                         tmp_path: Path) -> None:
    running = nvr.recorder(Vendor.DAHUA)
    camera, finder = dahua_finder
    start = yesterday_at(8, 15, 0)
    clip = tmp_path / "range.dav"
    clip.write_bytes(camera.download_time(dahua_local(start), dahua_local(start + CLIP_S * 1000), channel=1))
    codec, container, duration = probe(clip)
    assert (codec, container) == ("h264", "dhav") and CLIP_S - 1 <= duration <= CLIP_S  # DHAV: whole-second dates
    night = yesterday_at(2, 0, 0)
    assert camera.media_file_find_start(finder, dahua_local(night), dahua_local(night + 3_600_000),
                                        channel=1).strip() == "OK"
    files = dahua_items(camera.media_file_find_next(finder))
    shortest = min(files, key=lambda item: int(item["Duration"]))  # 02:00 until the night's gap: minutes, not an hour
    assert int(shortest["Duration"]) < 600
    running.faults.preamble_max_bytes = 2048
    body = camera.download_file(shortest["FilePath"])
    lead = body.find(b"DHAV")
    assert 0 < lead <= 2048  # the firmware's bytes before the stream: amcrest hands them over as they came
    whole = tmp_path / "found.dav"
    whole.write_bytes(body[lead:])
    codec, container, duration = probe(whole)
    assert (codec, container) == ("h264", "dhav") and int(shortest["Duration"]) - 1 <= duration <= int(
        shortest["Duration"])


def test_amcrest_event_actions_read_motion_and_tamper_without_heartbeats(nvr: RecorderSimulator) -> None:
    running = nvr.recorder(Vendor.DAHUA)
    camera = dahua_camera(running)
    actions: list[tuple[str, dict[str, Any]]] = []
    failed: list[BaseException] = []

    def read() -> None:
        stream = camera.event_actions("All", retries=0, timeout_cmd=(5.0, 10.0))
        try:
            for action in stream:
                actions.append(action)
                if len(actions) == 3:
                    return
        except BaseException as exc:  # a Heartbeat part (never asked for) is a KeyError in amcrest's parser
            failed.append(exc)
        finally:
            stream.close()

    reader = threading.Thread(target=read, name="amcrest-events", daemon=True)
    reader.start()
    wait_until(lambda: running.event_streams == 1, 5, what="amcrest's attach")
    running.event(4, EventKind.MOTION, True)
    wait_until(lambda: actions or failed, 5, what="the first event")
    time.sleep(NO_HEARTBEAT_QUIET_S)  # an absence cannot be waited for: a heartbeat sent unasked would come now
    running.event(7, EventKind.TAMPER, True)
    running.event(4, EventKind.MOTION, False)
    reader.join(10)
    assert not reader.is_alive() and failed == []
    assert [(code, p["action"], p["index"]) for code, p in actions] == [
        ("VideoMotion", "Start", "3"), ("VideoBlind", "Start", "6"), ("VideoMotion", "Stop", "3")]
    assert actions[0][1]["data"] == {"Id": [0], "RegionName": ["Region1"]}  # the motion region, as JSON


# -- both ----------------------------------------------------------------------------------------------------------
def test_both_libraries_are_refused_with_a_wrong_password(nvr: RecorderSimulator) -> None:
    camera = hik_camera(nvr.recorder(Vendor.HIKVISION), WRONG_PASSWORD)
    assert (camera.get_name, camera.get_id, camera.current_event_states) == (None, None, None)
    with pytest.raises(amcrest.LoginError):
        _ = dahua_camera(nvr.recorder(Vendor.DAHUA), WRONG_PASSWORD).machine_name
