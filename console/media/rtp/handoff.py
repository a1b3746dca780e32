"""From the network loop to the sinks: a few hand-off threads (one per core) that feed every RTP camera's sinks.

The network loop must not decode: on its one thread 25 H.265 streams did not keep up (p50 195 ms, 10.5 fps).
A thread per camera decodes in parallel but brings back the GIL hand-offs of 25 busy threads (the longest
GUI-thread block went from 9 to 44 ms, 25 H.264 tiles). So each camera is given one of `os.cpu_count()`
hand-off threads: its packets stay in order (one thread per camera), the decoders of different cameras run on
different cores (PyAV releases the GIL while decoding), and the threads the GUI competes with stay few.
"""

from __future__ import annotations

import itertools
import logging
import os
import queue
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

Job = Callable[[], None]

_lock = threading.Lock()
_lanes: list[queue.SimpleQueue[Job]] = []
_next = itertools.count()


def _serve(jobs: queue.SimpleQueue[Job]) -> None:
    while True:
        job = jobs.get()
        try:
            job()
        except Exception:  # a sink's failure is the sink's (StreamIngest._call isolates them): never the lane's
            log.exception("rtp hand-off: a job failed")


def lane() -> queue.SimpleQueue[Job]:
    """A hand-off lane for one camera (jobs run in order, on one thread); lanes are shared round-robin."""
    with _lock:
        if not _lanes:
            for number in range(max(1, os.cpu_count() or 1)):
                jobs: queue.SimpleQueue[Job] = queue.SimpleQueue()
                threading.Thread(target=_serve, args=(jobs,), name=f"rtp-handoff-{number}", daemon=True).start()
                _lanes.append(jobs)
        return _lanes[next(_next) % len(_lanes)]


def drain(jobs: queue.SimpleQueue[Job], timeout_s: float) -> bool:
    """Wait until every job put on `jobs` before this call has run; False if that took over `timeout_s`."""
    done = threading.Event()
    jobs.put(done.set)
    return done.wait(timeout_s)
