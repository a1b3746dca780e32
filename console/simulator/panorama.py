"""The wide scene a simulated PTZ camera looks into, and the window its pan/tilt/zoom cut out of it each frame.

The scene is one equirectangular picture of the whole turn around the camera (pan -1..1 ↦ -180°..180°,
positive pan looks right) and ±`SCENE_HALF_HEIGHT_DEG` around the horizon (tilt -1..1 ↦ ±`TILT_HALF_DEG`,
positive tilt looks up). The window is `hfov_deg(zoom)` wide, `WIDE_HFOV_DEG` at zoom 0 narrowing geometrically
to 1/`ZOOM_MAX` of it at zoom 1, with the picture's aspect. The scene carries a labelled grid (pan every 15°,
tilt every 10°, in ONVIF units) over buildings and trees of random sizes, so a shift reads the same by eye and
by correlation; the position is also written into each frame as a stamp (`position_code`), readable with
`console.core.stamp.read_stamp` from any decoded frame.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from PIL import Image

from console.simulator.ptz_head import PtzPosition
from console.simulator.scene import MotionEpisode, Plane, TextPatch, motion_script, render_text

FloatPlane = npt.NDArray[np.float32]

PX_PER_DEG = 16  # scene resolution: the sub stream (640 px over 60°) is drawn from 960 scene pixels at zoom 0
WIDE_HFOV_DEG = 60.0
ZOOM_MAX = 10.0  # optical 1×..10× (the window narrows to 6°); beyond that a fixed picture would only blur
PAN_SPAN_DEG = 360.0
TILT_HALF_DEG = 30.0
SCENE_HALF_HEIGHT_DEG = 48.0  # tilt ±30° plus half the widest window's height (16.9°) and a margin
ASPECT = 16 / 9
GRID_PAN_DEG = 15.0
GRID_TILT_DEG = 10.0
ROAD_ELEVATION_DEG = (-8.0, -15.0)  # the road around the camera, below the horizon (top, bottom)
TRAFFIC_YAW_DEG = (-45.0, 45.0)  # the vehicles cross in front of the home position
VEHICLE_DEG = (7.0, 2.6)  # a vehicle's width and height
POSITION_BITS = 14  # per axis in the stamp: 3 × 14 = the stamp's 42 data bits
_SCENE_W = round(PAN_SPAN_DEG * PX_PER_DEG)
_SCENE_H = round(2 * SCENE_HALF_HEIGHT_DEG * PX_PER_DEG)
_WRAP_PAD = math.ceil(WIDE_HFOV_DEG * PX_PER_DEG) + 16  # columns repeated past the seam: a window is one slice


@dataclass(frozen=True)
class Box:
    """A rectangle in scene pixels (x grows with pan to the right, y downward)."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    def overlaps(self, other: Box) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1

    def shifted(self, dx: float) -> Box:
        return Box(self.x0 + dx, self.y0, self.x1 + dx, self.y1)

    def halved(self) -> tuple[float, float, float, float]:
        return self.x0 / 2, self.y0 / 2, self.x1 / 2, self.y1 / 2


def hfov_deg(zoom: float) -> float:
    return WIDE_HFOV_DEG / math.pow(ZOOM_MAX, min(1.0, max(0.0, zoom)))


def yaw_deg(pan: float) -> float:
    return pan * PAN_SPAN_DEG / 2


def elevation_deg(tilt: float) -> float:
    return tilt * TILT_HALF_DEG


def _column(yaw: float) -> float:
    return (yaw + PAN_SPAN_DEG / 2) * PX_PER_DEG


def _row(elevation: float) -> float:
    return (SCENE_HALF_HEIGHT_DEG - elevation) * PX_PER_DEG


def window(position: PtzPosition) -> Box:
    """The part of the scene the camera sees at `position`; x0 in [0, scene width)."""
    width = hfov_deg(position.zoom) * PX_PER_DEG
    height = width / ASPECT
    cx, cy = _column(yaw_deg(position.pan)), _row(elevation_deg(position.tilt))
    x0 = (cx - width / 2) % _SCENE_W
    return Box(x0, cy - height / 2, x0 + width, cy + height / 2)


def position_code(position: PtzPosition) -> int:
    """The position as the stamp's 42-bit value: pan, tilt (both -1..1) and zoom (0..1), 14 bits each."""
    top = (1 << POSITION_BITS) - 1

    def bits(value: float, low: float, high: float) -> int:
        return round((min(high, max(low, value)) - low) / (high - low) * top)

    return (bits(position.pan, -1, 1) << 2 * POSITION_BITS) | (bits(position.tilt, -1, 1) << POSITION_BITS) \
        | bits(position.zoom, 0, 1)


