"""Alerts: what raised them, how urgent they are, and the duty officer's workflow new → acknowledged → closed.

Detectors report *episodes* (motion in a zone, a covered lens, a camera offline): one alert per episode with
its start, peak and end, and a cooldown per camera and kind so that a swaying tree or a flapping link makes
one alert, not hundreds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum


class AlertKind(StrEnum):
    MOTION = "motion"
    TAMPER_COVERED = "tamper_covered"
    TAMPER_DEFOCUSED = "tamper_defocused"
    TAMPER_MOVED = "tamper_moved"
    FROZEN = "frozen"
    CAMERA_OFFLINE = "camera_offline"
    SITE_OFFLINE = "site_offline"
    NETWORK_OFFLINE = "network_offline"  # every site at once: the station's own link, one alert for all
    MANUAL = "manual"
    RECORDING_FAILED = "recording_failed"
    SYSTEM_ERROR = "system_error"  # a part of the console failed unexpectedly (uncaught exception)
    # What cameras report about themselves over ONVIF (console.core.camera_events), and their own health.
    CAMERA_MOTION = "camera_motion"
    CAMERA_TAMPER = "camera_tamper"
    ALARM_INPUT = "alarm_input"
    EVENTS_LOST = "events_lost"  # a camera's event channel silent or refused for longer than the limit
    CLOCK_OFFSET = "clock_offset"  # a camera's clock off the station's by more than the site file's threshold


class Priority(IntEnum):
    LOW = 1
    MEDIUM = 2
    HIGH = 3


# Calibrated on what the officer must do: someone at the camera (tamper) or a whole site / the station's link
# dark is Cao; one camera offline or frozen is a technical fault for the morning (Trung bình / Thấp).
DEFAULT_PRIORITY: dict[AlertKind, Priority] = {
    AlertKind.MOTION: Priority.MEDIUM,
    AlertKind.TAMPER_COVERED: Priority.HIGH,
    AlertKind.TAMPER_DEFOCUSED: Priority.HIGH,
    AlertKind.TAMPER_MOVED: Priority.HIGH,
    AlertKind.FROZEN: Priority.LOW,
    AlertKind.CAMERA_OFFLINE: Priority.MEDIUM,
    AlertKind.SITE_OFFLINE: Priority.HIGH,
    AlertKind.NETWORK_OFFLINE: Priority.HIGH,
    AlertKind.MANUAL: Priority.HIGH,
    AlertKind.RECORDING_FAILED: Priority.HIGH,
    AlertKind.SYSTEM_ERROR: Priority.HIGH,
    AlertKind.CAMERA_MOTION: Priority.MEDIUM,
    AlertKind.CAMERA_TAMPER: Priority.HIGH,
    AlertKind.ALARM_INPUT: Priority.HIGH,  # a door contact or a panic button wired to the camera
    AlertKind.EVENTS_LOST: Priority.LOW,
    AlertKind.CLOCK_OFFSET: Priority.LOW,
}


# Alerts about the cameras' connections: when they have ended the officer may acknowledge them all at once.
HEALTH_KINDS = frozenset({AlertKind.CAMERA_OFFLINE, AlertKind.SITE_OFFLINE, AlertKind.NETWORK_OFFLINE,
                          AlertKind.FROZEN, AlertKind.EVENTS_LOST, AlertKind.CLOCK_OFFSET})


class AlertState(StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    CLOSED = "closed"


# An alert is closed only after someone acknowledged it with a note: nothing leaves "new" unseen.
TRANSITIONS: dict[AlertState, frozenset[AlertState]] = {
    AlertState.NEW: frozenset({AlertState.ACKNOWLEDGED}),
    AlertState.ACKNOWLEDGED: frozenset({AlertState.CLOSED}),
    AlertState.CLOSED: frozenset(),
}


def born_acknowledged(kind: AlertKind, actor: str | None) -> bool:
    """A manual incident is the officer's own record: stored acknowledged by its author (no bell, no blink)."""
    return kind is AlertKind.MANUAL and bool(actor)


class TransitionError(Exception):
    """A state change the workflow does not allow; `reason` is "illegal" or "note_required"."""

    def __init__(self, reason: str, current: AlertState, target: AlertState) -> None:
        self.reason = reason
        self.current = current
        self.target = target
        super().__init__(f"{reason}: {current.value} → {target.value}")


def check_transition(current: AlertState, target: AlertState, note: str | None) -> str:
    """The cleaned note for a legal change; raises TransitionError otherwise. Acknowledging needs a note."""
    if target not in TRANSITIONS[current]:
        raise TransitionError("illegal", current, target)
    cleaned = (note or "").strip()
    if target is AlertState.ACKNOWLEDGED and not cleaned:
        raise TransitionError("note_required", current, target)
    return cleaned


