"""`python -m console.simulator.nvr` as a process on 127.0.0.1, its faults set from the command line (silent events,
a login without playback rights, the advertised playback host, broken answers), checked from outside with `requests`
and Digest auth, then stopped by SIGTERM within a bound."""

from __future__ import annotations

import signal
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
import urllib3
from requests.auth import HTTPDigestAuth

from console.core.credentials import Credentials, CredentialStore
from tests.support.ports import free_ports
from tests.support.processes import child

ROOT = Path(__file__).resolve().parents[2]
ADMIN = Credentials("admin", "Cli-Sim-Admin-1")
VIEWER = Credentials("xemlai", "Cli-Sim-Viewer-2")
READY = "RECORDER SIMULATOR READY"
STOP_WITHIN_S = 10.0
CALL_TIMEOUT_S = 5.0
SILENT_FOR_S = 2.5  # Dahua heartbeats every second when asked for `heartbeat=1`
ADVERTISED = ("192.0.2.10", 8554)  # TEST-NET-1: written into the URIs, never contacted


@contextmanager
def simulator(tmp_path: Path, *flags: str) -> Iterator[dict[str, int]]:
    """The simulator with `flags`; yields its ports ({"hikvision": http, "dahua": http}); stopped by SIGTERM, which
    must end it cleanly within STOP_WITHIN_S."""
    store = tmp_path / "credentials.toml"
    CredentialStore({"nvr": ADMIN, "xemlai": VIEWER}).save(store)
    hik_http, hik_rtsp, dahua_http, dahua_rtsp = free_ports(4)
    command = [sys.executable, "-m", "console.simulator.nvr", "--credentials", str(store), "--loop-s", "2",
               "--record", "sub", "--hikvision-http", str(hik_http), "--hikvision-rtsp", str(hik_rtsp),
               "--dahua-http", str(dahua_http), "--dahua-rtsp", str(dahua_rtsp), "--duration", "120", *flags]
    with child(command, READY, timeout_s=20.0) as process:
        yield {"hikvision": hik_http, "dahua": dahua_http}
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(timeout=STOP_WITHIN_S)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the simulator did not stop within {STOP_WITHIN_S:g} s of SIGTERM")
        assert code == 0


def search(port: int, login: Credentials) -> requests.Response:
    """A Hikvision day search of channel 1's main track (yesterday 09:00–10:00 UTC), as the adapter POSTs it."""
    day = datetime.now(UTC).date() - timedelta(days=1)
    start = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
    spans = (start.strftime("%Y-%m-%dT%H:%M:%SZ"), (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"))
    body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><CMSearchDescription><searchID>CLI-TEST</searchID>"
            "<trackIDList><trackID>101</trackID></trackIDList><timeSpanList><timeSpan>"
            f"<startTime>{spans[0]}</startTime><endTime>{spans[1]}</endTime></timeSpan></timeSpanList>"
            "<maxResults>50</maxResults><searchResultPostion>0</searchResultPostion></CMSearchDescription>")
    return requests.post(f"http://127.0.0.1:{port}/ISAPI/ContentMgmt/search", data=body.encode(),
                         headers={"Content-Type": "application/xml"},
                         auth=HTTPDigestAuth(login.username, login.password), timeout=CALL_TIMEOUT_S)


def first_event_bytes(port: int) -> bytes | None:
    """What Dahua's event stream (heartbeat asked every second) sends within SILENT_FOR_S; None: nothing at all."""
    with requests.get(f"http://127.0.0.1:{port}/cgi-bin/eventManager.cgi",
                      params={"action": "attach", "codes": "[All]", "heartbeat": "1"},
                      auth=HTTPDigestAuth(ADMIN.username, ADMIN.password), stream=True,
                      timeout=(CALL_TIMEOUT_S, SILENT_FOR_S)) as answer:
        assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("multipart/x-mixed-replace")
        try:
            data: bytes = answer.raw.read(64)
        except (urllib3.exceptions.ReadTimeoutError, requests.exceptions.ConnectionError):
            return None
        return data


def test_silent_events_a_login_without_playback_rights_and_the_advertised_host_from_the_command_line(
        tmp_path: Path) -> None:
    host, rtsp_port = ADVERTISED
    with simulator(tmp_path, "--events-silent", "--viewer-ref", "xemlai", "--advertised-host", host,
                   "--advertised-rtsp-port", str(rtsp_port)) as ports:
        found = search(ports["hikvision"], ADMIN)
        assert found.status_code == 200, found.text[:500]
        uris = [e.text or "" for e in ET.fromstring(found.content).iter() if e.tag.endswith("}playbackURI")]
        assert uris and all(u.startswith(f"rtsp://{host}:{rtsp_port}/Streaming/tracks/101/") for u in uris), uris

        refused = search(ports["hikvision"], VIEWER)  # the viewer logs in, but may not search recordings
        assert refused.status_code == 403 and b"lowPrivilege" in refused.content
        viewer = HTTPDigestAuth(VIEWER.username, VIEWER.password)
        dahua = f"http://127.0.0.1:{ports['dahua']}/cgi-bin/mediaFileFind.cgi"
        assert requests.get(dahua, params={"action": "factory.create"}, auth=viewer,
                            timeout=CALL_TIMEOUT_S).status_code == 403
        assert requests.get(dahua, params={"action": "factory.create"}, auth=HTTPDigestAuth(
            ADMIN.username, ADMIN.password), timeout=CALL_TIMEOUT_S).text.startswith("result=")

        assert first_event_bytes(ports["dahua"]) is None  # open, and not even a heartbeat


def test_broken_answers_from_the_command_line_while_the_event_stream_still_beats(tmp_path: Path) -> None:
    with simulator(tmp_path, "--malformed") as ports:
        auth = HTTPDigestAuth(ADMIN.username, ADMIN.password)
        titles = requests.get(f"http://127.0.0.1:{ports['dahua']}/cgi-bin/configManager.cgi",
                              params={"action": "getConfig", "name": "ChannelTitle"}, auth=auth,
                              timeout=CALL_TIMEOUT_S)
        assert titles.status_code == 200 and titles.text.startswith("<html>")
        assert "table.ChannelTitle" not in titles.text
        info = requests.get(f"http://127.0.0.1:{ports['hikvision']}/ISAPI/System/deviceInfo", auth=auth,
                            timeout=CALL_TIMEOUT_S)
        assert info.status_code == 200
        with pytest.raises(ET.ParseError):  # the XML cut in half
            ET.fromstring(info.content)
        beat = first_event_bytes(ports["dahua"])  # the control for the silence above: a heartbeat within the wait
        assert beat is not None and beat.startswith(b"--")