def position_from_code(code: int) -> PtzPosition:
    top = (1 << POSITION_BITS) - 1

    def value(bits: int, low: float, high: float) -> float:
        return low + (bits & top) / top * (high - low)

    return PtzPosition(value(code >> 2 * POSITION_BITS, -1, 1), value(code >> POSITION_BITS, -1, 1),
                       value(code, 0, 1))


def _seed(text: str) -> int:
    return int.from_bytes(hashlib.sha256(f"panorama/{text}".encode()).digest()[:4], "little")


class Traffic:
    """The scripted vehicles of a PTZ camera's scene: where they are at a wall-clock instant, and whether one is
    inside a window (what the camera's motion detector reports)."""

    def __init__(self, loop_s: float) -> None:
        self.loop_s = loop_s
        self.episodes: tuple[MotionEpisode, ...] = motion_script(loop_s)

    def vehicles(self, epoch_s: float) -> list[Box]:
        """Where the vehicles are at `epoch_s` (the loop runs on the wall clock, as the fixed cameras' loops do)."""
        t = epoch_s % self.loop_s
        top, bottom = (_row(e) for e in ROAD_ELEVATION_DEG)
        middle = (top + bottom) / 2
        vw, vh = VEHICLE_DEG[0] * PX_PER_DEG, VEHICLE_DEG[1] * PX_PER_DEG
        start, end = (_column(yaw) for yaw in TRAFFIC_YAW_DEG)
        boxes = []
        for episode in self.episodes:
            if not episode.start_s <= t < episode.end_s:
                continue
            progress = (t - episode.start_s) / (episode.end_s - episode.start_s)
            travel = end - start + vw
            x = start - vw + progress * travel if episode.lane == 0 else end - progress * travel
            y0 = bottom - vh - 4 if episode.lane == 0 else middle - vh - 4
            boxes.append(Box(x, y0, x + vw, y0 + vh))
        return boxes

    def in_view(self, view: Box, epoch_s: float) -> list[Box]:
        """The vehicles inside `view` (in its own x range, across the seam too)."""
        return [candidate for vehicle in self.vehicles(epoch_s)
                for candidate in (vehicle, vehicle.shifted(_SCENE_W), vehicle.shifted(-_SCENE_W))
                if candidate.overlaps(view)]

    def vehicle_in_view(self, position: PtzPosition, epoch_s: float) -> bool:
        return bool(self.in_view(window(position), epoch_s))


