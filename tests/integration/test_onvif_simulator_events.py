"""The simulator's ONVIF events seen from outside: PullPoint subscriptions over hand-written SOAP (and zeep with
the ONVIF events WSDL): injected motion, tamper and alarm input arrive within the long poll, a queued message
ends the poll at once, Renew extends, expiry and Unsubscribe end, a reboot forgets every subscription; motion
from the scripted vehicles. Loopback only."""

from __future__ import annotations

import itertools
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from console.core.config import load_config
from console.core.credentials import Credentials, CredentialStore
from console.simulator.onvif.addresses import DEVICE_PATH, EVENTS_PATH, PTZ_PATH, onvif_port
from console.simulator.onvif.pullpoint import MAX_QUEUED
from console.simulator.server import Simulator, SimulatorError, SimulatorOptions
from tests.support.onvif_sim_ptz import absolute_move, ok, wait_idle
from tests.support.onvif_soap import NS, Reply, call
from tests.support.siteconfig import write_demo_config

MOTION = "tns1:RuleEngine/CellMotionDetector/Motion"
TAMPER = "tns1:VideoSource/GlobalSceneChange/ImagingService"
DIGITAL_INPUT = "tns1:Device/Trigger/DigitalInput"


def base(sim: Simulator, camera_id: str) -> str:
    port = urlsplit(sim.config.camera(camera_id).main_url).port
    assert port is not None
    return f"http://127.0.0.1:{onvif_port(port)}"


@pytest.fixture(scope="module")
def events_sim(tmp_path_factory: pytest.TempPathFactory, demo_password: Credentials) -> Iterator[Simulator]:
    folder = tmp_path_factory.mktemp("onvif-events-sim")
    store = CredentialStore({"demo": demo_password})
    path = write_demo_config(folder / "site.toml", cameras=2, credentials="demo")
    with Simulator(load_config(path, store.refs), store,
                   SimulatorOptions(loop_s=2.0, onvif=True, cache_dir=folder)) as sim:
        yield sim


def subscribe(sim: Simulator, camera_id: str, credentials: Credentials | None,
              lifetime: str | None = "PT30S") -> str:
    """A new pull point's address, its Initialized messages already pulled."""
    inner = f"<tev:InitialTerminationTime>{lifetime}</tev:InitialTerminationTime>" if lifetime else ""
    reply = ok(call(base(sim, camera_id) + EVENTS_PATH,
                    f"<tev:CreatePullPointSubscription>{inner}</tev:CreatePullPointSubscription>", credentials))
    address = reply.text(".//tev:SubscriptionReference/wsa5:Address")
    initial = messages(pull(address, credentials, "PT1S"))
    assert {m.operation for m in initial} == {"Initialized"}
    return address


def pull(address: str, credentials: Credentials | None, timeout: str = "PT5S", limit: int = 50) -> Reply:
    return call(address, f"<tev:PullMessages><tev:Timeout>{timeout}</tev:Timeout>"
                         f"<tev:MessageLimit>{limit}</tev:MessageLimit></tev:PullMessages>", credentials, timeout_s=15)


class Message:
    def __init__(self, holder: ET.Element) -> None:
        self.topic = (holder.findtext("wsnt:Topic", namespaces=NS) or "").strip()
        message = holder.find("wsnt:Message/tt:Message", NS)
        assert message is not None
        self.operation = message.get("PropertyOperation")
        self.utc = datetime.fromisoformat(message.get("UtcTime") or "")
        self.source = {i.get("Name"): i.get("Value") for i in message.findall("tt:Source/tt:SimpleItem", NS)}
        self.data = {i.get("Name"): i.get("Value") for i in message.findall("tt:Data/tt:SimpleItem", NS)}

    @property
    def state(self) -> tuple[str, str | None]:
        return self.topic, next(iter(self.data.values()), None)


def messages(reply: Reply) -> list[Message]:
    assert reply.status == 200, reply.body[-500:]
    return [Message(m) for m in reply.findall(".//wsnt:NotificationMessage")]


