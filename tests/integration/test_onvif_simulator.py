"""The simulator's ONVIF face seen from outside: hand-written SOAP over http.client, zeep with the official WSDLs,
WS-Discovery over unicast UDP, ffprobe on the stream it points to. Loopback only: never multicast."""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from console.core.config import load_config
from console.core.credentials import Credentials, CredentialStore, with_credentials
from console.simulator.onvif.addresses import DEVICE_PATH, EVENTS_PATH, MEDIA_PATH, ONVIF_PORT_OFFSET, onvif_port
from console.simulator.rtp import Codec
from console.simulator.server import Simulator, SimulatorError, SimulatorOptions
from tests.support.onvif_soap import NS, call, camera_clock, camera_created, envelope, post, probe, security_header
from tests.support.processes import child
from tests.support.siteconfig import write_demo_config

WRONG = Credentials("admin", "Sai-Mat-Khau")


def rtsp_port(sim: Simulator, camera_id: str) -> int:
    port = urlsplit(sim.config.camera(camera_id).main_url).port
    assert port is not None
    return port


def device_url(sim: Simulator, camera_id: str) -> str:
    return f"http://127.0.0.1:{onvif_port(rtsp_port(sim, camera_id))}{DEVICE_PATH}"


def media_url(sim: Simulator, camera_id: str) -> str:
    return f"http://127.0.0.1:{onvif_port(rtsp_port(sim, camera_id))}{MEDIA_PATH}"


@pytest.fixture(scope="module")
def onvif_sim(tmp_path_factory: pytest.TempPathFactory, demo_password: Credentials) -> Iterator[Simulator]:
    """Three cameras with ONVIF: C01 and C02 want `demo_password`, C03 has no credentials ref."""
    folder = tmp_path_factory.mktemp("onvif")
    path = write_demo_config(folder / "site.toml", cameras=3, credentials="demo")
    head, _, tail = path.read_text("utf-8").rpartition('credentials = "demo"')
    path.write_text(head + tail, "utf-8")
    store = CredentialStore({"demo": demo_password})
    options = SimulatorOptions(loop_s=2.0, onvif=True, discovery_port=0, cache_dir=folder)
    with Simulator(load_config(path, store.refs), store, options) as sim:
        yield sim


def test_port_rule_puts_onvif_beside_rtsp() -> None:
    assert ONVIF_PORT_OFFSET == 1000
    assert onvif_port(18554) == 19554
    with pytest.raises(ValueError):
        onvif_port(65000)


def test_device_information_is_hikvision_like_and_the_same_on_every_call(onvif_sim: Simulator,
                                                                         demo_password: Credentials) -> None:
    def info(camera_id: str) -> dict[str, str]:
        reply = call(device_url(onvif_sim, camera_id), "<tds:GetDeviceInformation/>", demo_password)
        assert reply.status == 200, reply.body
        return {f: reply.text(f".//tds:{f}") for f in ("Manufacturer", "Model", "FirmwareVersion", "SerialNumber",
                                                        "HardwareId")}

    first, again, other = info("C01"), info("C01"), info("C02")
    assert first == again
    assert first["Manufacturer"] == "HIKVISION" and first["Model"].startswith("DS-2CD")
    assert first["SerialNumber"].startswith(first["Model"]) and first["SerialNumber"] != other["SerialNumber"]

    def mac(camera_id: str) -> str:
        reply = call(device_url(onvif_sim, camera_id), "<tds:GetNetworkInterfaces/>", demo_password)
        return reply.text(".//tt:Info/tt:HwAddress")

    assert mac("C01") == mac("C01") != mac("C02")
    assert len(mac("C01").split(":")) == 6
    hostname = call(device_url(onvif_sim, "C01"), "<tds:GetHostname/>", demo_password)
    assert hostname.text(".//tt:Name") == "IPC-C01"
    scopes = call(device_url(onvif_sim, "C01"), "<tds:GetScopes/>", demo_password)
    items = [e.text for e in scopes.findall(".//tt:ScopeItem")]
    assert "onvif://www.onvif.org/type/video_encoder" in items
    assert any(i and i.startswith("onvif://www.onvif.org/name/") for i in items)


