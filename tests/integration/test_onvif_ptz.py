"""PTZ through our controller against the simulator's ONVIF face: a held move keeps the camera turning and its
release stops it — also when the camera ignores the Timeout or refuses Stop (stuck moves: none) —, a console
that freezes leaves the camera stopped by the Timeout alone, presets with Hikvision's 300 empty slots hidden.
The camera's motion is read back through ONVIF GetStatus on a connection of its own. Loopback only."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest

from console.core.config import load_config
from console.core.credentials import Credentials, CredentialStore
from console.onvif.network_loop import NetworkLoop
from console.onvif.ptz import CentreMode, GestureEnd, PtzController, PtzGesture, PtzStatus, PtzVector
from console.onvif.session import open_session
from console.simulator.server import Simulator, SimulatorOptions
from tests.support.siteconfig import write_demo_config
from tests.support.waiting import wait_until

PTZ_CAMERAS = ("C01", "C02")
STILL_FOR_S = 1.5  # longer than the 1 s Timeout: a camera still moving after it is stuck


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory, demo_password: Credentials) -> Iterator[Simulator]:
    folder = tmp_path_factory.mktemp("onvif-ptz")
    path = write_demo_config(folder / "site.toml", cameras=3, credentials="demo")
    store = CredentialStore({"demo": demo_password})
    options = SimulatorOptions(loop_s=2.0, onvif=True, cache_dir=folder, ptz_cameras=frozenset(PTZ_CAMERAS))
    with Simulator(load_config(path, store.refs), store, options) as simulator:
        yield simulator


@pytest.fixture()
def network() -> Iterator[NetworkLoop]:
    loop = NetworkLoop("test-onvif").start()
    yield loop
    loop.stop()


class Camera:
    """One PTZ camera driven by a controller on the network loop and watched through a second session."""

    def __init__(self, sim: Simulator, camera_id: str, credentials: Credentials, network: NetworkLoop) -> None:
        self.network = network
        self.gestures: list[PtzGesture] = []
        port = sim.onvif_device(camera_id).spec.port
        self.port, self.credentials = port, credentials

        async def build() -> tuple[PtzController, PtzController]:
            controller = await PtzController.open(await open_session("127.0.0.1", port, credentials), camera_id,
                                                  on_gesture=self.gestures.append)
            watcher = await PtzController.open(await open_session("127.0.0.1", port, credentials), camera_id)
            return controller, watcher

        self.ptz, self._watcher = self.run(build())

    def run(self, coro: Any, timeout_s: float = 20.0) -> Any:
        return self.network.submit(coro).result(timeout_s)

    def status(self) -> PtzStatus:
        return self.run(self._watcher.status())

    def position(self) -> tuple[float | None, float | None, float | None]:
        status = self.status()
        return status.pan, status.tilt, status.zoom

    def still(self, for_s: float = STILL_FOR_S) -> bool:
        first = self.position()
        time.sleep(for_s)
        return self.position() == first

    def close(self) -> None:
        self.run(self.ptz.close())
        self.run(self._watcher.close())


@pytest.fixture()
def camera(sim: Simulator, demo_password: Credentials, network: NetworkLoop) -> Iterator[Camera]:
    cam = Camera(sim, "C01", demo_password, network)
    cam.run(cam.ptz.absolute_move(0.0, 0.0, 0.0))
    wait_until(lambda: cam.status().moving is not True, 10, what="the camera at its start position")
    cam.gestures.clear()  # the start position is the fixture's gesture, not the test's
    yield cam
    cam.close()


FAULTS = {"none": (), "ignores_timeout": ("onvif_ignore_timeout",), "rejects_stop": ("onvif_reject_stop",),
          "both": ("onvif_ignore_timeout", "onvif_reject_stop")}


@pytest.fixture(params=list(FAULTS))
def faults(request: pytest.FixtureRequest, sim: Simulator) -> Iterator[tuple[str, ...]]:
    chosen = FAULTS[request.param]
    for fault in chosen:
        getattr(sim, fault)("C01", True)
    yield chosen
    for fault in chosen:
        getattr(sim, fault)("C01", False)


def test_a_held_move_keeps_turning_and_its_release_stops_the_camera(camera: Camera,
                                                                   faults: tuple[str, ...]) -> None:
    camera.run(camera.ptz.press(PtzVector(0.6, 0, 0)))
    start = camera.position()
    for _ in range(10):  # 2.5 s, well past one Timeout: the repeats keep it going
        time.sleep(0.25)
        camera.ptz.keep()
    middle = camera.position()
    time.sleep(0.5)
    camera.ptz.keep()
    later = camera.position()
    assert start[0] != middle[0] != later[0], "the held move did not keep the camera turning"
    record = camera.run(camera.ptz.release())
    assert record is not None and record.end is GestureEnd.RELEASED
    assert record.stop == ("zero_move" if "onvif_reject_stop" in faults else "stop")
    assert camera.still(), f"stuck move with faults {faults}"
    assert camera.status().moving is not True
    ends = [g for g in camera.gestures if g.ended]
    assert len(ends) == 1 and ends[0].commands >= 6  # one audit record for the whole gesture


def test_a_console_that_freezes_leaves_the_camera_stopped_by_the_timeout(camera: Camera) -> None:
    camera.run(camera.ptz.press(PtzVector(0, 0.6, 0)))
    time.sleep(0.6)
    camera.network.call_soon(time.sleep, 3.5)  # the network loop hangs: no repeat, no release, no Stop
    frozen_at = time.monotonic()
    watcher = _own_status_reader(camera)
    first = watcher()
    assert first is not None
    stopped = wait_until(lambda: _still_between(watcher, 0.3), 3.0, what="the camera stopping on its own")
    assert time.monotonic() - frozen_at - stopped < 2.0  # within ~1 s of the last repeat (plus the check)
    time.sleep(3.5 - (time.monotonic() - frozen_at) + 0.2)


def _own_status_reader(camera: Camera) -> Any:
    """GetStatus through a loop of the test's own (the network loop is frozen)."""

    def read() -> tuple[float | None, float | None]:
        async def one() -> tuple[float | None, float | None]:
            session = await open_session("127.0.0.1", camera.port, camera.credentials)
            try:
                status = await PtzController(camera.ptz.camera_id, await session.service("ptz"),
                                             camera.ptz.profile_token, address=session.address).status()
                return status.pan, status.tilt
            finally:
                await session.close()

        return asyncio.run(one())

    return read


