"""Detectors on the simulator's own pictures (scripted vehicle crossings with known start and end) and on
tampered versions of them: covered, blurred, turned away; a static noisy scene raises nothing."""

from __future__ import annotations

from datetime import time as daytime

import numpy as np
import pytest
from PIL import Image, ImageFilter

from console.core.alerts import AlertKind
from console.core.motion import MotionDetector, MotionSettings, Schedule, zone_mask
from console.core.tamper import TamperDetector
from console.simulator.scene import ROAD_ZONE, SceneRenderer

ROAD = ROAD_ZONE
SKY = (((0.0, 0.0), (1.0, 0.0), (1.0, 0.3), (0.0, 0.3)),)


def small(y: np.ndarray) -> np.ndarray:
    return np.asarray(Image.fromarray(y).resize((96, 54), Image.Resampling.BILINEAR))


@pytest.fixture(scope="module")
def renderer() -> SceneRenderer:
    return SceneRenderer("C01 · Nút giao QL38", "Điểm S01", 640, 360, 15, 30.0)


def test_zone_mask_of_a_triangle() -> None:
    mask = zone_mask((((0.0, 0.0), (1.0, 0.0), (0.0, 1.0)),), 10, 10)
    assert mask[0, 0] and not mask[9, 9] and 40 <= mask.sum() <= 60


def test_schedule_across_midnight() -> None:
    night = Schedule(daytime(22, 0), daytime(5, 0))
    assert night.armed(daytime(23, 30)) and night.armed(daytime(4, 59)) and not night.armed(daytime(12, 0))
    assert Schedule().armed(daytime(12, 0))


def test_motion_follows_the_scripted_crossings(renderer: SceneRenderer) -> None:
    detector = MotionDetector(MotionSettings(zones=ROAD))
    hits = misses = false = 0
    for second in range(90):  # three loops at one picture per second (a 1 s GOP's keyframes)
        n = second * renderer.fps
        t = (n % renderer.frames) / renderer.fps
        on_screen = bool(renderer.vehicle_boxes(n)) and any(b[2] > 0 and b[0] < renderer.width
                                                            for b in renderer.vehicle_boxes(n))
        active = detector.active(detector.sample(small(renderer.frame(n)[0])))
        if on_screen and second > 0:
            hits += active
            misses += not active
        elif not on_screen and not any(e.start_s <= t < e.end_s + 1 for e in renderer.episodes):
            false += active
    assert hits >= 0.9 * (hits + misses) and false == 0


def test_motion_outside_the_zone_is_ignored(renderer: SceneRenderer) -> None:
    detector = MotionDetector(MotionSettings(zones=SKY))
    scores = [detector.sample(small(renderer.frame(s * renderer.fps)[0])) for s in range(30)]
    assert max(scores) == 0.0


def test_static_noisy_scene_with_brightness_drift_raises_nothing(renderer: SceneRenderer) -> None:
    detector = MotionDetector(MotionSettings(zones=ROAD, sensitivity=80))
    tamper = TamperDetector()
    base = renderer.frame(0)[0].astype(np.float32)  # no vehicle at the loop's start
    rng = np.random.default_rng(7)
    for second in range(900):
        drift = 12 * np.sin(second / 150)  # clouds and auto-exposure over a quarter of an hour
        noise = rng.standard_normal(base.shape, dtype=np.float32) * 4
        picture = np.clip(base + drift + noise, 0, 255).astype(np.uint8)
        luma = small(picture)
        assert not detector.active(detector.sample(luma)), second
        assert tamper.sample(luma) == {}, second


def tampered_run(renderer: SceneRenderer, spoil: object) -> list[set[AlertKind]]:
    detector = TamperDetector()
    verdicts = []
    for second in range(40):
        y = renderer.frame(second * renderer.fps)[0]
        if second >= 20:
            y = spoil(y)  # type: ignore[operator]
        verdicts.append(set(detector.sample(small(y))))
    return verdicts


@pytest.mark.parametrize(("spoil", "kind"), [
    (lambda y: np.full_like(y, 12), AlertKind.TAMPER_COVERED),  # lens covered: black
    (lambda y: np.full_like(y, 128), AlertKind.TAMPER_COVERED),  # sprayed / cloth: uniform grey
    (lambda y: np.asarray(Image.fromarray(y).filter(ImageFilter.GaussianBlur(12))), AlertKind.TAMPER_DEFOCUSED),
    (lambda y: np.ascontiguousarray(y[::-1, :]), AlertKind.TAMPER_MOVED),  # turned to another view
])
def test_tamper_kinds_after_they_persist(renderer: SceneRenderer, spoil: object, kind: AlertKind) -> None:
    verdicts = tampered_run(renderer, spoil)
    assert all(not v for v in verdicts[:20])  # learning, vehicles passing: nothing
    assert all(not v for v in verdicts[20:24])  # not yet: must persist
    assert all(kind in v for v in verdicts[27:]), verdicts[20:]
