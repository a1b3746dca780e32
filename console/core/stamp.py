"""Capture timestamps drawn into frames as black/white blocks, and read back from any scaled picture.

Layout: one strip across the full width, `STAMP_TOP`..`STAMP_TOP + STAMP_HEIGHT` of the picture height,
`BLOCKS` equal blocks: a 1,0 start marker, 42 bits of wall-clock milliseconds (mod 2**42, ~139 years),
4 bits of checksum (sum of the 42 bits' nibbles, mod 16). A block is white for 1, black for 0. Blocks are
wide enough (13 px at 640) to survive H.264 and scaling down to a 256-px tile.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

BLOCKS = 48
DATA_BITS = 42
CHECK_BITS = 4
STAMP_TOP = 0.86
STAMP_HEIGHT = 0.06
WHITE, BLACK = 235, 16
_MARKER = (1, 0)
_MOD = 1 << DATA_BITS


def _checksum(value: int) -> int:
    total = 0
    while value:
        total += value & 0xF
        value >>= 4
    return total & 0xF


def stamp_bits(ms: int) -> list[int]:
    """The 48 block values for a millisecond timestamp."""
    value = ms % _MOD
    data = [(value >> (DATA_BITS - 1 - i)) & 1 for i in range(DATA_BITS)]
    check = _checksum(value)
    return [*_MARKER, *data, *[(check >> (CHECK_BITS - 1 - i)) & 1 for i in range(CHECK_BITS)]]


def strip_rows(height: int) -> tuple[int, int]:
    top = round(height * STAMP_TOP)
    return top, max(top + 1, round(height * (STAMP_TOP + STAMP_HEIGHT)))


def draw_stamp(luma: npt.NDArray[np.uint8], ms: int) -> None:
    """Write the stamp into a luma plane (height × width) in place."""
    height, width = luma.shape
    top, bottom = strip_rows(height)
    for index, bit in enumerate(stamp_bits(ms)):
        left, right = index * width // BLOCKS, (index + 1) * width // BLOCKS
        luma[top:bottom, left:right] = WHITE if bit else BLACK


def read_stamp(luma: npt.NDArray[np.uint8], reference_ms: int | None = None) -> int | None:
    """Decode a stamp from a luma/gray picture of any size; None when absent or damaged.

    With `reference_ms` (a clock near the stamp's time) the 42-bit value is unwrapped to full epoch ms.
    """
    height, width = luma.shape[:2]
    if width < BLOCKS * 3 or height < 20:
        return None
    top, bottom = strip_rows(height)
    band = luma[top + (bottom - top) // 4: bottom - (bottom - top) // 4 or top + 1].astype(np.float32)
    if band.size == 0:
        return None
    bits: list[int] = []
    for index in range(BLOCKS):
        left, right = index * width / BLOCKS, (index + 1) * width / BLOCKS
        inner_left, inner_right = int(left + (right - left) * 0.3), int(right - (right - left) * 0.3)
        value = float(band[:, inner_left:max(inner_right, inner_left + 1)].mean())
        if 90 < value < 160:  # neither black nor white: not a stamp (or a blended frame)
            return None
        bits.append(1 if value >= 128 else 0)
    if tuple(bits[:2]) != _MARKER:
        return None
    value = 0
    for bit in bits[2:2 + DATA_BITS]:
        value = (value << 1) | bit
    check = 0
    for bit in bits[2 + DATA_BITS:]:
        check = (check << 1) | bit
    if check != _checksum(value):
        return None
    if reference_ms is None:
        return value
    base = reference_ms - (reference_ms % _MOD)
    candidates = (base - _MOD + value, base + value, base + _MOD + value)
    return min(candidates, key=lambda c: abs(c - reference_ms))
