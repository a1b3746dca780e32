"""The simulator's PTZ seen from outside: hand-written SOAP (and zeep with the ONVIF WSDL) moves the camera, and
the sub stream decoded by PyAV shows the picture follow — the content shifts the right way and each frame's
stamp tells the position GetStatus tells. Timeouts, Stop, the real cameras' faults, presets and home. Loopback
only."""

from __future__ import annotations

import itertools
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from console.core.config import load_config
from console.core.credentials import Credentials, CredentialStore
from console.simulator.onvif.addresses import DEVICE_PATH, MEDIA_PATH, PTZ_PATH, onvif_port
from console.simulator.panorama import PAN_SPAN_DEG, WIDE_HFOV_DEG, hfov_deg
from console.simulator.ptz_head import PAN_RATE, PtzPosition
from console.simulator.server import Simulator, SimulatorError, SimulatorOptions
from tests.support.onvif_sim_ptz import (
    FrameRecorder,
    absolute_move,
    content_shift,
    continuous_move,
    ok,
    ptz_op,
    relative_move,
    stamped_position,
    status,
    triple,
    wait_idle,
)
from tests.support.onvif_soap import NS, call, post
from tests.support.processes import child
from tests.support.siteconfig import write_demo_config

FOV_SPACE = "http://www.onvif.org/ver10/tptz/PanTiltSpaces/TranslationSpaceFov"
SUB_WIDTH = 640
PX_PER_PAN = PAN_SPAN_DEG / 2 * SUB_WIDTH / WIDE_HFOV_DEG  # picture pixels per generic pan unit at zoom 0


def base(sim: Simulator, camera_id: str) -> str:
    port = urlsplit(sim.config.camera(camera_id).main_url).port
    assert port is not None
    return f"http://127.0.0.1:{onvif_port(port)}"


@pytest.fixture(scope="module")
def ptz_sim(tmp_path_factory: pytest.TempPathFactory, demo_password: Credentials) -> Iterator[Simulator]:
    """C01 is a PTZ camera, C02 a fixed one; both want `demo_password`."""
    folder = tmp_path_factory.mktemp("onvif-ptz-sim")
    store = CredentialStore({"demo": demo_password})
    path = write_demo_config(folder / "site.toml", cameras=2, credentials="demo")
    options = SimulatorOptions(loop_s=2.0, onvif=True, cache_dir=folder, ptz_cameras=frozenset({"C01"}))
    with Simulator(load_config(path, store.refs), store, options) as sim:
        yield sim


@pytest.fixture()
def ptz(ptz_sim: Simulator, demo_password: Credentials) -> Iterator[str]:
    """C01's PTZ address, the camera at home (0, 0, 0) and idle, no fault on; faults are cleared afterwards."""
    url = base(ptz_sim, "C01") + PTZ_PATH
    ok(call(url, absolute_move(0, 0, 0), demo_password))
    wait_idle(url, demo_password)
    yield url
    for fault in (ptz_sim.onvif_ignore_timeout, ptz_sim.onvif_reject_stop, ptz_sim.onvif_unnamed_presets):
        fault("C01", False)
    call(url, ptz_op("Stop"), demo_password)


@pytest.fixture()
def picture(ptz_sim: Simulator, demo_password: Credentials) -> Iterator[FrameRecorder]:
    url = ptz_sim.config.camera("C01").sub_url
    assert url is not None
    with FrameRecorder(url, demo_password) as recorder:
        yield recorder


def test_ptz_is_advertised_and_configured_only_on_ptz_cameras(ptz_sim: Simulator, demo_password: Credentials) -> None:
    def services(camera_id: str) -> set[str]:
        reply = call(base(ptz_sim, camera_id) + DEVICE_PATH, "<tds:GetServices><tds:IncludeCapability>false"
                     "</tds:IncludeCapability></tds:GetServices>", demo_password)
        return {s.findtext("tds:Namespace", namespaces=NS) or "" for s in reply.findall(".//tds:Service")}

    assert NS["tptz"] in services("C01") and NS["tptz"] not in services("C02")
    caps = call(base(ptz_sim, "C01") + DEVICE_PATH, "<tds:GetCapabilities><tds:Category>PTZ</tds:Category>"
                "</tds:GetCapabilities>", demo_password)
    assert caps.text(".//tt:PTZ/tt:XAddr") == base(ptz_sim, "C01") + PTZ_PATH
    fixed = call(base(ptz_sim, "C02") + DEVICE_PATH, "<tds:GetCapabilities><tds:Category>PTZ</tds:Category>"
                 "</tds:GetCapabilities>", demo_password)
    assert fixed.fault == ["Receiver", "ActionNotSupported", "NoSuchService"]
    profiles = call(base(ptz_sim, "C01") + MEDIA_PATH, "<trt:GetProfiles/>", demo_password)
    assert [p.findtext("tt:PTZConfiguration/tt:NodeToken", namespaces=NS)
            for p in profiles.findall(".//trt:Profiles")] == ["PTZNodeToken", "PTZNodeToken"]
    assert call(base(ptz_sim, "C02") + MEDIA_PATH, "<trt:GetProfiles/>", demo_password).findall(
        ".//tt:PTZConfiguration") == []
    assert post(base(ptz_sim, "C02") + PTZ_PATH, b"").status == 404
    assert call(base(ptz_sim, "C01") + PTZ_PATH, ptz_op("GetStatus"), Credentials("admin", "Sai-Mat-Khau")).fault == [
        "Sender", "NotAuthorized"]


