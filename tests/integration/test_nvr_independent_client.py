"""The recorder simulator seen by a second, independent client (`http.client` with its own Digest, `ffprobe`), so
that the adapters and the simulator cannot agree by sharing a mistake: both faces' channel lists, Hikvision's search
refused on GET and paged on POST, the Dahua finder's life cycle, downloads with and without Dahua's preamble,
both event streams' heartbeats and events, and Digest refusing a wrong password. Loopback only."""

from __future__ import annotations

import subprocess
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote

from console.simulator.nvr.recorder import Vendor
from console.simulator.nvr.server import RecorderSimulator, RunningRecorder
from tests.support.nvr_raw_client import RawDigestHttp
from tests.support.nvr_site import ADMIN, WRONG_PASSWORD, yesterday_at

NS = "{http://www.isapi.org/ver20/XMLSchema}"




def raw(running: RunningRecorder, password: str = ADMIN.password) -> RawDigestHttp:
    return RawDigestHttp("127.0.0.1", running.http_port, ADMIN.username, password)


def utc(ms: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ms / 1000))


def dahua_local(ms: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(ms / 1000 + 7 * 3600))


def search_body(position: int, max_results: int, start_ms: int, end_ms: int) -> bytes:
    return (f"<?xml version='1.0' encoding='utf-8'?><CMSearchDescription><searchID>C0FFEE00-0000-4000-8000-"
            f"000000000001</searchID><trackList><trackID>301</trackID></trackList><timeSpanList><timeSpan>"
            f"<startTime>{utc(start_ms)}</startTime><endTime>{utc(end_ms)}</endTime></timeSpan></timeSpanList>"
            f"<maxResults>{max_results}</maxResults><searchResultPostion>{position}</searchResultPostion>"
            f"</CMSearchDescription>").encode()


def test_digest_refuses_a_wrong_password_on_both_faces(nvr: RecorderSimulator) -> None:
    assert raw(nvr.recorder(Vendor.HIKVISION), WRONG_PASSWORD).request("GET", "/ISAPI/System/time").status == 401
    answer = raw(nvr.recorder(Vendor.DAHUA), WRONG_PASSWORD).request("GET", "/cgi-bin/global.cgi?action=getCurrentTime")
    assert answer.status == 401


def test_hikvision_lists_its_channels_and_its_clock(nvr: RecorderSimulator) -> None:
    client = raw(nvr.recorder(Vendor.HIKVISION))
    channels = ET.fromstring(client.request("GET", "/ISAPI/ContentMgmt/InputProxy/channels").body)
    assert [c.findtext(f"{NS}id") for c in channels] == [str(n) for n in range(1, 26)]
    clock = ET.fromstring(client.request("GET", "/ISAPI/System/time").body)
    assert clock.findtext(f"{NS}timeZone") == "CST-7:00:00"
    assert (clock.findtext(f"{NS}localTime") or "").endswith("+07:00")


def test_hikvision_refuses_a_get_search_and_pages_a_post_one(nvr: RecorderSimulator) -> None:
    running = nvr.recorder(Vendor.HIKVISION)
    client = raw(running)
    refused = client.request("GET", "/ISAPI/ContentMgmt/search")
    assert refused.status == 403 and b"methodNotAllowed" in refused.body
    running.faults.page_limit = 5
    start, end = yesterday_at(0, 0, 0), yesterday_at(23, 59, 59)
    statuses, spans, position = [], [], 0
    while True:
        answer = client.request("POST", "/ISAPI/ContentMgmt/search", search_body(position, 40, start, end))
        assert answer.status == 200
        root = ET.fromstring(answer.body)
        statuses.append(root.findtext(f"{NS}responseStatusStrg"))
        items = root.findall(f".//{NS}searchMatchItem")
        spans += [(i.findtext(f".//{NS}startTime"), i.findtext(f".//{NS}endTime")) for i in items]
        position += int(root.findtext(f"{NS}numOfMatches") or 0)
        if statuses[-1] != "MORE":
            break
    assert statuses == ["MORE"] * 5 + ["OK"] and len(spans) == 26  # 24 hour files, two cut by gaps
    beyond = client.request("POST", "/ISAPI/ContentMgmt/search", search_body(position, 40, start, end))
    assert ET.fromstring(beyond.body).findtext(f"{NS}responseStatusStrg") == "NO MATCHES"


def test_hikvision_downloads_a_clip_ffprobe_reads(nvr: RecorderSimulator, tmp_path: Path) -> None:
    running = nvr.recorder(Vendor.HIKVISION)
    start = yesterday_at(8, 15, 0)
    uri = (f"rtsp://127.0.0.1:{running.rtsp_port}/Streaming/tracks/101/?starttime="
           f"{utc(start).replace('-', '').replace(':', '')}&amp;endtime="
           f"{utc(start + 30_000).replace('-', '').replace(':', '')}")
    body = f"<downloadRequest><playbackURI>{uri}</playbackURI></downloadRequest>".encode()
    answer = raw(running).request("GET", "/ISAPI/ContentMgmt/download", body)
    assert answer.status == 200 and int(answer.headers["content-length"]) == len(answer.body)
    clip = tmp_path / "raw.ps"
    clip.write_bytes(answer.body)
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=format_name,duration:stream=codec_name",
                            "-of", "csv=p=0", str(clip)], capture_output=True, text=True, timeout=20)
    codec, container = probe.stdout.split()
    assert codec == "h264" and container.startswith("mpeg,"), probe.stdout + probe.stderr
    assert abs(float(container.split(",")[1]) - 30) < 0.1