def test_event_properties_offer_motion_tamper_and_the_alarm_input(events_sim: Simulator,
                                                                  demo_password: Credentials) -> None:
    reply = ok(call(base(events_sim, "C01") + EVENTS_PATH, "<tev:GetEventProperties/>", demo_password))
    topic_set = reply.find(".//wstop:TopicSet")
    leaves = {"/".join(step.tag.rpartition("}")[2] for step in path)
              for path in _leaf_paths(topic_set)}
    assert leaves == {"RuleEngine/CellMotionDetector/Motion", "VideoSource/MotionAlarm",
                      "VideoSource/GlobalSceneChange/ImagingService", "Device/Trigger/DigitalInput"}
    assert reply.text(".//wsnt:FixedTopicSet") == "true"
    services = call(base(events_sim, "C01") + DEVICE_PATH, "<tds:GetCapabilities><tds:Category>Events"
                    "</tds:Category></tds:GetCapabilities>", demo_password)
    assert services.text(".//tt:Events/tt:XAddr") == base(events_sim, "C01") + EVENTS_PATH
    assert services.text(".//tt:Events/tt:WSPullPointSupport") == "true"


def _leaf_paths(node: ET.Element, trail: tuple[ET.Element, ...] = ()) -> list[tuple[ET.Element, ...]]:
    found = []
    for child in node:
        if child.tag == f"{{{NS['tt']}}}MessageDescription":
            continue
        path = (*trail, child)
        if child.get(f"{{{NS['wstop']}}}topic") == "true":
            found.append(path)
        found.extend(_leaf_paths(child, path))
    return found


def test_each_subscription_has_its_own_address_and_starts_with_every_state(events_sim: Simulator,
                                                                           demo_password: Credentials) -> None:
    url = base(events_sim, "C01") + EVENTS_PATH
    created = ok(call(url, "<tev:CreatePullPointSubscription><tev:InitialTerminationTime>PT20S"
                           "</tev:InitialTerminationTime></tev:CreatePullPointSubscription>", demo_password))
    first = created.text(".//tev:SubscriptionReference/wsa5:Address")
    current = datetime.fromisoformat(created.text(".//wsnt:CurrentTime"))
    termination = datetime.fromisoformat(created.text(".//wsnt:TerminationTime"))
    assert (termination - current).total_seconds() == pytest.approx(20, abs=0.5)
    second = subscribe(events_sim, "C01", demo_password)
    assert first != second and urlsplit(first).path.startswith("/onvif/subscription/")
    assert urlsplit(first).port == urlsplit(url).port
    started = time.monotonic()
    initial = messages(pull(first, demo_password))
    assert time.monotonic() - started < 1.0  # queued: answered at once, not after the 5 s Timeout
    assert {m.state for m in initial} == {(MOTION, "false"), ("tns1:VideoSource/MotionAlarm", "false"),
                                          (TAMPER, "false"), (DIGITAL_INPUT, "false")}
    assert all(m.operation == "Initialized" for m in initial)
    assert messages(pull(first, demo_password, "PT0S")) == []
    assert call(first, "<tev:PullMessages><tev:Timeout>PT1S</tev:Timeout></tev:PullMessages>",
                demo_password).fault == ["Sender", "InvalidArgVal", "InvalidArgs"]
    assert call(first, "<tev:PullMessages><tev:Timeout>PT1S</tev:Timeout><tev:MessageLimit>1</tev:MessageLimit>"
                       "</tev:PullMessages>", Credentials("admin", "Sai-Mat-Khau")).fault == ["Sender", "NotAuthorized"]


def test_injected_events_arrive_within_the_long_poll_on_the_camera_clock(events_sim: Simulator,
                                                                         demo_password: Credentials) -> None:
    address = subscribe(events_sim, "C02", demo_password)
    offset = events_sim.onvif_device("C02").state.clock.offset_s
    answer: list[Reply] = []
    poller = threading.Thread(target=lambda: answer.append(pull(address, demo_password, "PT5S")))
    started = time.monotonic()
    poller.start()
    time.sleep(0.5)
    events_sim.onvif_event("C02", "motion", True)
    poller.join(10)
    took = time.monotonic() - started
    assert 0.45 < took < 1.5, f"the long poll answered after {took:.2f} s"
    (motion,) = messages(answer[0])
    assert motion.state == (MOTION, "true") and motion.operation == "Changed"
    assert motion.source["VideoSourceConfigurationToken"]
    camera_now = datetime.now(UTC) + timedelta(seconds=offset)
    assert abs((motion.utc - camera_now).total_seconds()) < 1.5

    events_sim.onvif_event("C02", "tamper", True)
    events_sim.onvif_event("C02", "digital_input", True)
    events_sim.onvif_event("C02", "motion", False)
    started = time.monotonic()
    queued = messages(pull(address, demo_password, "PT5S"))
    assert time.monotonic() - started < 0.5  # messages were waiting: no wait for the Timeout
    assert [m.state for m in queued] == [(TAMPER, "true"), (DIGITAL_INPUT, "true"), (MOTION, "false")]
    assert queued[1].source == {"InputToken": "AlarmIn_1"}
    for kind in ("tamper", "digital_input"):
        events_sim.onvif_event("C02", kind, False)
    with pytest.raises(SimulatorError):
        events_sim.onvif_event("C02", "doorbell", True)


