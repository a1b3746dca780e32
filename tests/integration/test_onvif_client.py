"""Our ONVIF adapter and `python -m console.onvif discover` against the simulator's ONVIF face (3 cameras):
what they read, and the Vietnamese errors for each way a device can fail. Loopback only: the probe goes to
the simulator's unicast discovery port, never to the multicast group."""

from __future__ import annotations

import asyncio
import http.server
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from console.core.config import load_config
from console.core.credentials import Credentials, CredentialStore, with_credentials
from console.core.redact import has_userinfo_password
from console.onvif.device import OnvifDevice, connect
from console.onvif.discovery import probe, scan
from console.onvif.errors import OnvifError, OnvifErrorKind
from console.simulator.server import Simulator, SimulatorOptions
from tests.support.clients import read_frames
from tests.support.ports import free_ports
from tests.support.siteconfig import write_demo_config

ROOT = Path(__file__).resolve().parents[2]
CAMERAS = ("C01", "C02", "C03")
THREE_HOURS_S = 3 * 3600.0
CONTRACT_KEYS = {"address", "port", "manufacturer", "model", "firmware", "serial", "clock_offset_s", "profiles",
                 "ptz", "events"}
PROFILE_KEYS = {"token", "name", "encoding", "width", "height", "stream_uri"}


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory, demo_password: Credentials) -> Iterator[Simulator]:
    folder = tmp_path_factory.mktemp("onvif-client")
    path = write_demo_config(folder / "site.toml", cameras=3, credentials="demo")
    store = CredentialStore({"demo": demo_password})
    options = SimulatorOptions(loop_s=2.0, onvif=True, discovery_port=0, cache_dir=folder)
    with Simulator(load_config(path, store.refs), store, options) as simulator:
        yield simulator


def _secret_file(path: Path, password: str) -> Iterator[Path]:
    """A password file as a technician makes one; removed after the test (the suite's sweep looks for test
    passwords in every file left behind, and these files are the one place they belong)."""
    path.write_text(password + "\n", "utf-8")
    path.chmod(0o600)
    yield path
    path.unlink()


@pytest.fixture()
def password_file(tmp_path: Path, demo_password: Credentials) -> Iterator[Path]:
    yield from _secret_file(tmp_path / "password", demo_password.password)


@pytest.fixture()
def wrong_password_file(tmp_path: Path) -> Iterator[Path]:
    yield from _secret_file(tmp_path / "wrong", "Sai-Mat-Khau")


def discovery_target(sim: Simulator) -> str:
    address = sim.discovery_address
    assert address is not None and address[0] == "127.0.0.1"
    return f"127.0.0.1:{address[1]}"


def onvif_port(sim: Simulator, camera_id: str) -> int:
    return sim.onvif_device(camera_id).spec.port


def rtsp_port(sim: Simulator, camera_id: str) -> int:
    port = urlsplit(sim.config.camera(camera_id).main_url).port
    assert port is not None
    return port


def true_offset(sim: Simulator, camera_id: str) -> float:
    return sim.onvif_device(camera_id).state.clock.offset_s


def read(sim: Simulator, camera_id: str, credentials: Credentials | None, timeout_s: float = 5.0) -> OnvifDevice:
    return asyncio.run(connect("127.0.0.1", onvif_port(sim, camera_id), credentials, timeout_s=timeout_s))


def failure(sim: Simulator, camera_id: str, credentials: Credentials | None, timeout_s: float = 5.0) -> OnvifError:
    with pytest.raises(OnvifError) as caught:
        read(sim, camera_id, credentials, timeout_s)
    return caught.value


def run_cli(*args: str, timeout_s: float = 90) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "console.onvif", "discover", *args], capture_output=True,
                          text=True, timeout=timeout_s, cwd=ROOT)


@pytest.fixture()
def clock_three_hours_ahead(sim: Simulator) -> Iterator[str]:
    before = true_offset(sim, "C02")
    sim.onvif_clock("C02", THREE_HOURS_S)
    yield "C02"
    sim.onvif_clock("C02", before)


