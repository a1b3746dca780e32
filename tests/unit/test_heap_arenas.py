"""Threads share two malloc arenas once the console has limited them (glibc): many media threads freeing and
allocating decoder pictures on as many arenas fragmented the soak's memory (console/media/heap.py)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

# A child process: optionally limit the arenas, then 8 threads alive at once each malloc 64 kB blocks (below
# glibc's mmap threshold, so from the thread's arena), then count the heaps glibc's malloc_info reports.
CHILD = textwrap.dedent("""
    import ctypes, re, sys, tempfile, threading
    from console.media import heap
    limited = heap.limit_arenas() if sys.argv[1] == "limit" else None
    libc = ctypes.CDLL(None)
    libc.malloc.restype = ctypes.c_void_p
    libc.malloc.argtypes = [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    libc.fopen.restype = ctypes.c_void_p
    libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
    libc.fclose.argtypes = [ctypes.c_void_p]
    barrier = threading.Barrier(8)
    def work():
        blocks = [libc.malloc(65536) for _ in range(32)]
        barrier.wait()
        for block in blocks:
            libc.free(block)
    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with tempfile.NamedTemporaryFile(suffix=".xml") as out:
        handle = libc.fopen(out.name.encode(), b"w")
        libc.malloc_info(0, handle)
        libc.fclose(handle)
        heaps = len(re.findall(r'<heap nr="', open(out.name).read()))
    print(limited, heaps)
""")


def heaps(mode: str) -> tuple[str, int]:
    done = subprocess.run([sys.executable, "-c", CHILD, mode], capture_output=True, text=True, timeout=60,
                          check=True)
    limited, count = done.stdout.split()
    return limited, int(count)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="malloc arenas are glibc's")
def test_limited_arenas_keep_eight_busy_threads_on_two_heaps() -> None:
    _, unlimited = heaps("default")
    assert unlimited > 2  # the same threads without the limit spread over more arenas (the soak's growth)
    assert heaps("limit") == ("True", 2)
