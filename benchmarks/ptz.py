"""PTZ, camera events, reboots and clocks of simulated ONVIF cameras, through the console's own ONVIF services and
the real window (issue 18's targets).

    python -m benchmarks.ptz --json OUT [--cameras 25] [--ptz 2] [--moves 12] [--event-rounds 2] [--own-display]

Everything runs on 127.0.0.1: the simulator's ONVIF face (unicast WS-Discovery on a free loopback port, never
multicast) in a process of its own (`benchmarks.ptz_sim`: the cameras of `python -m console.simulator --onvif
--ptz`, with a control channel for faults, events, reboots and clocks), the console's `CameraServices` on its
network loop, and the real `MainWindow` on the X display (`--own-display`: a private Xvfb 1920×1080, else
$DISPLAY, which must be 1920×1080, e.g. `xvfb-run -a -s "-screen 0 1920x1080x24"`). Phases, in order:

1. discovery: a unicast Probe to the simulator's responder, then every answering device read (clock, device
   information, profiles) as the wizard / `python -m console.onvif discover` does → `discover_s`;
2. PTZ from the tile: Ctrl+drag on the PTZ camera's tile (QTest mouse events to the real window), the picture read
   off the screen by the latency benchmark's grabber (x11grab, 10.3 grabs/s; the head's position is stamped in
   the picture) → `ptz_command_to_motion_on_screen_ms` (press → first grab whose stamped pan differs);
   release → the simulator's head not moving (the instant its process saw it stop) → `ptz_release_to_stopped_ms`;
   every third move with the "ignores Timeout" and "rejects Stop" faults on and held past the 1 s Timeout; a head
   still moving 2 s after release → `stuck_moves`;
3. events: motion start/stop injected on every camera (`--event-rounds` rounds; a round inside the console's
   cooldown merges into the episode; timed from the instant the camera raised it), alerts counted at
   CameraServices' `submit` → `events_*`;
4. reboot of every camera → channels live again on a new pull point → `resubscribed_after_reboot`;
5. clocks: known offsets set on every camera, read through the services → `clock_offset_error_s_max`;
throughout: the GUI thread's 10 ms heartbeat lateness (`EventLoopWatch`) → `gui_block_max_ms` (per phase too).

The simulator runs in its own process (`simulator_in_process: false`), as a real camera is another machine: in
this one its two 1080p PTZ encoders and RTSP thread took the GIL from the GUI thread (blocks of 200–475 ms in which
the GUI thread's own CPU was 0–3 ms). What the GUI heartbeat sees now is the console's: its window, its network
loop and its decoders, and the benchmark's own screen grabber and pump (`gui_blocks_longest` says where).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.latency import SCREEN_H, SCREEN_W, Grabber, Rect, xvfb
from benchmarks.ptz_blocks import BlockSampler
from benchmarks.ptz_sim import HeadState, SimulatorClient
from benchmarks.report import percentile, write_result

PTZ_TIMEOUT_S = 1.0  # the console's moves carry Timeout=PT1S
STUCK_AFTER_S = 2.0
SHOW_TIMEOUT_S = 5.0  # press → a changed picture on screen, else the move counts as not seen
STOP_TIMEOUT_S = 5.0
PAN_STEP = 3.0 / ((1 << 14) - 1) * 2  # three steps of the stamp's 14-bit pan
CHANGE_LUMA = 6.0  # mean |Δ| of the tile, the fallback when the stamp cannot be read
EVENT_MATCH_S = 5.0
REBOOT_BACK_S = 60.0
CLOCK_OFFSETS_S = (0.0, 7.3, -42.0, 3 * 3600.0, -1800.25, 125.5)
PUMP_SLEEP_S = 0.002


@dataclass
class TileWatch:
    """What the grabber saw of one tile: the stamped position (or a change of the picture) after each grab."""

    rect: Rect
    lock: threading.Lock = field(default_factory=threading.Lock)
    last_pan: float | None = None
    last_ms: float = 0.0
    reference: np.ndarray | None = None  # the fallback: the picture before the command
    reference_pan: float | None = None
    since_ms: float | None = None  # a command was sent at this wall-clock time
    seen_ms: float | None = None  # the first grab after `since_ms` that shows the picture moving
    method: str | None = None

    def arm(self, now_ms: float) -> None:
        with self.lock:
            self.reference_pan = self.last_pan
            self.since_ms, self.seen_ms, self.method = now_ms, None, None

    def seen(self) -> bool:
        with self.lock:
            return self.seen_ms is not None

    def disarm(self) -> None:
        with self.lock:
            self.since_ms = None


class ScreenWatch(Grabber):
    """The latency benchmark's grabber, reading PTZ tiles (the stamped head position) instead of time stamps."""

    def __init__(self, display: str) -> None:
        super().__init__(display)
        self.tiles: list[TileWatch] = []

    def _read(self, luma: np.ndarray, grabbed_ms: float) -> None:
        from tests.support.onvif_sim_ptz import stamped_position

        self.latest = luma
        self.count += 1
        for tile in list(self.tiles):
            rect = tile.rect
            crop = luma[rect.y:rect.y + rect.h, rect.x:rect.x + rect.w]
            if not crop.size:
                continue
            position = stamped_position(np.ascontiguousarray(crop))
            with tile.lock:
                if position is not None:
                    tile.last_pan, tile.last_ms = position.pan, grabbed_ms
                if tile.since_ms is None or tile.seen_ms is not None or grabbed_ms < tile.since_ms:
                    if tile.since_ms is None:
                        tile.reference = crop.copy()
                    continue
                if position is not None and tile.reference_pan is not None:
                    if abs(position.pan - tile.reference_pan) > PAN_STEP:
                        tile.seen_ms, tile.method = grabbed_ms, "stamp"
                elif tile.reference is not None and tile.reference.shape == crop.shape:
                    change = float(np.abs(crop.astype(np.int16) - tile.reference.astype(np.int16)).mean())
                    if change > CHANGE_LUMA:
                        tile.seen_ms, tile.method = grabbed_ms, "pixels"