class Panorama:
    """One camera's wide scene (built once: ~0.8 s, ~15 MB with the repeated seam) and the window cut from it to
    a picture size."""

    def __init__(self, title: str, traffic: Traffic) -> None:
        self.traffic = traffic
        y, u, v = _build(title)
        self._y = Image.fromarray(np.concatenate([y, y[:, :_WRAP_PAD]], axis=1))
        self._u = Image.fromarray(np.concatenate([u, u[:, :_WRAP_PAD // 2]], axis=1))
        self._v = Image.fromarray(np.concatenate([v, v[:, :_WRAP_PAD // 2]], axis=1))

    def view(self, position: PtzPosition, width: int, height: int, epoch_s: float) -> tuple[Plane, Plane, Plane]:
        """The picture at `position` (Y, U, V; 4:2:0), the vehicles at `epoch_s` drawn in."""
        box = window(position)
        area = (box.x0, box.y0, box.x1, box.y1)
        y = np.array(self._y.resize((width, height), Image.Resampling.BILINEAR, box=area))
        u = np.array(self._u.resize((width // 2, height // 2), Image.Resampling.BILINEAR, box=box.halved()))
        v = np.array(self._v.resize((width // 2, height // 2), Image.Resampling.BILINEAR, box=box.halved()))
        for vehicle in self.traffic.in_view(box, epoch_s):
            _draw_vehicle(y, u, v, vehicle, box)
        return y, u, v


def _draw_vehicle(y: Plane, u: Plane, v: Plane, vehicle: Box, view: Box) -> None:
    height, width = y.shape
    scale = width / view.width
    x0, x1 = (max(0, min(width, round((x - view.x0) * scale))) for x in (vehicle.x0, vehicle.x1))
    y0, y1 = (max(0, min(height, round((r - view.y0) * scale))) for r in (vehicle.y0, vehicle.y1))
    if x1 <= x0 or y1 <= y0:
        return
    y[y0:y1, x0:x1] = 200
    y[y0 + (y1 - y0) // 4: y1 - (y1 - y0) // 3, x0:x1] = 45  # windows
    u[y0 // 2: y1 // 2, x0 // 2: x1 // 2] = 100
    v[y0 // 2: y1 // 2, x0 // 2: x1 // 2] = 170  # red body, as the fixed cameras' vehicles


def _build(title: str) -> tuple[Plane, Plane, Plane]:
    rng = np.random.default_rng(_seed(title))
    w, h = _SCENE_W, _SCENE_H
    horizon = round(_row(0.0))
    rows = np.arange(h, dtype=np.float32)[:, None]
    y = np.empty((h, w), np.float32)
    y[:horizon] = 185 - 60 * (horizon - rows[:horizon]) / horizon  # sky, darker upward
    y[horizon:] = 100 + 30 * (rows[horizon:] - horizon) / (h - horizon)  # fields
    u = np.full((h // 2, w // 2), 128, np.float32)
    v = np.full((h // 2, w // 2), 128, np.float32)
    u[: horizon // 2] = 146  # bluish sky
    u[horizon // 2:], v[horizon // 2:] = 120, 122  # greenish fields
    road_top, road_bottom = (round(_row(e)) for e in ROAD_ELEVATION_DEG)
    y[road_top:road_bottom] = 70
    u[road_top // 2: road_bottom // 2], v[road_top // 2: road_bottom // 2] = 128, 128
    lane = (road_top + road_bottom) // 2
    dash = 3 * PX_PER_DEG
    for x in range(0, w, dash * 2):
        y[lane - 2: lane + 2, x: x + dash] = 200
    x = 0
    while x < w:  # buildings and trees along the horizon, each its own size and tone
        bw = int(rng.uniform(2.0, 9.0) * PX_PER_DEG)
        bh = int(rng.uniform(2.0, 14.0) * PX_PER_DEG)
        tone = rng.uniform(35, 150)
        y[horizon - bh: horizon + PX_PER_DEG // 2, x: x + bw] = tone
        if rng.random() < 0.5:  # windows
            for wy in range(horizon - bh + 6, horizon - 6, 14):
                y[wy: wy + 6, x + 4: x + bw - 4: 3] = min(235.0, tone + 70)
        u[(horizon - bh) // 2: horizon // 2, x // 2: (x + bw) // 2] = rng.uniform(100, 156)
        v[(horizon - bh) // 2: horizon // 2, x // 2: (x + bw) // 2] = rng.uniform(100, 156)
        x += bw + int(rng.uniform(0.5, 6.0) * PX_PER_DEG)
    for _ in range(90):  # bushes and stones in the fields
        bx, by = int(rng.uniform(0, w - 40)), int(rng.uniform(horizon + 20, h - 40))
        if road_top - 30 < by < road_bottom + 10:
            continue
        size = int(rng.uniform(8, 36))
        y[by: by + size, bx: bx + size] = rng.uniform(30, 80)
    y += rng.normal(0, 3, (h, w)).astype(np.float32)
    _grid(y)
    return (np.clip(y, 16, 235).astype(np.uint8), np.clip(u, 16, 240).astype(np.uint8),
            np.clip(v, 16, 240).astype(np.uint8))


def _grid(y: FloatPlane) -> None:
    """Thin lines every GRID_PAN_DEG / GRID_TILT_DEG, each labelled with its ONVIF pan or tilt."""
    steps = round(PAN_SPAN_DEG / GRID_PAN_DEG)
    for i in range(steps):
        yaw = -PAN_SPAN_DEG / 2 + i * GRID_PAN_DEG
        x = round(_column(yaw))
        y[:, x: x + 2] = 225
        label = render_text(f"P{yaw / (PAN_SPAN_DEG / 2):+.3f}", 18)
        for elevation in (-36.0, 4.0, 32.0):
            _stamp_text(y, label, x + 4, round(_row(elevation)))
    elevation = -40.0
    while elevation <= 40.0:
        r = round(_row(elevation))
        y[r: r + 2, :] = 225
        label = render_text(f"T{elevation / TILT_HALF_DEG:+.2f}", 16)
        for i in range(0, steps, 2):
            _stamp_text(y, label, round(_column(-PAN_SPAN_DEG / 2 + (i + 0.5) * GRID_PAN_DEG)), r + 3)
        elevation += GRID_TILT_DEG


def _stamp_text(y: FloatPlane, patch: TextPatch, x: int, top: int) -> None:
    ph, pw = patch.luma.shape
    region = y[top: top + ph, x: x + pw]
    if region.shape != patch.luma.shape:
        return
    region[...] = region * (1 - patch.alpha) + patch.luma * patch.alpha