def test_clock_is_the_station_clock_plus_the_camera_offset_and_needs_no_auth(onvif_sim: Simulator) -> None:
    url = device_url(onvif_sim, "C02")
    assert abs((camera_clock(url) - datetime.now(UTC)).total_seconds()) < 3.5  # its own small error, ≤ 2 s
    onvif_sim.onvif_clock("C02", 3 * 3600 + 12)
    try:
        shown = camera_clock(url)
        assert abs((shown - datetime.now(UTC)).total_seconds() - (3 * 3600 + 12)) < 1.5
        local = call(url, "<tds:GetSystemDateAndTime/>").find(".//tt:LocalDateTime/tt:Time/tt:Hour")
        assert int(local.text or "") == (shown + timedelta(hours=7)).hour  # Vietnam, ICT-7
    finally:
        onvif_sim.onvif_clock("C02", 0.0)


def test_set_date_and_time_moves_the_camera_clock_and_ntp_settings_are_kept(onvif_sim: Simulator,
                                                                            demo_password: Credentials) -> None:
    url = device_url(onvif_sim, "C02")
    target = datetime.now(UTC) - timedelta(days=1, hours=2)
    set_manual = ("<tds:SetSystemDateAndTime><tds:DateTimeType>Manual</tds:DateTimeType>"
                  "<tds:DaylightSavings>false</tds:DaylightSavings><tds:UTCDateTime>"
                  f"<tt:Time><tt:Hour>{target.hour}</tt:Hour><tt:Minute>{target.minute}</tt:Minute>"
                  f"<tt:Second>{target.second}</tt:Second></tt:Time><tt:Date><tt:Year>{target.year}</tt:Year>"
                  f"<tt:Month>{target.month}</tt:Month><tt:Day>{target.day}</tt:Day></tt:Date>"
                  "</tds:UTCDateTime></tds:SetSystemDateAndTime>")
    try:
        assert call(url, set_manual, demo_password, camera_created(url)).status == 200
        assert abs((camera_clock(url) - target).total_seconds()) < 2
        # From now on a token stamped with the station's clock is a day off the camera's: refused.
        assert call(url, "<tds:GetNTP/>", demo_password).fault == ["Sender", "NotAuthorized"]
        set_ntp = ("<tds:SetNTP><tds:FromDHCP>false</tds:FromDHCP><tds:NTPManual><tt:Type>DNS</tt:Type>"
                   "<tt:DNSname>pool.ntp.org</tt:DNSname></tds:NTPManual></tds:SetNTP>")
        assert call(url, set_ntp, demo_password, camera_created(url)).status == 200
        ntp = call(url, "<tds:GetNTP/>", demo_password, camera_created(url))
        assert ntp.text(".//tt:NTPManual/tt:DNSname") == "pool.ntp.org"
        bad_day = set_manual.replace(f"<tt:Day>{target.day}</tt:Day>", "<tt:Day>32</tt:Day>")
        assert call(url, bad_day, demo_password, camera_created(url)).fault == ["Sender", "InvalidArgVal",
                                                                                "InvalidDateTime"]
    finally:
        onvif_sim.onvif_clock("C02", 0.0)


def test_profiles_carry_the_simulator_stream_sizes(onvif_sim: Simulator, demo_password: Credentials) -> None:
    reply = call(media_url(onvif_sim, "C01"), "<trt:GetProfiles/>", demo_password)
    profiles = {p.get("token"): p for p in reply.findall(".//trt:Profiles")}
    assert set(profiles) == {"Profile_1", "Profile_2"}

    def facts(token: str) -> tuple[str, int, int, int]:
        encoder = profiles[token].find("tt:VideoEncoderConfiguration", NS)
        assert encoder is not None

        def number(path: str) -> int:
            return int(encoder.findtext(path, namespaces=NS) or "0")

        return (encoder.findtext("tt:Encoding", namespaces=NS) or "", number("tt:Resolution/tt:Width"),
                number("tt:Resolution/tt:Height"), number("tt:RateControl/tt:FrameRateLimit"))

    assert facts("Profile_1") == ("H264", 1920, 1080, 25)
    assert facts("Profile_2") == ("H264", 640, 360, 15)
    missing = call(media_url(onvif_sim, "C01"), "<trt:GetProfile><trt:ProfileToken>Profile_9</trt:ProfileToken>"
                   "</trt:GetProfile>", demo_password)
    assert missing.status == 400 and missing.fault == ["Sender", "InvalidArgVal", "NoProfile"]