@dataclass
class Heard:
    """Alerts as CameraServices submits them (on its network loop's thread), with their arrival time."""

    alerts: list[tuple[float, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def submit(self, event: Any) -> None:
        with self.lock:
            self.alerts.append((time.monotonic(), event))

    def starts(self, kinds_out: frozenset[Any]) -> list[tuple[float, Any]]:
        with self.lock:
            return [(at, e) for at, e in self.alerts if e.phase == "start" and e.kind not in kinds_out]


class Bench:
    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.freeze = not args.no_gc_freeze
        self.args = args
        self.workdir = workdir
        self.result: dict[str, Any] = {"cameras": args.cameras}
        self.blocks: dict[str, float] = {}
        self.collections: dict[str, float] = {}  # the longest garbage collection of each phase (any thread)
        self.notes: list[str] = []

    # -- the GUI thread stays responsive while the benchmark waits -----------------------------------------
    def pump(self, seconds: float) -> None:
        self.until(lambda: False, seconds)

    def until(self, predicate: Callable[[], bool], timeout_s: float) -> bool:
        deadline = time.monotonic() + timeout_s
        while True:
            self.app.processEvents()
            if predicate():
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(PUMP_SLEEP_S)

    def off_gui(self, work: Callable[[], Any], timeout_s: float = 60.0) -> Any:
        """`work` on a helper thread (simulator calls block on its loop), the GUI thread pumping meanwhile."""
        box: dict[str, Any] = {}

        def run() -> None:
            try:
                box["value"] = work()
            except BaseException as exc:  # re-raised on the GUI thread
                box["error"] = exc

        thread = threading.Thread(target=run, name="bench-ptz-driver", daemon=True)
        thread.start()
        self.until(lambda: not thread.is_alive(), timeout_s)
        if "error" in box:
            raise box["error"]
        return box.get("value")

    def phase_block(self, name: str, next_phase: str = "") -> None:
        self.blocks[name] = round(self.watch.max_block_ms, 1)
        self.collections[name] = round(self.watch.max_gc_ms, 1)
        self.watch.reset()
        self.sampler.phase = next_phase

    # -- setup -------------------------------------------------------------------------------------------
    def run(self) -> dict[str, Any]:
        from console.core.config import load_config
        from console.core.credentials import Credentials, CredentialStore
        from tests.support.siteconfig import write_demo_config

        args = self.args
        credentials = Credentials("admin", "bench-" + secrets.token_urlsafe(12))
        store = CredentialStore({"demo": credentials})
        path = write_demo_config(self.workdir / "site.toml", cameras=args.cameras, credentials="demo",
                                 onvif={"events": ["motion"]})
        config = load_config(path, store.refs)
        self.camera_ids = [c.id for c in config.cameras]
        self.ptz_ids = self.camera_ids[:args.ptz]
        self.result["ptz_cameras"] = len(self.ptz_ids)
        store_path = store.save(self.workdir / "credentials.toml")  # 0600, read by the simulator's process
        with ExitStack() as stack:
            self.sim = SimulatorClient(path, store_path, self.ptz_ids, self.workdir, self.workdir / "simulator.log")
            stack.callback(self.sim.close)
            self.result["simulator_in_process"] = False
            self.discover(credentials)
            self.console(config, credentials, store, stack)
        return self.result

    def discover(self, credentials: Any) -> None:
        from console.onvif.cli import probe_devices, read_devices

        address = self.sim.discovery_address
        assert address is not None and address[0] == "127.0.0.1", address  # loopback only, never multicast
        target = f"127.0.0.1:{address[1]}"

        async def discover() -> tuple[int, int, float, float]:
            started = time.monotonic()
            found = await probe_devices(target, self.args.probe_wait_s, problem=lambda _vi, _en: None)
            probed = time.monotonic()
            read = await read_devices(found, credentials, 5.0)
            return len(found), sum(1 for _, device, error in read if device is not None and error is None), \
                probed - started, time.monotonic() - started

        # cold, as `python -m console.onvif discover` runs (the ONVIF library imported on first use, ~0.7 s),
        # then again warm, as a second search in the wizard
        found, read, probe_s, total_s = asyncio.run(discover())
        _, warm_read, _, warm_s = asyncio.run(discover())
        self.result.update({"discover_s": round(total_s, 3), "discover_warm_s": round(warm_s, 3),
                            "discover_probe_wait_s": self.args.probe_wait_s, "discover_probe_s": round(probe_s, 3),
                            "discovered": found, "discovered_read": read, "discovered_read_warm": warm_read})

    def console(self, config: Any, credentials: Any, store: Any, stack: ExitStack) -> None:
        os.environ["QT_QPA_PLATFORM"] = "xcb"
        from PySide6.QtWidgets import QApplication

        from console.app import GIL_SWITCH_INTERVAL_S
        from console.core.alerts import AlertKind
        from console.core.gc_pauses import freeze_long_lived
        from console.core.layouts import WallState
        from console.media.pool import StreamPool
        from console.onvif.camera_services import CameraServices
        from console.ui.shell.bench_report import EventLoopWatch
        from console.ui.shell.main_window import MainWindow

        sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)  # as the console runs
        self.app = QApplication.instance() or QApplication(sys.argv[:1])
        self.heard = Heard()
        self.not_events = frozenset({AlertKind.CLOCK_OFFSET, AlertKind.EVENTS_LOST})
        counter = iter(range(1, 1 << 40))
        self.services = CameraServices(config, lambda _ref: credentials, self.heard.submit, lambda: next(counter))
        stack.callback(self.services.close)
        pool = StreamPool(config, store)
        stack.callback(pool.close)
        window = MainWindow(config, demo=True, pool=pool, data=self.workdir / "data", onvif=self.services)
        stack.callback(window.close)
        tiles = (list(self.ptz_ids) + [None] * 4)[:4]
        window.wall.set_state(WallState("2x2", tuple(tiles)))
        window.move(0, 0)
        window.resize(SCREEN_W, SCREEN_H)
        window.show()
        self.window = window
        self.services.start()
        started = time.monotonic()
        assert window.onvif is not None
        joystick = window.onvif.joystick
        ready = self.until(lambda: all(joystick.available(c) for c in self.ptz_ids)
                           and all(window.wall.tile(i).image is not None for i in range(len(self.ptz_ids)))
                           and all(self.live(c) for c in self.camera_ids), 60)
        self.result["console_ready_s"] = round(time.monotonic() - started, 2)
        if self.freeze:  # as the console does FREEZE_AFTER_MS after its window shows (console/core/gc_pauses.py)
            self.result["gc_frozen_objects"] = freeze_long_lived()
        if not ready:
            self.notes.append("not every PTZ tile / event channel was ready within 60 s")
        grabber, watches = self.start_grabber()  # opening x11grab takes a while: before the heartbeat counts
        stack.callback(grabber.stop)
        self.watch = EventLoopWatch()
        self.sampler = BlockSampler()
        stack.callback(self.sampler.close)
        self.pump(1.0)
        self.watch.reset()
        self.sampler.phase = "ptz"
        self.ptz_moves(grabber, watches)
        self.phase_block("ptz", "events")
        self.events()
        self.phase_block("events", "reboot")
        self.reboots()
        self.phase_block("reboot", "clock")
        self.clocks()
        self.phase_block("clock")
        self.result["gui_block_max_ms"] = max(self.blocks.values(), default=None)
        self.result["gui_block_max_ms_by_phase"] = dict(self.blocks)
        self.result["gui_gc_max_ms"] = max(self.collections.values(), default=None)
        self.result["gui_gc_max_ms_by_phase"] = dict(self.collections)
        self.result["gui_blocks_longest"] = self.sampler.report()
        self.result["notes"] = self.notes

    def faults(self, camera_id: str, on: bool) -> Callable[[], Any]:
        """The camera ignores the moves' Timeout and refuses Stop (both real firmware bugs), or no more."""
        return self.sim.caller("faults", camera=camera_id, on=on)

    def live(self, camera_id: str) -> bool:
        from console.core.camera_events import ChannelState

        health = self.services.events_health(camera_id)
        return health is not None and health.state is ChannelState.LIVE

    # -- PTZ ---------------------------------------------------------------------------------------------
    def start_grabber(self) -> tuple[ScreenWatch, dict[str, TileWatch]]:
        grabber = ScreenWatch(os.environ["DISPLAY"])
        watches = {}
        for index, camera in enumerate(self.ptz_ids):
            video = self.window.wall.tile(index).video_rect_global()
            watches[camera] = TileWatch(Rect(video.x(), video.y(), video.width(), video.height()))
        grabber.tiles = list(watches.values())
        grabber.start()
        if not self.until(lambda: all(w.last_pan is not None for w in watches.values()), 10):
            self.notes.append("the PTZ tiles' stamps were not read off the screen: pixel change used")
        return grabber, watches

    def ptz_moves(self, grabber: ScreenWatch, watches: dict[str, TileWatch]) -> None:
        from PySide6.QtCore import QPoint, Qt
        from PySide6.QtTest import QTest

        on_screen: list[float] = []
        stopped: list[float] = []
        unseen = stuck = never_stopped = 0
        methods: dict[str, int] = {}
        fault_moves = 0
        per_move: list[float] = []
        before = self.watch.max_block_ms
        collected = self.watch.max_gc_ms
        try:
            for move in range(self.args.moves):
                collected = max(collected, self.watch.max_gc_ms)
                self.watch.reset()
                index = move % len(self.ptz_ids)
                camera = self.ptz_ids[index]
                tile = self.window.wall.tile(index)
                head = self.sim.heads[camera]
                watch = watches[camera]
                faulty = move % 3 == 2
                if faulty:
                    fault_moves += 1
                    self.off_gui(self.faults(camera, True))
                self.pump(0.4)  # a settled picture before the command
                centre = tile.rect().center()
                to = centre + QPoint((1 if move // len(self.ptz_ids) % 2 == 0 else -1) * tile.width() // 4, 0)
                watch.arm(time.time() * 1000)
                QTest.mousePress(tile, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, centre)
                QTest.mouseMove(tile, to)
                if self.until(watch.seen, SHOW_TIMEOUT_S):
                    assert watch.since_ms is not None and watch.seen_ms is not None
                    on_screen.append(watch.seen_ms - watch.since_ms)
                    methods[watch.method or "?"] = methods.get(watch.method or "?", 0) + 1
                else:
                    unseen += 1
                watch.disarm()
                self.pump(PTZ_TIMEOUT_S + 0.5 if faulty else 0.6)
                QTest.mouseRelease(tile, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, to)
                released = time.monotonic()

                def stopped_now(h: HeadState = head) -> bool:
                    return not h.moving

                if self.until(stopped_now, STOP_TIMEOUT_S):
                    stopped.append(max(0.0, head.changed_at - released) * 1000)
                else:
                    never_stopped += 1
                self.pump(max(0.0, released + STUCK_AFTER_S - time.monotonic()))
                if head.moving:
                    stuck += 1
                if faulty:
                    self.off_gui(self.faults(camera, False))
                    if head.moving:  # leave the next move a still head
                        self.off_gui(self.sim.caller("stop_head", camera=camera))
                per_move.append(round(self.watch.max_block_ms, 1))
            collected = max(collected, self.watch.max_gc_ms)
        finally:
            self.sampler.phase = "benchmark's own grabber stopping"
            grabber.stop()
        self.watch.max_block_ms = max([before, *per_move])  # the phase's figure, as the other phases
        self.watch.max_gc_ms = collected
        self.result.update({
            "ptz_moves": self.args.moves, "ptz_fault_moves": fault_moves,
            "ptz_command_to_motion_on_screen_ms": {"p50": percentile(on_screen, 0.5),
                                                   "p95": percentile(on_screen, 0.95),
                                                   "max": percentile(on_screen, 1.0), "samples": len(on_screen),
                                                   "not_seen": unseen, "read_by": methods,
                                                   "grabs_per_s": round(grabber.rate(), 1)},
            "ptz_release_to_stopped_ms": {"p50": percentile(stopped, 0.5), "p95": percentile(stopped, 0.95),
                                          "max": percentile(stopped, 1.0), "samples": len(stopped),
                                          "not_stopped_in_5s": never_stopped},
            "stuck_moves": stuck,
            "gui_block_ms_per_move": per_move,
        })

    # -- events ------------------------------------------------------------------------------------------
    def events(self) -> None:
        injected: list[tuple[str, float]] = []

        def inject() -> None:
            for _ in range(self.args.event_rounds):
                raised = self.sim.call("event", cameras=self.camera_ids, kind="motion", state=True)
                injected.extend(zip(self.camera_ids, raised, strict=True))
                time.sleep(1.0)
                self.sim.call("event", cameras=self.camera_ids, kind="motion", state=False)
                time.sleep(2.0)

        before = len(self.heard.starts(self.not_events))
        self.off_gui(inject, 120)
        self.pump(EVENT_MATCH_S)
        starts = self.heard.starts(self.not_events)[before:]
        used: set[int] = set()
        latencies: list[float] = []
        merged = missed = 0
        for camera, at in injected:
            match = next((i for i, (when, event) in enumerate(starts)
                          if i not in used and event.camera_id == camera and 0 <= when - at <= EVENT_MATCH_S), None)
            if match is not None:
                used.add(match)
                latencies.append((starts[match][0] - at) * 1000)
            elif any(event.camera_id == camera and when <= at for when, event in starts):
                merged += 1  # inside the episode's cooldown: one alert per episode
            else:
                missed += 1
        self.result.update({"events_sent": len(injected), "events_alerted": len(latencies) + merged,
                            "events_alerted_new": len(latencies), "events_merged": merged, "events_missed": missed,
                            "event_to_alert_ms_p95": percentile(latencies, 0.95),
                            "event_to_alert_ms_p50": percentile(latencies, 0.5)})

    # -- reboot ------------------------------------------------------------------------------------------
    def reboots(self) -> None:
        before = {c: (self.services.events_health(c) or _NoHealth).subscriptions for c in self.camera_ids}
        self.off_gui(self.sim.caller("reboot", cameras=self.camera_ids))
        rebooted = time.monotonic()
        back: dict[str, float] = {}

        def check() -> bool:
            for camera in self.camera_ids:
                if camera in back:
                    continue
                health = self.services.events_health(camera)
                if health is not None and health.subscriptions > before[camera] and self.live(camera):
                    back[camera] = time.monotonic() - rebooted
            return len(back) == len(self.camera_ids)

        self.until(check, REBOOT_BACK_S)
        held = sum(1 for count in self.off_gui(self.sim.caller("subscriptions", cameras=sorted(back))).values()
                   if count >= 1)
        self.result.update({"resubscribed_after_reboot": held, "rebooted": len(self.camera_ids),
                            "resubscribe_s_max": round(max(back.values()), 2) if back else None})

    # -- clocks ------------------------------------------------------------------------------------------
    def clocks(self) -> None:
        truth = {c: CLOCK_OFFSETS_S[i % len(CLOCK_OFFSETS_S)] for i, c in enumerate(self.camera_ids)}
        self.off_gui(self.sim.caller("clock", offsets=truth))
        futures = {c: self.services.read_clock(c) for c in self.camera_ids}
        self.until(lambda: all(f.done() for f in futures.values()), 30)
        errors: list[float] = []
        unread = 0
        for camera, future in futures.items():
            reading = future.result() if future.done() and future.exception() is None else None
            if reading is None or reading.offset_s is None:
                unread += 1
            else:
                errors.append(abs(reading.offset_s - truth[camera]))
        self.off_gui(self.sim.caller("clock", offsets=dict.fromkeys(self.camera_ids, 0.0)))
        self.result.update({"clock_offset_error_s_max": round(max(errors), 3) if errors else None,
                            "clock_read": len(errors), "clock_unread": unread})


class _NoHealth:
    subscriptions = 0


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--cameras", type=int, default=25)
    parser.add_argument("--ptz", type=int, default=2, help="how many of the cameras are PTZ (live-encoded)")
    parser.add_argument("--moves", type=int, default=12)
    parser.add_argument("--event-rounds", type=int, default=2)
    parser.add_argument("--probe-wait-s", type=float, default=1.0)
    parser.add_argument("--own-display", action="store_true", help="a private Xvfb 1920×1080 for the window")
    parser.add_argument("--no-gc-freeze", action="store_true",
                        help="leave the long-lived objects to the garbage collector (the console freezes them)")
    args = parser.parse_args(argv)
    args.ptz = max(1, min(args.ptz, args.cameras, 4))
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    with ExitStack() as stack:
        if args.own_display or not os.environ.get("DISPLAY"):
            os.environ["DISPLAY"] = stack.enter_context(xvfb())
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-ptz-")))
        result = Bench(args, workdir).run()
    write_result(result, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
