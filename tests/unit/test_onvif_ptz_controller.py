"""The PTZ controller against a fake PTZ service: a held move is repeated every ≤ 0.5 s with Timeout=PT1S and
always ends (release, refused Stop, errors, cancellation, a lapsed lease), pan/tilt slow down with zoom, and
each gesture reaches the audit once at its start and once at its end."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from console.onvif.errors import OnvifError, OnvifErrorKind
from console.onvif.ptz import (
    FOV_SPACE,
    CentreMode,
    FovAssumptions,
    GestureEnd,
    GestureKind,
    PtzCapabilities,
    PtzController,
    PtzGesture,
    PtzSpace,
    PtzVector,
    Span,
    pan_for_bearing,
    speed_factor,
    stop_every,
)

ADDRESS = "127.0.0.1:9"


@dataclass
class Call:
    at: float
    operation: str
    params: dict[str, Any]


@dataclass
class FakePtz:
    """The library's PTZ service as the controller sees it: methods taking a dict, answering a coroutine."""

    zoom: float = 0.0
    pan: float = 0.0
    tilt: float = 0.0
    reject_stop: bool = False
    fail_moves_after: int | None = None
    delay_s: float = 0.0
    presets: list[dict[str, Any]] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    nodes: list[dict[str, Any]] = field(default_factory=list)

    def __getattr__(self, name: str) -> Callable[[dict[str, Any]], Awaitable[Any]]:
        async def operation(params: dict[str, Any]) -> Any:
            self.calls.append(Call(time.monotonic(), name, params))
            if self.delay_s:
                await asyncio.sleep(self.delay_s)
            return self.answer(name, params)
        return operation

    def answer(self, name: str, params: dict[str, Any]) -> Any:
        if name == "Stop" and self.reject_stop:
            raise OnvifError(OnvifErrorKind.FAULT, ADDRESS, operation="Stop", reason="not supported")
        if name == "ContinuousMove" and self.fail_moves_after is not None and \
                len(self.of("ContinuousMove")) > self.fail_moves_after:
            raise OnvifError(OnvifErrorKind.TIMEOUT, ADDRESS, seconds=3)
        if name == "GetStatus":
            return {"Position": {"PanTilt": {"x": self.pan, "y": self.tilt}, "Zoom": {"x": self.zoom}},
                    "MoveStatus": {"PanTilt": "IDLE", "Zoom": "IDLE"}}
        if name == "GetPresets":
            return self.presets
        if name == "GetNodes":
            return self.nodes
        if name == "SetPreset":
            return {"PresetToken": params.get("PresetToken", "new-1")}
        return None

    def of(self, operation: str) -> list[Call]:
        return [c for c in self.calls if c.operation == operation]

    def names(self) -> list[str]:
        return [c.operation for c in self.calls]


def controller(service: FakePtz, gestures: list[PtzGesture] | None = None, **options: Any) -> PtzController:
    sink = gestures if gestures is not None else []
    return PtzController("C01", service, "Profile_1", address=ADDRESS, on_gesture=sink.append, **options)


def run(coro: Awaitable[Any]) -> Any:
    async def main() -> Any:
        return await coro
    return asyncio.run(main())


def test_a_held_move_is_repeated_every_half_second_at_most_with_a_one_second_timeout() -> None:
    fake = FakePtz()

    async def scenario() -> None:
        ptz = controller(fake)
        await ptz.press(PtzVector(0.5, 0, 0))
        for _ in range(7):  # the UI's timer renews the lease while the button is down
            await asyncio.sleep(0.2)
            ptz.keep()
        await ptz.release()

    run(scenario())
    moves = fake.of("ContinuousMove")
    assert len(moves) >= 3
    gaps = [b.at - a.at for a, b in itertools.pairwise(moves)]
    assert max(gaps) <= 0.5 and min(gaps) >= 0.3
    assert all(m.params["Timeout"] == dt.timedelta(seconds=1) for m in moves)
    assert fake.names()[-1] == "GetStatus" and fake.names()[-2] == "Stop"


def test_release_sends_stop_after_the_last_move_and_no_move_follows() -> None:
    fake = FakePtz(delay_s=0.05)

    async def scenario() -> PtzGesture | None:
        ptz = controller(fake)
        await ptz.press(PtzVector(0, 1, 0))
        await asyncio.sleep(0.01)  # the first move is on its way when the button comes up
        return await ptz.release()

    record = run(scenario())
    names = [n for n in fake.names() if n != "GetStatus"]
    assert names == ["ContinuousMove", "Stop"]
    assert record is not None and record.end is GestureEnd.RELEASED and record.stop == "stop"


