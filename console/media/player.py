"""libVLC playback of one camera's recording as one timeline: segments opened and chained as time moves.

The player lives on the GUI thread but never blocks it: libVLC's `stop` (which joins its threads) runs on a
short-lived thread, events from libVLC's threads only set flags, and `poll` (called by a GUI timer) acts on
them. Pictures come out in memory (`picture`), painted by the UI like a live tile: that is how a paused seek
knows its picture is shown, and how tests read the timestamp drawn into a frame.

Every media starts at a keyframe (`vlc_input`), so opening and seeking cost the same anywhere in a day.
Paused, the picture is a still decoded by PyAV (`still`): the exact frame, for steps both ways.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from console.core.recording import SegmentRow
from console.media.still import Still, StillDecoder, frame_interval_ms, save_png
from console.media.ts_keyframes import Keyframe
from console.media.vlc_input import KeyframeFinder, SegmentInput

log = logging.getLogger(__name__)

OUTPUT_SIZE = (1280, 720)  # pictures are scaled by libVLC to this, then painted by the UI
RATES = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
VLC_ARGS = ["--no-xlib", "--quiet", "--no-audio", "--no-video-title-show", "--no-osd", "--no-snapshot-preview",
            "--no-sub-autodetect-file", "--no-stats", "--file-caching=100"]
CATCH_UP_RATE = 4.0  # resuming from a still: libVLC decodes from the keyframe before it this fast, unseen
CATCH_UP_WAIT_S = 5.0
SegmentsAt = Callable[[str, int], SegmentRow | None]  # (camera, moment) -> the segment there or next after
KeyframesOf = Callable[[SegmentRow], list[Keyframe]]


class PlayerUnavailableError(Exception):
    """libVLC could not be loaded (not installed, plugins missing)."""


def load_vlc() -> Any:
    try:
        import vlc
    except (ImportError, OSError) as exc:
        raise PlayerUnavailableError(str(exc)) from exc
    return vlc


class ShownPicture:
    """The last picture libVLC showed (BGRA), copied out of libVLC's buffer so readers never see it torn."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self._pixels = np.zeros((height, width, 4), np.uint8)
        self._lock = threading.Lock()
        self.shown = 0
        self.at = 0.0

    def put(self, pixels: npt.NDArray[np.uint8]) -> None:
        with self._lock:
            np.copyto(self._pixels, pixels)
            self.shown += 1
            self.at = time.monotonic()

    def copy(self) -> tuple[npt.NDArray[np.uint8], int]:
        with self._lock:
            return self._pixels.copy(), self.shown

    def luma(self) -> npt.NDArray[np.uint8]:
        return self.copy()[0][:, :, 1]  # green: close enough to luma for black/white stamps


