"""Motion in the officer's zones, on a small luma picture (e.g. 96×54) sampled a few times a second.

The picture is compared with a slowly adapting background; a pixel moves when it differs by more than a
threshold set by the sensitivity, after removing a global brightness change (clouds, headlights, the
camera's auto-exposure). The score is the moving share of the zone's area; the zone is active when the
score reaches its minimum area. Everything is numpy on a few thousand pixels: microseconds per sample.
Every sample also leaves a coarse grid of where the picture moved (16×9 cells, whatever the zones), which the
motion search reads later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time as daytime

import numpy as np
import numpy.typing as npt

Luma = npt.NDArray[np.uint8]
Mask = npt.NDArray[np.bool_]
Point = tuple[float, float]  # (x, y) in 0..1 of the picture

GRID_COLUMNS, GRID_ROWS = 16, 9  # Nx's smart-search grid is 44×32; 16×9 keeps a row at 18 bytes
GRID_CELLS = GRID_COLUMNS * GRID_ROWS
GRID_BYTES = GRID_CELLS // 8
GRID_MIN_PIXELS = 2  # moving pixels that make a cell move (a cell is ~6×6 of the 96×54 picture)


@dataclass(frozen=True)
class MotionGrid:
    """Where one analysed picture moved: bit `row * GRID_COLUMNS + column` of `cells` set for a moving cell."""

    camera_id: str
    at_ms: int  # UTC epoch ms of the picture
    cells: int


def grid_of(moving: Mask) -> int:
    """The cells (as a bitmask) holding at least GRID_MIN_PIXELS moving pixels."""
    height, width = moving.shape  # at least 16×9 pixels (the detectors see 96×54)
    rows = np.arange(GRID_ROWS) * height // GRID_ROWS
    columns = np.arange(GRID_COLUMNS) * width // GRID_COLUMNS
    counts = np.add.reduceat(np.add.reduceat(moving.astype(np.int32), rows, axis=0), columns, axis=1)
    bits = (counts >= GRID_MIN_PIXELS).ravel()
    return int.from_bytes(np.packbits(bits[::-1]).tobytes(), "big")


def grid_bytes(cells: int) -> bytes:
    """The bitmask as stored: 18 bytes, big-endian (cell 0 is the last byte's lowest bit)."""
    return cells.to_bytes(GRID_BYTES, "big")


def grid_from_bytes(data: bytes) -> int:
    return int.from_bytes(data, "big")


@dataclass(frozen=True)
class Schedule:
    """When detection is armed, in Vietnam time; start > end spans midnight (22:00–05:00)."""

    start: daytime = daytime(0, 0)
    end: daytime = daytime(0, 0)  # equal to start: always

    def armed(self, now: daytime) -> bool:
        if self.start == self.end:
            return True
        if self.start < self.end:
            return self.start <= now < self.end
        return now >= self.start or now < self.end


@dataclass(frozen=True)
class MotionSettings:
    zones: tuple[tuple[Point, ...], ...] = ()  # polygons; none: motion detection off for this camera
    sensitivity: int = 60  # 1–100: higher finds smaller changes
    min_area: float = 0.01  # share of the zone that must move
    schedule: Schedule = field(default_factory=Schedule)
    cooldown_s: int = 60  # activity again within this after an end continues the same alert
    end_after_s: float = 3.0  # an episode ends after this long without activity

    def threshold(self) -> int:
        """Luma difference that counts as change: 60 → 22 levels, 100 → 8, 1 → 45."""
        return round(45 - 0.37 * (min(100, max(1, self.sensitivity)) - 1))


def zone_mask(zones: tuple[tuple[Point, ...], ...], width: int, height: int) -> Mask:
    """Pixels whose centre lies inside any polygon (even-odd rule)."""
    ys, xs = np.mgrid[0:height, 0:width]
    px = (xs + 0.5) / width
    py = (ys + 0.5) / height
    mask = np.zeros((height, width), dtype=bool)
    for polygon in zones:
        if len(polygon) < 3:
            continue
        inside = np.zeros_like(mask)
        for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
            crosses = (y1 > py) != (y2 > py)
            with np.errstate(divide="ignore", invalid="ignore"):
                at_x = (x2 - x1) * (py - y1) / (y2 - y1) + x1
            inside ^= crosses & (px < at_x)
        mask |= inside
    return mask


def _smooth(luma: Luma) -> npt.NDArray[np.float32]:
    """3×3 box blur: sensor noise averages out, objects stay."""
    padded = np.pad(luma.astype(np.float32), 1, mode="edge")
    total = sum(padded[dy:dy + luma.shape[0], dx:dx + luma.shape[1]] for dy in range(3) for dx in range(3))
    return np.asarray(total, dtype=np.float32) / 9.0


class MotionDetector:
    """One camera's motion state; feed it every sampled picture."""

    ADAPT = 0.05  # background follows the scene over ~20 samples where nothing moves
    NOISE_FLOOR = 4.0
    ABSORB_SAMPLES = 8  # a change that stays put this long (parked car, a vehicle in the first picture) is scene
    LEARN_SAMPLES = 5  # first pictures: the background is their per-pixel median (passing vehicles drop out)

    def __init__(self, settings: MotionSettings) -> None:
        self.settings = settings
        self._mask: Mask | None = None
        self._background: npt.NDArray[np.float32] | None = None
        self._moving_for: npt.NDArray[np.int16] | None = None
        self._learning: list[npt.NDArray[np.float32]] = []
        self.grid = 0  # the cells that moved in the last sample (motion search), zones or not

    def sample(self, luma: Luma) -> float:
        """Share of the zones' area that moved (0..1); 0 with no zones. Sets `grid` as well."""
        moving = self._moving(luma)
        self.grid = 0 if moving is None else grid_of(moving)
        if moving is None or not self.settings.zones or self._mask is None:
            return 0.0
        area = int(self._mask.sum())
        return float((moving & self._mask).sum()) / area if area else 0.0

    def _moving(self, luma: Luma) -> Mask | None:
        """The pixels that differ from the background (None while it is being learnt); updates the background."""
        picture = _smooth(luma)
        if self._mask is None or self._mask.shape != luma.shape:
            self._mask = zone_mask(self.settings.zones, luma.shape[1], luma.shape[0])
            self._background = None
            self._learning = []
        if self._background is None or self._moving_for is None:
            self._learning.append(picture)
            if len(self._learning) < self.LEARN_SAMPLES:
                return None
            self._background = np.median(np.stack(self._learning), axis=0).astype(np.float32)
            self._moving_for = np.zeros(luma.shape, np.int16)
            self._learning = []
            return None
        difference = picture - self._background
        difference -= float(np.median(difference))  # a global brightness step is not motion
        moving: Mask = np.abs(difference) > max(self.NOISE_FLOOR, self.settings.threshold())
        still = ~moving
        self._background[still] += self.ADAPT * (picture[still] - self._background[still])
        self._moving_for = np.where(moving, self._moving_for + 1, 0).astype(np.int16)
        settled = self._moving_for >= self.ABSORB_SAMPLES
        self._background[settled] = picture[settled]
        self._moving_for[settled] = 0
        return moving

    def active(self, score: float) -> bool:
        return bool(self.settings.zones) and score >= self.settings.min_area