def test_node_and_configuration_describe_the_generic_spaces(ptz: str, demo_password: Credentials) -> None:
    node = ok(call(ptz, "<tptz:GetNodes/>", demo_password)).find(".//tptz:PTZNode")
    spaces = node.find("tt:SupportedPTZSpaces", NS)
    assert spaces is not None

    def span(name: str, uri_end: str) -> tuple[float, float]:
        for space in spaces.findall(f"tt:{name}", NS):
            if (space.findtext("tt:URI", namespaces=NS) or "").endswith(uri_end):
                return (float(space.findtext("tt:XRange/tt:Min", namespaces=NS) or "nan"),
                        float(space.findtext("tt:XRange/tt:Max", namespaces=NS) or "nan"))
        raise AssertionError(f"no {name} {uri_end}")

    assert span("AbsolutePanTiltPositionSpace", "PositionGenericSpace") == (-1.0, 1.0)
    assert span("AbsoluteZoomPositionSpace", "PositionGenericSpace") == (0.0, 1.0)
    assert span("ContinuousPanTiltVelocitySpace", "VelocityGenericSpace") == (-1.0, 1.0)
    assert span("RelativePanTiltTranslationSpace", "TranslationSpaceFov") == (-100.0, 100.0)
    assert span("PanTiltSpeedSpace", "GenericSpeedSpace") == (0.0, 1.0)
    assert node.findtext("tt:MaximumNumberOfPresets", namespaces=NS) == "300"
    assert node.findtext("tt:HomeSupported", namespaces=NS) == "true"
    token = node.get("token")
    assert ok(call(ptz, f"<tptz:GetNode><tptz:NodeToken>{token}</tptz:NodeToken></tptz:GetNode>",
                   demo_password)).find(".//tptz:PTZNode").get("token") == token
    assert call(ptz, "<tptz:GetNode><tptz:NodeToken>nope</tptz:NodeToken></tptz:GetNode>", demo_password).fault == [
        "Sender", "InvalidArgVal", "NoEntity"]
    configuration = ok(call(ptz, "<tptz:GetConfigurations/>", demo_password)).find(".//tptz:PTZConfiguration")
    assert configuration.findtext("tt:NodeToken", namespaces=NS) == token
    assert configuration.findtext("tt:DefaultPTZTimeout", namespaces=NS) == "PT5S"
    one = call(ptz, f"<tptz:GetConfiguration><tptz:PTZConfigurationToken>{configuration.get('token')}"
               "</tptz:PTZConfigurationToken></tptz:GetConfiguration>", demo_password)
    assert ok(one).find(".//tptz:PTZConfiguration").get("token") == configuration.get("token")
    assert call(ptz, ptz_op("GetStatus", profile="Profile_9"), demo_password).fault == [
        "Sender", "InvalidArgVal", "NoProfile"]


def test_continuous_move_turns_the_picture_and_stops_at_its_timeout(ptz: str, demo_password: Credentials,
                                                                    picture: FrameRecorder) -> None:
    before = picture.latest()
    assert triple(stamped_position(before.luma)) == pytest.approx((0, 0, 0), abs=1e-3)
    sent = time.monotonic()
    ok(call(ptz, continuous_move(0.2, timeout="PT0.5S"), demo_password))
    assert status(ptz, demo_password).pan_tilt == "MOVING"
    time.sleep(0.3)
    assert status(ptz, demo_password).moving
    stopped = wait_idle(ptz, demo_password, 2.0)
    took = time.monotonic() - sent
    assert 0.45 < took < 1.0, f"the 0.5 s move ended after {took:.2f} s"
    assert stopped.position.pan == pytest.approx(0.2 * PAN_RATE * 0.5, abs=0.002)
    assert stopped.position.tilt == 0.0 and stopped.position.zoom == 0.0
    time.sleep(0.4)
    assert status(ptz, demo_password).position == stopped.position  # it stays stopped

    after = picture.settled_at(stopped.position)
    expected = stopped.position.pan * PX_PER_PAN  # turning right moves the content left
    assert content_shift(before.luma, after.luma) == pytest.approx(expected, abs=4)
    # The picture followed frame by frame: every frame during the move was stamped further right.
    during = [f.position for f in picture.frames if sent < f.received < sent + 0.6]
    pans = [p.pan for p in during if p is not None and 0 < p.pan < stopped.position.pan - 1e-3]
    assert len(pans) >= 4 and all(b > a for a, b in itertools.pairwise(pans)), pans