def stream_uri(sim: Simulator, camera_id: str, token: str, credentials: Credentials | None) -> str:
    reply = call(media_url(sim, camera_id), "<trt:GetStreamUri><trt:StreamSetup><tt:Stream>RTP-Unicast</tt:Stream>"
                 "<tt:Transport><tt:Protocol>RTSP</tt:Protocol></tt:Transport></trt:StreamSetup>"
                 f"<trt:ProfileToken>{token}</trt:ProfileToken></trt:GetStreamUri>", credentials)
    assert reply.status == 200, reply.fault
    return reply.text(".//tt:Uri")


def test_stream_uri_is_the_real_stream_without_credentials_and_plays(onvif_sim: Simulator,
                                                                     demo_password: Credentials) -> None:
    uri = stream_uri(onvif_sim, "C01", "Profile_2", demo_password)
    assert uri == onvif_sim.config.camera("C01").sub_url and "@" not in uri
    assert stream_uri(onvif_sim, "C01", "Profile_1", demo_password) == onvif_sim.config.camera("C01").main_url
    out = subprocess.run(["ffprobe", "-v", "error", "-rtsp_transport", "tcp", "-show_entries",
                          "stream=codec_name,width,height", "-of", "json", with_credentials(uri, demo_password)],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, "ffprobe could not open the stream GetStreamUri returned"
    stream = json.loads(out.stdout)["streams"][0]
    assert (stream["codec_name"], stream["width"], stream["height"]) == ("h264", 640, 360)


def test_digest_auth_accepts_the_password_and_refuses_wrong_missing_stale_and_replayed(
        onvif_sim: Simulator, demo_password: Credentials) -> None:
    url = device_url(onvif_sim, "C01")
    assert call(url, "<tds:GetDeviceInformation/>", demo_password).status == 200
    for reply in (call(url, "<tds:GetDeviceInformation/>", WRONG), call(url, "<tds:GetDeviceInformation/>"),
                  call(url, "<tds:GetDeviceInformation/>", demo_password, camera_created(url, -30)),
                  call(url, "<tds:GetDeviceInformation/>", demo_password, camera_created(url, +30))):
        assert (reply.status, reply.fault) == (400, ["Sender", "NotAuthorized"])
        assert b'xmlns:ter="http://www.onvif.org/ver10/error"' in reply.body
    once = envelope("<tds:GetDeviceInformation/>", security_header(demo_password))
    assert post(url, once).status == 200
    assert post(url, once).fault == ["Sender", "NotAuthorized"]  # the same nonce again: a replay
    # A camera without credentials answers anyone, as the RTSP face does.
    assert call(device_url(onvif_sim, "C03"), "<tds:GetDeviceInformation/>").status == 200


def test_created_is_checked_against_the_camera_clock_not_the_station(onvif_sim: Simulator,
                                                                     demo_password: Credentials) -> None:
    url = device_url(onvif_sim, "C01")
    onvif_sim.onvif_clock("C01", -2 * 3600)
    try:
        assert call(url, "<tds:GetDeviceInformation/>", demo_password).fault == ["Sender", "NotAuthorized"]
        assert call(url, "<tds:GetDeviceInformation/>", demo_password, camera_created(url)).status == 200
    finally:
        onvif_sim.onvif_clock("C01", 0.0)


def test_services_and_capabilities_advertise_only_what_exists(onvif_sim: Simulator,
                                                              demo_password: Credentials) -> None:
    url = device_url(onvif_sim, "C01")
    services = call(url, "<tds:GetServices><tds:IncludeCapability>false</tds:IncludeCapability></tds:GetServices>",
                    demo_password)
    advertised = {s.findtext("tds:Namespace", namespaces=NS): s.findtext("tds:XAddr", namespaces=NS)
                  for s in services.findall(".//tds:Service")}
    events_url = media_url(onvif_sim, "C01").replace(MEDIA_PATH, EVENTS_PATH)
    assert advertised == {NS["tds"]: url, NS["trt"]: media_url(onvif_sim, "C01"), NS["tev"]: events_url}
    caps = call(url, "<tds:GetCapabilities><tds:Category>All</tds:Category></tds:GetCapabilities>", demo_password)
    assert [c.tag.rpartition("}")[2] for c in caps.find(".//tds:Capabilities")] == ["Device", "Events", "Media"]
    assert caps.text(".//tt:Media/tt:XAddr") == media_url(onvif_sim, "C01")
    ptz = call(url, "<tds:GetCapabilities><tds:Category>PTZ</tds:Category></tds:GetCapabilities>", demo_password)
    assert ptz.fault == ["Receiver", "ActionNotSupported", "NoSuchService"]
    snapshot = call(media_url(onvif_sim, "C01"), "<trt:GetSnapshotUri><trt:ProfileToken>Profile_1</trt:ProfileToken>"
                    "</trt:GetSnapshotUri>", demo_password)
    assert (snapshot.status, snapshot.fault) == (500, ["Receiver", "ActionNotSupported"])


def test_unicast_probe_gets_one_match_per_camera_with_its_device_address(onvif_sim: Simulator) -> None:
    address = onvif_sim.discovery_address
    assert address is not None and address[0] == "127.0.0.1"
    message_id, answers = probe(address)
    assert len(answers) == 3
    seen = {}
    for answer in answers:
        assert answer.findtext(".//wsa:RelatesTo", namespaces=NS) == message_id
        assert answer.findtext(".//wsa:Action", namespaces=NS) == f"{NS['d']}/ProbeMatches"
        match = answer.find(".//d:ProbeMatches/d:ProbeMatch", NS)
        assert match is not None
        urn = match.findtext("wsa:EndpointReference/wsa:Address", namespaces=NS) or ""
        assert urn.startswith("urn:uuid:")
        assert "onvif://www.onvif.org/type/video_encoder" in (match.findtext("d:Scopes", namespaces=NS) or "")
        seen[match.findtext("d:XAddrs", namespaces=NS)] = urn
    assert set(seen) == {device_url(onvif_sim, c) for c in ("C01", "C02", "C03")}
    assert len(set(seen.values())) == 3
    assert probe(address)[1][0].findtext(".//wsa:Address", namespaces=NS) in seen.values()  # stable per camera
    assert probe(address, types="dn:SomethingElse", wait_s=0.3)[1] == []


def test_slow_camera_answers_late(onvif_sim: Simulator) -> None:
    url = device_url(onvif_sim, "C03")
    onvif_sim.onvif_slow("C03", 1.0)
    try:
        assert call(url, "<tds:GetSystemDateAndTime/>").elapsed_s >= 1.0
        with pytest.raises(TimeoutError):
            call(url, "<tds:GetSystemDateAndTime/>", timeout_s=0.3)
    finally:
        onvif_sim.onvif_slow("C03", 0)
    assert call(url, "<tds:GetSystemDateAndTime/>").elapsed_s < 0.5


def test_malformed_camera_sends_broken_xml(onvif_sim: Simulator) -> None:
    import xml.etree.ElementTree as ET

    url = device_url(onvif_sim, "C03")
    onvif_sim.onvif_malformed("C03")
    try:
        reply = call(url, "<tds:GetDeviceInformation/>")
        assert reply.status == 200
        with pytest.raises(ET.ParseError):
            reply.xml()
    finally:
        onvif_sim.onvif_malformed("C03", False)
    assert call(url, "<tds:GetDeviceInformation/>").text(".//tds:Manufacturer") == "HIKVISION"


def test_http_layer_refuses_what_is_not_a_soap_post_and_keeps_connections_alive(onvif_sim: Simulator) -> None:
    url = device_url(onvif_sim, "C03")
    get = post(url, b"", method="GET")
    assert (get.status, get.headers.get("allow")) == (405, "POST")
    assert post(url, b"x" * 10, headers={"Content-Length": "300000"}).status == 413
    assert post(url.replace(DEVICE_PATH, "/onvif/nothing"), envelope("<tds:GetHostname/>")).status == 404
    assert post(url, b"<not-soap/>").fault == ["Sender", "WellFormed"]
    with socket.create_connection(("127.0.0.1", onvif_port(rtsp_port(onvif_sim, "C03"))), timeout=5) as sock:
        sock.sendall(b"POST /onvif/device_service HTTP/1.1\r\nHost: x\r\n\r\n")
        assert sock.recv(100).startswith(b"HTTP/1.1 400 ")
    connection = http.client.HTTPConnection("127.0.0.1", onvif_port(rtsp_port(onvif_sim, "C03")), timeout=5)
    try:
        for _ in range(3):  # one TCP connection, three answers
            connection.request("POST", DEVICE_PATH, envelope("<tds:GetSystemDateAndTime/>"))
            response = connection.getresponse()
            assert response.status == 200 and b"UTCDateTime" in response.read()
    finally:
        connection.close()


def test_zeep_with_the_onvif_wsdls_reads_the_simulator(onvif_sim: Simulator, demo_password: Credentials) -> None:
    import onvif
    import requests
    import zeep
    from zeep.transports import Transport
    from zeep.wsse.username import UsernameToken

    wsdl = Path(onvif.__file__).parent / "wsdl"
    session = requests.Session()
    session.trust_env = False  # loopback only, whatever proxy the environment names
    transport = Transport(session=session, timeout=5)

    def service(file: str, binding: str, url: str, credentials: Credentials) -> object:
        client = zeep.Client(str(wsdl / file), transport=transport,
                             wsse=UsernameToken(credentials.username, credentials.password, use_digest=True))
        return client.create_service(binding, url)

    device = service("devicemgmt.wsdl", f"{{{NS['tds']}}}DeviceBinding", device_url(onvif_sim, "C02"),
                     demo_password)
    info = device.GetDeviceInformation()  # type: ignore[attr-defined]
    assert info.Manufacturer == "HIKVISION"
    assert device.GetSystemDateAndTime().UTCDateTime.Date.Year >= 2024  # type: ignore[attr-defined]
    media = service("media.wsdl", f"{{{NS['trt']}}}MediaBinding", media_url(onvif_sim, "C02"), demo_password)
    sizes = [(p.VideoEncoderConfiguration.Resolution.Width, p.VideoEncoderConfiguration.Resolution.Height)
             for p in media.GetProfiles()]  # type: ignore[attr-defined]
    assert sizes == [(1920, 1080), (640, 360)]
    wrong = service("devicemgmt.wsdl", f"{{{NS['tds']}}}DeviceBinding", device_url(onvif_sim, "C02"), WRONG)
    with pytest.raises(zeep.exceptions.Fault) as fault:
        wrong.GetDeviceInformation()  # type: ignore[attr-defined]
    assert [(q.namespace, q.localname) for q in fault.value.subcodes] == [(NS["ter"], "NotAuthorized")]


def test_h265_simulator_reports_h265_profiles(tmp_path: Path) -> None:
    config = load_config(write_demo_config(tmp_path / "hevc.toml", cameras=1))
    with Simulator(config, options=SimulatorOptions(loop_s=2.0, codec=Codec.H265, onvif=True)) as sim:
        reply = call(media_url(sim, "C01"), "<trt:GetProfiles/>")
        assert [e.text for e in reply.findall(".//tt:VideoEncoderConfiguration/tt:Encoding")] == ["H265", "H265"]
        assert reply.findall(".//tt:H264") == []


def test_without_onvif_no_onvif_port_is_opened(tmp_path: Path) -> None:
    config = load_config(write_demo_config(tmp_path / "plain.toml", cameras=1))
    with Simulator(config, options=SimulatorOptions(loop_s=2.0)) as sim:
        assert sim.discovery_address is None
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", onvif_port(rtsp_port(sim, "C01"))), timeout=2).close()
        with pytest.raises(SimulatorError):
            sim.onvif_slow("C01", 1.0)


def test_command_line_onvif_flag_serves_onvif_and_discovery(tmp_path: Path) -> None:
    config = write_demo_config(tmp_path / "cli.toml", cameras=2)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        discovery_port = sock.getsockname()[1]
    command = [sys.executable, "-m", "console.simulator", "--config", str(config), "--onvif", "--discovery-port",
               str(discovery_port), "--no-prepare", "--loop-s", "2", "--duration", "30"]
    with child(command, "SIMULATOR READY"):
        camera = load_config(config).cameras[0]
        port = urlsplit(camera.main_url).port
        assert port is not None
        url = f"http://127.0.0.1:{onvif_port(port)}{DEVICE_PATH}"
        assert call(url, "<tds:GetDeviceInformation/>").text(".//tds:Manufacturer") == "HIKVISION"
        started = time.monotonic()
        assert len(probe(("127.0.0.1", discovery_port))[1]) == 2
        assert time.monotonic() - started < 2
