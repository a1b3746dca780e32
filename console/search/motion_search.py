"""Motion search (Nx's smart search): the moments a region of one camera's picture moved within a period.

SQL bounds the rows by camera and time (one range of the grids' key); each row's 18-byte grid is tested against
the region's bitmask in Python (`int.from_bytes(...) & mask`, ~0.3 µs a row), and the pictures that moved there
are merged into moments wherever less than a gap lies between them.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from console.core.motion import GRID_CELLS, GRID_COLUMNS, GRID_ROWS, grid_from_bytes
from console.core.vntime import vn_moment
from console.store.motion_grid import grid_rows

MERGE_GAP_MS = 2_000  # one still picture between two moving ones (1 picture/s) does not split a moment
HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS


@dataclass(frozen=True)
class Region:
    """Cells of the 16×9 grid (index `row * 16 + column`); empty finds nothing."""

    cells: frozenset[int]

    def __post_init__(self) -> None:
        if any(not 0 <= c < GRID_CELLS for c in self.cells):
            raise ValueError(f"cells outside the {GRID_COLUMNS}×{GRID_ROWS} grid: {sorted(self.cells)}")

    @classmethod
    def from_rect(cls, left: float, top: float, right: float, bottom: float) -> Region:
        """Every cell a rectangle (shares 0..1 of the picture, any corner order) overlaps; a rectangle too thin
        to overlap any takes the cell it lies in."""
        x0, x1 = sorted((min(1.0, max(0.0, left)), min(1.0, max(0.0, right))))
        y0, y1 = sorted((min(1.0, max(0.0, top)), min(1.0, max(0.0, bottom))))
        c0, c1 = _span(x0, x1, GRID_COLUMNS)
        r0, r1 = _span(y0, y1, GRID_ROWS)
        return cls(frozenset(r * GRID_COLUMNS + c for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)))

    @property
    def mask(self) -> int:
        return sum(1 << cell for cell in self.cells)


def _span(low: float, high: float, count: int) -> tuple[int, int]:
    first = min(count - 1, math.floor(low * count))
    return first, max(first, min(count, math.ceil(high * count)) - 1)


@dataclass(frozen=True)
class Moment:
    """A run of pictures that moved in the region: from the first one's time to the last one's."""

    start_ms: int
    end_ms: int
    pictures: int

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms


@dataclass(frozen=True)
class MotionQuery:
    camera_id: str
    from_ms: int
    to_ms: int
    region: Region


class Period(Enum):
    """What the officer searches, around the moment shown (Vietnam time)."""

    HOUR = "hour"  # the clock hour
    DAY = "day"  # the calendar day
    WEEK = "week"  # the seven days ending with that day

    def bounds(self, at_ms: int) -> tuple[int, int]:
        moment = vn_moment(at_ms)
        if self is Period.HOUR:
            start = int(moment.replace(minute=0, second=0, microsecond=0).timestamp() * 1000)
            return start, start + HOUR_MS
        midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
        end = int(midnight.timestamp() * 1000) + DAY_MS
        return end - (DAY_MS if self is Period.DAY else 7 * DAY_MS), end


def merge(times: Iterable[int], gap_ms: int = MERGE_GAP_MS) -> list[Moment]:
    """Times in order into moments: a new moment starts when more than `gap_ms` passed since the last time."""
    moments: list[Moment] = []
    start = last = -1
    count = 0
    for at in times:
        if count and at - last > gap_ms:
            moments.append(Moment(start, last, count))
            count = 0
        if not count:
            start = at
        last, count = at, count + 1
    if count:
        moments.append(Moment(start, last, count))
    return moments


def search_motion(conn: sqlite3.Connection, query: MotionQuery, gap_ms: int = MERGE_GAP_MS) -> list[Moment]:
    """Every moment of the period with motion in the region, oldest first."""
    mask = query.region.mask
    if not mask:
        return []
    rows = grid_rows(conn, query.camera_id, query.from_ms, query.to_ms)
    return merge((at for at, cells in rows if grid_from_bytes(cells) & mask), gap_ms)