def test_the_picture_shows_a_new_position_within_a_frame(ptz: str, demo_password: Credentials,
                                                        picture: FrameRecorder) -> None:
    ok(call(ptz, absolute_move(-0.05, 0.1, 0), demo_password))  # 0.1 s of travel
    sent = time.monotonic()
    first_moved = None
    while first_moved is None and time.monotonic() - sent < 2:
        first_moved = next((f for f in picture.frames if f.received > sent and triple(f.position) != (0, 0, 0)),
                           None)
        time.sleep(0.01)
    assert first_moved is not None, "the picture never moved"
    # Each frame is drawn at the head's position at its capture: the next frame captured shows the move. Decoded
    # here, one more may still be on its way (encoder, loopback, decoder, all in this test's process).
    stale = [f for f in picture.frames if sent < f.received < first_moved.received]
    assert len(stale) <= 2, f"{len(stale)} frames after the move's answer still showed the old position"
    wait_idle(ptz, demo_password)
    picture.settled_at(PtzPosition(-0.05, 0.1, 0.0))


def test_a_camera_that_ignores_the_timeout_turns_until_stop(ptz_sim: Simulator, ptz: str,
                                                            demo_password: Credentials) -> None:
    ptz_sim.onvif_ignore_timeout("C01", True)
    ok(call(ptz, continuous_move(0.2, timeout="PT0.3S"), demo_password))
    time.sleep(1.0)
    turning = status(ptz, demo_password)
    assert turning.moving and turning.position.pan > 0.2 * PAN_RATE * 0.6, "it stopped at its Timeout"
    ok(call(ptz, ptz_op("Stop", "<tptz:PanTilt>true</tptz:PanTilt><tptz:Zoom>true</tptz:Zoom>"), demo_password))
    stopped = status(ptz, demo_password)
    assert not stopped.moving
    time.sleep(0.3)
    assert status(ptz, demo_password).position == stopped.position


def test_a_camera_that_rejects_stop_is_stopped_by_a_zero_move(ptz_sim: Simulator, ptz: str,
                                                              demo_password: Credentials) -> None:
    ptz_sim.onvif_reject_stop("C01", True)
    ok(call(ptz, continuous_move(-0.3, 0.2, timeout="PT5S"), demo_password))
    refused = call(ptz, ptz_op("Stop"), demo_password)
    assert refused.status == 500 and refused.fault == ["Receiver", "ActionNotSupported"]
    assert status(ptz, demo_password).moving
    ok(call(ptz, continuous_move(0, 0, 0), demo_password))
    stopped = status(ptz, demo_password)
    assert not stopped.moving and stopped.position.pan < 0 < stopped.position.tilt
    time.sleep(0.3)
    assert status(ptz, demo_password).position == stopped.position
    ptz_sim.onvif_reject_stop("C01", False)
    ok(call(ptz, continuous_move(0.3, timeout="PT5S"), demo_password))
    ok(call(ptz, ptz_op("Stop"), demo_password))
    assert not status(ptz, demo_password).moving


