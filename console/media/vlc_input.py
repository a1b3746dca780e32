"""A segment handed to libVLC from one of its keyframes, through libVLC's callback input.

libVLC 3 reaches a moment inside an MPEG-TS file by reading it from the start (measured: 70 ms at 2 s, about
800 ms at 58 s into a 1080p segment; `--input-fast-seek` changes nothing), and its `:start-time` lands on the
keyframe *after* the moment. Instead the player gives libVLC a stream made of the file's tables (PAT, PMT)
followed by the file from the keyframe at or before the moment: libVLC starts decoding right there (about
30 ms to the first picture, wherever the keyframe is) and its clock starts at that keyframe.

libVLC calls these callbacks on its own input thread; each open media has its own `FromKeyframe`, found by the
opaque number libVLC passes back, so a source being closed never serves the next one.
"""

from __future__ import annotations

import ctypes
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from console.core.recording import SegmentRow
from console.media import vlc as libvlc
from console.media.ts_keyframes import FromKeyframe, Keyframe, scan_file, unpack

CACHED_SEGMENTS = 64
StoredKeyframes = Callable[[int], bytes | None]  # segment id -> packed keyframes saved with it


class KeyframeFinder:
    """A segment's keyframes as saved with it; for a segment still being recorded, the saved ones (updated
    every few seconds) and what the file holds after the last of them. Closed segments' lists are kept for
    the next seeks. A segment saved without a list (before migration 5) is read whole."""

    def __init__(self, root: Path, stored: StoredKeyframes | None = None) -> None:
        self.root = root
        self._stored = stored
        self._cache: OrderedDict[int, list[Keyframe]] = OrderedDict()
        self._lock = threading.Lock()  # asked by the GUI thread (libVLC) and the stills worker

    def __call__(self, segment: SegmentRow) -> list[Keyframe]:
        with self._lock:
            return self._find(segment)

    def _find(self, segment: SegmentRow) -> list[Keyframe]:
        cached = self._cache.get(segment.id)
        if cached is not None:
            self._cache.move_to_end(segment.id)
            return cached
        saved = unpack(self._stored(segment.id)) if self._stored else []
        try:
            if not saved:
                keyframes = scan_file(self.root / segment.path)
            elif segment.closed:
                keyframes = saved
            else:
                keyframes = saved[:-1] + scan_file(self.root / segment.path, after=saved[-1])
        except OSError:
            return []
        if segment.closed:
            self._cache[segment.id] = keyframes
            if len(self._cache) > CACHED_SEGMENTS:
                self._cache.popitem(last=False)
        return keyframes


@dataclass
class Start:
    """Where a media made by `SegmentInput.media` starts: the keyframe's offset in its segment (ms). The media
    is the caller's to release (`console.media.vlc.release_media`)."""

    media: Any
    offset_ms: int


class SegmentInput:
    """Makes libVLC media that start at a keyframe; the callbacks live as long as this object. Each media is
    counted by `console.media.vlc` until its owner (the player) releases it."""

    def __init__(self, instance: Any, options: tuple[str, ...] = ()) -> None:
        self._instance = instance
        self._options = options
        self._sources: dict[int, FromKeyframe] = {}
        self._lock = threading.Lock()
        self._next = 1
        decorators = libvlc.load().CallbackDecorators

        @decorators.MediaOpenCb  # type: ignore[untyped-decorator]
        def open_cb(opaque: Any, datap: Any, sizep: Any) -> int:
            source = self._source(opaque)
            if source is None:
                return -1
            try:
                sizep[0] = source.open_file()
            except OSError:
                return -1
            datap[0] = opaque
            return 0

        @decorators.MediaReadCb  # type: ignore[untyped-decorator]
        def read_cb(opaque: Any, buffer: Any, length: int) -> int:
            source = self._source(opaque)
            if source is None:
                return -1
            try:
                data = source.read(length)
            except (OSError, ValueError):
                return -1
            if data is None:
                return -1
            ctypes.memmove(buffer, data, len(data))
            return len(data)

        @decorators.MediaSeekCb  # type: ignore[untyped-decorator]
        def seek_cb(opaque: Any, offset: int) -> int:
            source = self._source(opaque)
            if source is None:
                return -1
            source.seek(offset)
            return 0

        @decorators.MediaCloseCb  # type: ignore[untyped-decorator]
        def close_cb(opaque: Any) -> None:
            source = self._source(opaque)
            if source is not None:
                source.close_file()

        self._callbacks = (open_cb, read_cb, seek_cb, close_cb)

    def _source(self, opaque: Any) -> FromKeyframe | None:
        with self._lock:
            return self._sources.get(int(opaque or 0))

    def media(self, path: Path, keyframes: list[Keyframe], offset_ms: int) -> Start:
        """A media showing `path` from the keyframe at or before `offset_ms` (the file's start without one)."""
        source = FromKeyframe(path, keyframes, offset_ms)
        with self._lock:
            # Only the newest media is ever opened again; older ones libVLC has closed when it took this one.
            self._sources = {key: old for key, old in self._sources.items() if old.file is not None}
            number = self._next
            self._next += 1
            self._sources[number] = source
        media = libvlc.media_from_callbacks(self._instance, self._callbacks, ctypes.c_void_p(number),
                                            *self._options)
        return Start(media, source.offset_ms)

    def close(self) -> None:
        """Close what libVLC left open (after the player is released)."""
        with self._lock:
            sources, self._sources = list(self._sources.values()), {}
        for source in sources:
            source.close_file()