def _still_between(read: Any, gap_s: float) -> bool:
    first = read()
    time.sleep(gap_s)
    return bool(read() == first)


def test_a_cancelled_holder_stops_the_camera(camera: Camera) -> None:
    async def officer() -> None:
        async with camera.ptz.holding(PtzVector(-0.5, 0, 0)):
            await asyncio.sleep(30)

    future = camera.network.submit(officer())
    time.sleep(0.8)
    future.cancel()
    wait_until(lambda: not camera.ptz.moving, 3, what="the hold to end")
    assert camera.still(1.2)
    assert [g.end for g in camera.gestures if g.ended] == [GestureEnd.RELEASED]


def test_presets_hide_300_empty_slots_and_keep_the_named_ones(camera: Camera, sim: Simulator) -> None:
    sim.onvif_unnamed_presets("C01", True)
    try:
        token = camera.run(camera.ptz.set_preset("Cổng UBND xã"))
        shown = camera.run(camera.ptz.presets())
        everything = camera.run(camera.ptz.presets(include_unnamed=True))
        assert len(everything) >= 300
        assert [p.name for p in shown] == ["Cổng UBND xã"] and shown[0].token == token
    finally:
        camera.run(camera.ptz.remove_preset(token))
        sim.onvif_unnamed_presets("C01", False)


def test_a_preset_is_saved_gone_to_renamed_and_removed(camera: Camera) -> None:
    camera.run(camera.ptz.absolute_move(0.3, -0.2, 0.1))
    wait_until(lambda: camera.status().moving is not True, 10, what="the camera at the preset's place")
    token = camera.run(camera.ptz.set_preset("Ngã ba chợ"))
    saved = camera.position()
    camera.run(camera.ptz.absolute_move(-0.4, 0.2, 0.0))
    wait_until(lambda: camera.status().moving is not True and camera.position() != saved, 10,
               what="the camera away from the preset")
    camera.run(camera.ptz.goto_preset(token))
    wait_until(lambda: _close(camera.position(), saved), 10, what="the camera back at the preset")
    camera.run(camera.ptz.rename_preset(token, "Chợ Gia Đông"))
    assert [(p.token, p.name) for p in camera.run(camera.ptz.presets())] == [(token, "Chợ Gia Đông")]
    camera.run(camera.ptz.remove_preset(token))
    assert camera.run(camera.ptz.presets()) == []
    kinds = [g.kind.value for g in camera.gestures if g.ended]
    assert kinds[-4:] == ["preset_goto", "preset_goto", "preset_rename", "preset_remove"]


def test_home_is_set_and_gone_to(camera: Camera) -> None:
    camera.run(camera.ptz.absolute_move(0.5, 0.0, 0.0))
    wait_until(lambda: camera.status().moving is not True, 10, what="the camera at home")
    camera.run(camera.ptz.set_home())
    home = camera.position()
    camera.run(camera.ptz.absolute_move(-0.5, 0.3, 0.2))
    wait_until(lambda: not _close(camera.position(), home), 10, what="the camera away from home")
    camera.run(camera.ptz.goto_home())
    wait_until(lambda: _close(camera.position(), home), 10, what="the camera back home")


def test_a_click_right_of_the_centre_turns_the_camera_right(camera: Camera) -> None:
    before = camera.position()
    mode = camera.run(camera.ptz.centre_on(0.8, 0.5))
    assert mode in (CentreMode.RELATIVE_FOV, CentreMode.ABSOLUTE_COMPUTED)
    wait_until(lambda: camera.status().moving is not True and camera.position() != before, 10,
               what="the camera turning toward the click")
    after = camera.position()
    assert after[0] is not None and before[0] is not None and after[0] > before[0]
    assert after[1] == pytest.approx(before[1], abs=0.02)


def test_zoomed_in_the_same_push_turns_the_camera_slower(camera: Camera) -> None:
    def pan_speed() -> float:
        camera.run(camera.ptz.press(PtzVector(0.5, 0, 0)))
        time.sleep(0.3)
        start, started = camera.position()[0], time.monotonic()
        time.sleep(0.8)
        end, ended = camera.position()[0], time.monotonic()
        camera.run(camera.ptz.release())
        assert start is not None and end is not None
        return (end - start) / (ended - started)

    wide = pan_speed()
    camera.run(camera.ptz.absolute_move(0.0, 0.0, 1.0))
    wait_until(lambda: camera.status().moving is not True, 10, what="the camera zoomed in")
    camera.run(camera.ptz.load())
    tele = pan_speed()
    assert 0 < tele < wide * 0.5


def _close(a: tuple[float | None, ...], b: tuple[float | None, ...], tolerance: float = 0.02) -> bool:
    return all(x is not None and y is not None and abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))