def test_probe_to_the_unicast_responder_finds_the_three_cameras_once_each(sim: Simulator) -> None:
    matches = asyncio.run(probe(discovery_target(sim), wait_s=1.0))
    assert len(matches) == 3 and len({m.endpoint for m in matches}) == 3
    addresses = {m.device_address() for m in matches}
    assert addresses == {("127.0.0.1", onvif_port(sim, c)) for c in CAMERAS}
    assert all(any(t.endswith("NetworkVideoTransmitter") for t in m.types) for m in matches)


def test_a_camera_tells_who_it_is_its_profiles_and_stream_addresses(sim: Simulator,
                                                                    demo_password: Credentials) -> None:
    device = read(sim, "C01", demo_password)
    identity = sim.onvif_device("C01").state.identity
    assert (device.info.manufacturer, device.info.model, device.info.firmware, device.info.serial,
            device.info.hardware_id, device.info.mac) == (identity.manufacturer, identity.model, identity.firmware,
                                                          identity.serial, identity.hardware_id, identity.mac)
    sizes = {(p.name, p.width, p.height, p.encoding) for p in device.profiles}
    assert sizes == {("mainStream", 1920, 1080, "H264"), ("subStream", 640, 360, "H264")}
    assert all(p.fps and p.fps > 0 for p in device.profiles)
    for profile in device.profiles:
        assert profile.stream_uri is not None
        assert profile.stream_uri.startswith(f"rtsp://127.0.0.1:{rtsp_port(sim, 'C01')}/")
        assert "@" not in profile.stream_uri and not has_userinfo_password(profile.stream_uri)
    assert (device.ptz, device.events) == (False, True)  # fixed cameras (no --ptz) with a PullPoint event service


def test_stream_addresses_play_once_the_stored_credentials_are_added(sim: Simulator,
                                                                     demo_password: Credentials) -> None:
    device = read(sim, "C03", demo_password)
    sub = next(p for p in device.profiles if p.name == "subStream")
    assert sub.stream_uri is not None
    result = read_frames(with_credentials(sub.stream_uri, demo_password), 5)
    assert result.frames == 5 and (result.width, result.height) == (sub.width, sub.height)


def test_clock_offsets_are_measured_within_half_a_second(sim: Simulator, demo_password: Credentials) -> None:
    for camera_id in CAMERAS:
        device = read(sim, camera_id, demo_password)
        assert device.clock_offset_s is not None
        assert abs(device.clock_offset_s - true_offset(sim, camera_id)) < 0.5, camera_id


def test_a_camera_three_hours_off_is_read_with_adjusted_time_and_its_offset(
        sim: Simulator, demo_password: Credentials, clock_three_hours_ahead: str) -> None:
    device = read(sim, clock_three_hours_ahead, demo_password)
    assert device.clock_adjusted
    assert device.clock_offset_s is not None and abs(device.clock_offset_s - THREE_HOURS_S) < 0.5
    assert device.info.serial == sim.onvif_device(clock_three_hours_ahead).state.identity.serial


def test_wrong_password_is_auth_with_a_vietnamese_message_naming_the_camera(sim: Simulator) -> None:
    error = failure(sim, "C01", Credentials("admin", "Sai-Mat-Khau"))
    address = f"127.0.0.1:{onvif_port(sim, 'C01')}"
    assert error.kind is OnvifErrorKind.AUTH and error.address == address
    assert error.message_vi == f"Camera {address} từ chối đăng nhập: sai tên đăng nhập hoặc mật khẩu."
    assert "Sai-Mat-Khau" not in repr(error) + str(error) + error.detail


def test_no_credentials_for_a_camera_that_wants_them_is_auth(sim: Simulator) -> None:
    assert failure(sim, "C01", None).kind is OnvifErrorKind.AUTH


def test_wrong_password_on_a_camera_hours_off_names_the_clock(sim: Simulator, clock_three_hours_ahead: str) -> None:
    error = failure(sim, clock_three_hours_ahead, Credentials("admin", "Sai-Mat-Khau"))
    assert error.kind is OnvifErrorKind.CLOCK
    assert "lệch +3 giờ 0 phút 0 giây" in error.message_vi and error.address in error.message_vi


def test_a_port_with_no_server_is_unreachable() -> None:
    [port] = free_ports(1)
    with pytest.raises(OnvifError) as caught:
        asyncio.run(connect("127.0.0.1", port, None, timeout_s=2.0))
    assert caught.value.kind is OnvifErrorKind.UNREACHABLE
    assert caught.value.message_vi.startswith(f"Không kết nối được tới 127.0.0.1:{port}")


