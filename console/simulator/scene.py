"""Synthetic camera pictures in YUV 4:2:0: a road scene, the camera's name, and scripted moving vehicles, each
with a Vietnamese number plate (white, black characters) whose text and place in every frame are known (`plates`),
so plate reading can be tested and benchmarked on the simulator's own pictures."""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw, ImageFont

from console.core.paths import resources_dir

Plane = npt.NDArray[np.uint8]

# Fonts with Vietnamese glyphs, first found wins (Debian: fonts-noto-core / fonts-dejavu-core; Windows: Arial).
_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "C:/Windows/Fonts/arialbd.ttf",
    "C:/Windows/Fonts/arial.ttf",
    "/System/Library/Fonts/Supplemental/Arial.ttf",
)


ROAD_TOP, ROAD_BOTTOM = 0.55, 0.82  # the asphalt, as shares of the picture's height
# The road with a small margin, as a detection zone (x, y in 0..1): the demo's motion zone, and the one tests
# and benchmarks score the scripted crossings with.
ROAD_ZONE = (((0.0, 0.52), (1.0, 0.52), (1.0, 0.86), (0.0, 0.86)),)


@dataclass(frozen=True)
class MotionEpisode:
    """A vehicle crossing the picture between two instants of the loop (seconds from loop start)."""

    start_s: float
    end_s: float
    lane: int  # 0 = near lane (left to right), 1 = far lane (right to left)


# Two crossings per loop: what the motion detector must find, with quiet gaps in between.
def motion_script(loop_s: float) -> tuple[MotionEpisode, ...]:
    return (
        MotionEpisode(0.12 * loop_s, 0.45 * loop_s, 0),
        MotionEpisode(0.60 * loop_s, 0.88 * loop_s, 1),
    )


# The vehicles' plates: one-line car plates (the scene's vehicles are cars; it has no motorbikes), as the normaliser
# writes them (console/plates/formats.py). Chosen per vehicle by the camera's title and the crossing's number, so a
# camera's loop always shows the same two plates. Series letters and digits that OCR confuses (B/8, D/0, S/5, Z/2,
# G/6) are there on purpose.
PLATES = (
    "29A-123.45", "30H-678.90", "51G-246.80", "43A-135.79", "36B-802.51", "37K-1234", "15C-038.26", "99A-557.12",
    "88D-402.60", "29S-915.03", "34Z-270.48", "92G-601.85", "14E-369.74", "72M-5082", "20F-813.29", "61L-047.56",
    "35N-722.91", "47P-186.07", "24T-530.62", "66U-909.18", "17V-451.33", "79X-268.04", "38Y-7319", "11B-084.65",
    "26D-590.27", "50H-312.86", "89S-643.50", "98K-025.91", "12C-2580", "75A-864.13", "59E-407.39", "22Z-158.76",
)
PLATE_ASPECT = 520 / 110  # a Vietnamese long plate, 520 × 110 mm
PLATE_SHARE = 0.8  # of the vehicle's width: larger than life, so it stays legible in a 640 × 360 picture
_PLATE_INK, _PLATE_WHITE = 16.0, 235.0  # luma of the characters and border, of the plate


@dataclass(frozen=True)
class PlateTruth:
    """A plate on screen in one frame: its text, its lines top to bottom, and where it is (x0, y0, x1, y1; it may
    reach past the picture's edges while its vehicle comes in or goes out)."""

    text: str
    lines: tuple[str, ...]
    box: tuple[int, int, int, int]
    lane: int

    def inside(self, width: int, height: int) -> bool:
        """Wholly in the picture (what a reading can be asked of)."""
        x0, y0, x1, y1 = self.box
        return x0 >= 0 and y0 >= 0 and x1 <= width and y1 <= height


def plate_for(title: str, crossing: int) -> str:
    """The plate of a camera's `crossing`-th vehicle (0, 1 … in the loop's order)."""
    return PLATES[(_seed(f"plate/{title}") + 7 * crossing) % len(PLATES)]


@lru_cache(maxsize=16)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    carried = resources_dir() / "fonts" / "NotoSans-Bold.ttf"  # the bundle's own copy comes first
    for candidate in (str(carried), *_FONT_CANDIDATES):
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    print("simulator: no TrueType font with Vietnamese glyphs found; labels may lose diacritics",
          file=sys.stderr)
    return ImageFont.load_default(size)


@dataclass
class TextPatch:
    """Pre-rendered text: luma values and coverage (0..1) to blend onto a picture."""

    luma: npt.NDArray[np.float32]
    alpha: npt.NDArray[np.float32]


