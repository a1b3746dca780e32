"""The soak's cameras: the project's simulator in its own process, faults taken as lines on stdin.

    python -m benchmarks.fault_cameras --config FILE

In its own process, as the demo runs it, so serving 25 cameras never competes with the console's GIL. Prints
`SIMULATOR READY` once every loop is encoded, then reads one fault a line and answers `ok` or `error …`:

    restart CAMERA DOWN_S   refuse and cut every connection, listen again after DOWN_S seconds (a reboot)
    stall CAMERA on|off     keep the connections, stop sending pictures (a frozen encoder)
    garbage CAMERA on|off   answer every request with random bytes
    drop CAMERA             cut every connection at once

Stops when stdin closes (the soak ended, or died).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

from console.core.config import StreamKind, load_config
from console.simulator.__main__ import READY_LINE
from console.simulator.server import Simulator, SimulatorError, SimulatorOptions

LOOP_S = 4.0  # the tests' loop length (its encoded loops are already in the cache)
READY_TIMEOUT_S = 600.0  # the first run on a machine encodes every loop (cached on disk afterwards)


def apply(simulator: Simulator, line: str) -> None:
    """One fault line; ValueError/SimulatorError when it is not one."""
    words = line.split()
    if len(words) < 2:
        raise ValueError(f"not a fault: {line!r}")
    action, camera = words[0], words[1]
    if action == "restart" and len(words) == 3:
        simulator.restart(camera, float(words[2]))
    elif action in ("stall", "garbage") and len(words) == 3 and words[2] in ("on", "off"):
        getattr(simulator, action)(camera, words[2] == "on")
    elif action == "drop" and len(words) == 2:
        simulator.drop(camera)
    else:
        raise ValueError(f"not a fault: {line!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--config", type=Path, required=True)
    args = parser.parse_args(argv)
    simulator = Simulator(load_config(args.config), options=SimulatorOptions(loop_s=LOOP_S))
    simulator.start()
    try:
        simulator.prepare((StreamKind.SUB, StreamKind.MAIN))
        print(f"{READY_LINE} {len(simulator.config.cameras)} cameras", flush=True)
        for line in sys.stdin:
            try:
                apply(simulator, line)
            except (ValueError, SimulatorError) as exc:
                print(f"error {exc}", flush=True)
            else:
                print("ok", flush=True)
    finally:
        simulator.stop()
    return 0


class FaultCameras:
    """The soak's side: starts this module as a child process and sends it faults (never waits for them)."""

    def __init__(self, config: Path, log: Path) -> None:
        self._config, self._log = config, log
        self._process: subprocess.Popen[str] | None = None
        self.sent = 0
        self.errors: list[str] = []

    def __enter__(self) -> FaultCameras:
        with self._log.open("a") as err:
            self._process = subprocess.Popen([sys.executable, "-m", "benchmarks.fault_cameras", "--config",
                                              str(self._config)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                             stderr=err, text=True, bufsize=1)
        assert self._process.stdout is not None
        deadline = time.monotonic() + READY_TIMEOUT_S
        for line in self._process.stdout:
            if line.startswith(READY_LINE):
                threading.Thread(target=self._answers, args=(self._process.stdout,), daemon=True).start()
                return self
            if time.monotonic() > deadline:
                break
        self.__exit__()
        raise RuntimeError(f"the soak's cameras did not start (see {self._log})")

    def _answers(self, stdout: IO[str]) -> None:
        for line in stdout:
            if line.startswith("error"):
                self.errors.append(line.strip())

    def send(self, fault: str) -> None:
        assert self._process is not None and self._process.stdin is not None
        self._process.stdin.write(fault + "\n")
        self._process.stdin.flush()
        self.sent += 1

    def __exit__(self, *_: object) -> None:
        if self._process is None:
            return
        if self._process.stdin is not None:
            self._process.stdin.close()
        try:
            self._process.wait(15)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(5)
        self._process = None


if __name__ == "__main__":
    sys.exit(main())
