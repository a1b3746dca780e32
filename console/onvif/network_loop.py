"""The one network loop thread the ONVIF controllers (PTZ, events, clocks) live on, away from the GUI thread.

zeep's SOAP parsing of 25 cameras' event pulls is chatty Python work; on its own thread it never takes the
GUI thread's time (ARCHITECTURE.md, "Where things run"). Callers hand it coroutines and get
`concurrent.futures.Future`s; results reach the GUI through the controllers' plain callbacks, which the UI
forwards by its own typed hand-off. On `stop`, the shutdown hooks run first (stop every PTZ move), then every
task left is cancelled and awaited, so each one's `finally` runs on a live loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

log = logging.getLogger(__name__)

_T = TypeVar("_T")
SHUTDOWN_TIMEOUT_S = 5.0


class NetworkLoop:
    def __init__(self, name: str = "onvif-network") -> None:
        self._name = name
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._hooks: list[Callable[[], Awaitable[Any]]] = []

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            raise RuntimeError("the network loop is not running")
        return self._loop

    def start(self) -> NetworkLoop:
        if self._thread is not None:
            return self
        self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
        self._thread.start()
        self._ready.wait()
        return self

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        loop.set_exception_handler(_log_exception)
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.close()

    def submit(self, coro: Coroutine[Any, Any, _T]) -> concurrent.futures.Future[_T]:
        """Run `coro` on the loop (from any thread)."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def call_soon(self, callback: Callable[..., Any], *args: Any) -> None:
        self.loop.call_soon_threadsafe(callback, *args)

    def on_shutdown(self, hook: Callable[[], Awaitable[Any]]) -> None:
        """Run `hook` first thing on `stop` (e.g. stop every PTZ camera)."""
        self._hooks.append(hook)

    def stop(self, timeout_s: float = SHUTDOWN_TIMEOUT_S) -> None:
        if self._thread is None or self._loop is None:
            return
        try:
            self.submit(self._shutdown(timeout_s)).result(timeout_s + 1)
        except Exception:
            log.exception("the network loop did not shut down cleanly")
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout_s)
        self._thread = None
        self._loop = None

    async def _shutdown(self, timeout_s: float) -> None:
        for hook in self._hooks:
            try:
                async with asyncio.timeout(timeout_s):
                    await hook()
            except Exception:
                log.exception("a network loop shutdown hook failed")
        current = asyncio.current_task()
        tasks = [t for t in asyncio.all_tasks() if t is not current]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=timeout_s)


def _log_exception(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    error = context.get("exception")
    log.error("network loop: %s", context.get("message", "unhandled error"),
              exc_info=(type(error), error, error.__traceback__) if isinstance(error, BaseException) else None)
