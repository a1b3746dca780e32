"""Inside the running console, on its GUI thread: carries out the soak's plan and watches every tile come back.

A 100 ms timer drives everything: the faults (sent to the camera process, never waited for), the officer's
actions (a layout chosen from the View menu, a playback window opened and closed), and the watch: after each
fault, when the camera's tile shows a picture that arrived after the camera was up again (and on screen again,
if a layout change had taken it off). Every few seconds: resident memory, open files, threads; every second the
longest the GUI thread went without running its event loop (a 10 ms heartbeat's lateness).
"""

from __future__ import annotations

import logging
import os
import random
import sys
import time
import tracemalloc
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from benchmarks.fault_cameras import FaultCameras
from benchmarks.procstat import (
    CpuMeter,
    malloc_mb,
    open_fds,
    rss_mb,
    rss_parts_mb,
    sqlite_connections,
    thread_count,
    thread_names,
)
from benchmarks.soak_plan import Action, Step
from console.core.alerts import AlertEvent
from console.core.config import RecordingMode
from console.core.vntime import now_ms
from console.media import vlc
from console.media.recording import Recorder
from console.ui.live.tile import VideoTile
from console.ui.shell.bench_report import EventLoopWatch
from console.ui.shell.main_window import MainWindow

log = logging.getLogger(__name__)

TICK_MS = 100
WARM_TIMEOUT_S = 120.0  # every tile painting, from the window shown
WARM_S = 10.0  # painting a while before the start figures are taken
PROCESS_EVERY_S = 5.0
BLOCK_EVERY_S = 1.0
FULL_LAYOUT = "5x5"
LAYOUT_CYCLE = ("3x3", "2x2", "1+5", "4x4", "1+7", "1")
PLAYBACK_FROM_S = 60.0  # the playback window opens this long ago (never before the recordings began)
PLAYBACK_AFTER_START_S = 2.0
FROZEN_AFTER_S = 2.5  # a tile whose picture is older than this at the end, with its camera up, is frozen
TRACE_FRAMES = 8
SOURCE = f"{Path(__file__).resolve().parents[1]}/"  # growth sites are named from the checkout
TOP_SITES = 12


@dataclass
class Episode:
    """One fault on one camera, from its cut to the first new picture on its tile."""

    camera: str
    kind: Action
    cut_at: float  # time.monotonic()
    up_at: float  # the camera answers again from here
    ready_at: float | None = None  # up and on screen
    back_at: float | None = None

    def back_s(self) -> float | None:
        if self.back_at is None or self.ready_at is None:
            return None
        return self.back_at - self.ready_at


@dataclass
class ProcessFigures:
    rss_mb: float
    fds: int
    threads: int
    sqlite_connections: int
    vlc_media_alive: int
    thread_names: dict[str, int] = field(default_factory=dict)

    @classmethod
    def now(cls) -> ProcessFigures:
        pid = os.getpid()
        return cls(round(rss_mb(pid), 1), len(open_fds(pid)), thread_count(pid), sqlite_connections(pid),
                   vlc.media_alive(), thread_names(pid))


@dataclass
class SoakRecord:
    """What the soak saw, kept in plain data (outlives the console's Qt objects)."""

    minutes: float
    raised: set[int] = field(default_factory=set)  # ids of alerts the console raised (submitted to its writer)
    episodes: list[Episode] = field(default_factory=list)
    rss: list[tuple[float, float]] = field(default_factory=list)  # (s from the start, MB)
    recorder_queue: list[tuple[float, float]] = field(default_factory=list)  # (s, MB waiting for the writer)
    heap: list[dict[str, float]] = field(default_factory=list)  # (s, RSS by kind, glibc heap, Python blocks)
    blocks_ms: list[tuple[float, float]] = field(default_factory=list)  # (s, the longest GUI block in the second)
    gc_ms: list[float] = field(default_factory=list)  # the longest garbage collection in each second
    cpu_cores: float = 0.0  # of this process (the console) over the soak
    officer: list[tuple[float, str]] = field(default_factory=list)  # (s, a layout change or playback window)
    growth: list[dict[str, Any]] = field(default_factory=list)  # with tracing: where memory grew after slope_from
    actions: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)  # faults not made: no idle camera at the time
    start: ProcessFigures | None = None
    end: ProcessFigures | None = None
    frozen_end: list[str] = field(default_factory=list)
    tiles_end: int = 0
    warm_s: float = 0.0
    error: str | None = None

    def alert_raised(self, event: AlertEvent) -> None:
        if event.phase == "start":
            self.raised.add(event.alert_id)


def shown_tiles(window: MainWindow) -> dict[str, VideoTile]:
    """The camera each visible tile shows."""
    return {t.camera_id: t for t in window.wall.tiles if t.camera_id is not None and t.isVisible()}