def test_absolute_and_relative_moves_take_time_and_reach_their_targets(ptz: str, demo_password: Credentials,
                                                                       picture: FrameRecorder) -> None:
    started = time.monotonic()
    ok(call(ptz, absolute_move(0.3, -0.2, 0.5), demo_password))
    under_way = status(ptz, demo_password)
    assert under_way.moving and triple(under_way.position) != (0.3, -0.2, 0.5)
    there = wait_idle(ptz, demo_password)
    assert time.monotonic() - started >= 0.9  # zoom 0 → 0.5 at full speed takes 1 s
    assert (there.position.pan, there.position.tilt, there.position.zoom) == (0.3, -0.2, 0.5)
    picture.settled_at(there.position)

    ok(call(ptz, relative_move(0.1, 0.1, -0.25), demo_password))
    moved = wait_idle(ptz, demo_password).position
    assert (moved.pan, moved.tilt, moved.zoom) == pytest.approx((0.4, -0.1, 0.25), abs=1e-6)
    # In the FOV space, +100 is the picture's right edge: half the field of view at this zoom.
    ok(call(ptz, relative_move(100, 0, space=FOV_SPACE), demo_password))
    edge = wait_idle(ptz, demo_password).position
    assert edge.pan - moved.pan == pytest.approx(hfov_deg(0.25) / 2 / (PAN_SPAN_DEG / 2), abs=1e-6)
    assert edge.tilt == pytest.approx(moved.tilt, abs=1e-9)

    assert call(ptz, absolute_move(2.0, 0, 0), demo_password).fault == ["Sender", "InvalidArgVal", "InvalidPosition"]
    assert call(ptz, relative_move(0.1, 0, space="urn:nothing"), demo_password).fault == [
        "Sender", "InvalidArgVal", "SpaceNotSupported"]


def test_pan_wraps_around_a_full_turn(ptz: str, demo_password: Credentials) -> None:
    ok(call(ptz, absolute_move(0.98, 0, 0), demo_password))
    wait_idle(ptz, demo_password)
    ok(call(ptz, relative_move(0.04, 0), demo_password))
    assert wait_idle(ptz, demo_password).position.pan == pytest.approx(-0.98, abs=1e-6)


def _presets(url: str, credentials: Credentials) -> list[tuple[str, str | None, float | None]]:
    reply = ok(call(url, ptz_op("GetPresets"), credentials))
    found = []
    for preset in reply.findall(".//tptz:Preset"):
        pan_tilt = preset.find("tt:PTZPosition/tt:PanTilt", NS)
        found.append((preset.get("token") or "", preset.findtext("tt:Name", namespaces=NS),
                      float(pan_tilt.get("x") or "nan") if pan_tilt is not None else None))
    return found


def test_presets_are_set_gone_to_renamed_and_removed_and_home_is_kept(ptz: str, demo_password: Credentials) -> None:
    ok(call(ptz, absolute_move(0.25, 0.1, 0.2), demo_password))
    wait_idle(ptz, demo_password)
    token = ok(call(ptz, ptz_op("SetPreset", "<tptz:PresetName>Cổng UBND xã</tptz:PresetName>"),
                    demo_password)).text(".//tptz:PresetToken")
    assert _presets(ptz, demo_password) == [(token, "Cổng UBND xã", 0.25)]
    duplicate = call(ptz, ptz_op("SetPreset", "<tptz:PresetName>Cổng UBND xã</tptz:PresetName>"), demo_password)
    assert duplicate.fault == ["Sender", "InvalidArgVal", "PresetExist"]
    ok(call(ptz, absolute_move(-0.5, -0.3, 0), demo_password))
    wait_idle(ptz, demo_password)
    ok(call(ptz, ptz_op("SetHomePosition"), demo_password))
    ok(call(ptz, ptz_op("GotoPreset", f"<tptz:PresetToken>{token}</tptz:PresetToken>"), demo_password))
    assert status(ptz, demo_password).moving
    at_preset = wait_idle(ptz, demo_password).position
    assert (at_preset.pan, at_preset.tilt, at_preset.zoom) == (0.25, 0.1, 0.2)
    renamed = ptz_op("SetPreset", f"<tptz:PresetName>Chợ Gia Đông</tptz:PresetName>"
                                  f"<tptz:PresetToken>{token}</tptz:PresetToken>")
    assert ok(call(ptz, renamed, demo_password)).text(".//tptz:PresetToken") == token
    assert _presets(ptz, demo_password) == [(token, "Chợ Gia Đông", 0.25)]
    ok(call(ptz, ptz_op("GotoHomePosition"), demo_password))
    home = wait_idle(ptz, demo_password).position
    assert (home.pan, home.tilt, home.zoom) == (-0.5, -0.3, 0.0)
    ok(call(ptz, ptz_op("RemovePreset", f"<tptz:PresetToken>{token}</tptz:PresetToken>"), demo_password))
    assert _presets(ptz, demo_password) == []
    for gone in ("GotoPreset", "RemovePreset"):
        reply = call(ptz, ptz_op(gone, f"<tptz:PresetToken>{token}</tptz:PresetToken>"), demo_password)
        assert reply.fault == ["Sender", "InvalidArgVal", "NoToken"]
    ok(call(ptz, absolute_move(0, 0, 0), demo_password))
    wait_idle(ptz, demo_password)
    ok(call(ptz, ptz_op("SetHomePosition"), demo_password))


