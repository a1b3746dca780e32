"""An alert's JPEG made small enough for the uplink's size cap (re-encoded smaller when it is not already).

Runs in an executor thread of the network loop: decoding and encoding a 1080p frame takes tens of ms.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

log = logging.getLogger(__name__)

WIDTHS = (640, 480, 320)
QUALITIES = (75, 60, 45)


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
    for width in WIDTHS:
        scaled = picture.copy()
        scaled.thumbnail((width, width))
        for quality in QUALITIES:
            out = io.BytesIO()
            scaled.save(out, "JPEG", quality=quality, optimize=True)
            if out.tell() <= max_bytes:
                return out.getvalue()
    return None