def test_a_camera_hours_off_stamps_its_events_with_its_own_clock(events_sim: Simulator,
                                                                 demo_password: Credentials) -> None:
    address = subscribe(events_sim, "C01", demo_password)
    before = events_sim.onvif_device("C01").state.clock.offset_s
    events_sim.onvif_clock("C01", 3 * 3600)
    try:
        events_sim.onvif_event("C01", "motion_alarm", True)
        events_sim.onvif_event("C01", "motion_alarm", False)
    finally:
        events_sim.onvif_clock("C01", before)
    stamped = messages(pull(address, demo_password))
    assert [m.state for m in stamped] == [("tns1:VideoSource/MotionAlarm", "true"),
                                          ("tns1:VideoSource/MotionAlarm", "false")]
    assert (stamped[0].utc - datetime.now(UTC)).total_seconds() == pytest.approx(3 * 3600, abs=5)


def test_a_quiet_long_poll_waits_its_timeout_and_limits_split_the_queue(events_sim: Simulator,
                                                                        demo_password: Credentials) -> None:
    address = subscribe(events_sim, "C01", demo_password)
    started = time.monotonic()
    assert messages(pull(address, demo_password, "PT1S")) == []
    assert 0.9 < time.monotonic() - started < 1.6
    for n in range(MAX_QUEUED + 10):
        events_sim.onvif_event("C01", "digital_input", n % 2 == 0)
    first = messages(pull(address, demo_password, limit=5))
    rest = messages(pull(address, demo_password, limit=1000))
    assert len(first) == 5 and len(first) + len(rest) == MAX_QUEUED  # bounded: the oldest were dropped
    assert rest[-1].state == (DIGITAL_INPUT, "false")  # the newest kept
    events_sim.onvif_event("C01", "digital_input", False)


def test_renew_extends_a_subscription_and_expiry_ends_it(events_sim: Simulator, demo_password: Credentials) -> None:
    renewed = subscribe(events_sim, "C01", demo_password, "PT2S")
    left_alone = subscribe(events_sim, "C01", demo_password, "PT2S")
    reply = ok(call(renewed, "<wsnt:Renew><wsnt:TerminationTime>PT10S</wsnt:TerminationTime></wsnt:Renew>",
                    demo_password))
    termination = datetime.fromisoformat(reply.text(".//wsnt:TerminationTime"))
    current = datetime.fromisoformat(reply.text(".//wsnt:CurrentTime"))
    assert (termination - current).total_seconds() == pytest.approx(10, abs=0.5)
    time.sleep(2.3)
    assert pull(left_alone, demo_password, "PT0S").fault == ["Sender", "InvalidArgVal", "ResourceUnknown"]
    events_sim.onvif_event("C01", "tamper", True)
    assert [m.state for m in messages(pull(renewed, demo_password, "PT1S"))] == [(TAMPER, "true")]
    events_sim.onvif_event("C01", "tamper", False)
    absolute = (datetime.now(UTC) + timedelta(seconds=events_sim.onvif_device("C01").state.clock.offset_s + 1))
    ok(call(renewed, f"<wsnt:Renew><wsnt:TerminationTime>{absolute.isoformat().replace('+00:00', 'Z')}"
                     "</wsnt:TerminationTime></wsnt:Renew>", demo_password))
    time.sleep(1.3)
    assert pull(renewed, demo_password, "PT0S").fault == ["Sender", "InvalidArgVal", "ResourceUnknown"]
    bad = call(base(events_sim, "C01") + EVENTS_PATH, "<tev:CreatePullPointSubscription><tev:InitialTerminationTime>"
               "soon</tev:InitialTerminationTime></tev:CreatePullPointSubscription>", demo_password)
    assert bad.fault == ["Sender", "InvalidArgVal", "UnacceptableInitialTerminationTime"]