def test_a_refused_stop_ends_the_move_with_a_zero_move_and_is_remembered() -> None:
    fake = FakePtz(reject_stop=True)
    gestures: list[PtzGesture] = []

    async def scenario() -> None:
        ptz = controller(fake, gestures)
        for _ in range(2):
            await ptz.press(PtzVector(1, 0, 0))
            await asyncio.sleep(0.05)
            await ptz.release()

    run(scenario())
    names = [n for n in fake.names() if n != "GetStatus"]
    assert names == ["ContinuousMove", "Stop", "ContinuousMove", "ContinuousMove", "ContinuousMove"]
    zero = fake.of("ContinuousMove")[1].params["Velocity"]
    assert zero == {"PanTilt": {"x": 0.0, "y": 0.0}, "Zoom": {"x": 0.0}}
    ends = [g for g in gestures if g.ended]
    assert [g.stop for g in ends] == ["zero_move", "zero_move"]


def test_a_cancelled_holder_still_stops_the_camera() -> None:
    fake = FakePtz()

    async def scenario() -> None:
        ptz = controller(fake)

        async def officer() -> None:
            async with ptz.holding(PtzVector(-1, 0, 0)):
                await asyncio.sleep(10)

        task = asyncio.create_task(officer())
        await asyncio.sleep(0.3)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    run(scenario())
    assert "Stop" in fake.names()
    assert fake.names().index("Stop") > max(i for i, n in enumerate(fake.names()) if n == "ContinuousMove")


def test_a_cancelled_hold_task_stops_the_camera_in_its_finally() -> None:
    fake = FakePtz()
    gestures: list[PtzGesture] = []

    async def scenario() -> None:
        ptz = controller(fake, gestures)
        await ptz.press(PtzVector(0, 0, 1))
        await asyncio.sleep(0.1)
        hold = ptz._hold
        assert hold is not None and hold.task is not None
        hold.task.cancel()
        await asyncio.sleep(0.1)

    run(scenario())
    assert "Stop" in fake.names()
    assert gestures[-1].end is GestureEnd.CANCELLED and gestures[-1].stop == "stop"


def test_a_failed_repeat_ends_the_move_with_a_stop_and_reports_the_error() -> None:
    fake = FakePtz(fail_moves_after=1)
    errors: list[OnvifError] = []
    gestures: list[PtzGesture] = []

    async def scenario() -> None:
        ptz = controller(fake, gestures, on_error=errors.append)
        await ptz.press(PtzVector(1, 1, 0))
        await asyncio.sleep(1.0)
        assert not ptz.moving

    run(scenario())
    assert [e.kind for e in errors] == [OnvifErrorKind.TIMEOUT]
    assert "Stop" in fake.names()
    assert gestures[-1].end is GestureEnd.ERROR and gestures[-1].error_kind == "timeout"


def test_a_hold_nobody_renews_ends_by_itself() -> None:
    fake = FakePtz()
    gestures: list[PtzGesture] = []

    async def scenario() -> None:
        ptz = controller(fake, gestures, lease_s=0.6)
        await ptz.press(PtzVector(0.3, 0, 0))
        await asyncio.sleep(1.5)
        assert not ptz.moving

    run(scenario())
    assert gestures[-1].end is GestureEnd.LEASE_EXPIRED and "Stop" in fake.names()
    assert len(fake.of("ContinuousMove")) <= 3


def test_steering_sends_the_new_direction_at_once() -> None:
    fake = FakePtz()

    async def scenario() -> None:
        ptz = controller(fake)
        await ptz.press(PtzVector(1, 0, 0))
        await asyncio.sleep(0.05)
        await ptz.steer(PtzVector(0, -1, 0))
        await asyncio.sleep(0.05)
        await ptz.release()

    run(scenario())
    moves = fake.of("ContinuousMove")
    assert moves[1].params["Velocity"]["PanTilt"] == {"x": 0.0, "y": -1.0}
    assert moves[1].at - moves[0].at < 0.2


