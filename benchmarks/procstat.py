"""CPU time and peak memory of a process, from /proc (Linux)."""

from __future__ import annotations

import os
import time
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


class CpuMeter:
    """Cores used by a process between `start()` and `cores()`."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self._cpu = 0.0
        self._t = 0.0

    def start(self) -> None:
        self._cpu, self._t = cpu_seconds(self.pid), time.monotonic()

    def cores(self) -> float:
        return (cpu_seconds(self.pid) - self._cpu) / max(1e-6, time.monotonic() - self._t)
