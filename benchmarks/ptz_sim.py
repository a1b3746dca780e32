"""The simulated ONVIF cameras of `benchmarks.ptz` in a process of their own, as a real camera is another machine.

    python -m benchmarks.ptz_sim --config SITE --credentials STORE --ptz C01,C02 --cache-dir DIR

Serves the same `Simulator` as `python -m console.simulator --config SITE --credentials STORE --onvif
--discovery-port 0 --ptz C01,C02` (127.0.0.1 only, unicast WS-Discovery on a free port), and lets the benchmark
drive what only a test can (fault modes, injected events, reboots, clock offsets) through JSON lines on
stdin/stdout: the first line out is `{"ready": true, "discovery": [host, port]}`, each request
`{"id": N, "op": ..., ...}` gets `{"id": N, "ok": VALUE}` or `{"id": N, "error": TEXT}`, and every PTZ head's
start and end of motion comes unasked as `{"head": CAMERA, "moving": BOOL, "at": MONOTONIC_S}` (the heads are
watched here every 2 ms; Linux's monotonic clock is the same in both processes). Stdin closed: stop and exit.

`SimulatorClient` is the benchmark's side (starts the process, sends requests, keeps the heads' last state).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

HEAD_POLL_S = 0.002
READY_TIMEOUT_S = 120.0
CALL_TIMEOUT_S = 60.0
ROOT = Path(__file__).resolve().parents[1]


# -- the simulator's process --------------------------------------------------------------------------------
class _Served:
    """The requests the benchmark may send, on the running simulator."""

    def __init__(self, sim: Any) -> None:
        self.sim = sim

    def faults(self, camera: str, on: bool) -> None:
        self.sim.onvif_ignore_timeout(camera, on)
        self.sim.onvif_reject_stop(camera, on)

    def stop_head(self, camera: str) -> None:
        self.sim.ptz_head(camera).stop()

    def event(self, cameras: list[str], kind: str, state: bool) -> list[float]:
        """Each camera raises the event; the instant each was handed to the camera (monotonic s)."""
        at = []
        for camera in cameras:
            at.append(time.monotonic())
            self.sim.onvif_event(camera, kind, state)
        return at

    def reboot(self, cameras: list[str]) -> None:
        for camera in cameras:
            self.sim.onvif_reboot(camera)

    def subscriptions(self, cameras: list[str]) -> dict[str, int]:
        return {camera: self.sim.onvif_subscriptions(camera) for camera in cameras}

    def clock(self, offsets: dict[str, float]) -> None:
        for camera, offset_s in offsets.items():
            self.sim.onvif_clock(camera, offset_s)


class _Out:
    """One JSON object a line on stdout, from any thread."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def send(self, message: dict[str, Any]) -> None:
        line = json.dumps(message) + "\n"
        with self._lock:
            self._stream.write(line)
            self._stream.flush()


def _watch_heads(sim: Any, cameras: list[str], out: _Out, stop: threading.Event) -> None:
    heads = {camera: sim.ptz_head(camera) for camera in cameras}
    moving = dict.fromkeys(cameras, False)
    while not stop.wait(HEAD_POLL_S):
        for camera, head in heads.items():
            now = time.monotonic()
            state = head.move_state(now)
            still_moving = bool(state.pan_tilt or state.zoom)
            if still_moving != moving[camera]:
                moving[camera] = still_moving
                out.send({"head": camera, "moving": still_moving, "at": now})


