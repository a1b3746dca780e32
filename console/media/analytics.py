"""Motion and tamper analytics on every camera, from the same RTSP connection as the wall (no second session).

Each camera's sub-stream ingest hands its keyframes to a tap; one worker thread decodes the newest keyframe
of each camera (a keyframe decodes alone: no reference frames, no decoder kept busy between them), shrinks
it to a small luma picture and runs the detectors. With the usual 1–2 s GOP that is 0.5–1 picture per
second per camera: enough for people and vehicles crossing a zone over seconds, at a few ms of CPU each.
Each picture's coarse motion grid (where it moved, zones or not) goes to `grids`, the motion search's writer.
"""

from __future__ import annotations

import io
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from datetime import time as daytime

import av
import numpy as np
from av.packet import Packet
from av.video.codeccontext import VideoCodecContext
from av.video.frame import VideoFrame
from av.video.stream import VideoStream
from PIL import Image

from console.core.alerts import AlertEvent, AlertKind, EpisodeTracker
from console.core.analytics import AnalyticsSettings
from console.core.config import Camera
from console.core.motion import MotionDetector, MotionGrid
from console.core.tamper import TamperDetector
from console.core.vntime import VN_TZ
from console.core.vntime import now_ms as clock_ms
from console.media import heap
from console.media.display import open_decoder
from console.media.ingest import StreamInfo, lower_priority

log = logging.getLogger(__name__)

SMALL = (96, 54)  # luma picture the detectors see
SNAPSHOT_WIDTH = 640
IDLE_WAIT_S = 0.5
ANALYTICS_NICE = 5  # as the ingest threads
TAMPER_KINDS = (AlertKind.TAMPER_COVERED, AlertKind.TAMPER_DEFOCUSED, AlertKind.TAMPER_MOVED)


class _Slot:
    """The newest keyframe of one camera (older ones are dropped: analytics never lags behind)."""

    def __init__(self, wake: threading.Event) -> None:
        self._lock = threading.Lock()
        self._wake = wake
        self.info: StreamInfo | None = None
        self.generation = 0
        self.keyframe: tuple[bytes, float] | None = None

    def opened(self, info: StreamInfo) -> None:
        with self._lock:
            self.info = info
            self.generation += 1

    def put(self, data: bytes, received: float) -> None:
        with self._lock:
            self.keyframe = (data, received)
        self._wake.set()

    def take(self) -> tuple[StreamInfo | None, int, tuple[bytes, float] | None]:
        with self._lock:
            keyframe, self.keyframe = self.keyframe, None
            return self.info, self.generation, keyframe


class KeyframeTap:
    """A PacketSink on a camera's ingest: copies keyframes to the analytics worker, nothing else."""

    def __init__(self, slot: _Slot) -> None:
        self._slot = slot

    def stream_opened(self, info: StreamInfo) -> None:
        self._slot.opened(info)

    def packet(self, packet: Packet[VideoStream], received: float) -> None:
        if packet.is_keyframe:
            self._slot.put(bytes(packet), received)

    def stream_closed(self) -> None:
        pass


@dataclass
class _Camera:
    camera: Camera
    slot: _Slot
    motion: MotionDetector
    tamper: TamperDetector
    trackers: dict[AlertKind, EpisodeTracker]
    codec: VideoCodecContext | None = None
    generation: int = -1


def _jpeg(frame: VideoFrame) -> bytes:
    height = round(frame.height * SNAPSHOT_WIDTH / frame.width) // 2 * 2
    rgb = frame.reformat(width=SNAPSHOT_WIDTH, height=height, format="rgb24").to_ndarray()
    out = io.BytesIO()
    Image.fromarray(np.asarray(rgb, dtype=np.uint8), "RGB").save(out, "JPEG", quality=80)
    return out.getvalue()


