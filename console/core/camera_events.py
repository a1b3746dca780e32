"""Events a camera reports about itself (ONVIF topics): which of the console's kinds each one is, what state it
tells, how its start/stop messages make one alert per episode, and the health of a camera's event channel.

Pure Python. The ONVIF adapter parses the XML (`console.onvif.events`) and hands over a topic and the message's
SimpleItems; everything that decides what an officer sees is here.

Cameras send one happening under several topics at once (Hikvision: `VideoSource/MotionAlarm` and
`RuleEngine/CellMotionDetector/Motion` for the same motion), so motion and tamper are one episode per camera
while any of their sources is active; alarm inputs are one episode per input (two inputs are two alarms).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from console.core.alerts import AlertEvent, AlertKind, EpisodeTracker
from console.core.motion import MotionSettings


class CameraEventKind(StrEnum):
    MOTION = "camera_motion"
    TAMPER = "camera_tamper"
    ALARM_INPUT = "alarm_input"


LABELS_VI: dict[CameraEventKind, str] = {
    CameraEventKind.MOTION: "Chuyển động (camera)",
    CameraEventKind.TAMPER: "Phá hoại camera (camera)",
    CameraEventKind.ALARM_INPUT: "Đầu vào báo động",
}
LABELS_EN: dict[CameraEventKind, str] = {
    CameraEventKind.MOTION: "Motion (camera)",
    CameraEventKind.TAMPER: "Tamper (camera)",
    CameraEventKind.ALARM_INPUT: "Alarm input",
}

ALERT_KINDS: dict[CameraEventKind, AlertKind] = {
    CameraEventKind.MOTION: AlertKind.CAMERA_MOTION,
    CameraEventKind.TAMPER: AlertKind.CAMERA_TAMPER,
    CameraEventKind.ALARM_INPUT: AlertKind.ALARM_INPUT,
}

# Topic paths (namespace prefixes dropped) as Hikvision, Dahua and their clones send them, with the ONVIF
# Profile S/T names first. Matching is case-insensitive.
_TOPICS: dict[str, CameraEventKind] = {
    "videosource/motionalarm": CameraEventKind.MOTION,
    "ruleengine/cellmotiondetector/motion": CameraEventKind.MOTION,
    "ruleengine/motionregiondetector/motion": CameraEventKind.MOTION,
    "ruleengine/motiondetector/motion": CameraEventKind.MOTION,
    "videoanalytics/motiondetection": CameraEventKind.MOTION,
    "videosource/globalscenechange/imagingservice": CameraEventKind.TAMPER,
    "videosource/globalscenechange/analyticsservice": CameraEventKind.TAMPER,
    "ruleengine/tamperdetector/tamper": CameraEventKind.TAMPER,
    "videosource/imagetoodark/imagingservice": CameraEventKind.TAMPER,
    "videosource/imagetooblurry/imagingservice": CameraEventKind.TAMPER,
    "device/trigger/digitalinput": CameraEventKind.ALARM_INPUT,
    "device/io/digitalinput": CameraEventKind.ALARM_INPUT,
}
# Data items that carry the on/off state, in the order they are looked for.
STATE_ITEMS = ("IsMotion", "IsTamper", "State", "LogicalState", "IsActive", "Value")
_TRUE = frozenset({"true", "1", "on", "active", "high"})
_FALSE = frozenset({"false", "0", "off", "inactive", "low"})
# Source items that name an alarm input (ONVIF: InputToken; some firmwares: Index).
INPUT_ITEMS = ("InputToken", "Index", "DigitalInputToken")


def topic_path(topic: str) -> str:
    """`tns1:RuleEngine/CellMotionDetector/Motion` → `RuleEngine/CellMotionDetector/Motion` (each step's
    namespace prefix dropped, slashes kept)."""
    steps = [step.strip().rsplit(":", 1)[-1] for step in topic.strip().split("/")]
    return "/".join(step for step in steps if step)


def kind_of_topic(topic: str) -> CameraEventKind | None:
    """The console's kind for an ONVIF topic; None for topics the console does not alert on."""
    path = topic_path(topic).lower()
    known = _TOPICS.get(path)
    if known is not None:
        return known
    last = path.rsplit("/", 1)[-1]
    if "digitalinput" in path:
        return CameraEventKind.ALARM_INPUT
    if "tamper" in path or "globalscenechange" in path:
        return CameraEventKind.TAMPER
    if last in ("motion", "motionalarm") or "motiondetect" in path:
        return CameraEventKind.MOTION
    return None


