"""Polling with a deadline, for things that happen on other threads or in other processes."""

from __future__ import annotations

import time
from collections.abc import Callable


def wait_until(predicate: Callable[[], object], timeout_s: float, poll_s: float = 0.05,
               pump: Callable[[], None] | None = None) -> float:
    """Seconds it took for `predicate` to hold; AssertionError after `timeout_s`."""
    started = time.monotonic()
    while True:
        if pump is not None:
            pump()
        if predicate():
            return time.monotonic() - started
        if time.monotonic() - started > timeout_s:
            raise AssertionError(f"condition not met within {timeout_s} s")
        time.sleep(poll_s)
