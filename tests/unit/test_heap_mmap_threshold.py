"""Big blocks stay mapped on their own once the console has pinned glibc's mmap threshold: after the first decoder
closed, glibc raised the threshold to that decoder's buffer sizes and served every later picture from the arenas,
whose holes the soak's RSS kept (console/media/heap.py)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# A child process: optionally pin the threshold, then free a 4 MB block (a closed decoder's pictures, mapped on its
# own) and allocate a 1 MB one (the next session's picture); print how much more glibc then holds in
# mappings of their own.
CHILD = textwrap.dedent("""
    import ctypes, sys
    from benchmarks.procstat import malloc_mb
    from console.media import heap
    pinned = heap.fix_mmap_threshold() if sys.argv[1] == "pin" else None
    libc = ctypes.CDLL(None)
    libc.malloc.restype = ctypes.c_void_p
    libc.malloc.argtypes = [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    libc.free(libc.malloc(4 << 20))
    before = malloc_mb()["mmapped"]
    picture = libc.malloc(1 << 20)
    print(pinned, round(malloc_mb()["mmapped"] - before, 1))
    libc.free(picture)
""")


def mapped_after_churn(mode: str) -> tuple[str, float]:
    done = subprocess.run([sys.executable, "-c", CHILD, mode], capture_output=True, text=True, timeout=60,
                          check=True, cwd=ROOT)
    pinned, mapped = done.stdout.split()
    return pinned, float(mapped)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the mmap threshold is glibc's")
def test_a_picture_allocated_after_a_bigger_one_was_freed_is_still_mapped_on_its_own() -> None:
    _, dynamic = mapped_after_churn("default")
    assert dynamic == 0.0  # glibc's raised threshold put the 1 MB picture in the arena (the soak's growth)
    assert mapped_after_churn("pin") == ("True", pytest.approx(1.05, abs=0.1))  # 1 MiB and its header page