def test_a_long_poll_ends_at_its_subscriptions_termination(events_sim: Simulator,
                                                           demo_password: Credentials) -> None:
    address = subscribe(events_sim, "C02", demo_password, "PT2S")
    started = time.monotonic()
    reply = pull(address, demo_password, "PT10S")
    assert time.monotonic() - started < 3.0
    assert reply.status == 200 and messages(reply) == []


def test_unsubscribe_ends_a_subscription_and_sync_point_repeats_the_states(events_sim: Simulator,
                                                                           demo_password: Credentials) -> None:
    address = subscribe(events_sim, "C02", demo_password)
    events_sim.onvif_event("C02", "tamper", True)
    assert [m.state for m in messages(pull(address, demo_password))] == [(TAMPER, "true")]
    ok(call(address, "<tev:SetSynchronizationPoint/>", demo_password))
    synced = {m.state for m in messages(pull(address, demo_password))}
    assert (TAMPER, "true") in synced and (MOTION, "false") in synced and len(synced) == 4
    events_sim.onvif_event("C02", "tamper", False)
    ok(call(address, "<wsnt:Unsubscribe/>", demo_password))
    assert pull(address, demo_password, "PT0S").fault == ["Sender", "InvalidArgVal", "ResourceUnknown"]
    assert call(address, "<wsnt:Unsubscribe/>", demo_password).status == 400


def test_a_reboot_forgets_every_subscription_and_refuses_for_a_moment(events_sim: Simulator,
                                                                      demo_password: Credentials) -> None:
    first, second = subscribe(events_sim, "C02", demo_password), subscribe(events_sim, "C02", demo_password)
    assert events_sim.onvif_subscriptions("C02") >= 2
    waiting: list[object] = []

    def long_poll() -> None:
        try:
            waiting.append(pull(first, demo_password, "PT10S"))
        except OSError as exc:  # the connection is cut under it
            waiting.append(exc)

    poller = threading.Thread(target=long_poll)
    poller.start()
    time.sleep(0.3)
    events_sim.onvif_reboot("C02", down_s=1.0)
    rebooted = time.monotonic()
    with pytest.raises(ConnectionRefusedError):
        call(base(events_sim, "C02") + DEVICE_PATH, "<tds:GetSystemDateAndTime/>")
    poller.join(5)
    cut = waiting[0] if waiting else None
    assert isinstance(cut, OSError) or (isinstance(cut, Reply) and cut.status != 200), cut
    assert events_sim.onvif_subscriptions("C02") == 0
    while True:
        try:
            call(base(events_sim, "C02") + DEVICE_PATH, "<tds:GetSystemDateAndTime/>")
            break
        except ConnectionRefusedError:
            assert time.monotonic() - rebooted < 3, "the camera never came back"
            time.sleep(0.1)
    assert time.monotonic() - rebooted >= 0.9
    for old in (first, second):
        assert pull(old, demo_password, "PT0S").fault == ["Sender", "InvalidArgVal", "ResourceUnknown"]
    fresh = subscribe(events_sim, "C02", demo_password)
    assert fresh not in (first, second)
    events_sim.onvif_event("C02", "motion", True)
    assert [m.state for m in messages(pull(fresh, demo_password))] == [(MOTION, "true")]
    events_sim.onvif_event("C02", "motion", False)