def test_hikvision_lists_300_slots_most_of_them_unnamed(ptz_sim: Simulator, ptz: str,
                                                       demo_password: Credentials) -> None:
    ptz_sim.onvif_unnamed_presets("C01", True)
    token = ok(call(ptz, ptz_op("SetPreset", "<tptz:PresetName>Ngã ba</tptz:PresetName>"),
                    demo_password)).text(".//tptz:PresetToken")
    slots = _presets(ptz, demo_password)
    assert len(slots) == 300 and [s[0] for s in slots] == [str(n) for n in range(1, 301)]
    named = [s for s in slots if s[1]]
    assert named == [(token, "Ngã ba", 0.0)]
    assert all(s[1] == "" and s[2] is None for s in slots if s[0] != token)
    empty = next(s[0] for s in slots if s[0] != token)
    reply = call(ptz, ptz_op("GotoPreset", f"<tptz:PresetToken>{empty}</tptz:PresetToken>"), demo_password)
    assert reply.fault == ["Sender", "InvalidArgVal", "NoToken"]
    ptz_sim.onvif_unnamed_presets("C01", False)
    assert _presets(ptz, demo_password) == [(token, "Ngã ba", 0.0)]
    ok(call(ptz, ptz_op("RemovePreset", f"<tptz:PresetToken>{token}</tptz:PresetToken>"), demo_password))


def test_zeep_with_the_onvif_ptz_wsdl_moves_and_reads_the_camera(ptz_sim: Simulator, ptz: str,
                                                                 demo_password: Credentials) -> None:
    import onvif
    import requests
    import zeep
    from zeep.transports import Transport
    from zeep.wsse.username import UsernameToken

    session = requests.Session()
    session.trust_env = False  # loopback only, whatever proxy the environment names
    client = zeep.Client(str(Path(onvif.__file__).parent / "wsdl" / "ptz.wsdl"),
                         transport=Transport(session=session, timeout=5),
                         wsse=UsernameToken(demo_password.username, demo_password.password, use_digest=True))
    service = client.create_service(f"{{{NS['tptz']}}}PTZBinding", ptz)
    node = service.GetNodes()[0]
    assert node.MaximumNumberOfPresets == 300 and node.HomeSupported is True
    assert {s.URI for s in node.SupportedPTZSpaces.RelativePanTiltTranslationSpace} >= {FOV_SPACE}
    service.ContinuousMove(ProfileToken="Profile_1", Velocity={"PanTilt": {"x": 0.4, "y": 0.0}},
                           Timeout="PT0.4S")
    moving = service.GetStatus(ProfileToken="Profile_1")
    assert moving.MoveStatus.PanTilt == "MOVING" and moving.UtcTime.year >= 2024
    time.sleep(0.7)
    idle = service.GetStatus(ProfileToken="Profile_1")
    assert idle.MoveStatus.PanTilt == "IDLE"
    assert idle.Position.PanTilt.x == pytest.approx(0.4 * PAN_RATE * 0.4, abs=0.003)
    token = service.SetPreset(ProfileToken="Profile_1", PresetName="Bến đò")
    assert [(p.token, p.Name) for p in service.GetPresets(ProfileToken="Profile_1")] == [(token, "Bến đò")]
    service.RemovePreset(ProfileToken="Profile_1", PresetToken=token)


def test_unknown_ptz_camera_ids_are_refused(tmp_path: Path) -> None:
    config = load_config(write_demo_config(tmp_path / "one.toml", cameras=1))
    with pytest.raises(SimulatorError, match="C09"):
        Simulator(config, options=SimulatorOptions(ptz_cameras=frozenset({"C09"}))).start()
    with Simulator(config, options=SimulatorOptions(loop_s=2.0, onvif=True)) as sim, pytest.raises(SimulatorError):
        sim.onvif_reject_stop("C01", True)  # not a PTZ camera


def test_command_line_ptz_flag_makes_those_cameras_ptz(tmp_path: Path) -> None:
    config = write_demo_config(tmp_path / "cli.toml", cameras=2)
    command = [sys.executable, "-m", "console.simulator", "--config", str(config), "--onvif", "--ptz", "C02",
               "--discovery-port", "0", "--no-prepare", "--loop-s", "2", "--duration", "30"]
    with child(command, "SIMULATOR READY"):
        cameras = load_config(config).cameras
        for camera, is_ptz in zip(cameras, (False, True), strict=True):
            port = urlsplit(camera.main_url).port
            assert port is not None
            url = f"http://127.0.0.1:{onvif_port(port)}"
            assert (post(url + PTZ_PATH, b"").status != 404) is is_ptz
            assert call(url + PTZ_PATH, ptz_op("GetStatus")).status == (200 if is_ptz else 404)
