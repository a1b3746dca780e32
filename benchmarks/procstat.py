"""CPU time and peak memory of a process, from /proc (Linux)."""

from __future__ import annotations

import ctypes
import os
import time
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def _status_mb(pid: int) -> dict[str, float]:
    """The process's memory lines of /proc/<pid>/status (those given in kB: VmRSS, VmHWM, RssAnon…), in MB."""
    figures = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if value.endswith(" kB"):
            figures[key] = int(value.split()[0]) / 1024
    return figures


def peak_rss_mb(pid: int) -> float:
    return _status_mb(pid).get("VmHWM", 0.0)


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


def rss_mb(pid: int) -> float:
    """Resident memory now (VmRSS), in MB."""
    return _status_mb(pid).get("VmRSS", 0.0)


def open_fds(pid: int) -> list[str]:
    """What each open file descriptor points at (a path, `socket:[…]`, `pipe:[…]`, `anon_inode:…`)."""
    targets = []
    for entry in Path(f"/proc/{pid}/fd").iterdir():
        try:
            targets.append(os.readlink(entry))
        except OSError:  # closed between the listing and the read
            continue
    return targets


def thread_count(pid: int) -> int:
    return sum(1 for _ in Path(f"/proc/{pid}/task").iterdir())


def sqlite_connections(pid: int) -> int:
    """Open SQLite connections: each holds its database file open (its -wal and -shm files are not counted)."""
    return sum(1 for target in open_fds(pid) if target.endswith(".db"))


def thread_names(pid: int) -> dict[str, int]:
    """How many threads carry each name (Python's names are cut to 15 characters by the kernel)."""
    names: dict[str, int] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
        except OSError:  # ended between the listing and the read
            continue
        names[name] = names.get(name, 0) + 1
    return dict(sorted(names.items()))


def rss_parts_mb(pid: int) -> dict[str, float]:
    """Resident memory by kind (RssAnon: heaps and anonymous maps, RssFile: mapped files and libraries,
    RssShmem: shared memory such as X pixmaps), in MB."""
    figures = _status_mb(pid)
    return {key.removeprefix("Rss").lower(): round(figures[key], 1) for key in ("RssAnon", "RssFile", "RssShmem")
            if key in figures}


class _Mallinfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
                 "keepcost")]


def malloc_mb() -> dict[str, float]:
    """This process's glibc heap (all arenas): in use, free inside the heap (fragments malloc keeps), and
    mmapped blocks, in MB; empty where glibc's mallinfo2 is missing."""
    try:
        mallinfo2 = ctypes.CDLL(None).mallinfo2
    except (OSError, AttributeError):
        return {}
    mallinfo2.restype = _Mallinfo2
    info = mallinfo2()
    return {"in_use": round(info.uordblks / 1e6, 1), "free": round(info.fordblks / 1e6, 1),
            "mmapped": round(info.hblkhd / 1e6, 1)}