class SoakWatch(QObject):
    """Runs the plan against the console it was handed, then quits the application."""

    def __init__(self, window: MainWindow, recorder: Recorder, cameras: FaultCameras, steps: list[Step],
                 record: SoakRecord, rng: random.Random, trace_from_s: float | None = None) -> None:
        super().__init__()
        self._recorder = recorder
        self._trace_from_s = trace_from_s
        self._traced: tracemalloc.Snapshot | None = None
        self._window, self._config = window, window.config
        self._cameras, self._record, self._rng = cameras, record, rng
        self._steps = list(steps)
        self._undo: list[tuple[float, Any]] = []  # (time.monotonic(), what ends a stall, a layout, a playback)
        self._open: list[Episode] = []
        self._on_screen: dict[str, float] = {}
        self._reserved: set[str] = set()  # a site waiting for its cameras to be idle before it is cut
        self._site_cut: tuple[str, float] | None = None
        self._restarts: Counter[str] = Counter()
        self._layouts = 0
        self._playback: QWidget | None = None
        self._created = time.monotonic()
        self._live_at: float | None = None
        self._started: float | None = None
        self._next_process = self._next_block = 0.0
        self._recording_since_ms = 0
        self._watch = EventLoopWatch(self)
        self._cpu = CpuMeter(os.getpid())
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._timer.start(TICK_MS)

    # --- the clock ----------------------------------------------------------------------------------
    def _tick(self) -> None:
        now = time.monotonic()
        if self._started is None:
            self._warm(now)
            return
        t = now - self._started
        self._follow(now)
        while self._undo and self._undo[0][0] <= now:
            self._undo.pop(0)[1]()
        while self._steps and self._steps[0].at_s <= t:
            self._do(self._steps.pop(0), now)
        self._cut_site_when_idle(now)
        self._measure(t)
        if t >= self._record.minutes * 60:
            self._finish(now)

    def _warm(self, now: float) -> None:
        shown = shown_tiles(self._window)
        painting = len(shown) == len(self._config.cameras) and all(t.image is not None for t in shown.values())
        if painting and self._live_at is None:
            self._live_at = now
            self._recording_since_ms = now_ms()
        if self._live_at is not None and now - self._live_at >= WARM_S:
            self._record.warm_s = round(now - self._created, 1)
            self._record.start = ProcessFigures.now()
            self._started = now
            self._next_process = self._next_block = 0.0
            self._watch.reset()
            self._cpu.start()
            if self._trace_from_s is not None:
                tracemalloc.start(TRACE_FRAMES)
            log.info("soak: started after %.1f s of warming up", self._record.warm_s)
        elif now - self._created > WARM_TIMEOUT_S:
            self._record.error = f"not every tile painted within {WARM_TIMEOUT_S:.0f} s"
            self._quit()

    def _measure(self, t: float) -> None:
        if self._trace_from_s is not None and self._traced is None and t >= self._trace_from_s:
            self._traced = tracemalloc.take_snapshot()
        if t >= self._next_block:
            self._record.blocks_ms.append((round(t, 1), round(self._watch.max_block_ms, 1)))
            self._record.gc_ms.append(round(self._watch.max_gc_ms, 1))
            self._watch.reset()
            self._next_block += BLOCK_EVERY_S
        if t >= self._next_process:
            self._record.rss.append((round(t, 1), round(rss_mb(os.getpid()), 1)))
            self._record.recorder_queue.append((round(t, 1), round(self._recorder.queued_bytes / 1e6, 2)))
            self._record.heap.append({"s": round(t, 1), **rss_parts_mb(os.getpid()), **malloc_mb(),
                                      "python_blocks_k": round(sys.getallocatedblocks() / 1000, 1)})
            self._next_process += PROCESS_EVERY_S

    def _finish(self, now: float) -> None:
        self._timer.stop()
        self._follow(now)
        self._record.end = ProcessFigures.now()
        self._record.cpu_cores = round(self._cpu.cores(), 2)
        shown = shown_tiles(self._window)
        self._record.tiles_end = len(shown)
        self._record.frozen_end = sorted(c for c, tile in shown.items() if tile.image is None
                                         or now - tile.image.received > FROZEN_AFTER_S)
        self._record.episodes += self._open  # never back
        if self._traced is not None:
            self._record.growth = top_growth(self._traced)
            tracemalloc.stop()
        self._quit()

    def _quit(self) -> None:
        self._timer.stop()
        QTimer.singleShot(0, QApplication.quit)

    # --- watching tiles come back -------------------------------------------------------------------
    def _follow(self, now: float) -> None:
        shown = shown_tiles(self._window)
        for camera in shown.keys() - self._on_screen.keys():
            self._on_screen[camera] = now
        for camera in self._on_screen.keys() - shown.keys():
            del self._on_screen[camera]
        still: list[Episode] = []
        for episode in self._open:
            tile = shown.get(episode.camera)
            image = tile.image if tile is not None and now >= episode.up_at else None
            if image is not None and image.received > episode.up_at:
                episode.ready_at = max(episode.up_at, self._on_screen[episode.camera])
                episode.back_at = now
                self._record.episodes.append(episode)
            else:
                still.append(episode)
        self._open = still

    def _idle(self) -> list[str]:
        busy = {e.camera for e in self._open} | self._reserved
        return [c.id for c in self._config.cameras if c.id not in busy]

    def _fault(self, camera: str, kind: Action, now: float, up_s: float) -> None:
        self._open.append(Episode(camera, kind, now, now + up_s))
        self._record.actions[kind.value] += 1

    # --- the plan -----------------------------------------------------------------------------------
    def _do(self, step: Step, now: float) -> None:
        if step.action is Action.LAYOUT:
            self._change_layout(step.hold_s, now)
        elif step.action is Action.PLAYBACK:
            self._open_playback(step.hold_s, now)
        elif step.action is Action.SITE_CUT:
            self._reserve_site(now, step.hold_s)
        else:
            idle = self._idle()
            if not idle:
                self._record.skipped[step.action.value] += 1
                return
            if step.action is Action.RESTART:
                fewest = min(self._restarts[c] for c in idle)
                camera = self._rng.choice([c for c in idle if self._restarts[c] == fewest])
                self._restarts[camera] += 1
                self._cameras.send(f"restart {camera} {step.hold_s}")
            else:
                camera = self._rng.choice(idle)
                self._cameras.send(f"{step.action.value} {camera} on")
                if step.action is Action.GARBAGE:
                    self._cameras.send(f"drop {camera}")  # the console reconnects and meets the garbage
                self._later(now + step.hold_s, lambda off=f"{step.action.value} {camera} off": self._cameras.send(off))
            self._fault(camera, step.action, now, step.hold_s)

    def _later(self, at: float, job: Any) -> None:
        self._undo.append((at, job))
        self._undo.sort(key=lambda u: u[0])

    def _reserve_site(self, now: float, down_s: float) -> None:
        """The site after the last one cut, among sites with the most cameras; cut once its cameras are idle."""
        sites = sorted(self._config.sites, key=lambda s: -len(self._config.cameras_of(s.id)))
        site = sites[self._record.actions[Action.SITE_CUT.value] % len(sites)]
        self._reserved = {c.id for c in self._config.cameras_of(site.id)}
        self._site_cut = (site.id, down_s)

    def _cut_site_when_idle(self, now: float) -> None:
        if self._site_cut is None or any(e.camera in self._reserved for e in self._open):
            return
        _, down_s = self._site_cut
        for camera in sorted(self._reserved):
            self._cameras.send(f"restart {camera} {down_s}")
            self._open.append(Episode(camera, Action.SITE_CUT, now, now + down_s))
        self._record.actions[Action.SITE_CUT.value] += 1
        self._reserved, self._site_cut = set(), None

    def _change_layout(self, hold_s: float, now: float) -> None:
        """As the officer does it: View → Split screen → another split, and back to 25 tiles later."""
        key = LAYOUT_CYCLE[self._layouts % len(LAYOUT_CYCLE)]
        self._layouts += 1
        self._officer(f"layout {key}")
        self._window.layout_actions[key].trigger()
        self._record.actions[Action.LAYOUT.value] += 1
        self._later(now + hold_s, self._full_layout)

    def _full_layout(self) -> None:
        self._officer(f"layout {FULL_LAYOUT}")
        self._window.layout_actions[FULL_LAYOUT].trigger()

    def _officer(self, what: str) -> None:
        started = self._started or time.monotonic()
        self._record.officer.append((round(time.monotonic() - started, 2), what))

    def _open_playback(self, hold_s: float, now: float) -> None:
        recorded = [c.id for c in self._config.cameras if c.recording is RecordingMode.CONTINUOUS]
        camera = recorded[self._record.actions[Action.PLAYBACK.value] % len(recorded)]
        at_ms = max(now_ms() - int(PLAYBACK_FROM_S * 1000),
                    self._recording_since_ms + int(PLAYBACK_AFTER_START_S * 1000))
        self._officer("playback open")
        self._playback = self._window.open_playback(camera, at_ms)
        self._record.actions[Action.PLAYBACK.value] += 1
        self._later(now + hold_s, self._close_playback)

    def _close_playback(self) -> None:
        if self._playback is not None:
            self._officer("playback close")
            self._playback.close()
            self._playback = None


def top_growth(before: tracemalloc.Snapshot) -> list[dict[str, Any]]:
    """The sites that allocated the most memory still held since `before` (innermost frames last)."""
    after = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
    sites = []
    for stat in after.compare_to(before, "traceback")[:TOP_SITES]:
        frames = [f"{f.filename.removeprefix(SOURCE)}:{f.lineno}" for f in stat.traceback[-4:]]
        sites.append({"kb": round(stat.size_diff / 1024, 1), "count": stat.count_diff,
                      "where": " ← ".join(reversed(frames))})
    return sites