class _WebPage(http.server.BaseHTTPRequestHandler):
    """A camera's web interface, or any web server on the port typed: HTML, not SOAP."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        body = b"<!DOCTYPE html><html><head><title>Login</title></head><body>Web UI</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture()
def web_server() -> Iterator[int]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _WebPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_a_web_server_that_is_not_onvif_is_named_so(web_server: int, demo_password: Credentials) -> None:
    with pytest.raises(OnvifError) as caught:
        asyncio.run(connect("127.0.0.1", web_server, demo_password, timeout_s=2.0))
    assert caught.value.kind is OnvifErrorKind.NOT_ONVIF
    assert f"127.0.0.1:{web_server}" in caught.value.message_vi and "không phải dịch vụ ONVIF" in \
        caught.value.message_vi


def test_the_rtsp_port_typed_as_the_onvif_port_is_not_onvif(sim: Simulator, demo_password: Credentials) -> None:
    with pytest.raises(OnvifError) as caught:
        asyncio.run(connect("127.0.0.1", rtsp_port(sim, "C01"), demo_password, timeout_s=2.0))
    assert caught.value.kind is OnvifErrorKind.NOT_ONVIF


def test_a_camera_slower_than_the_timeout_is_a_timeout(sim: Simulator, demo_password: Credentials) -> None:
    sim.onvif_slow("C03", 3.0)
    try:
        error = failure(sim, "C03", demo_password, timeout_s=1.0)
    finally:
        sim.onvif_slow("C03", 0.0)
    assert error.kind is OnvifErrorKind.TIMEOUT
    assert error.message_vi == f"Camera 127.0.0.1:{onvif_port(sim, 'C03')} không trả lời trong 1 giây."


def test_a_camera_slow_within_the_timeout_is_read(sim: Simulator, demo_password: Credentials) -> None:
    sim.onvif_slow("C03", 0.3)
    try:
        device = read(sim, "C03", demo_password, timeout_s=2.0)
    finally:
        sim.onvif_slow("C03", 0.0)
    assert len(device.profiles) == 2


def test_broken_xml_is_malformed(sim: Simulator, demo_password: Credentials) -> None:
    sim.onvif_malformed("C02")
    try:
        error = failure(sim, "C02", demo_password)
    finally:
        sim.onvif_malformed("C02", False)
    assert error.kind is OnvifErrorKind.MALFORMED and "XML hỏng" in error.message_vi


_NOT_AUTHORIZED = (b'<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"'
                   b' xmlns:ter="http://www.onvif.org/ver10/error"><env:Body><env:Fault><env:Code><env:Value>env:Sender'
                   b'</env:Value><env:Subcode><env:Value>ter:NotAuthorized</env:Value></env:Subcode></env:Code>'
                   b'<env:Reason><env:Text xml:lang="en">Sender not Authorized</env:Text></env:Reason></env:Fault>'
                   b'</env:Body></env:Envelope>')


class _LoginEvenForTheTime(_WebPage):
    """Firmware that wants a login even for GetSystemDateAndTime (ONVIF says it should not)."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(400)
        self.send_header("Content-Type", "application/soap+xml; charset=utf-8")
        self.send_header("Content-Length", str(len(_NOT_AUTHORIZED)))
        self.end_headers()
        self.wfile.write(_NOT_AUTHORIZED)


def test_a_device_wanting_a_login_for_its_clock_is_still_found_and_then_refuses_the_login() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _LoginEvenForTheTime)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        [answer] = asyncio.run(scan(["127.0.0.1"], [port], timeout_s=2.0))
        assert answer.error is None and answer.clock is not None and answer.clock.needs_auth
        assert answer.clock.offset_s is None
        with pytest.raises(OnvifError) as caught:
            asyncio.run(connect("127.0.0.1", port, Credentials("admin", "Sai-Mat-Khau"), timeout_s=2.0))
        assert caught.value.kind is OnvifErrorKind.AUTH
    finally:
        server.shutdown()
        server.server_close()


