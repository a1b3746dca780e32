"""The mechanics of a simulated PTZ camera: where it points (ONVIF generic spaces) and how it moves over time.

Pan -1..1 is a full turn and wraps around (a dome turns endlessly, which is what lets a camera that ignores its
Timeout turn for 84 s); tilt -1..1 and zoom 0..1 stop at their ends. Every move is, per axis, a straight segment
in time (start value, velocity, end instant), so the position at any instant is computed, never stepped: the
picture and GetStatus read the same numbers at the same instant.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

PAN_RATE = 0.5  # generic units per second at velocity 1 (a quarter turn per second, as commune domes at full speed)
TILT_RATE = 0.5
ZOOM_RATE = 0.5  # wide to full zoom in 2 s
DEFAULT_TIMEOUT_S = 5.0  # DefaultPTZTimeout: a ContinuousMove without its own Timeout ends after this
_NEVER = math.inf


@dataclass(frozen=True)
class PtzPosition:
    pan: float = 0.0
    tilt: float = 0.0
    zoom: float = 0.0


@dataclass(frozen=True)
class MoveState:
    pan_tilt: bool
    zoom: bool


@dataclass(frozen=True)
class _Axis:
    low: float
    high: float
    wraps: bool


PAN_AXIS = _Axis(-1.0, 1.0, True)
TILT_AXIS = _Axis(-1.0, 1.0, False)
ZOOM_AXIS = _Axis(0.0, 1.0, False)


@dataclass(frozen=True)
class _Segment:
    """One axis moving from `start` at `velocity` units/s from `since` until `until` (monotonic seconds)."""

    start: float
    since: float
    velocity: float = 0.0
    until: float = _NEVER
    goal: float | None = None  # where a move to a target ends, exactly (no rounding left by velocity × time)

    def raw(self, now: float) -> float:
        if self.goal is not None and now >= self.until:
            return self.goal
        return self.start + self.velocity * max(0.0, min(now, self.until) - self.since)

    def value(self, axis: _Axis, now: float) -> float:
        raw = self.raw(now)
        if axis.wraps:
            span = axis.high - axis.low
            return axis.low + (raw - axis.low) % span
        return min(axis.high, max(axis.low, raw))

    def moving(self, axis: _Axis, now: float) -> bool:
        if self.velocity == 0.0 or now >= self.until:
            return False
        return axis.wraps or axis.low < self.raw(now) < axis.high


def _clamp(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


class PtzHead:
    """Position and motion of one camera's head; thread-safe (the encoder thread reads it every frame)."""

    def __init__(self, home: PtzPosition | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        start = home or PtzPosition()
        now = clock()
        self._pan, self._tilt, self._zoom = (_Segment(start.pan, now), _Segment(start.tilt, now),
                                             _Segment(start.zoom, now))
        self.ignore_timeout = False  # fault: continuous moves go on past their Timeout until stopped

    # -- reading --------------------------------------------------------------------------------------------
    def position(self, now: float | None = None) -> PtzPosition:
        with self._lock:
            at = self._clock() if now is None else now
            return PtzPosition(self._pan.value(PAN_AXIS, at), self._tilt.value(TILT_AXIS, at),
                               self._zoom.value(ZOOM_AXIS, at))

    def move_state(self, now: float | None = None) -> MoveState:
        with self._lock:
            at = self._clock() if now is None else now
            return MoveState(self._pan.moving(PAN_AXIS, at) or self._tilt.moving(TILT_AXIS, at),
                             self._zoom.moving(ZOOM_AXIS, at))

    # -- moving ---------------------------------------------------------------------------------------------
    def continuous(self, pan: float, tilt: float, zoom: float, timeout_s: float | None) -> None:
        """Velocities in the generic velocity space (-1..1); the move ends by itself after `timeout_s`."""
        with self._lock:
            now = self._clock()
            lasts = DEFAULT_TIMEOUT_S if timeout_s is None else max(0.0, timeout_s)
            until = _NEVER if self.ignore_timeout else now + lasts
            self._pan = self._start(self._pan, PAN_AXIS, now, _clamp(pan, -1, 1) * PAN_RATE, until)
            self._tilt = self._start(self._tilt, TILT_AXIS, now, _clamp(tilt, -1, 1) * TILT_RATE, until)
            self._zoom = self._start(self._zoom, ZOOM_AXIS, now, _clamp(zoom, -1, 1) * ZOOM_RATE, until)

    def move_to(self, target: PtzPosition, pan_tilt_speed: float = 1.0, zoom_speed: float = 1.0,
                axes: tuple[bool, bool] = (True, True)) -> None:
        """Go to `target` at the speeds (0..1 of the full rate); `axes`: (pan/tilt, zoom) to move at all."""
        with self._lock:
            now = self._clock()
            if axes[0]:
                self._pan = self._towards(self._pan, PAN_AXIS, now, target.pan, PAN_RATE * pan_tilt_speed)
                self._tilt = self._towards(self._tilt, TILT_AXIS, now, target.tilt, TILT_RATE * pan_tilt_speed)
            if axes[1]:
                self._zoom = self._towards(self._zoom, ZOOM_AXIS, now, target.zoom, ZOOM_RATE * zoom_speed)

    def move_by(self, delta: PtzPosition, pan_tilt_speed: float = 1.0, zoom_speed: float = 1.0) -> None:
        """Move by `delta` from where the head is now; pan goes the way the sign says, across the seam too."""
        with self._lock:
            now = self._clock()
            here = self._pan.value(PAN_AXIS, now)
            rate = PAN_RATE * pan_tilt_speed
            if delta.pan and rate > 0:
                self._pan = _Segment(here, now, math.copysign(rate, delta.pan), now + abs(delta.pan) / rate,
                                     here + delta.pan)
            else:
                self._pan = _Segment(here, now)
            tilt = self._tilt.value(TILT_AXIS, now) + delta.tilt
            self._tilt = self._towards(self._tilt, TILT_AXIS, now, tilt, TILT_RATE * pan_tilt_speed)
            zoom = self._zoom.value(ZOOM_AXIS, now) + delta.zoom
            self._zoom = self._towards(self._zoom, ZOOM_AXIS, now, zoom, ZOOM_RATE * zoom_speed)

    def stop(self, pan_tilt: bool = True, zoom: bool = True) -> None:
        with self._lock:
            now = self._clock()
            if pan_tilt:
                self._pan = _Segment(self._pan.value(PAN_AXIS, now), now)
                self._tilt = _Segment(self._tilt.value(TILT_AXIS, now), now)
            if zoom:
                self._zoom = _Segment(self._zoom.value(ZOOM_AXIS, now), now)

    @staticmethod
    def _start(segment: _Segment, axis: _Axis, now: float, velocity: float, until: float) -> _Segment:
        return _Segment(segment.value(axis, now), now, velocity, until if velocity else _NEVER)

    @staticmethod
    def _towards(segment: _Segment, axis: _Axis, now: float, target: float, rate: float) -> _Segment:
        here = segment.value(axis, now)
        goal = _clamp(target, axis.low, axis.high)
        if rate <= 0 or goal == here:
            return _Segment(goal if rate > 0 else here, now)
        distance = goal - here
        return _Segment(here, now, math.copysign(rate, distance), now + abs(distance) / rate, goal)