def serve(args: argparse.Namespace) -> int:
    from console.core.config import load_config
    from console.core.credentials import CredentialStore
    from console.simulator.server import Simulator, SimulatorOptions

    store = CredentialStore.load(args.credentials)
    config = load_config(args.config, store.refs)
    ptz = [c for c in args.ptz.split(",") if c]
    options = SimulatorOptions(loop_s=args.loop_s, onvif=True, discovery_port=0, cache_dir=args.cache_dir,
                               ptz_cameras=frozenset(ptz))
    out = _Out(sys.stdout)
    stop = threading.Event()
    with Simulator(config, store, options) as sim:
        address = sim.discovery_address
        assert address is not None and address[0] == "127.0.0.1", address  # loopback only, never multicast
        watcher = threading.Thread(target=_watch_heads, args=(sim, ptz, out, stop), name="ptz-sim-heads",
                                   daemon=True)
        watcher.start()
        out.send({"ready": True, "discovery": list(address)})
        served = _Served(sim)
        try:
            for line in sys.stdin:
                request = json.loads(line)
                ident, op = request.pop("id"), request.pop("op")
                try:
                    out.send({"id": ident, "ok": getattr(served, op)(**request)})
                except Exception as exc:  # reported to the benchmark, the simulator goes on
                    out.send({"id": ident, "error": f"{type(exc).__name__}: {exc}"})
        finally:
            stop.set()
            watcher.join(timeout=2)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--credentials", type=Path, required=True)
    parser.add_argument("--ptz", default="", metavar="C01,C02")
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--loop-s", type=float, default=2.0)
    return serve(parser.parse_args(argv))


# -- the benchmark's side -----------------------------------------------------------------------------------
@dataclass
class HeadState:
    """A PTZ head as the simulator's process last reported it."""

    moving: bool = False
    changed_at: float = 0.0  # monotonic s of the last start or end of motion


class SimulatorError(RuntimeError):
    pass


class SimulatorClient:
    """Starts `python -m benchmarks.ptz_sim` and talks to it; `call` blocks (never on the GUI thread)."""

    def __init__(self, config: Path, credentials: Path, ptz: list[str], cache_dir: Path, log: Path) -> None:
        self.heads = {camera: HeadState() for camera in ptz}
        self.discovery_address: tuple[str, int] | None = None
        self._log = log
        self._lock = threading.Lock()
        self._replies: dict[int, dict[str, Any]] = {}
        self._waiting: dict[int, threading.Event] = {}
        self._next = 0
        self._ready = threading.Event()
        with log.open("ab") as err:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "benchmarks.ptz_sim", "--config", str(config), "--credentials",
                 str(credentials), "--ptz", ",".join(ptz), "--cache-dir", str(cache_dir)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, text=True, cwd=ROOT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self._reader = threading.Thread(target=self._read, name="bench-ptz-sim-reader", daemon=True)
        self._reader.start()
        if not self._ready.wait(READY_TIMEOUT_S) or self.discovery_address is None:
            self.close()
            raise SimulatorError(f"the simulator's process did not start: {self._tail()}")

    @property
    def pid(self) -> int:
        return self._process.pid

    def _tail(self) -> str:
        try:
            return self._log.read_text("utf-8", "replace")[-1500:]
        except OSError:
            return "(no log)"

    def _read(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            message = json.loads(line)
            if "head" in message:
                head = self.heads[message["head"]]
                head.changed_at, head.moving = message["at"], message["moving"]
            elif "ready" in message:
                host, port = message["discovery"]
                self.discovery_address = (host, int(port))
                self._ready.set()
            else:
                with self._lock:
                    self._replies[message["id"]] = message
                    event = self._waiting.get(message["id"])
                if event is not None:
                    event.set()
        self._ready.set()  # the process ended
        with self._lock:
            for event in self._waiting.values():
                event.set()

    def call(self, op: str, **arguments: Any) -> Any:
        with self._lock:
            self._next += 1
            ident = self._next
            event = self._waiting[ident] = threading.Event()
        assert self._process.stdin is not None
        self._process.stdin.write(json.dumps({"id": ident, "op": op, **arguments}) + "\n")
        self._process.stdin.flush()
        answered = event.wait(CALL_TIMEOUT_S)
        with self._lock:
            self._waiting.pop(ident, None)
            reply = self._replies.pop(ident, None)
        if not answered or reply is None:
            raise SimulatorError(f"no answer from the simulator to {op}: {self._tail()}")
        if "error" in reply:
            raise SimulatorError(f"{op}: {reply['error']}")
        return reply.get("ok")

    def caller(self, op: str, **arguments: Any) -> Callable[[], Any]:
        return lambda: self.call(op, **arguments)

    def close(self) -> None:
        if self._process.stdin is not None and not self._process.stdin.closed:
            with contextlib.suppress(OSError):
                self._process.stdin.close()  # the process stops its simulator and exits
        try:
            self._process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=5)
        self._reader.join(timeout=2)


if __name__ == "__main__":
    sys.exit(main())
