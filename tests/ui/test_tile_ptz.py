"""PTZ from the tile, in the real window against the simulator's PTZ camera (loopback): the PTZ camera's tile is
offered PTZ and the other is not; a Ctrl+drag turns the camera while held and release stops it within the budget —
also when the camera ignores the move's Timeout and refuses Stop; the menu's PTZ control makes a plain drag the
joystick, and focus loss ends the move."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from console.audit.actions import AuditAction, AuditEntry
from console.audit.ptz_gestures import audit_ptz
from console.core.config import SiteConfig
from console.core.credentials import Credentials, CredentialStore
from console.core.geo import destination
from console.core.layouts import WallState
from console.media.pool import StreamPool
from console.onvif.camera_services import CameraServices
from console.simulator.server import Simulator
from console.ui.live.tile import VideoTile
from console.ui.shell.main_window import MainWindow
from tests.support.onvif_site import onvif_site
from tests.support.wizard import StallWatch

PTZ_CAMERA = "C01"
# release → the head still: under the move's 1 s Timeout, so only the Stop (or the zero move) can do it
STOPPED_WITHIN_S = 0.8
# The GUI thread's own CPU between two 10 ms ticks while a held move turns the camera (SOAP, decode or a file
# write there would show); the wall-clock gap is the loaded box's scheduler's and GIL's, only a blocking call
# (≥ a 1 s timeout) is caught on it.
GUI_BUSY_LIMIT_S = 0.05
GUI_STALL_LIMIT_S = 0.5


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory,
         demo_password: Credentials) -> Iterator[tuple[Simulator, SiteConfig]]:
    with onvif_site(tmp_path_factory.mktemp("tile-ptz"), demo_password, ptz=frozenset({PTZ_CAMERA})) as running:
        yield running


@pytest.fixture()
def audited() -> list[AuditEntry]:
    return []


@pytest.fixture()
def window(qtbot: QtBot, site: tuple[Simulator, SiteConfig], demo_password: Credentials,
           tmp_path: Path, audited: list[AuditEntry]) -> Iterator[MainWindow]:
    _, config = site
    counter = iter(range(1, 1 << 40))
    services = CameraServices(config, lambda _ref: demo_password, lambda _event: None, lambda: next(counter),
                              on_gesture=audit_ptz(audited.append, lambda: "can-bo-truc"))
    pool = StreamPool(config, CredentialStore({"demo": demo_password}))
    shown = MainWindow(config, demo=True, pool=pool, data=tmp_path, onvif=services)
    qtbot.addWidget(shown)
    shown.wall.set_state(WallState("2x2", (PTZ_CAMERA, "C02", None, None)))
    shown.show()
    services.start()
    assert shown.onvif is not None
    joystick = shown.onvif.joystick
    qtbot.waitUntil(lambda: joystick.available(PTZ_CAMERA), timeout=20_000)
    yield shown
    services.close()
    pool.close()


def moving(simulator: Simulator) -> bool:
    return simulator.ptz_head(PTZ_CAMERA).move_state().pan_tilt


def drag_and_release(qtbot: QtBot, simulator: Simulator, tile: VideoTile,
                     modifier: Qt.KeyboardModifier) -> float:
    """Ctrl(or plain)+drag to the right for a while, then release; seconds from release to the head stopped."""
    centre = tile.rect().center()
    pan_before = simulator.ptz_head(PTZ_CAMERA).position().pan
    qtbot.mousePress(tile, Qt.MouseButton.LeftButton, modifier, centre)
    qtbot.mouseMove(tile, centre + QPoint(tile.width() // 4, 0))
    qtbot.waitUntil(lambda: moving(simulator), timeout=3_000)
    qtbot.wait(1500)  # held longer than one move's Timeout: the repeats keep it turning
    assert moving(simulator)
    turned = (simulator.ptz_head(PTZ_CAMERA).position().pan - pan_before) % 2.0  # pan wraps round at ±1
    assert 0.0 < turned < 1.0  # to the right, as dragged
    qtbot.mouseRelease(tile, Qt.MouseButton.LeftButton, modifier, centre + QPoint(tile.width() // 4, 0))
    released = time.monotonic()
    qtbot.waitUntil(lambda: not moving(simulator), timeout=5_000)
    return time.monotonic() - released


def test_only_the_ptz_camera_is_offered_ptz(window: MainWindow) -> None:
    assert window.onvif is not None
    ptz_tile, fixed_tile = window.wall.tile(0), window.wall.tile(1)
    assert ptz_tile.ptz.offered and not fixed_tile.ptz.offered
    texts = [text for text, _ in window.tile_actions(0)]
    assert "PTZ control" in texts or "Điều khiển PTZ" in texts
    assert not any("PTZ" in text for text, _ in window.tile_actions(1))


@pytest.mark.parametrize("faults", [(), ("ignore_timeout", "reject_stop")])
def test_ctrl_drag_turns_the_camera_and_release_stops_it(qtbot: QtBot, window: MainWindow,
                                                         site: tuple[Simulator, SiteConfig],
                                                         faults: tuple[str, ...], audited: list[AuditEntry]) -> None:
    simulator, _ = site
    for fault in faults:
        getattr(simulator, f"onvif_{fault}")(PTZ_CAMERA, True)
    watch = StallWatch()
    try:
        took = drag_and_release(qtbot, simulator, window.wall.tile(0), Qt.KeyboardModifier.ControlModifier)
    finally:
        watch.timer.stop()
        for fault in faults:
            getattr(simulator, f"onvif_{fault}")(PTZ_CAMERA, False)
    assert took <= STOPPED_WITHIN_S
    assert watch.longest_busy_s < GUI_BUSY_LIMIT_S, watch.longest_busy_s
    assert watch.longest_s < GUI_STALL_LIMIT_S, watch.longest_s
    time.sleep(1.2)  # nothing turns it again: no repeat outlived the release
    assert not moving(simulator)
    # One audit row for the whole gesture (not one per repeated move), saying how the camera was stopped.
    [entry] = audited
    assert (entry.action, entry.camera, entry.user) == (AuditAction.PTZ, PTZ_CAMERA, "can-bo-truc")
    assert entry.details["gesture"] == "move" and int(str(entry.details["commands"])) >= 3
    assert entry.details["stop"] == ("zero_move" if "reject_stop" in faults else "stop")


def test_ptz_control_makes_a_plain_drag_the_joystick_and_focus_loss_stops(qtbot: QtBot, window: MainWindow,
                                                                          site: tuple[Simulator, SiteConfig]) -> None:
    simulator, _ = site
    tile = window.wall.tile(0)
    tile.set_ptz_mode(True)
    assert drag_and_release(qtbot, simulator, tile, Qt.KeyboardModifier.NoModifier) <= STOPPED_WITHIN_S
    centre = tile.rect().center()
    qtbot.mousePress(tile, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
    qtbot.mouseMove(tile, centre + QPoint(0, -tile.height() // 4))
    qtbot.waitUntil(lambda: moving(simulator), timeout=3_000)
    QApplication.sendEvent(tile, QFocusEvent(QFocusEvent.Type.FocusOut))
    qtbot.waitUntil(lambda: not moving(simulator), timeout=int(STOPPED_WITHIN_S * 1000))
    tile.set_ptz_mode(False)
    assert not tile.ptz_mode


def test_a_click_in_ptz_control_brings_that_point_to_the_centre(qtbot: QtBot, window: MainWindow,
                                                               site: tuple[Simulator, SiteConfig]) -> None:
    simulator, _ = site
    head = simulator.ptz_head(PTZ_CAMERA)
    tile = window.wall.tile(0)
    tile.set_ptz_mode(True)
    qtbot.waitUntil(lambda: tile.image is not None, timeout=10_000)  # the video rect has the stream's shape
    before = head.position()
    assert before.zoom == 0.0
    video = tile.video_rect_global()
    target = tile.mapFromGlobal(video.topLeft()) + QPoint(video.width() * 3 // 4, video.height() // 2)
    qtbot.mouseClick(tile, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, target)
    qtbot.waitUntil(lambda: head.position().pan != before.pan and not moving(simulator), timeout=5_000)
    turned_deg = ((head.position().pan - before.pan) % 2.0) * 180.0  # pan −1..1 is a full turn
    # A point a quarter of the picture right of the centre, with 60° across at zoom 0: ~15° (16° through the
    # lens' tangent); within 10 % of the picture's width (6°) of it.
    assert abs(turned_deg - 15.5) <= 6.0
    # The middle row was clicked: tilt (±1 is ±30°) stays within 10 % of the picture's height (33.75° · 0.1).
    assert abs(head.position().tilt - before.tilt) * 30.0 <= 3.4
    tile.set_ptz_mode(False)


def test_presets_panel_saves_with_a_thumbnail_goes_renames_and_deletes_with_empty_slots_hidden(
        qtbot: QtBot, window: MainWindow, site: tuple[Simulator, SiteConfig], tmp_path: Path, vietnamese: object,
        audited: list[AuditEntry]) -> None:
    simulator, _ = site
    assert window.onvif is not None
    tile = window.wall.tile(0)
    qtbot.waitUntil(lambda: tile.picture() is not None, timeout=20_000)
    simulator.onvif_unnamed_presets(PTZ_CAMERA, True)  # Hikvision's 300 slots, set or not
    try:
        texts = [text for text, _slot in window.onvif.actions(PTZ_CAMERA, tile)]
        assert "Vị trí đặt sẵn…" in texts
        panel = window.onvif.open_presets(PTZ_CAMERA, window)
        with qtbot.waitSignal(panel.loaded, timeout=10_000):
            pass
        before = [p.name for p in panel.presets]
        assert len(before) < 300 and all(name and not name.startswith("Preset ") for name in before)
        saved_at = simulator.ptz_head(PTZ_CAMERA).position()
        with qtbot.waitSignal(panel.loaded, timeout=10_000):
            panel.save_preset("Cổng trường")
        names = [p.name for p in panel.presets]
        assert "Cổng trường" in names
        preset = next(p for p in panel.presets if p.name == "Cổng trường")
        thumb = tmp_path / "ptz-presets" / PTZ_CAMERA / f"{preset.token}.jpg"
        assert thumb.read_bytes()[:2] == b"\xff\xd8" and not panel.list.item(names.index("Cổng trường")).icon().isNull()
        # Turn away, then go back to the preset: the head returns to where it was saved.
        drag_and_release(qtbot, simulator, tile, Qt.KeyboardModifier.ControlModifier)
        assert abs(simulator.ptz_head(PTZ_CAMERA).position().pan - saved_at.pan) > 0.05
        panel.list.setCurrentRow(names.index("Cổng trường"))
        panel.go()
        qtbot.waitUntil(lambda: abs(simulator.ptz_head(PTZ_CAMERA).position().pan - saved_at.pan) < 0.02,
                        timeout=10_000)
        with qtbot.waitSignal(panel.loaded, timeout=15_000):
            panel.rename("Ngã ba chợ")
        assert "Ngã ba chợ" in [p.name for p in panel.presets] and "Cổng trường" not in [p.name for p in panel.presets]
        panel.list.setCurrentRow([p.name for p in panel.presets].index("Ngã ba chợ"))
        with qtbot.waitSignal(panel.loaded, timeout=10_000):
            panel.remove()
        assert [p.name for p in panel.presets] == before and not thumb.exists()
        kinds = [e.details.get("gesture") for e in audited if e.action is AuditAction.PTZ]
        assert {"preset_set", "preset_goto", "preset_rename", "preset_remove"} <= set(kinds)
        panel.close()
    finally:
        simulator.onvif_unnamed_presets(PTZ_CAMERA, False)


def test_a_map_spot_inside_the_ptz_cameras_coverage_turns_it_there(
        qtbot: QtBot, window: MainWindow, site: tuple[Simulator, SiteConfig], vietnamese: object,
        audited: list[AuditEntry]) -> None:
    simulator, config = site
    camera = config.camera(PTZ_CAMERA)
    # A spot 90° to the right of where the camera looks at pan 0, inside its range: the pan goes a quarter turn.
    spot = destination(camera.position, (camera.bearing_deg + 90) % 360, camera.range_m / 2)
    [(text, turn)] = window.spot_actions(spot)
    assert text == f"Quay {camera.label} về đây"
    assert window.spot_actions(destination(camera.position, camera.bearing_deg, camera.range_m * 3)) == []
    turn()  # type: ignore[operator]
    qtbot.waitUntil(lambda: abs(simulator.ptz_head(PTZ_CAMERA).position().pan - 0.5) < 0.02, timeout=10_000)
    qtbot.waitUntil(lambda: any(e.details.get("gesture") == "absolute" for e in audited), timeout=5_000)
