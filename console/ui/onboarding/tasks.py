"""Coroutines for the wizard run on the ONVIF network loop; their results come back to the GUI thread by a
queued signal, so no network wait, SOAP parsing or file write ever runs on the GUI thread."""

from __future__ import annotations

import concurrent.futures
import itertools
import logging
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from console.onvif.network_loop import NetworkLoop

log = logging.getLogger(__name__)

T = TypeVar("T")


class NetworkTasks(QObject):
    """Submits coroutines to a `NetworkLoop` and calls `done(result)` or `failed(error)` on the GUI thread."""

    _finished = Signal(int, object, object)  # token, result, exception (queued: emitted on the loop's thread)
    busy_changed = Signal(bool)

    def __init__(self, loop: NetworkLoop | None, parent: QObject | None = None) -> None:
        """`loop`: the console's network loop; None: one of its own, stopped when the tasks are closed."""
        super().__init__(parent)
        self._owned = loop is None
        self._loop = loop or NetworkLoop("onboarding-network").start()
        self._tokens = itertools.count(1)
        self._pending: dict[int, tuple[Callable[[Any], None], Callable[[BaseException], None]]] = {}
        self._futures: dict[int, concurrent.futures.Future[Any]] = {}
        self._closed = threading.Event()
        self._finished.connect(self._deliver)

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def run(self, work: Coroutine[Any, Any, T], done: Callable[[T], None],
            failed: Callable[[BaseException], None]) -> None:
        token = next(self._tokens)
        was_busy = self.busy
        self._pending[token] = (done, failed)
        if not was_busy:
            self.busy_changed.emit(True)
        future = self._loop.submit(work)
        self._futures[token] = future
        future.add_done_callback(lambda f: self._report(token, f))

    def _report(self, token: int, future: concurrent.futures.Future[Any]) -> None:
        """On the loop's thread: hand the outcome over (nothing once the dialog is gone)."""
        if self._closed.is_set() or future.cancelled():
            return
        error = future.exception()
        try:
            self._finished.emit(token, None if error else future.result(), error)
        except RuntimeError:  # the dialog was deleted between the check and the emit
            log.debug("a wizard task finished after its dialog closed")

    def _deliver(self, token: int, result: object, error: object) -> None:
        callbacks = self._pending.pop(token, None)
        self._futures.pop(token, None)
        if callbacks is not None:
            done, failed = callbacks
            if isinstance(error, BaseException):
                failed(error)
            else:
                done(result)
        if not self.busy:
            self.busy_changed.emit(False)

    def close(self) -> None:
        """Forget every task: cancel what has not finished, deliver nothing more."""
        self._closed.set()
        for future in self._futures.values():
            future.cancel()
        self._futures.clear()
        self._pending.clear()
        if self._owned:  # its shutdown joins a thread: never on the GUI thread
            threading.Thread(target=self._loop.stop, name="onboarding-network-stop", daemon=True).start()
            self._owned = False
