"""Where each keyframe starts in an MPEG-TS file: byte offset and time, read from the TS packets themselves.

FFmpeg's MPEG-TS muxer marks the first TS packet of every keyframe with the random-access indicator and the
start of a PES packet carrying its PTS. The recorder feeds its segment bytes through a `KeyframeScanner` as
they are written (the index is saved with the segment); a file recorded without it (a crash, an older
version) is scanned whole by `scan_file`. The player starts libVLC at such an offset, so a seek reads a
keyframe's bytes directly instead of the file from its start.
"""

from __future__ import annotations

import io
import os
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np

TS_PACKET = 188
SYNC = 0x47
PTS_HZ = 90
SCAN_CHUNK = TS_PACKET * 8192  # 1.5 MB
WRITE_BATCH = TS_PACKET * 1024  # 188 KB: the recorder scans what it wrote in pieces this large


@dataclass(frozen=True)
class Keyframe:
    offset_ms: int  # from the file's first keyframe
    byte: int  # where its first TS packet starts


@dataclass
class KeyframeScanner:
    """Fed a file's bytes in order (any chunking); `keyframes` grows as keyframe starts go by."""

    keyframes: list[Keyframe] = field(default_factory=list)
    _consumed: int = 0  # bytes before `_carry` (where the scan started, then what it went through)
    _base_ms: int = 0  # the time of the first keyframe it meets (a scan from a known keyframe)
    _carry: bytearray = field(default_factory=bytearray)
    _first_pts: int | None = None

    def feed(self, data: bytes, batch: int = 0) -> None:
        """Scan `data` (after what came before); with `batch`, wait until that many bytes are in hand (fewer,
        larger scans: the recorder's 32 KB writes) — `feed(b"")` then scans what waits."""
        self._carry += data
        if len(self._carry) < max(batch, TS_PACKET):
            return
        whole = len(self._carry) - len(self._carry) % TS_PACKET
        chunk = bytes(self._carry[:whole])
        del self._carry[:whole]
        self._scan(np.frombuffer(chunk, np.uint8).reshape(-1, TS_PACKET))
        self._consumed += whole

    def _scan(self, packets: np.ndarray) -> None:
        adaptation = (packets[:, 3] & 0x20) != 0
        random_access = adaptation & (packets[:, 4] > 0) & ((packets[:, 5] & 0x40) != 0)
        starts = (packets[:, 0] == SYNC) & ((packets[:, 1] & 0x40) != 0) & random_access
        for row in np.flatnonzero(starts):
            pts = _video_pts(packets[row].tobytes())
            if pts is None:
                continue
            if self._first_pts is None:
                self._first_pts = pts
            ms = self._base_ms + ((pts - self._first_pts) % (1 << 33)) // PTS_HZ
            self.keyframes.append(Keyframe(int(ms), self._consumed + int(row) * TS_PACKET))


def _video_pts(packet: bytes) -> int | None:
    """The PTS of a video PES packet starting in this TS packet (None if it is not one)."""
    start = 4 + 1 + packet[4]
    pes = packet[start:start + 14]
    if len(pes) < 14 or pes[:3] != b"\0\0\1" or not 0xE0 <= pes[3] <= 0xEF or not pes[7] & 0x80:
        return None
    stamp = pes[9:14]
    return (((stamp[0] >> 1) & 0x07) << 30 | stamp[1] << 22 | (stamp[2] >> 1) << 15 | stamp[3] << 7
            | stamp[4] >> 1)


def scan_file(path: Path, after: Keyframe | None = None) -> list[Keyframe]:
    """Every keyframe of the file; with `after` (a keyframe already known), only from that one on."""
    scanner = KeyframeScanner(_consumed=after.byte, _base_ms=after.offset_ms) if after else KeyframeScanner()
    with open(path, "rb") as handle:
        if after is not None:
            handle.seek(after.byte)
        while chunk := handle.read(SCAN_CHUNK):
            scanner.feed(chunk)
    return scanner.keyframes


def header_of(path: Path, first_keyframe_byte: int) -> bytes:
    """The tables before the first keyframe (PAT, PMT): what a reader starting mid-file needs first."""
    with open(path, "rb") as handle:
        head = handle.read(min(first_keyframe_byte, 64 * TS_PACKET))
    return head[: len(head) - len(head) % TS_PACKET]


def pack(keyframes: list[Keyframe]) -> bytes:
    values = array("q")
    for keyframe in keyframes:
        values.extend((keyframe.offset_ms, keyframe.byte))
    return values.tobytes()


def unpack(blob: bytes | None) -> list[Keyframe]:
    if not blob:
        return []
    values = array("q")
    values.frombytes(blob)
    return [Keyframe(values[i], values[i + 1]) for i in range(0, len(values) - 1, 2)]


def at_or_before(keyframes: list[Keyframe], offset_ms: int) -> Keyframe | None:
    """The last keyframe at or before the offset (binary search; the list is in file order)."""
    low, high = 0, len(keyframes)
    while low < high:
        middle = (low + high) // 2
        if keyframes[middle].offset_ms <= offset_ms:
            low = middle + 1
        else:
            high = middle
    return keyframes[low - 1] if low else None


class FromKeyframe(io.RawIOBase):
    """A segment read from a keyframe: the file's tables (PAT, PMT), then the file from that keyframe on —
    what libVLC (callback input) and PyAV (stills) are given, so neither reads the file from its start.
    The file is opened by `open_file` (again for each read from the start: libVLC may re-open a media)."""

    def __init__(self, path: Path, keyframes: list[Keyframe], offset_ms: int) -> None:
        super().__init__()
        self.path = path
        keyframe = at_or_before(keyframes, offset_ms)
        if keyframe is None or keyframe.byte == keyframes[0].byte:
            self.header, self.start, self.offset_ms = b"", 0, 0
        else:
            self.header, self.start = header_of(path, keyframes[0].byte), keyframe.byte
            self.offset_ms = keyframe.offset_ms  # where it starts in the segment
        self.file: BinaryIO | None = None
        self.position = 0

    def open_file(self) -> int:
        """Opens the file and starts at the beginning; returns the size (the file may still be growing)."""
        self.close_file()
        self.file = open(self.path, "rb")  # noqa: SIM115 - closed by close_file
        self.position = 0
        return self.open_size()

    def close_file(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self.file is None:
            raise ValueError("not open")
        view = memoryview(buffer).cast("B")
        if self.position < len(self.header):
            data = self.header[self.position:self.position + len(view)]
        else:
            self.file.seek(self.start + self.position - len(self.header))
            data = self.file.read(len(view))
        view[:len(data)] = data
        self.position += len(data)
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_CUR:
            offset += self.position
        elif whence == io.SEEK_END:
            offset += self.open_size()
        self.position = max(0, offset)
        return self.position

    def tell(self) -> int:
        return self.position

    def open_size(self) -> int:
        if self.file is None:
            return 0
        return len(self.header) + max(0, os.fstat(self.file.fileno()).st_size - self.start)

    def close(self) -> None:
        self.close_file()
        super().close()