def read_state(data: Mapping[str, str]) -> bool | None:
    """The on/off a message's Data items tell (IsMotion, State, LogicalState …); None when none is boolean."""
    for name in STATE_ITEMS:
        value = data.get(name)
        if value is None:
            continue
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    return None


def episode_key(kind: CameraEventKind, source: Mapping[str, str]) -> str:
    """Which episode a message belongs to: one per camera for motion and tamper, one per alarm input."""
    if kind is not CameraEventKind.ALARM_INPUT:
        return ""
    for name in INPUT_ITEMS:
        if name in source:
            return source[name]
    return ""


@dataclass(frozen=True)
class CameraEventMessage:
    """One notification as the camera sent it, read into our values."""

    camera_id: str
    topic: str  # as sent, e.g. tns1:RuleEngine/CellMotionDetector/Motion
    kind: CameraEventKind | None
    active: bool | None  # the state it tells (None: no boolean state item)
    camera_time_ms: int | None  # its UtcTime on the camera's clock (which may be off; see the clock watch)
    received_ms: int  # when the console got it, on the station's clock (evidence times are the station's)
    source: tuple[tuple[str, str], ...] = ()
    data: tuple[tuple[str, str], ...] = ()
    operation: str = ""  # PropertyOperation: Initialized (state at subscription time), Changed, Deleted

    @property
    def source_items(self) -> dict[str, str]:
        return dict(self.source)

    @property
    def data_items(self) -> dict[str, str]:
        return dict(self.data)


@dataclass(frozen=True)
class CameraEpisodeEvent:
    """An episode of a camera-side event opened, went on (reopened within the cooldown, or a heartbeat), or
    ended; the same phases as the console's own detection (`console.core.alerts.AlertEvent`)."""

    alert_id: int
    camera_id: str
    site_id: str | None
    kind: CameraEventKind
    key: str  # the alarm input's token; "" for motion and tamper
    at_ms: int
    phase: str  # "start", "active", "end"

    @property
    def label_vi(self) -> str:
        return LABELS_VI[self.kind]

    @property
    def alert_kind(self) -> AlertKind:
        return ALERT_KINDS[self.kind]

    def alert_event(self) -> AlertEvent:
        """The same phase as the alert log takes it ("active" is the console's own heartbeat phase)."""
        return AlertEvent(self.alert_id, self.camera_id, self.site_id, self.alert_kind, self.at_ms, 1.0, self.phase)


DEFAULT_COOLDOWN_MS = MotionSettings().cooldown_s * 1000  # the console's own motion detection default
HEARTBEAT_MS = 1000


@dataclass
class _Episode:
    tracker: EpisodeTracker
    active_sources: set[str] = field(default_factory=set)