class AnalyticsWorker:
    """One thread for all cameras; `submit` receives the alert events (the alert writer's queue)."""

    def __init__(self, cameras: list[Camera], settings: Mapping[str, AnalyticsSettings],
                 submit: Callable[[AlertEvent], None], next_id: Callable[[], int],
                 clock: Callable[[], datetime] = lambda: datetime.now(VN_TZ),
                 grids: Callable[[MotionGrid], None] | None = None) -> None:
        self._submit = submit
        self._grids = grids
        self._clock = clock
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._next_id = next_id
        self._cameras: dict[str, _Camera] = {}
        self._pending: dict[str, AnalyticsSettings] = {}
        self._lock = threading.Lock()
        for camera in cameras:
            self._cameras[camera.id] = _Camera(camera, _Slot(self._wake), *self._detectors(
                camera, settings.get(camera.id, AnalyticsSettings())))
        self.samples = 0
        self.failures = 0  # pictures whose processing raised (logged; detection went on)
        self.cpu_s = 0.0
        self._thread = threading.Thread(target=self._run, name="analytics", daemon=True)

    def _detectors(self, camera: Camera, chosen: AnalyticsSettings,
                   ) -> tuple[MotionDetector, TamperDetector, dict[AlertKind, EpisodeTracker]]:
        cooldown, end_after = chosen.motion.cooldown_s * 1000, int(chosen.motion.end_after_s * 1000)
        trackers = {kind: EpisodeTracker(camera.id, camera.site_id, kind, self._next_id, end_after_ms=end_after,
                                         cooldown_ms=cooldown) for kind in (AlertKind.MOTION, *TAMPER_KINDS)}
        return MotionDetector(chosen.motion), TamperDetector(chosen.tamper), trackers

    def settings(self, camera_id: str) -> AnalyticsSettings:
        with self._lock:
            pending = self._pending.get(camera_id)
        if pending is not None:
            return pending
        state = self._cameras[camera_id]
        return AnalyticsSettings(state.motion.settings, state.tamper.settings)

    def update_settings(self, camera_id: str, settings: AnalyticsSettings) -> None:
        """New settings from the dialog: applied by the worker thread before its next picture."""
        with self._lock:
            self._pending[camera_id] = settings
        self._wake.set()

    def _apply_pending(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, {}
        now_ms = clock_ms()
        for camera_id, chosen in pending.items():
            state = self._cameras[camera_id]
            for tracker in state.trackers.values():  # an episode in progress ends with the old rules
                for event in tracker.close(now_ms):
                    self._submit(event)
            state.motion, state.tamper, state.trackers = self._detectors(state.camera, chosen)

    def tap(self, camera_id: str) -> KeyframeTap:
        return KeyframeTap(self._cameras[camera_id].slot)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout_s)

    def _run(self) -> None:
        lower_priority(ANALYTICS_NICE)  # analytics may wait a frame; the wall and the GUI may not
        while not self._stop.is_set():
            self._wake.wait(IDLE_WAIT_S)
            self._wake.clear()
            started = time.thread_time()
            self._apply_pending()
            for state in self._cameras.values():
                try:
                    self._process(state)
                except (av.error.FFmpegError, ValueError) as exc:
                    log.warning("%s: analytics skipped a picture (%s)", state.camera.id, exc)
                    state.codec = None
                except Exception:  # one bad picture (Pillow, numpy, a callback) never ends detection
                    log.exception("%s: analytics failed on a picture; the next one is processed", state.camera.id)
                    state.codec = None
                    self.failures += 1
            self.cpu_s += time.thread_time() - started

    def _decode(self, state: _Camera, info: StreamInfo, generation: int, data: bytes) -> VideoFrame | None:
        if state.codec is None or state.generation != generation:
            if state.codec is not None:
                heap.freed()  # the last session's decoder goes now (its pictures are megabytes)
            state.codec, state.generation = open_decoder(info), generation
        frames = state.codec.decode(av.Packet(data))
        return frames[-1] if frames else None

    def _process(self, state: _Camera) -> None:
        info, generation, keyframe = state.slot.take()
        if keyframe is None or info is None:
            return
        data, received = keyframe
        frame = self._decode(state, info, generation, data)
        if frame is None:
            return
        small = frame.reformat(width=SMALL[0], height=SMALL[1], format="gray")
        luma = np.asarray(small.to_ndarray(), dtype=np.uint8)
        self.samples += 1
        now_ms = clock_ms()
        events: list[AlertEvent] = []
        armed = state.motion.settings.schedule.armed(_daytime(self._clock()))
        score = state.motion.sample(luma)
        if state.motion.grid and self._grids is not None:  # a still picture writes nothing: absence is stillness
            at_ms = now_ms - round((time.monotonic() - received) * 1000)  # when it arrived, not when analysed
            self._grids(MotionGrid(state.camera.id, at_ms, state.motion.grid))
        events += state.trackers[AlertKind.MOTION].sample(now_ms, armed and state.motion.active(score), score)
        tampered = state.tamper.sample(luma)
        for kind in TAMPER_KINDS:
            events += state.trackers[kind].sample(now_ms, kind in tampered, tampered.get(kind, 0.0))
        for event in events:
            snapshot = _jpeg(frame) if event.phase in ("start", "peak") else None
            self._submit(replace(event, snapshot=snapshot) if snapshot else event)


def _daytime(moment: datetime) -> daytime:
    return moment.timetz().replace(tzinfo=None)
