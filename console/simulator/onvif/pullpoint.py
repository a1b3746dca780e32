"""A camera's PullPoint subscriptions: each with its own address, a bounded queue, a termination time, and the
long poll that waits for its next message.

Runs on the simulator's asyncio loop only (publishing and pulling both happen there). A subscription ends at
its termination time (PullMessages does not extend it: only Renew does, as on the strict cameras), on
Unsubscribe, or when the camera reboots and forgets them all; numbers keep counting across reboots, so an old
reference never reaches a new subscription.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from dataclasses import dataclass, field

from console.simulator.onvif.event_topics import Notification

MAX_PULL_POINTS = 16  # per camera; more at once are refused (expired ones make room)
MAX_QUEUED = 64  # per subscription: a client that stops pulling loses the oldest first
MAX_LIFETIME_S = 3600.0


@dataclass(eq=False)
class PullPoint:
    number: int
    path: str
    expires: float  # monotonic
    queue: deque[Notification] = field(default_factory=lambda: deque(maxlen=MAX_QUEUED))
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    closed: bool = False

    def alive(self, now: float | None = None) -> bool:
        return not self.closed and (time.monotonic() if now is None else now) < self.expires

    def remaining_s(self) -> float:
        return max(0.0, self.expires - time.monotonic())

    def push(self, notification: Notification) -> None:
        self.queue.append(notification)
        self.wake.set()

    def take(self, limit: int) -> list[Notification]:
        taken = [self.queue.popleft() for _ in range(min(limit, len(self.queue)))]
        if not self.queue:
            self.wake.clear()
        return taken

    async def wait(self, timeout_s: float) -> None:
        """Until a message is queued, the subscription ends, or `timeout_s` passes."""
        if self.queue or not self.alive():
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.wake.wait(), min(timeout_s, self.remaining_s()))

    def close(self) -> None:
        self.closed = True
        self.wake.set()


class PullPoints:
    """Every live subscription of one camera, by path."""

    def __init__(self, prefix: str) -> None:
        self._prefix = prefix
        self._by_path: dict[str, PullPoint] = {}
        self._next = 1
        self.created = 0

    def create(self, lifetime_s: float) -> PullPoint | None:
        """A new pull point (None: too many live ones)."""
        self._sweep()
        if len(self._by_path) >= MAX_PULL_POINTS:
            return None
        point = PullPoint(self._next, f"{self._prefix}{self._next}",
                          time.monotonic() + min(lifetime_s, MAX_LIFETIME_S))
        self._next += 1
        self.created += 1
        self._by_path[point.path] = point
        return point

    def get(self, path: str) -> PullPoint | None:
        point = self._by_path.get(path)
        if point is not None and not point.alive():
            self._by_path.pop(path, None)
            point.close()
            return None
        return point

    def remove(self, point: PullPoint) -> None:
        self._by_path.pop(point.path, None)
        point.close()

    def publish(self, notification: Notification) -> None:
        self._sweep()
        for point in self._by_path.values():
            point.push(notification)

    def drop_all(self) -> None:
        for point in self._by_path.values():
            point.close()
        self._by_path.clear()

    @property
    def live(self) -> int:
        self._sweep()
        return len(self._by_path)

    def _sweep(self) -> None:
        now = time.monotonic()
        for path, point in tuple(self._by_path.items()):
            if not point.alive(now):
                del self._by_path[path]
                point.close()
