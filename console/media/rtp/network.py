"""The one network thread of the RTP path: an asyncio loop that serves every camera's session.

With a loop per camera (25 threads each running Python for every RTP packet) the GUI thread waited for the
GIL behind them: the longest GUI-thread block of the 25-tile wall was about twice the FFmpeg path's (median
85 ms against 44 ms a second, one run). One loop thread runs all sessions' Python per packet and hands each
access unit to the camera's hand-off lane (`handoff.py`), where its sinks decode in parallel (on the loop thread
itself 25 H.265 streams did not keep up: p50 195 ms and 10.5 fps). Nothing on this loop may block.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from concurrent.futures import Future
from typing import Any, TypeVar

T = TypeVar("T")

_lock = threading.Lock()
_loop: asyncio.AbstractEventLoop | None = None


def network_loop() -> asyncio.AbstractEventLoop:
    """The shared loop, started on first use in a daemon thread (it lives as long as the process)."""
    global _loop  # noqa: PLW0603
    with _lock:
        if _loop is None:
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="rtp-network", daemon=True).start()
            _loop = loop
        return _loop


def submit(coroutine: Coroutine[Any, Any, T]) -> Future[T]:
    """Run `coroutine` on the network loop; its result (or exception) in the returned future."""
    return asyncio.run_coroutine_threadsafe(coroutine, network_loop())