def test_dahua_lists_titles_and_finds_files_with_its_finder(nvr: RecorderSimulator) -> None:
    running = nvr.recorder(Vendor.DAHUA)
    client = raw(running)
    titles = client.request("GET", "/cgi-bin/configManager.cgi?action=getConfig&name=ChannelTitle").body.decode()
    assert titles.splitlines()[0].startswith("table.ChannelTitle[0].Name=C01 ·") and titles.count("Name=") == 25
    finder = client.request("GET", "/cgi-bin/mediaFileFind.cgi?action=factory.create").body.decode().strip()
    assert finder.startswith("result=")
    number = finder.split("=")[1]
    window = (f"&condition.Channel=1&condition.StartTime={quote(dahua_local(yesterday_at(0, 0, 0)))}"
              f"&condition.EndTime={quote(dahua_local(yesterday_at(23, 59, 59)))}&condition.Types[0]=dav")
    started = client.request("GET", f"/cgi-bin/mediaFileFind.cgi?action=findFile&object={number}{window}")
    assert started.body == b"OK\r\n"
    running.faults.page_limit = 10
    found = []
    while True:
        page = client.request("GET", f"/cgi-bin/mediaFileFind.cgi?action=findNextFile&object={number}&count=100")
        lines = page.body.decode().splitlines()
        count = int(lines[0].split("=")[1])
        found += [line.split("=", 1)[1] for line in lines if ".FilePath=" in line]
        if count == 0:
            break
    assert len(found) == 26
    for action in ("close", "destroy"):
        assert client.request("GET", f"/cgi-bin/mediaFileFind.cgi?action={action}&object={number}").body == b"OK\r\n"
    gone = client.request("GET", f"/cgi-bin/mediaFileFind.cgi?action=findNextFile&object={number}&count=1")
    assert gone.status == 400


def test_dahua_sends_a_preamble_before_the_dhav_stream(nvr: RecorderSimulator, tmp_path: Path) -> None:
    running = nvr.recorder(Vendor.DAHUA)
    running.faults.preamble_max_bytes = 2048
    start = yesterday_at(8, 15, 0)
    path = f"/mnt/dvr/sda0/{dahua_local(start)[:10]}/0/dav/08/08.15.00-08.15.20[R][0@0][0].dav"
    body = raw(running).request("GET", "/cgi-bin/RPC_Loadfile" + quote(path)).body
    lead = body.find(b"DHAV")
    assert 0 < lead <= 2048
    clip = tmp_path / "raw.dav"
    clip.write_bytes(body[lead:])
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=format_name,duration:stream=codec_name",
                            "-of", "csv=p=0", str(clip)], capture_output=True, text=True, timeout=20)
    assert probe.stdout.split()[0] == "h264" and probe.stdout.split()[1].startswith("dhav,"), probe.stderr


def read_parts(response: object, wanted: int, deadline_s: float) -> list[bytes]:
    """The first `wanted` part bodies of a multipart stream (read with Content-Length, as they come)."""
    stream = response.fp  # type: ignore[attr-defined]
    bodies: list[bytes] = []
    end = time.monotonic() + deadline_s
    while len(bodies) < wanted and time.monotonic() < end:
        line = stream.readline()
        if not line.startswith(b"--"):
            continue
        headers = {}
        while (header := stream.readline().strip()):
            name, _, value = header.decode().partition(":")
            headers[name.lower()] = value.strip()
        bodies.append(stream.read(int(headers["content-length"])))
    return bodies


def test_both_event_streams_send_heartbeats_and_events(nvr: RecorderSimulator) -> None:
    hik, dahua = nvr.recorder(Vendor.HIKVISION), nvr.recorder(Vendor.DAHUA)
    alerts = raw(hik).open("GET", "/ISAPI/Event/notification/alertStream")
    attach = raw(dahua).open("GET", "/cgi-bin/eventManager.cgi?action=attach&codes=[All]&heartbeat=1")
    try:
        assert alerts.getheader("Content-Type", "").startswith("multipart/mixed; boundary=")
        assert attach.getheader("Content-Type", "").startswith("multipart/x-mixed-replace; boundary=")
        hik.event(4, "motion", True)
        dahua.event(4, "motion", True)
        hik_parts, dahua_parts = read_parts(alerts, 2, 5), read_parts(attach, 2, 5)
    finally:
        alerts.close()
        attach.close()
    event = ET.fromstring(hik_parts[0])
    assert (event.findtext(f"{NS}eventType"), event.findtext(f"{NS}channelID"),
            event.findtext(f"{NS}eventState")) == ("VMD", "4", "active")
    heartbeat = ET.fromstring(hik_parts[1])
    assert heartbeat.findtext(f"{NS}eventType") == "videoloss" and heartbeat.findtext(f"{NS}activePostCount") == ""
    assert dahua_parts[0].startswith(b"Code=VideoMotion;action=Start;index=3")
    assert dahua_parts[1] == b"Heartbeat"
