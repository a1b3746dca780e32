"""Wall layouts (split screens), pages of camera slots, and which stream a tile should pull."""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from console.core.config import StreamKind

MAIN_STREAM_MIN_HEIGHT_PX = 240
MAIN_STREAM_MAX_TILES = 16


@dataclass(frozen=True)
class Cell:
    row: int
    col: int
    rows: int = 1
    cols: int = 1


@dataclass(frozen=True)
class Layout:
    key: str
    grid: int  # the layout is a grid × grid board; cells may span several squares
    cells: tuple[Cell, ...]

    @property
    def size(self) -> int:
        return len(self.cells)


def _square(n: int) -> tuple[Cell, ...]:
    return tuple(Cell(r, c) for r in range(n) for c in range(n))


def _big_plus_ring(grid: int) -> tuple[Cell, ...]:
    """One big cell of (grid-1)² in the top-left, small cells along the right side and the bottom."""
    big = grid - 1
    right = [Cell(r, big) for r in range(big)]
    bottom = [Cell(big, c) for c in range(grid)]
    return (Cell(0, 0, big, big), *right, *bottom)


LAYOUTS: dict[str, Layout] = {
    "1": Layout("1", 1, _square(1)),
    "2x2": Layout("2x2", 2, _square(2)),
    "3x3": Layout("3x3", 3, _square(3)),
    "4x4": Layout("4x4", 4, _square(4)),
    "5x5": Layout("5x5", 5, _square(5)),
    "1+5": Layout("1+5", 3, _big_plus_ring(3)),
    "1+7": Layout("1+7", 4, _big_plus_ring(4)),
}
DEFAULT_LAYOUT = "5x5"


def layout_for(cameras: int) -> Layout:
    """The smallest square layout that shows `cameras` tiles on one page (5×5 at most)."""
    for key in ("1", "2x2", "3x3", "4x4", "5x5"):
        if LAYOUTS[key].size >= cameras:
            return LAYOUTS[key]
    return LAYOUTS["5x5"]


def choose_stream(tile_height_px: int, tiles: int, maximized: bool, has_sub: bool = True) -> StreamKind:
    """Sub stream for small tiles; main when maximized or tall enough on a layout of ≤ 16 tiles."""
    if not has_sub or maximized:
        return StreamKind.MAIN
    if tiles <= MAIN_STREAM_MAX_TILES and tile_height_px > MAIN_STREAM_MIN_HEIGHT_PX:
        return StreamKind.MAIN
    return StreamKind.SUB


@dataclass(frozen=True)
class WallState:
    """What the wall shows: a layout, camera ids in slots (page after page), the current page."""

    layout: str = DEFAULT_LAYOUT
    slots: tuple[str | None, ...] = field(default_factory=tuple)
    page: int = 0

    @property
    def per_page(self) -> int:
        return LAYOUTS[self.layout].size

    @property
    def pages(self) -> int:
        used = max((i + 1 for i, cam in enumerate(self.slots) if cam is not None), default=0)
        return max(1, math.ceil(used / self.per_page))

    def page_slots(self, page: int | None = None) -> tuple[str | None, ...]:
        p = self.page if page is None else page
        start = p * self.per_page
        chunk = self.slots[start:start + self.per_page]
        return chunk + (None,) * (self.per_page - len(chunk))

    def slot_index(self, tile: int) -> int:
        return self.page * self.per_page + tile

    def _padded(self, length: int) -> list[str | None]:
        return list(self.slots) + [None] * max(0, length - len(self.slots))

    def assign(self, tile: int, camera_id: str | None) -> WallState:
        """Put a camera in a tile of the current page; if it was elsewhere on this page, the two swap."""
        index = self.slot_index(tile)
        slots = self._padded(index + 1)
        start = self.page * self.per_page
        previous = slots[index]
        for i in range(start, min(len(slots), start + self.per_page)):
            if camera_id is not None and slots[i] == camera_id and i != index:
                slots[i] = previous
        slots[index] = camera_id
        return replace(self, slots=_trim(slots))

    def swap(self, a: int, b: int) -> WallState:
        ia, ib = self.slot_index(a), self.slot_index(b)
        slots = self._padded(max(ia, ib) + 1)
        slots[ia], slots[ib] = slots[ib], slots[ia]
        return replace(self, slots=_trim(slots))

    def with_layout(self, key: str) -> WallState:
        """Change the split; the camera order is kept, the page is the one holding the first tile shown."""
        if key not in LAYOUTS:
            raise KeyError(key)
        first = self.slot_index(0)
        return replace(self, layout=key, page=first // LAYOUTS[key].size)

    def go(self, page: int) -> WallState:
        return replace(self, page=page % self.pages)

    def known_only(self, camera_ids: Collection[str]) -> WallState:
        """A stored wall against today's config: cameras no longer configured leave empty tiles."""
        slots = _trim([c if c in camera_ids else None for c in self.slots])
        return replace(self, slots=slots, page=0).go(self.page)


def _trim(slots: Sequence[str | None]) -> tuple[str | None, ...]:
    out = list(slots)
    while out and out[-1] is None:
        out.pop()
    return tuple(out)


def initial_state(camera_ids: Sequence[str]) -> WallState:
    return WallState(layout=layout_for(len(camera_ids)).key, slots=tuple(camera_ids), page=0)


class StreamPolicy(StrEnum):
    """Which stream tiles pull: automatic by tile size (like Nx Witness), or forced."""

    AUTO = "auto"
    MAIN = "main"
    SUB = "sub"


def pick_stream(policy: StreamPolicy, tile_height_px: int, tiles: int, maximized: bool,
                has_sub: bool = True) -> StreamKind:
    if policy is StreamPolicy.MAIN or not has_sub:
        return StreamKind.MAIN
    if policy is StreamPolicy.SUB:
        return StreamKind.SUB
    return choose_stream(tile_height_px, tiles, maximized, has_sub)
