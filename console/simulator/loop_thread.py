"""What the simulator's servers (the cameras', the recorders') share: an asyncio loop on a daemon thread of its
own, an encoder pool beside it, a bounded start (`_start`) and a bounded stop (`_stop`) run on that loop, and
`_call` to run a coroutine there from any thread."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

log = logging.getLogger(__name__)

_T = TypeVar("_T")
STOP_TIMEOUT_S = 10.0


class LoopThread:
    def __init__(self, name: str, encoders: str) -> None:
        self._name = name
        self._loop = asyncio.new_event_loop()
        self._thread: threading.Thread | None = None
        self._executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix=encoders)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop.run_forever, name=self._name, daemon=True)
        self._thread.start()
        try:
            self._call(self._start(), self._start_timeout_s())
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        if self._thread is None:
            return
        if self._loop.is_running():
            try:
                self._call(self._stop(), STOP_TIMEOUT_S)
            except Exception:
                log.exception("%s: error while stopping", self._name)
            self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=STOP_TIMEOUT_S)
        self._thread = None
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _call(self, coro: Coroutine[Any, Any, _T], timeout: float) -> _T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    def _start_timeout_s(self) -> float:
        return 15.0

    async def _start(self) -> None:
        raise NotImplementedError

    async def _stop(self) -> None:
        raise NotImplementedError
