"""The province window's reader: one thread with its own read-only connection to the province store, running the
window's reads in order. A read waiting under a key ("overview", "details") is replaced by a newer one of the
same key, so a window that asks every second never queues up behind a slow disk. Answers go to the caller's
callback on this thread (the UI forwards them as a queued signal). No Qt here."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from console.province.queries import ProvinceQueries

log = logging.getLogger(__name__)

STOP_TIMEOUT_S = 5.0
Job = Callable[[ProvinceQueries], Any]
Done = Callable[[object], None]  # the job's result, or the exception it raised


@dataclass(frozen=True)
class _Asked:
    job: Job
    done: Done


class StoreReader:
    def __init__(self, open_queries: Callable[[], ProvinceQueries], name: str = "province-reader") -> None:
        self._open = open_queries
        self._waiting: OrderedDict[str, _Asked] = OrderedDict()
        self._lock = threading.Condition()
        self._closed = False
        self._busy = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, key: str, job: Job, done: Done) -> None:
        """Run `job(queries)` on the reader's thread, then `done(result or exception)` there."""
        with self._lock:
            if self._closed:
                return
            self._waiting.pop(key, None)
            self._waiting[key] = _Asked(job, done)
            self._lock.notify()

    def idle(self) -> bool:
        """Nothing waiting and nothing running (tests)."""
        with self._lock:
            return not self._waiting and not self._busy

    def close(self, timeout_s: float = STOP_TIMEOUT_S) -> None:
        """Drop what waits, let the running read finish (each is one short query), close the connection."""
        with self._lock:
            self._closed = True
            self._waiting.clear()
            self._lock.notify()
        self._thread.join(timeout_s)
        if self._thread.is_alive():
            log.error("province: the store reader did not stop within %.1f s", timeout_s)

    def _next(self) -> _Asked | None:
        with self._lock:
            while not self._waiting and not self._closed:
                self._lock.wait()
            if self._closed:
                return None
            self._busy = True
            return self._waiting.popitem(last=False)[1]

    def _run(self) -> None:
        queries: ProvinceQueries | None = None
        try:
            while (asked := self._next()) is not None:
                outcome: object
                try:
                    if queries is None:  # opened here, lazily: a store not there yet is tried again next time
                        queries = self._open()
                    outcome = asked.job(queries)
                except Exception as exc:  # the window says so; the trace goes to the log
                    log.exception("province: a read of the store failed")
                    outcome = exc
                try:
                    asked.done(outcome)
                except Exception:
                    log.exception("province: a reader's answer could not be handed over")
                finally:
                    with self._lock:
                        self._busy = False
        finally:
            if queries is not None:
                queries.close()
