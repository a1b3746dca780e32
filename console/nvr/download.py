"""A recorder's download written to a file: the bytes before the media dropped (Dahua sends a preamble of varying
length before its first DHAV frame), progress reported, cancel honoured, and the file whole or absent (written as
`.part`, renamed when complete; a cancelled or failed download leaves nothing).

The file is the recorder's own container (Hikvision's IMKH program stream, Dahua's DHAV); FFmpeg reads both, and
the evidence export turns it into MP4 by stream copy.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import struct
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

from console.core.atomic import part_path, replace_durably
from console.nvr.models import DownloadProgress, MediaFormat

log = logging.getLogger(__name__)

PROGRESS_EVERY_S = 0.1
MAX_PREAMBLE_BYTES = 1 << 20  # no DHAV frame within this many bytes: not a DHAV download
DHAV_TYPES = frozenset({0xFD, 0xFC, 0xF0, 0xF1})
DHAV_HEADER_BYTES = 24
MAX_FRAME_BYTES = 4 << 20  # larger than a 4K camera's keyframe
PS_PACK_START = b"\x00\x00\x01\xba"
HIKVISION_HEADER = b"IMKH"

Progress = Callable[[DownloadProgress], None]


class NoMediaError(Exception):
    """The download holds no media (nothing, or only bytes that are not the vendor's container)."""


def dhav_start(data: bytes | bytearray) -> int | None:
    """Where the first DHAV frame starts: `DHAV`, a frame type, a sane length and its `dhav` trailer naming the same
    length (a `DHAV` among random preamble bytes is not taken). None: none yet (more bytes may show one)."""
    position = 0
    while True:
        found = data.find(b"DHAV", position)
        if found < 0 or found + DHAV_HEADER_BYTES > len(data):
            return None
        kind = data[found + 4]
        (length,) = struct.unpack_from("<I", data, found + 12)
        if kind in DHAV_TYPES and DHAV_HEADER_BYTES + 8 <= length <= MAX_FRAME_BYTES:
            end = found + length
            if end > len(data):
                return None  # the trailer is not here yet
            if data[end - 8: end - 4] == b"dhav" and struct.unpack_from("<I", data, end - 4)[0] == length:
                return found
        position = found + 1


@dataclass
class _Sync:
    """Finds where the media starts in the first bytes of a download."""

    media: MediaFormat
    buffer: bytearray
    skipped: int = 0
    synced: bool = False

    def feed(self, chunk: bytes) -> bytes:
        if self.synced:
            return chunk
        self.buffer += chunk
        start = self._start()
        if start is None:
            if len(self.buffer) > MAX_PREAMBLE_BYTES + MAX_FRAME_BYTES:
                raise NoMediaError(f"no {self.media.value} media in the first {len(self.buffer)} bytes")
            return b""
        self.synced, self.skipped = True, start
        data = bytes(self.buffer[start:])
        self.buffer = bytearray()
        return data

    def _start(self) -> int | None:
        if self.media is MediaFormat.DAHUA_DAV:
            return dhav_start(self.buffer)
        if len(self.buffer) < 4:
            return None
        if self.buffer.startswith(HIKVISION_HEADER):
            return 0
        found = self.buffer.find(PS_PACK_START)
        return found if found >= 0 else None


async def save(chunks: AsyncIterator[bytes], target: Path, media: MediaFormat, *, expected_bytes: int | None,
               on_progress: Progress | None = None, cancel: asyncio.Event | None = None) -> tuple[int, int, float]:
    """Write the media of `chunks` to `target`: (bytes written, bytes skipped before the media, seconds taken).
    Raises `NoMediaError`, `asyncio.CancelledError` when `cancel` is set, or whatever the chunks raise."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = part_path(target)
    sync = _Sync(media, bytearray())
    started = last_report = time.monotonic()
    received = written = 0
    try:
        with temporary.open("wb") as out:
            async for chunk in chunks:
                if cancel is not None and cancel.is_set():
                    raise asyncio.CancelledError("download cancelled")
                received += len(chunk)
                data = sync.feed(chunk)
                if data:
                    out.write(data)
                    written += len(data)
                now = time.monotonic()
                if on_progress is not None and now - last_report >= PROGRESS_EVERY_S:
                    last_report = now
                    on_progress(DownloadProgress(received, expected_bytes, now - started))
        if not sync.synced or written == 0:
            raise NoMediaError(f"{received} bytes and no {media.value} media")
        await asyncio.to_thread(replace_durably, temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    elapsed = time.monotonic() - started
    if on_progress is not None:
        on_progress(DownloadProgress(received, expected_bytes or received, elapsed))
    return written, sync.skipped, elapsed