@dataclass(frozen=True)
class AlertEvent:
    """What a detector tells the alert log: an episode opened, reached a new peak, or ended."""

    alert_id: int
    camera_id: str | None
    site_id: str | None
    kind: AlertKind
    at_ms: int
    score: float
    phase: str  # "start", "peak", "active" (still going on: reopened, or a heartbeat), "end"
    snapshot: bytes | None = None  # JPEG of the frame that raised (start) or peaked
    note: str | None = None  # manual incidents: what the officer wrote
    priority: Priority | None = None
    actor: str | None = None  # manual incidents: the officer; detectors: None ("system")


@dataclass
class _Open:
    alert_id: int
    peak: float
    last_active_ms: int
    reported_ms: int  # the last event sent for this episode
    ended_ms: int | None = None


@dataclass
class EpisodeTracker:
    """Turns a detector's per-sample verdicts for one (camera, kind) into episode events.

    An episode starts on the first active sample, peaks when the score rises by `peak_step` over the last
    peak, and ends after `end_after_ms` without activity; its end is the moment of its last activity. Activity
    again within `cooldown_ms` of the end reopens the same alert (no new row, an "active" event); after that a
    new alert starts. While it goes on, an "active" event at most every `heartbeat_ms` (0: none) tells those
    who follow the episode's activity (on-alert recording runs until the post-roll after the last one).
    """

    camera_id: str | None
    site_id: str | None
    kind: AlertKind
    next_id: Callable[[], int]  # shared by all trackers: ids are unique across the log
    end_after_ms: int = 3000
    cooldown_ms: int = 60_000
    peak_step: float = 0.1
    heartbeat_ms: int = 1000
    _open: _Open | None = field(default=None, init=False)

    def _event(self, alert_id: int, at_ms: int, score: float, phase: str, snapshot: bytes | None) -> AlertEvent:
        return AlertEvent(alert_id, self.camera_id, self.site_id, self.kind, at_ms, score, phase, snapshot)

    def sample(self, at_ms: int, active: bool, score: float, snapshot: bytes | None = None) -> list[AlertEvent]:
        events: list[AlertEvent] = []
        current = self._open
        if current is not None and current.ended_ms is None and not active \
                and at_ms - current.last_active_ms >= self.end_after_ms:
            current.ended_ms = current.last_active_ms
            events.append(self._event(current.alert_id, current.last_active_ms, current.peak, "end", None))
        if not active:
            return events
        if current is not None and current.ended_ms is not None and at_ms - current.ended_ms > self.cooldown_ms:
            current = self._open = None
        if current is None:
            alert_id = self.next_id()
            self._open = _Open(alert_id, score, at_ms, at_ms)
            events.append(self._event(alert_id, at_ms, score, "start", snapshot))
            return events
        current.last_active_ms = at_ms
        if score >= current.peak + self.peak_step:
            current.peak = score
            current.ended_ms = None
            current.reported_ms = at_ms
            events.append(self._event(current.alert_id, at_ms, score, "peak", snapshot))
        elif current.ended_ms is not None or (self.heartbeat_ms and at_ms - current.reported_ms >= self.heartbeat_ms):
            current.ended_ms = None  # within the cooldown: the same alert goes on
            current.reported_ms = at_ms
            events.append(self._event(current.alert_id, at_ms, score, "active", None))
        return events

    def is_open(self) -> bool:
        """An episode is going on (started or reopened, not ended)."""
        return self._open is not None and self._open.ended_ms is None

    def close(self, at_ms: int) -> list[AlertEvent]:
        """End an episode in progress (the camera went away, the console is closing)."""
        current = self._open
        if current is None or current.ended_ms is not None:
            return []
        current.ended_ms = at_ms
        return [self._event(current.alert_id, at_ms, current.peak, "end", None)]


@dataclass(frozen=True)
class Escalation:
    """How the alarm sound repeats while an alert stays unacknowledged: more often and louder with time."""

    steps: tuple[tuple[int, float, int], ...] = ((0, 15.0, 60), (60, 8.0, 80), (180, 4.0, 100))

    def at(self, waiting_s: float) -> tuple[float, int]:
        """(seconds between rings, volume 0–100) after the oldest new alert has waited `waiting_s`."""
        interval, volume = self.steps[0][1], self.steps[0][2]
        for after_s, step_interval, step_volume in self.steps:
            if waiting_s >= after_s:
                interval, volume = step_interval, step_volume
        return interval, volume