def render_text(text: str, size: int) -> TextPatch:
    """White text with a dark outline, so it reads on any background."""
    font = _font(size)
    stroke = max(1, size // 12)
    left, top, right, bottom = font.getbbox(text, stroke_width=stroke)
    image = Image.new("LA", (int(right - left) + 2, int(bottom - top) + 2), (0, 0))
    ImageDraw.Draw(image).text((1 - left, 1 - top), text, font=font, fill=(235, 255),
                               stroke_width=stroke, stroke_fill=(16, 255))
    data = np.asarray(image, dtype=np.float32)
    return TextPatch(data[:, :, 0], data[:, :, 1] / 255.0)


def blend_text(y: Plane, u: Plane, v: Plane, patch: TextPatch, x: int, top: int) -> None:
    """Blend a text patch into YUV 4:2:0 planes at (x, top), clipped to the picture."""
    height, width = y.shape
    h = min(patch.luma.shape[0], height - top)
    w = min(patch.luma.shape[1], width - x)
    if h <= 0 or w <= 0:
        return
    alpha = patch.alpha[:h, :w]
    region = y[top:top + h, x:x + w].astype(np.float32)
    y[top:top + h, x:x + w] = (region * (1 - alpha) + patch.luma[:h, :w] * alpha).astype(np.uint8)
    ca = alpha[::2, ::2]
    for plane in (u, v):
        sub = plane[top // 2: top // 2 + ca.shape[0], x // 2: x // 2 + ca.shape[1]]
        a = ca[: sub.shape[0], : sub.shape[1]]
        sub[...] = (sub.astype(np.float32) * (1 - a) + 128 * a).astype(np.uint8)


def _seed(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")


def render_plate(text: str, width: int) -> npt.NDArray[np.float32]:
    """A one-line plate `width` pixels wide as luma: drawn large, then scaled down (anti-aliased, as a camera sees
    it), the characters squeezed to the plate's shape as the real plates' narrow type is."""
    big_h = 110
    font = _font(88)
    left, top, right, bottom = font.getbbox(text)
    big_w = max(520, int(right - left) + 40)
    image = Image.new("L", (big_w, big_h), int(_PLATE_WHITE))
    draw = ImageDraw.Draw(image)
    draw.rectangle((2, 2, big_w - 3, big_h - 3), outline=int(_PLATE_INK), width=6)
    draw.text(((big_w - (right - left)) / 2 - left, (big_h - (bottom - top)) / 2 - top), text, font=font,
              fill=int(_PLATE_INK))
    height = max(8, round(width / PLATE_ASPECT))
    small = image.resize((width, height), Image.Resampling.LANCZOS)
    return np.asarray(small, dtype=np.float32)


def _blit(y: Plane, u: Plane, v: Plane, patch: npt.NDArray[np.float32], x: int, top: int) -> None:
    """Paint an opaque grey patch (a plate) at (x, top), clipped on every side; its chroma is neutral."""
    height, width = y.shape
    x0, y0 = max(0, x), max(0, top)
    x1, y1 = min(width, x + patch.shape[1]), min(height, top + patch.shape[0])
    if x1 <= x0 or y1 <= y0:
        return
    y[y0:y1, x0:x1] = np.clip(patch[y0 - top:y1 - top, x0 - x:x1 - x], 0, 255).astype(np.uint8)
    u[y0 // 2:(y1 + 1) // 2, x0 // 2:(x1 + 1) // 2] = 128
    v[y0 // 2:(y1 + 1) // 2, x0 // 2:(x1 + 1) // 2] = 128


class SceneRenderer:
    """Draws frame n of a camera's loop; the static background is built once."""

    def __init__(self, title: str, subtitle: str, width: int, height: int, fps: int, loop_s: float) -> None:
        self.width, self.height, self.fps, self.loop_s = width, height, fps, loop_s
        self.frames = round(fps * loop_s)
        self.episodes = motion_script(loop_s)
        self._y, self._u, self._v = self._background(title)
        scale = height / 360
        self._title = render_text(title, max(12, round(20 * scale)))
        self._subtitle = render_text(subtitle, max(10, round(14 * scale)))
        self._badge = render_text("MÔ PHỎNG", max(10, round(13 * scale)))
        self._digits = {str(d): render_text(str(d), max(10, round(16 * scale))) for d in range(10)}
        self._colon = render_text(":", max(10, round(16 * scale)))
        self.plate_texts = tuple(plate_for(title, number) for number in range(len(self.episodes)))
        vehicle_w = int(self.width * 0.14)
        self._plates = [render_plate(text, max(24, round(vehicle_w * PLATE_SHARE))) for text in self.plate_texts]

    def _background(self, title: str) -> tuple[Plane, Plane, Plane]:
        rng = np.random.default_rng(_seed(title))
        w, h = self.width, self.height
        rows = np.linspace(0, 1, h, dtype=np.float32)[:, None]
        sky_tone = rng.uniform(150, 190)
        y = np.empty((h, w), np.float32)
        horizon = int(h * 0.35)
        y[:horizon] = sky_tone - 40 * rows[:horizon]
        y[horizon:] = 95 + 25 * rows[horizon:]  # fields
        road_top, road_bottom = int(h * ROAD_TOP), int(h * ROAD_BOTTOM)
        y[road_top:road_bottom] = 70  # asphalt
        lane = (road_top + road_bottom) // 2
        dash = max(4, w // 40)
        for x in range(0, w, dash * 2):
            y[lane - max(1, h // 180): lane + max(1, h // 180), x: x + dash] = 200
        for _ in range(6):  # trees and houses along the far side
            bx = int(rng.uniform(0, w * 0.95))
            bw, bh = int(rng.uniform(0.04, 0.1) * w), int(rng.uniform(0.08, 0.18) * h)
            y[horizon - bh // 2: horizon + bh // 2, bx: bx + bw] = rng.uniform(40, 120)
        y += rng.normal(0, 3, (h, w)).astype(np.float32)  # fixed texture: real pictures are never flat
        u = np.full((h // 2, w // 2), 128, np.float32)
        v = np.full((h // 2, w // 2), 128, np.float32)
        u[: horizon // 2] = 128 + rng.uniform(10, 25)  # bluish sky
        v[horizon // 2:] = 128 - 6  # greenish fields
        u[horizon // 2:] = 128 - 8
        u[road_top // 2: road_bottom // 2] = 128
        v[road_top // 2: road_bottom // 2] = 128
        return (np.clip(y, 16, 235).astype(np.uint8), u.astype(np.uint8), v.astype(np.uint8))

    def vehicle_boxes(self, n: int) -> list[tuple[int, int, int, int]]:
        """Boxes (x0, y0, x1, y1) of the vehicles on screen in frame n of the loop."""
        t = (n % self.frames) / self.fps
        boxes = []
        road_top, road_bottom = int(self.height * ROAD_TOP), int(self.height * ROAD_BOTTOM)
        vw, vh = int(self.width * 0.14), int((road_bottom - road_top) * 0.42)
        for ep in self.episodes:
            if not ep.start_s <= t < ep.end_s:
                continue
            progress = (t - ep.start_s) / (ep.end_s - ep.start_s)
            span = self.width + vw
            x = int(-vw + progress * span) if ep.lane == 0 else int(self.width - progress * span)
            y0 = road_bottom - vh - 2 if ep.lane == 0 else road_top + 2
            boxes.append((x, y0, x + vw, y0 + vh))
        return boxes

    def plates(self, n: int) -> list[PlateTruth]:
        """The plates of the vehicles on screen in frame n, with where each is painted."""
        return [truth for _number, truth in self._plates_at(n)]

    def _plates_at(self, n: int) -> list[tuple[int, PlateTruth]]:
        t = (n % self.frames) / self.fps
        found = []
        boxes = iter(self.vehicle_boxes(n))  # one per episode going on, in the episodes' order
        for number, episode in enumerate(self.episodes):
            if not episode.start_s <= t < episode.end_s:
                continue
            x0, y0, x1, y1 = next(boxes)
            ph, pw = self._plates[number].shape
            left = x0 + (x1 - x0 - pw) // 2  # centred, near the vehicle's bottom
            top = y1 - ph - max(2, (y1 - y0) // 16)
            text = self.plate_texts[number]
            found.append((number, PlateTruth(text, (text,), (left, top, left + pw, top + ph), episode.lane)))
        return found

    def frame(self, n: int, clock: str | None = None) -> tuple[Plane, Plane, Plane]:
        """Frame n of the loop as Y, U, V planes; `clock` (e.g. '12:03:07') is drawn at the top right."""
        y, u, v = self._y.copy(), self._u.copy(), self._v.copy()
        for x0, y0, x1, y1 in self.vehicle_boxes(n):
            cx0, cx1 = max(0, x0), min(self.width, x1)
            if cx1 <= cx0:
                continue
            y[y0:y1, cx0:cx1] = 200
            y[y0 + (y1 - y0) // 4: y1 - (y1 - y0) // 3, cx0:cx1] = 45  # windows
            u[y0 // 2: y1 // 2, cx0 // 2: cx1 // 2] = 100
            v[y0 // 2: y1 // 2, cx0 // 2: cx1 // 2] = 170  # red body
        for number, plate in self._plates_at(n):
            _blit(y, u, v, self._plates[number], plate.box[0], plate.box[1])
        margin = max(4, self.width // 80)
        blend_text(y, u, v, self._title, margin, margin)
        blend_text(y, u, v, self._subtitle, margin, margin + self._title.luma.shape[0] + 2)
        blend_text(y, u, v, self._badge, margin, self.height - self._badge.luma.shape[0] - margin)
        self._draw_clock(y, u, v, clock or self.loop_clock(n), margin)
        return y, u, v

    def loop_clock(self, n: int) -> str:
        """Position in the loop as mm:ss (pre-encoded loops cannot know the wall clock)."""
        seconds = int((n % self.frames) / self.fps)
        return f"{seconds // 60:02d}:{seconds % 60:02d}"

    def _draw_clock(self, y: Plane, u: Plane, v: Plane, text: str, margin: int) -> None:
        patches = [self._colon if ch == ":" else self._digits[ch] for ch in text if ch == ":" or ch.isdigit()]
        total = sum(p.luma.shape[1] for p in patches)
        x = self.width - total - margin
        for patch in patches:
            blend_text(y, u, v, patch, x, margin)
            x += patch.luma.shape[1]
