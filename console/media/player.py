"""libVLC playback of one camera's recording as one timeline: segments opened and chained as time moves.

The player lives on the GUI thread but never blocks it: libVLC's `stop` (which joins its threads) runs on a
short-lived thread, events from libVLC's threads only set flags, and `poll` (called by a GUI timer) acts on
them. Pictures come out in memory (`picture`), painted by the UI like a live tile: that is how a paused seek
knows its picture is shown, and how tests read the timestamp drawn into a frame.

Every media starts at a keyframe (`vlc_input`), so opening and seeking cost the same anywhere in a day.
Each load releases the media it replaces, and closing releases the last (`console.media.vlc` counts them).
Paused, the picture is a still decoded by PyAV (`still`): the exact frame, for steps both ways, handed over
through one lock (`StillHandOff`) so a still decoded late never pauses a player that has resumed.
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
from console.media import vlc as libvlc
from console.media.still import StillDecoder, StillHandOff, frame_interval_ms, save_png
from console.media.ts_keyframes import Keyframe
from console.media.vlc_input import KeyframeFinder, SegmentInput

log = logging.getLogger(__name__)

OUTPUT_SIZE = (1280, 720)  # pictures are scaled by libVLC to this, then painted by the UI
RATES = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
MEDIA_OPTIONS = (":no-audio",)  # recordings are watched, not heard (and tests have no sound device)
CATCH_UP_RATE = 4.0  # resuming from a still: libVLC decodes from the keyframe before it this fast, unseen
CATCH_UP_WAIT_S = 5.0
SegmentsAt = Callable[[str, int], SegmentRow | None]  # (camera, moment) -> the segment there or next after
KeyframesOf = Callable[[SegmentRow], list[Keyframe]]


class PlayerUnavailableError(Exception):
    """libVLC could not be loaded (not installed, plugins missing)."""


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
                 size: tuple[int, int] = OUTPUT_SIZE) -> None:
        try:
            self._vlc = libvlc.load()
            instance = libvlc.instance()
        except libvlc.VlcUnavailableError as exc:
            raise PlayerUnavailableError(str(exc)) from exc
        self.root = root
        self._segment_at = segment_at
        self._keyframes_of = keyframes_of or KeyframeFinder(root)
        self._input = SegmentInput(instance, MEDIA_OPTIONS)
        self._start_ms = 0  # the open media's start (a keyframe) in its segment
        self._player = instance.media_player_new()
        self._ended = threading.Event()
        libvlc.on_event(self._player, self._vlc.EventType.MediaPlayerEndReached, self._ended.set)
        self.camera_id: str | None = None
        self.segment: SegmentRow | None = None
        self.rate = 1.0
        self.paused = False
        self.picture = ShownPicture(*size)
        self._callbacks: tuple[Any, ...] = ()
        self._stopped: threading.Event | None = None
        self._media: Any = None  # our reference to the open media, released when it is replaced or closed
        # Paused: the exact frame at a moment, decoded by PyAV on a worker thread (newest request wins).
        self._stills = StillDecoder(root, self._keyframes_of, size)
        self._hand_off = StillHandOff(self.picture.put)
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

        @vlc.CallbackDecorators.VideoLockCb  # type: ignore[untyped-decorator]
        def lock(_opaque: Any, planes: Any) -> None:
            planes[0] = pointer

        @vlc.CallbackDecorators.VideoUnlockCb  # type: ignore[untyped-decorator]
        def unlock(_opaque: Any, _picture: Any, _planes: Any) -> None:
            return None

        hand_off = self._hand_off

        @vlc.CallbackDecorators.VideoDisplayCb  # type: ignore[untyped-decorator]
        def display(_opaque: Any, _picture: Any) -> None:
            if self._hide > 0 and hand_off.at_ms is None:  # resuming from a still: frames before it are unseen
                self._hide -= 1
                return
            hand_off.show_live(back)  # paused on a still: libVLC's pictures are not shown

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
        self._hand_off.leave()  # first: a still still being decoded is now stale, never shown over this
        start = self._input.media(self.root / segment.path, self._keyframes_of(segment), offset_ms)
        self._hide = max(0, round((hide_ms - start.offset_ms) / self._frame_interval(segment))) if hide_ms else 0
        self._resume_at = segment.start_ms + hide_ms  # what `time_ms` says while catching up unseen
        self._ended.clear()
        self.segment = segment
        self._start_ms = start.offset_ms
        replaced, self._media = self._media, start.media
        self._player.set_media(start.media)  # the player drops its own reference to the replaced one here
        libvlc.release_media(replaced)
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
        still = self._hand_off.still
        if still is not None and still.segment.camera_id == segment.camera_id:
            return still.frame_ms
        if self._frame_ms is None:
            self._frame_ms = frame_interval_ms(self.root / segment.path)
        return self._frame_ms

    def _show_still(self, segment: SegmentRow, offset_ms: int) -> None:
        """Pause on the frame at this moment (decoded off the GUI thread; `time_ms` says it at once)."""
        self.segment = segment
        self.paused = True
        if self._hand_off.ask(segment, offset_ms):
            self._player.set_pause(1)

    def _decode_stills(self) -> None:
        while (request := self._hand_off.next_request()) is not None:
            segment, offset = request.segment, request.offset_ms
            try:
                still = self._stills.frame_at(segment, offset)
            except Exception:  # a damaged file must not end the worker: the next request is served
                log.exception("still of %s at %d ms failed", segment.path, offset)
                still = None
            if still is not None:
                self._hand_off.deliver(request.number, still)
        self._stills.close()

    # -- controls ---------------------------------------------------------------------------------
    def play(self) -> None:
        if self.segment is None:
            return
        still_at = self._hand_off.leave()
        if still_at is not None:
            at = still_at - self.segment.start_ms
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
        if self._hand_off.at_ms is not None or now is None or self.segment is None:
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
        still = self._hand_off.still
        if self._hand_off.at_ms is not None and still is not None:
            threading.Thread(target=save_png, args=(still.frame, path), name="snapshot", daemon=True).start()
            return True
        return int(self._player.video_take_snapshot(0, str(path), 0, 0)) == 0

    # -- where we are -------------------------------------------------------------------------------
    def time_ms(self) -> int | None:
        """The shown moment (wall clock, UTC ms), None before anything is open."""
        if self.segment is None:
            return None
        still_at = self._hand_off.at_ms
        if still_at is not None:
            return still_at
        if self._hide > 0:
            return self._resume_at
        offset = int(self._player.get_time())
        return self.segment.start_ms + self._start_ms + max(0, offset)

    def is_playing(self) -> bool:
        return bool(self._player.is_playing())

    def poll(self) -> bool:
        """Call often (GUI timer): at a segment's end, go on with the next one. True when it moved on."""
        if not self._ended.is_set() or self.segment is None or self.camera_id is None:
            return False
        if self._hand_off.at_ms is not None:
            return False
        self._ended.clear()
        following = self._segment_at(self.camera_id, self.segment.end_ms)
        if following is None or following.id == self.segment.id:
            self.paused = True
            return False
        self._load(following, 0)
        return True

    def close(self) -> None:
        """Stop and release the player and its media on libVLC's worker (stop joins libVLC's threads: never on
        the GUI thread). Once only."""
        if self._stopped is not None:
            return
        self._hand_off.close()
        player, media, source = self._player, self._media, self._input
        self._media = None
        self._stopped = libvlc.off_gui(lambda: _release(player, media, source))

    def join(self, timeout_s: float = 5.0) -> None:
        self._worker.join(timeout_s)
        if self._stopped is not None:
            self._stopped.wait(timeout_s)


def _release(player: Any, media: Any, source: SegmentInput) -> None:
    player.stop()
    libvlc.forget_events(player)  # else python-vlc's cache keeps the player's callbacks (and so this player)
    player.release()
    libvlc.release_media(media)
    source.close()
