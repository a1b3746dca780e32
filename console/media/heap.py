"""Freed decoder memory handed back to the system after a stream session ends (glibc keeps it otherwise).

Every reconnect frees a stream's demuxer, decoders and their frame pools (an H.264 decoder's pictures alone are
megabytes) on one media thread and allocates new ones on another. glibc keeps what was freed in its per-thread
arenas, so the console's resident memory grew by ~1.6 MB per camera-server restart and was never given back,
although the live objects did not grow (benchmarks/memory_probe.py: +16.5 MB over 8 restarts of 25 cameras,
while `malloc_trim` brought the same process 90 MB lower). One `malloc_trim` shortly after a burst of closes
returns it; elsewhere (Windows, musl) this does nothing.

Trimming gives back free pages at the top and inside each arena, not the fragments left between live blocks.
glibc gives every thread that allocates its own arena (up to 8 per core): with ~36 media threads each freeing
a decoder's pictures on one arena and allocating the next session's on another, the soak's resident memory
still rose 409 → 618 MB in 30 minutes (165 MB/h, benchmarks/soak.py) while the Python objects and the
recorder's queue stayed flat; the same soak with two arenas grew 3.8 MB/h. `limit_arenas()` sets that before
the console starts its threads (glibc's `M_ARENA_MAX`, the `MALLOC_ARENA_MAX` environment variable's setting).

With two arenas the 30-minute soak still rose 397 → 549 MB (111 MB/h), and its heap samples showed where: glibc's
memory in use stayed 170–225 MB while its free-but-kept memory grew 37 → 425 MB and its mmapped blocks fell
17 → 2.3 MB within two minutes. glibc serves a block above its mmap threshold (128 kB) with a mapping of its
own, returned whole on free, but raises the threshold to the size of every such block freed (up to 32 MB): after
the first decoder closed, every picture buffer came from the arenas, and sessions of different sizes left holes
no trim can return. `fix_mmap_threshold()` pins the threshold (glibc's `M_MMAP_THRESHOLD`; setting it turns the
raising off), so pictures and packets above it are mapped and unmapped whole again. Two 25-minute soaks run side by
side (4 December 2026, a loaded box): glibc's free-but-kept memory 41 → 443 MB without it, 7 → 41 MB with it; RSS
slope 169 MB/h without, −3.6 MB/h with (a second pair: 34 MB/h at 128 kB, 102 MB/h at 1 MiB — the buffers that
fragment lie between the two: a sub stream's 640×360 BGRA picture is 900 kB). The cost is a mapping and fresh pages
per such buffer: 0.58 against 0.50 cores for the console in the same pair, and +13 % CPU decoding and converting
pictures alone (a 640×360 clip decoded to BGRA and copied, 3 runs each).
"""

from __future__ import annotations

import ctypes
import logging
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

M_ARENA_MAX = -8  # glibc's mallopt parameters
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_BYTES = 128 * 1024  # glibc's own starting value, kept: a sub stream's luma plane is above it
ARENAS = 2  # the main arena and one for every other thread: the soak's slope went 165 → 3.8 MB/h
RELEASE_AFTER_S = 2.0  # one release for a burst: 25 cameras losing their server close within ~1 s of each other


def _glibc(name: str, *argtypes: type[ctypes._SimpleCData[Any]]) -> Any | None:
    """A glibc function with its argument types, or None (not Linux, not glibc)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = getattr(ctypes.CDLL(None), name)
    except (OSError, AttributeError):  # not glibc
        return None
    function.argtypes = list(argtypes)
    function.restype = ctypes.c_int
    return function


def _malloc_trim() -> Callable[[], object] | None:
    trim = _glibc("malloc_trim", ctypes.c_size_t)
    return None if trim is None else lambda: trim(0)


def limit_arenas(arenas: int = ARENAS) -> bool:
    """Every thread started from now on shares `arenas` malloc arenas (glibc only; False elsewhere)."""
    mallopt = _glibc("mallopt", ctypes.c_int, ctypes.c_int)
    return mallopt is not None and bool(mallopt(M_ARENA_MAX, arenas))


def fix_mmap_threshold(threshold: int = MMAP_THRESHOLD_BYTES) -> bool:
    """Blocks of `threshold` bytes and more are mapped on their own from now on, whatever was freed before (glibc
    only; False elsewhere)."""
    mallopt = _glibc("mallopt", ctypes.c_int, ctypes.c_int)
    return mallopt is not None and bool(mallopt(M_MMAP_THRESHOLD, threshold))


class HeapRelease:
    """`freed()` after letting go of big buffers; the heap is trimmed once, `delay_s` after the first of a burst."""

    def __init__(self, delay_s: float = RELEASE_AFTER_S, trim: Callable[[], object] | None = None) -> None:
        self._delay_s = delay_s
        self._trim = trim
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self.releases = 0
        self.last_release_ms = 0.0

    def freed(self) -> None:
        if self._trim is None:
            return
        with self._lock:
            if self._timer is not None:  # the release already due covers this one too
                return
            self._timer = threading.Timer(self._delay_s, self._release)
            self._timer.name = "heap release"
            self._timer.daemon = True
            self._timer.start()

    def _release(self) -> None:
        with self._lock:
            self._timer = None
        assert self._trim is not None
        started = time.perf_counter()
        self._trim()
        self.last_release_ms = (time.perf_counter() - started) * 1000
        self.releases += 1
        log.debug("freed heap handed back in %.1f ms", self.last_release_ms)


HEAP = HeapRelease(trim=_malloc_trim())


def freed() -> None:
    """A stream's demuxer or decoder was let go: hand the memory back to the system soon."""
    HEAP.freed()
