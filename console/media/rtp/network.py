"""The one network thread of the RTP path: an asyncio loop that serves every camera's session.

With a loop per camera (25 threads each running Python for every RTP packet) the GUI thread waited for the
GIL behind them: the longest GUI-thread block of the 25-tile wall was about twice the FFmpeg path's (median
85 ms against 44 ms a second, one run). One loop thread runs all sessions' Python; each ingest's own thread
only waits for its session's result, and the display decoders it feeds release the GIL while they decode.
Nothing on this loop may block: sinks take a packet and return (decoding a picture, a queue put).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
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


def run_on_network(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run `coroutine` on the network loop and wait for its result in the calling thread (an ingest's)."""
    return asyncio.run_coroutine_threadsafe(coroutine, network_loop()).result()