@pytest.mark.parametrize(("zoom", "factor"), [(0.0, 1.0), (0.5, 0.6), (1.0, 0.2)])
def test_pan_and_tilt_slow_down_as_the_camera_zooms_in(zoom: float, factor: float) -> None:
    assert speed_factor(zoom) == pytest.approx(factor)
    fake = FakePtz(zoom=zoom)

    async def scenario() -> None:
        ptz = controller(fake)
        await ptz.load()
        await ptz.press(PtzVector(1, -0.5, 0.25))
        await asyncio.sleep(0.05)
        await ptz.release()

    run(scenario())
    velocity = fake.of("ContinuousMove")[0].params["Velocity"]
    assert velocity["PanTilt"] == {"x": pytest.approx(factor), "y": pytest.approx(-0.5 * factor)}
    assert velocity["Zoom"] == {"x": 0.25}  # zoom speed itself is not scaled


def test_each_gesture_reaches_the_audit_once_when_it_starts_and_once_when_it_ends() -> None:
    fake = FakePtz()
    gestures: list[PtzGesture] = []

    async def scenario() -> None:
        ptz = controller(fake, gestures)
        ptz.actor = "canbo01"
        await ptz.press(PtzVector(0.5, 0, 0))
        for _ in range(5):
            await asyncio.sleep(0.2)
            await ptz.steer(PtzVector(0.8, 0, 0))
        await ptz.release()
        await ptz.goto_preset("3")

    run(scenario())
    assert [(g.kind, g.ended) for g in gestures] == [(GestureKind.MOVE, False), (GestureKind.MOVE, True),
                                                    (GestureKind.PRESET_GOTO, False), (GestureKind.PRESET_GOTO, True)]
    move = gestures[1]
    assert move.camera_id == "C01" and move.actor == "canbo01" and move.commands >= 4
    assert move.duration_s is not None and 0.9 < move.duration_s < 1.6
    assert move.detail == "peak speed 0.80"


def test_a_preset_goto_while_moving_ends_the_move_first() -> None:
    fake = FakePtz()
    gestures: list[PtzGesture] = []

    async def scenario() -> None:
        ptz = controller(fake, gestures)
        await ptz.press(PtzVector(1, 0, 0))
        await asyncio.sleep(0.05)
        await ptz.goto_preset("7")

    run(scenario())
    names = [n for n in fake.names() if n != "GetStatus"]
    assert names == ["ContinuousMove", "Stop", "GotoPreset"]
    assert gestures[1].end is GestureEnd.SUPERSEDED


def test_stop_every_stops_all_cameras_at_once() -> None:
    fakes = [FakePtz(delay_s=0.2) for _ in range(3)]

    async def scenario() -> float:
        ptzs = [controller(f) for f in fakes]
        for ptz in ptzs:
            await ptz.press(PtzVector(1, 0, 0))
        await asyncio.sleep(0.3)
        started = time.monotonic()
        await stop_every(ptzs)
        return time.monotonic() - started

    took = run(scenario())
    assert all("Stop" in f.names() for f in fakes)
    assert took < 0.9  # together, not one after the other (3 × (move in flight + stop) would be ≥ 1.2 s)


def test_click_to_centre_uses_the_field_of_view_space_when_offered() -> None:
    fake = FakePtz()
    fov = PtzSpace(FOV_SPACE, Span(-100, 100), Span(-100, 100))

    async def scenario() -> CentreMode:
        ptz = controller(fake, capabilities=PtzCapabilities(relative_fov=fov))
        return await ptz.centre_on(0.75, 0.25)

    assert run(scenario()) is CentreMode.RELATIVE_FOV
    move = fake.of("RelativeMove")[0].params["Translation"]["PanTilt"]
    assert move == {"x": 50.0, "y": 50.0, "space": FOV_SPACE}  # right and up, half way to the edge


def test_click_to_centre_computes_an_absolute_move_without_the_fov_space() -> None:
    fake = FakePtz(pan=0.0, tilt=0.0, zoom=0.0)
    generic = PtzSpace("http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace", Span(-1, 1), Span(-1, 1))

    async def scenario() -> CentreMode:
        ptz = controller(fake, capabilities=PtzCapabilities(absolute=generic, absolute_zoom=Span(0, 1)))
        return await ptz.centre_on(1.0, 0.5)

    assert run(scenario()) is CentreMode.ABSOLUTE_COMPUTED
    position = fake.of("AbsoluteMove")[0].params["Position"]["PanTilt"]
    # the right edge of a 60° view is 30° to the right: 30/360 of a turn = 1/6 of the generic span of 2
    assert position["x"] == pytest.approx(30 / 180, abs=1e-4) and position["y"] == pytest.approx(0.0)