class CameraEpisodes:
    """One camera's camera-side events → episodes, with the console's cooldown rules: a start opens an alert, the
    last source's stop ends it, a start again within `cooldown_ms` of that end continues the same alert, after
    it a new alert starts.

    The rules are `EpisodeTracker`'s own (it is reused, not copied), under the alert log's kind for the
    camera-side kind; its events come out labelled with the `CameraEventKind` and the episode's key.
    """

    def __init__(self, camera_id: str, site_id: str | None, next_id: Callable[[], int], *,
                 kinds: frozenset[CameraEventKind] = frozenset(CameraEventKind),
                 cooldown_ms: int = DEFAULT_COOLDOWN_MS, heartbeat_ms: int = HEARTBEAT_MS) -> None:
        self.camera_id = camera_id
        self.site_id = site_id
        self.kinds = kinds  # opt-in per kind: the others are read but raise nothing
        self._next_id = next_id
        self._cooldown_ms = cooldown_ms
        self._heartbeat_ms = heartbeat_ms
        self._episodes: dict[tuple[CameraEventKind, str], _Episode] = {}

    def _episode(self, kind: CameraEventKind, key: str) -> _Episode:
        found = self._episodes.get((kind, key))
        if found is None:
            tracker = EpisodeTracker(self.camera_id, self.site_id, ALERT_KINDS[kind], self._next_id, end_after_ms=0,
                                     cooldown_ms=self._cooldown_ms, heartbeat_ms=self._heartbeat_ms)
            found = self._episodes[(kind, key)] = _Episode(tracker)
        return found

    def _relabel(self, kind: CameraEventKind, key: str, events: list[AlertEvent]) -> list[CameraEpisodeEvent]:
        return [CameraEpisodeEvent(event.alert_id, self.camera_id, self.site_id, kind, key, event.at_ms,
                                   "active" if event.phase == "peak" else event.phase) for event in events]

    def feed(self, message: CameraEventMessage) -> list[CameraEpisodeEvent]:
        """The episode events one message causes (none for kinds not opted in, or without a state)."""
        kind = message.kind
        if kind is None or kind not in self.kinds or message.active is None:
            return []
        key = episode_key(kind, message.source_items)
        episode = self._episode(kind, key)
        source = topic_path(message.topic).lower() + "|" + ";".join(
            f"{n}={v}" for n, v in sorted(message.source) if n not in INPUT_ITEMS)
        was_active = bool(episode.active_sources)
        if message.active:
            episode.active_sources.add(source)
        else:
            episode.active_sources.discard(source)
        at_ms = message.received_ms
        if episode.active_sources and not was_active:
            return self._relabel(kind, key, episode.tracker.sample(at_ms, True, 1.0))
        if was_active and not episode.active_sources:
            return self._relabel(kind, key, episode.tracker.close(at_ms))
        return []

    def tick(self, now_ms: int) -> list[CameraEpisodeEvent]:
        """Heartbeats of the episodes going on (at most one per `heartbeat_ms` each)."""
        events: list[CameraEpisodeEvent] = []
        for (kind, key), episode in self._episodes.items():
            if episode.active_sources:
                events += self._relabel(kind, key, episode.tracker.sample(now_ms, True, 1.0))
        return events

    def close_all(self, at_ms: int) -> list[CameraEpisodeEvent]:
        """End every episode in progress: the channel is lost or closed, so no stop will come for them (a new
        subscription's Initialized messages start them again if they still go on)."""
        events: list[CameraEpisodeEvent] = []
        for (kind, key), episode in self._episodes.items():
            episode.active_sources.clear()
            events += self._relabel(kind, key, episode.tracker.close(at_ms))
        return events

    def open_kinds(self) -> set[tuple[CameraEventKind, str]]:
        return {k for k, episode in self._episodes.items() if episode.active_sources}


class ChannelState(StrEnum):
    """A camera's event channel as the camera tree's tooltip shows it."""

    STARTING = "starting"  # subscribing for the first time
    LIVE = "live"  # the last pull succeeded recently
    STALE = "stale"  # no successful pull for a while (a slow or restarting camera)
    LOST = "lost"  # no successful pull for longer than the lost limit: the alert layer raises an alert
    HALTED = "halted"  # refused our login repeatedly: not retried until asked (cameras lock accounts)
    CLOSED = "closed"


CHANNEL_LABELS_VI: dict[ChannelState, str] = {
    ChannelState.STARTING: "Sự kiện camera: đang đăng ký",
    ChannelState.LIVE: "Sự kiện camera: đang nhận",
    ChannelState.STALE: "Sự kiện camera: chậm, đang thử lại",
    ChannelState.LOST: "Sự kiện camera: mất kết nối",
    ChannelState.HALTED: "Sự kiện camera: camera từ chối đăng nhập, đã dừng thử lại",
    ChannelState.CLOSED: "Sự kiện camera: tắt",
}
CHANNEL_LOST_VI = "Mất kênh sự kiện của camera {camera}: không nhận được sự kiện nào trong {seconds} giây."
CHANNEL_LOST_EN = "Lost the event channel of camera {camera}: nothing received for {seconds} seconds."
LOST_AFTER_S = 60.0  # issue 18: raised as an alert when lost for > 60 s
STALE_AFTER_S = 15.0  # three long polls without an answer


def channel_state(now_s: float, started_s: float, last_ok_s: float | None, *, stale_after_s: float = STALE_AFTER_S,
                  lost_after_s: float = LOST_AFTER_S) -> ChannelState:
    """The state from the time of the last successful pull (None: none yet since `started_s`)."""
    if last_ok_s is None:
        return ChannelState.LOST if now_s - started_s > lost_after_s else ChannelState.STARTING
    age = now_s - last_ok_s
    if age > lost_after_s:
        return ChannelState.LOST
    if age > stale_after_s:
        return ChannelState.STALE
    return ChannelState.LIVE
