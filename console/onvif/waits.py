"""The two waits the ONVIF watchers share: until woken or a time has passed, and a background task ended."""

from __future__ import annotations

import asyncio
import contextlib


async def woken_or_after(event: asyncio.Event, timeout_s: float | None) -> bool:
    """Clear `event`, then wait until it is set again (True) or `timeout_s` passed (False; None: no limit)."""
    event.clear()
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(timeout_s):
            await event.wait()
            return True
    return False


async def cancelled(task: asyncio.Task[None] | None) -> None:
    """Cancel `task` (if any) and wait until it has ended."""
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