def test_a_scan_of_typed_ports_tells_onvif_from_closed_and_web(sim: Simulator, web_server: int) -> None:
    [closed] = free_ports(1)
    ports = [onvif_port(sim, "C01"), closed, web_server]
    answers = asyncio.run(scan(["127.0.0.1"], ports, timeout_s=2.0))
    assert [a.port for a in answers] == ports
    assert answers[0].error is None and answers[0].clock is not None
    assert [a.error.kind if a.error else None for a in answers[1:]] == [OnvifErrorKind.UNREACHABLE,
                                                                         OnvifErrorKind.NOT_ONVIF]


def test_cli_discovers_the_three_cameras_as_json_without_passwords(sim: Simulator, password_file: Path,
                                                                   demo_password: Credentials) -> None:
    run = run_cli("--target", discovery_target(sim), "--user", "admin", "--password-file", str(password_file),
                  "--wait", "1", "--json")
    assert run.returncode == 0, run.stderr
    objects = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(objects) == 3
    by_port = {o["port"]: o for o in objects}
    assert set(by_port) == {onvif_port(sim, c) for c in CAMERAS}
    for camera_id in CAMERAS:
        obj = by_port[onvif_port(sim, camera_id)]
        assert set(obj) >= CONTRACT_KEYS and obj["address"] == "127.0.0.1"
        assert obj["serial"] == sim.onvif_device(camera_id).state.identity.serial
        assert abs(obj["clock_offset_s"] - true_offset(sim, camera_id)) < 0.5
        assert [(p["width"], p["height"]) for p in obj["profiles"]] == [(1920, 1080), (640, 360)]
        assert all(set(p) >= PROFILE_KEYS and p["stream_uri"].startswith("rtsp://127.0.0.1:") for p in obj["profiles"])
        assert obj["ptz"] is False and obj["events"] is True and obj["error"] is None
    assert demo_password.password not in run.stdout + run.stderr


def test_cli_wrong_password_prints_each_camera_refusing_in_vietnamese(sim: Simulator,
                                                                     wrong_password_file: Path) -> None:
    run = run_cli("--target", discovery_target(sim), "--user", "admin", "--password-file", str(wrong_password_file),
                  "--wait", "1", "--json")
    assert run.returncode == 2
    for camera_id in CAMERAS:
        assert f"Camera 127.0.0.1:{onvif_port(sim, camera_id)} từ chối đăng nhập" in run.stderr
    objects = [json.loads(line) for line in run.stdout.splitlines()]
    assert [o["error"]["kind"] for o in objects] == ["auth"] * 3
    assert all(o["clock_offset_s"] is not None for o in objects)  # read before the login
    assert "Sai-Mat-Khau" not in run.stdout + run.stderr


def test_cli_ports_mode_asks_typed_ports_directly(sim: Simulator, password_file: Path) -> None:
    [closed] = free_ports(1)
    run = run_cli("--target", "127.0.0.1", "--ports", f"{onvif_port(sim, 'C02')},{closed}", "--user", "admin",
                  "--password-file", str(password_file), "--json")
    assert run.returncode == 0, run.stderr
    [obj] = [json.loads(line) for line in run.stdout.splitlines()]
    assert obj["port"] == onvif_port(sim, "C02") and len(obj["profiles"]) == 2
    assert f"Không kết nối được tới 127.0.0.1:{closed}" in run.stderr


def test_cli_exits_1_when_nothing_answers() -> None:
    [silent] = free_ports(1)  # no UDP responder there either
    run = run_cli("--target", f"127.0.0.1:{silent}", "--wait", "0.5", "--json")
    assert run.returncode == 1 and run.stdout == ""
    assert f"Không có thiết bị ONVIF nào trả lời tại 127.0.0.1:{silent}" in run.stderr
    run = run_cli("--target", "127.0.0.1", "--ports", str(silent), "--json")
    assert run.returncode == 1 and f"127.0.0.1:{silent}" in run.stderr


def test_cli_refuses_a_password_without_a_file_and_ports_on_the_multicast_group() -> None:
    run = run_cli("--target", "127.0.0.1:9", "--user", "admin", "--json")
    assert run.returncode == 3 and "--password-file" in run.stderr
    run = run_cli("--ports", "80", "--json")  # the default target is the group: --ports needs a host
    assert run.returncode == 3 and "multicast" in run.stderr
