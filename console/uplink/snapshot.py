"""An alert's JPEG, or a live picture the province asked for, made small enough for the uplink's size cap
(re-encoded smaller when it is not already).

Runs in an executor thread of the network loop: decoding and encoding a 1080p frame takes tens of ms.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image as PilImage

log = logging.getLogger(__name__)

WIDTHS = (640, 480, 320)
QUALITIES = (75, 60, 45)


@dataclass(frozen=True)
class LivePicture:
    """A live picture of a camera as the console decoded it: RGB rows (3 bytes a pixel, no padding)."""

    camera: str
    rgb: bytes
    width: int
    height: int
    taken_ms: int  # when it was decoded (epoch ms UTC)


def small_jpeg(path: Path, max_bytes: int) -> bytes | None:
    """The picture as JPEG of at most `max_bytes`; None when the file is gone or unreadable."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if len(data) <= max_bytes:
        return data
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            picture = image.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError):
        log.warning("uplink: snapshot %s is not a readable picture", path.name)
        return None
    return _shrunk(picture, max_bytes)


def live_jpeg(picture: LivePicture, max_bytes: int) -> bytes | None:
    """A live picture as JPEG of at most `max_bytes`; None when it is not whole or even the smallest try is larger."""
    from PIL import Image

    if picture.width <= 0 or picture.height <= 0 or len(picture.rgb) != picture.width * picture.height * 3:
        return None
    return _shrunk(Image.frombytes("RGB", (picture.width, picture.height), picture.rgb), max_bytes)


def _shrunk(picture: PilImage, max_bytes: int) -> bytes | None:
    for width in WIDTHS:
        scaled = picture.copy()
        scaled.thumbnail((width, width))
        for quality in QUALITIES:
            out = io.BytesIO()
            scaled.save(out, "JPEG", quality=quality, optimize=True)
            if out.tell() <= max_bytes:
                return out.getvalue()
    return None
