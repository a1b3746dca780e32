"""Polling with a deadline, for things that happen on other threads or in other processes."""

from __future__ import annotations

import inspect
import threading
import time
from collections.abc import Callable


def _described(predicate: Callable[[], object]) -> str:
    """What a wait without `what` was for: the function's name, or a lambda's line of source."""
    name = getattr(predicate, "__qualname__", "")
    if name and "<lambda>" not in name:
        return name
    try:
        return " ".join(inspect.getsource(predicate).split())
    except (OSError, TypeError):
        return repr(predicate)


def wait_until(predicate: Callable[[], object], timeout_s: float, poll_s: float = 0.05,
               pump: Callable[[], None] | None = None, what: str = "") -> float:
    """Seconds it took for `predicate` to hold; AssertionError naming `what` was waited for after `timeout_s`."""
    started = time.monotonic()
    while True:
        if pump is not None:
            pump()
        if predicate():
            return time.monotonic() - started
        if time.monotonic() - started > timeout_s:
            raise AssertionError(f"waited {timeout_s} s for {what or _described(predicate)}: it never happened")
        time.sleep(poll_s)


def wait_event(event: threading.Event, timeout_s: float, what: str) -> None:
    """`event` set within `timeout_s`, else an AssertionError naming what it stands for."""
    if not event.wait(timeout_s):
        raise AssertionError(f"waited {timeout_s} s for {what}: it never happened")