def test_click_to_centre_says_why_not_when_the_camera_cannot() -> None:
    fake = FakePtz()
    ptz = controller(fake, capabilities=PtzCapabilities())
    support = ptz.centre_support()
    assert support.mode is CentreMode.UNSUPPORTED and "căn giữa" in support.reason_vi
    with pytest.raises(OnvifError) as caught:
        run(ptz.centre_on(0.2, 0.2))
    assert caught.value.kind is OnvifErrorKind.UNSUPPORTED and fake.calls == []


def test_capabilities_are_read_from_the_node() -> None:
    fake = FakePtz(nodes=[{"token": "PTZNODE_1", "HomeSupported": True, "MaximumNumberOfPresets": 300,
                           "SupportedPTZSpaces": {
                               "RelativePanTiltTranslationSpace": [
                                   {"URI": "http://www.onvif.org/ver10/tptz/PanTiltSpaces/TranslationGenericSpace",
                                    "XRange": {"Min": -1, "Max": 1}, "YRange": {"Min": -1, "Max": 1}},
                                   {"URI": FOV_SPACE, "XRange": {"Min": -100, "Max": 100},
                                    "YRange": {"Min": -100, "Max": 100}}],
                               "AbsoluteZoomPositionSpace": [
                                   {"URI": "http://www.onvif.org/ver10/tptz/ZoomSpaces/PositionGenericSpace",
                                    "XRange": {"Min": 0, "Max": 1}}],
                               "ContinuousZoomVelocitySpace": [
                                   {"URI": "http://www.onvif.org/ver10/tptz/ZoomSpaces/VelocityGenericSpace",
                                    "XRange": {"Min": -1, "Max": 1}}]}}])
    caps = run(controller(fake).load())
    assert caps.node_token == "PTZNODE_1" and caps.max_presets == 300 and caps.home
    assert caps.relative_fov is not None and caps.relative_fov.x == Span(-100, 100)
    assert caps.absolute is None and caps.absolute_zoom == Span(0, 1) and caps.continuous_zoom


def test_a_camera_without_zoom_gets_no_zoom_velocity() -> None:
    fake = FakePtz()

    async def scenario() -> None:
        ptz = controller(fake, capabilities=PtzCapabilities(continuous_zoom=False))
        await ptz.press(PtzVector(1, 0, 1))
        await asyncio.sleep(0.02)
        await ptz.release()

    run(scenario())
    assert fake.of("ContinuousMove")[0].params["Velocity"] == {"PanTilt": {"x": 1.0, "y": 0.0}}
    assert fake.of("Stop")[0].params == {"ProfileToken": "Profile_1", "PanTilt": True, "Zoom": False}


def test_renaming_a_preset_goes_there_first_then_saves_it_under_its_token() -> None:
    fake = FakePtz()

    async def scenario() -> None:
        await controller(fake).rename_preset("4", "  Cổng   chợ ")

    run(scenario())
    names = fake.names()
    assert names[0] == "GotoPreset" and names[-1] == "SetPreset"
    assert fake.of("SetPreset")[0].params == {"ProfileToken": "Profile_1", "PresetToken": "4",
                                              "PresetName": "Cổng chợ"}


def test_a_preset_needs_a_name() -> None:
    with pytest.raises(ValueError, match="name"):
        run(controller(FakePtz()).set_preset("   "))


def test_closing_the_controller_stops_a_held_move_and_refuses_more() -> None:
    fake = FakePtz()

    async def scenario() -> None:
        ptz = controller(fake)
        await ptz.press(PtzVector(1, 0, 0))
        await asyncio.sleep(0.05)
        await ptz.close()
        await ptz.press(PtzVector(1, 0, 0))
        await asyncio.sleep(0.05)

    run(scenario())
    names = fake.names()
    assert names.count("ContinuousMove") == 1 and names[-1] == "Stop"


def test_pan_for_a_compass_bearing_wraps_and_clamps() -> None:
    """The map's *Quay camera về đây*: the site-file bearing is pan 0; a full turn spans the generic -1..1."""
    generic, assume = PtzCapabilities(absolute=None), FovAssumptions()
    assert pan_for_bearing(90, 0, generic, assume) == pytest.approx(0.5)
    assert pan_for_bearing(10, 350, generic, assume) == pytest.approx(20 / 180)  # across north
    assert pan_for_bearing(180, 350, generic, assume) == pytest.approx(-170 / 180)  # the short way round
    half = FovAssumptions(pan_span_deg=180)
    assert pan_for_bearing(135, 0, generic, half) == 1.0  # beyond a half-turn camera's reach: its end stop