def test_zeep_with_the_onvif_events_wsdl_subscribes_pulls_and_renews(events_sim: Simulator,
                                                                     demo_password: Credentials) -> None:
    import onvif
    import requests
    import zeep
    from zeep.transports import Transport
    from zeep.wsse.username import UsernameToken

    session = requests.Session()
    session.trust_env = False
    client = zeep.Client(str(Path(onvif.__file__).parent / "wsdl" / "events.wsdl"),
                         transport=Transport(session=session, timeout=10),
                         wsse=UsernameToken(demo_password.username, demo_password.password, use_digest=True))
    events = client.create_service(f"{{{NS['tev']}}}EventBinding", base(events_sim, "C01") + EVENTS_PATH)
    properties = events.GetEventProperties()
    assert properties.FixedTopicSet is True
    created = events.CreatePullPointSubscription(InitialTerminationTime="PT30S")
    address = created.SubscriptionReference.Address._value_1
    assert (created.TerminationTime - created.CurrentTime).total_seconds() == pytest.approx(30, abs=1)
    pull_point = client.create_service(f"{{{NS['tev']}}}PullPointSubscriptionBinding", address)
    initial = pull_point.PullMessages(Timeout=timedelta(seconds=2), MessageLimit=10)
    assert len(initial.NotificationMessage) == 4
    events_sim.onvif_event("C01", "motion", True)
    pulled = pull_point.PullMessages(Timeout=timedelta(seconds=2), MessageLimit=10)
    (notification,) = pulled.NotificationMessage
    assert notification.Topic._value_1.strip() == MOTION
    message = notification.Message._value_1  # zeep reads tt:Message with the ONVIF schema
    assert [(i.Name, i.Value) for i in message.Data.SimpleItem] == [("IsMotion", "true")]
    assert message.PropertyOperation == "Changed" and message.UtcTime.year >= 2024
    events_sim.onvif_event("C01", "motion", False)
    manager = client.create_service(f"{{{NS['tev']}}}SubscriptionManagerBinding", address)
    renewed = manager.Renew(TerminationTime="PT60S")
    assert (renewed.TerminationTime - renewed.CurrentTime).total_seconds() == pytest.approx(60, abs=1)
    manager.Unsubscribe()


@pytest.fixture(scope="module")
def scene_sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Simulator]:
    """Motion from the scripted vehicles: C01 fixed (a 2 s loop), C02 a PTZ camera."""
    folder = tmp_path_factory.mktemp("onvif-scene-events")
    path = write_demo_config(folder / "site.toml", cameras=2)
    options = SimulatorOptions(loop_s=2.0, onvif=True, cache_dir=folder, ptz_cameras=frozenset({"C02"}),
                               scene_events=True)
    with Simulator(load_config(path), options=options) as sim:
        yield sim


LOOP_S = 2.0
STARTS, ENDS = (0.24, 1.20), (0.90, 1.76)  # motion_script(2 s): two crossings a loop


def _motion_over(sim: Simulator, camera_id: str, seconds: float) -> list[tuple[float, str | None]]:
    """(loop phase on the station's clock, IsMotion) of every motion change pulled for `seconds`."""
    offset = sim.onvif_device(camera_id).state.clock.offset_s
    address = subscribe(sim, camera_id, None)
    seen: list[tuple[float, str | None]] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for message in messages(pull(address, None, "PT1S")):
            if message.topic == MOTION:
                seen.append(((message.utc.timestamp() - offset) % LOOP_S, message.data.get("IsMotion")))
    return seen


def _near(phase: float, edges: tuple[float, ...], within_s: float = 0.2) -> bool:
    return any(min(abs(phase - e), LOOP_S - abs(phase - e)) < within_s for e in edges)


def test_scene_motion_follows_the_scripted_vehicles(scene_sim: Simulator) -> None:
    seen = _motion_over(scene_sim, "C01", 4.2)
    states = [state for _, state in seen]
    assert states.count("true") >= 2 and states.count("false") >= 2, seen
    assert all(a != b for a, b in itertools.pairwise(states)), seen  # only changes are sent
    for phase, state in seen:
        assert _near(phase, STARTS if state == "true" else ENDS), seen


def test_a_ptz_camera_turned_away_from_the_road_sees_no_motion(scene_sim: Simulator) -> None:
    url = base(scene_sim, "C02") + PTZ_PATH
    ok(call(url, absolute_move(0, 0, 0)))
    wait_idle(url, None)
    facing = [state for _, state in _motion_over(scene_sim, "C02", 2.2)]
    assert "true" in facing
    ok(call(url, absolute_move(0.7, 0.8, 0)))  # toward the sky behind the camera
    wait_idle(url, None)
    address = subscribe(scene_sim, "C02", None)
    time.sleep(2.2)
    away = [m.data.get("IsMotion") for m in messages(pull(address, None, "PT0S"))
            if m.topic == MOTION]
    assert "true" not in away
    ok(call(url, absolute_move(0, 0, 0)))