class RecordingPlayer:
    def __init__(self, root: Path, segment_at: SegmentsAt, keyframes_of: KeyframesOf | None = None,
                 size: tuple[int, int] = OUTPUT_SIZE, extra_args: list[str] | None = None) -> None:
        self._vlc = load_vlc()
        self.root = root
        self._segment_at = segment_at
        self._keyframes_of = keyframes_of or KeyframeFinder(root)
        instance = self._vlc.Instance(VLC_ARGS + (extra_args or []))
        if instance is None:
            raise PlayerUnavailableError("libvlc_new failed")
        self._instance = instance
        self._input = SegmentInput(self._vlc, instance)
        self._start_ms = 0  # the open media's start (a keyframe) in its segment
        self._player = instance.media_player_new()
        self._events = self._player.event_manager()
        self._ended = threading.Event()
        self._events.event_attach(self._vlc.EventType.MediaPlayerEndReached, lambda _e: self._ended.set())
        self.camera_id: str | None = None
        self.segment: SegmentRow | None = None
        self.rate = 1.0
        self.paused = False
        self.picture = ShownPicture(*size)
        self._callbacks: tuple[Any, ...] = ()
        self._stoppers: list[threading.Thread] = []
        self._media: Any = None
        # Paused: the exact frame at a moment, decoded by PyAV on a worker thread (newest request wins).
        self._stills = StillDecoder(root, self._keyframes_of, size)
        self._still: Still | None = None
        self._still_at: int | None = None  # the moment shown (or being decoded) while paused on a still
        self._wanted: tuple[int, SegmentRow, int] | None = None  # (request number, segment, offset)
        self._requests = 0
        self._wake = threading.Condition()
        self._closing = False
        self._hide = 0
        self._resume_at = 0
        self._loads = 0
        self._frame_ms: int | None = None  # the camera's frame interval, once looked up
        self._worker = threading.Thread(target=self._decode_stills, name="stills", daemon=True)
        self._worker.start()
        self._output_to_memory(*size)

    # -- where pictures go ------------------------------------------------------------------------
    def _output_to_memory(self, width: int, height: int) -> None:
        vlc = self._vlc
        back = np.zeros((height, width, 4), np.uint8)  # libVLC draws here
        pointer = back.ctypes.data
        picture = self.picture

        @vlc.CallbackDecorators.VideoLockCb  # type: ignore[untyped-decorator]
        def lock(_opaque: Any, planes: Any) -> None:
            planes[0] = pointer

        @vlc.CallbackDecorators.VideoUnlockCb  # type: ignore[untyped-decorator]
        def unlock(_opaque: Any, _picture: Any, _planes: Any) -> None:
            return None

        @vlc.CallbackDecorators.VideoDisplayCb  # type: ignore[untyped-decorator]
        def display(_opaque: Any, _picture: Any) -> None:
            if self._still_at is not None:  # paused on a still: libVLC's pictures are not shown
                return
            if self._hide > 0:  # resuming from a still: libVLC's frames before it are not shown again
                self._hide -= 1
                return
            picture.put(back)

        self._callbacks = (lock, unlock, display, back)
        self._player.video_set_callbacks(lock, unlock, display, None)
        self._player.video_set_format("RV32", width, height, width * 4)

    # -- opening and moving ------------------------------------------------------------------------
    def open(self, camera_id: str, at_ms: int, play: bool = True, exact: bool = False) -> SegmentRow | None:
        """Show the camera at this moment (or the first recording after it); None if nothing is recorded.
        Playing, libVLC starts at the keyframe at or before the moment (never after it), or with `exact`
        at the moment itself (the frames before it decoded unseen); paused, the exact frame is shown."""
        if camera_id != self.camera_id:
            self._frame_ms = None
        self.camera_id = camera_id
        segment = self._segment_at(camera_id, at_ms)
        if segment is None:
            return None
        offset = max(0, at_ms - segment.start_ms)
        if play:
            self._load(segment, offset, hide_ms=offset if exact else 0)
        else:
            self._show_still(segment, offset)
        return segment

    def seek(self, at_ms: int, exact: bool = False) -> SegmentRow | None:
        """Move to a moment, in this segment or another, playing or paused as now: always by a new media
        starting at its keyframe (libVLC's set_time on MPEG-TS took ~400 ms and landed on the keyframe after
        the moment); `exact` as in `open`."""
        if self.camera_id is None:
            return None
        return self.open(self.camera_id, at_ms, play=not self.paused, exact=exact)

    def _load(self, segment: SegmentRow, offset_ms: int, hide_ms: int = 0) -> None:
        """libVLC plays the segment from the keyframe at or before the offset; with `hide_ms`, its pictures
        before that moment are decoded but not shown (resuming from a still goes on from the still)."""
        start = self._input.media(self.root / segment.path, self._keyframes_of(segment), offset_ms)
        self._hide = max(0, round((hide_ms - start.offset_ms) / self._frame_interval(segment))) if hide_ms else 0
        self._resume_at = segment.start_ms + hide_ms  # what `time_ms` says while catching up unseen
        self._still_at = None
        self._ended.clear()
        self.segment = segment
        self._start_ms = start.offset_ms
        self._media = start.media
        self._player.set_media(start.media)
        self._player.play()
        self._loads += 1
        if self._hide:
            self._catch_up(self._loads)
        else:
            self._player.set_rate(self.rate)
        self.paused = False

    def _catch_up(self, load: int) -> None:
        """The hidden frames between the keyframe and the still go by at 4×, then the chosen rate."""
        self._player.set_rate(CATCH_UP_RATE)

        def restore() -> None:
            deadline = time.monotonic() + CATCH_UP_WAIT_S
            while self._hide > 0 and self._loads == load and time.monotonic() < deadline:
                time.sleep(0.003)
            if self._loads == load:
                self._player.set_rate(self.rate)

        threading.Thread(target=restore, name="vlc-catch-up", daemon=True).start()

    def _frame_interval(self, segment: SegmentRow) -> int:
        if self._still is not None and self._still.segment.camera_id == segment.camera_id:
            return self._still.frame_ms
        if self._frame_ms is None:
            self._frame_ms = frame_interval_ms(self.root / segment.path)
        return self._frame_ms

    def _show_still(self, segment: SegmentRow, offset_ms: int) -> None:
        """Pause on the frame at this moment (decoded off the GUI thread; `time_ms` says it at once)."""
        if self._still_at is None:
            self._player.set_pause(1)
        self.paused = True
        self.segment = segment
        self._still_at = segment.start_ms + offset_ms
        with self._wake:
            self._requests += 1
            self._wanted = (self._requests, segment, offset_ms)
            self._wake.notify()

    def _decode_stills(self) -> None:
        while True:
            with self._wake:
                while self._wanted is None and not self._closing:
                    self._wake.wait()
                if self._closing:
                    break
                assert self._wanted is not None
                number, segment, offset = self._wanted
                self._wanted = None
            try:
                still = self._stills.frame_at(segment, offset)
            except Exception:  # a damaged file must not end the worker: the next request is served
                log.exception("still of %s at %d ms failed", segment.path, offset)
                still = None
            with self._wake:
                current = number == self._requests and self._still_at is not None
            if still is not None and current:
                self._still = still
                self._still_at = still.at_ms
                self.picture.put(still.pixels)
        self._stills.close()

    # -- controls ---------------------------------------------------------------------------------
    def play(self) -> None:
        if self.segment is None:
            return
        if self._still_at is not None:
            at = self._still_at - self.segment.start_ms
            self._load(self.segment, at, hide_ms=at)
            return
        self.paused = False
        if self._ended.is_set():
            self.poll()
        self._player.set_pause(0)

    def pause(self) -> None:
        """Pause on the frame at libVLC's clock, shown as a still: from here the picture, `time_ms`, steps,
        snapshots and exports all mean the same frame (libVLC's paused picture may be a frame or two off)."""
        now = self.time_ms()
        if self._still_at is not None or now is None or self.segment is None:
            self._player.set_pause(1)
            self.paused = True
            return
        self._show_still(self.segment, now - self.segment.start_ms)

    def set_rate(self, rate: float) -> None:
        self.rate = rate
        self._player.set_rate(rate)

    def step_forward(self) -> None:
        """One frame forward (pauses): the exact next frame, across a segment's end too."""
        self._step(+1)

    def step_back(self) -> None:
        """One frame back (pauses): libVLC has none, the still decoder goes back to the keyframe before."""
        self._step(-1)

    def _step(self, direction: int) -> None:
        now = self.time_ms()
        if now is None or self.camera_id is None or self.segment is None:
            return
        target = now + direction * self._frame_interval(self.segment)
        segment = self._segment_at(self.camera_id, target)
        if segment is None:
            return
        self._show_still(segment, max(0, target - segment.start_ms))

    def snapshot(self, path: Path) -> bool:
        """Write the shown picture as PNG at the video's own size (libVLC's, or the still's frame)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        still = self._still
        if self._still_at is not None and still is not None:
            threading.Thread(target=save_png, args=(still.frame, path), name="snapshot", daemon=True).start()
            return True
        return int(self._player.video_take_snapshot(0, str(path), 0, 0)) == 0

    # -- where we are -------------------------------------------------------------------------------
    def time_ms(self) -> int | None:
        """The shown moment (wall clock, UTC ms), None before anything is open."""
        if self.segment is None:
            return None
        if self._still_at is not None:
            return self._still_at
        if self._hide > 0:
            return self._resume_at
        offset = int(self._player.get_time())
        return self.segment.start_ms + self._start_ms + max(0, offset)

    def is_playing(self) -> bool:
        return bool(self._player.is_playing())

    def poll(self) -> bool:
        """Call often (GUI timer): at a segment's end, go on with the next one. True when it moved on."""
        if not self._ended.is_set() or self.segment is None or self.camera_id is None or self._still_at is not None:
            return False
        self._ended.clear()
        following = self._segment_at(self.camera_id, self.segment.end_ms)
        if following is None or following.id == self.segment.id:
            self.paused = True
            return False
        self._load(following, 0)
        return True

    def close(self) -> None:
        """Stop and release libVLC on a helper thread (libVLC's stop joins its threads: never on the GUI)."""
        with self._wake:
            self._closing = True
            self._wake.notify()
        player, instance, source = self._player, self._instance, self._input
        stopper = threading.Thread(target=_release, args=(player, instance, source), name="vlc-stop",
                                   daemon=True)
        stopper.start()
        self._stoppers.append(stopper)

    def join(self, timeout_s: float = 5.0) -> None:
        self._worker.join(timeout_s)
        for stopper in self._stoppers:
            stopper.join(timeout_s)


def _release(player: Any, instance: Any, source: SegmentInput) -> None:
    player.stop()
    player.release()
    instance.release()
    source.close()
