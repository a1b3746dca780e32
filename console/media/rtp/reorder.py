"""RTP packets back in sequence order before the depacketizer (UDP may swap packets on a busy link).

A packet that comes in order passes at once: nothing waits on a healthy link or on TCP, where order is kept.
A packet ahead of the next expected one is held until the missing one comes; when `depth` packets are held the
hole is taken as a loss and what is held goes on in order (the depacketizer then counts the gap). A packet
behind what was already passed on (a late or duplicated one) is dropped. Sequence numbers wrap at 2^16.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

SEQ = 1 << 16
DEFAULT_DEPTH = 8  # packets held for a hole: a few packets of one picture, at most a frame's delay


@dataclass
class ReorderStats:
    reordered: int = 0  # packets that came ahead of a hole and were put back in order
    late: int = 0  # packets that came after their place was given up (dropped)
    given_up: int = 0  # holes taken as losses


class Reorder(Generic[T]):
    def __init__(self, depth: int = DEFAULT_DEPTH) -> None:
        self.depth = depth
        self.stats = ReorderStats()
        self._expected: int | None = None
        self._held: dict[int, T] = {}

    def reset(self) -> None:
        """A new sender (SSRC): its numbering starts anywhere."""
        self._expected = None
        self._held.clear()

    def push(self, seq: int, item: T) -> list[T]:
        """`item` numbered `seq` in; what can go on now, in sequence order."""
        expected = seq if self._expected is None else self._expected
        self._expected = expected
        ahead = (seq - expected) % SEQ
        if ahead >= SEQ // 2:  # behind the next expected one: its place was given up, or it came twice
            self.stats.late += 1
            return []
        if ahead > 0:
            if seq not in self._held:
                self._held[seq] = item
            if len(self._held) < self.depth:
                return []
            self.stats.given_up += 1
            self._expected = min(self._held, key=lambda held: (held - expected) % SEQ)
            return self._release()
        out = [item]
        self._expected = (seq + 1) % SEQ
        if self._held:
            self.stats.reordered += 1
            out += self._release()
        return out

    def _release(self) -> list[T]:
        """What is held from the next expected number on, while the numbers follow each other."""
        out: list[T] = []
        while self._expected in self._held:
            out.append(self._held.pop(self._expected))
            self._expected = (self._expected + 1) % SEQ
        return out
