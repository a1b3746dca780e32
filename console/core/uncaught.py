"""Exceptions nobody caught: logged (redacted), and raised to the officer as a system alert.

A worker thread that dies silently stops detection, recording or the alert log without a word; the hooks make
every such death loud. The alert is raised at most once per (thread, exception type) in `QUIET_S`, so a loop
that fails on every item does not flood the list.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
import traceback
from collections.abc import Callable
from types import TracebackType

from console.core.alerts import AlertEvent, AlertKind
from console.core.redact import redact

log = logging.getLogger("uncaught")

QUIET_S = 600.0
Report = Callable[[str], None]  # told a one-line, redacted description ("thread: Type: message")


class UncaughtHooks:
    def __init__(self, report: Report, clock: Callable[[], float] = time.monotonic) -> None:
        self._report = report
        self._clock = clock
        self._lock = threading.Lock()
        self._last: dict[tuple[str, str], float] = {}
        self._previous: tuple[object, object] | None = None

    def install(self) -> None:
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self._main
        threading.excepthook = self._thread

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous  # type: ignore[assignment]
            self._previous = None

    def _main(self, kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        self.handle("MainThread", kind, value, tb)

    def _thread(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else "?"
        self.handle(name, args.exc_type, args.exc_value, args.exc_traceback)

    def handle(self, where: str, kind: type[BaseException], value: BaseException | None,
               tb: TracebackType | None) -> None:
        # The trace redacted here, not by the log's handlers: any handler (a test's, a future one) gets it clean.
        trace = "".join(traceback.format_exception(kind, value or kind(), tb))
        log.critical("uncaught exception in %s\n%s", where, redact(trace))
        key = (where, kind.__name__)
        now = self._clock()
        with self._lock:
            last = self._last.get(key)
            if last is not None and now - last < QUIET_S:
                return
            self._last[key] = now
        try:
            self._report(redact(f"{where}: {kind.__name__}: {value}"))
        except Exception:  # the report itself must never raise from inside a hook
            log.exception("the system alert for an uncaught exception could not be raised")


def alert_reporter(submit: Callable[[AlertEvent], None], next_id: Callable[[], int],
                   clock_ms: Callable[[], int]) -> Report:
    """A Report that puts "Lỗi hệ thống" in the alarm list: one alert (started and ended at once), the
    description as its note."""
    def report(text: str) -> None:
        alert_id, now = next_id(), clock_ms()
        submit(AlertEvent(alert_id, None, None, AlertKind.SYSTEM_ERROR, now, 1.0, "start", note=text))
        submit(AlertEvent(alert_id, None, None, AlertKind.SYSTEM_ERROR, now, 1.0, "end"))
    return report
