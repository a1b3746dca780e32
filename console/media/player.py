"""libVLC playback of one camera's recording as one timeline: segments opened and chained as time moves.

The player lives on the GUI thread but never blocks it: libVLC's `stop` (which joins its threads) runs on a
short-lived thread, events from libVLC's threads only set flags, and `poll` (called by a GUI timer) acts on
them. Pictures come out in memory (`picture`), painted by the UI like a live tile: that is how a paused seek
knows its picture is shown, and how tests read the timestamp drawn into a frame.
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
from console.media.ts_keyframes import Keyframe
from console.media.vlc_input import KeyframeFinder, SegmentInput

log = logging.getLogger(__name__)

OUTPUT_SIZE = (1280, 720)  # pictures are scaled by libVLC to this, then painted by the UI
RATES = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
VLC_ARGS = ["--no-xlib", "--quiet", "--no-audio", "--no-video-title-show", "--no-osd", "--no-snapshot-preview",
            "--no-sub-autodetect-file", "--no-stats", "--file-caching=100"]
PAUSED_SEEK_WAIT_S = 2.0
STEP_WAIT_S = 0.5
STEP_SETTLE_S = 0.03  # libVLC may show a step's picture twice in a row
FRAME_MS = 40  # a step back when the stream's frame rate is unknown (25 fps)
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
        self._generation = 0
        self.camera_id: str | None = None
        self.segment: SegmentRow | None = None
        self.rate = 1.0
        self.paused = False
        self._shown = threading.Event()
        self.picture = ShownPicture(*size)
        self._callbacks: tuple[Any, ...] = ()
        self._stoppers: list[threading.Thread] = []
        self._media: Any = None
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
            picture.put(back)
            self._shown.set()

        self._callbacks = (lock, unlock, display, back)
        self._player.video_set_callbacks(lock, unlock, display, None)
        self._player.video_set_format("RV32", width, height, width * 4)

    # -- opening and moving ------------------------------------------------------------------------
    def open(self, camera_id: str, at_ms: int, play: bool = True) -> SegmentRow | None:
        """Show the camera at this moment (or the first recording after it); None if nothing is recorded."""
        self.camera_id = camera_id
        segment = self._segment_at(camera_id, at_ms)
        if segment is None:
            return None
        # Shown from the keyframe at or before the moment: never after the moment the officer wants to see.
        self._load(segment, max(0, at_ms - segment.start_ms), play)
        return segment

    def seek(self, at_ms: int) -> SegmentRow | None:
        """Move to a moment, in this segment or another: always by a new media starting at its keyframe
        (libVLC's set_time on MPEG-TS took ~400 ms and landed on the keyframe after the moment)."""
        if self.camera_id is None:
            return None
        return self.open(self.camera_id, at_ms, play=not self.paused)

    def _load(self, segment: SegmentRow, offset_ms: int, play: bool) -> None:
        start = self._input.media(self.root / segment.path, self._keyframes_of(segment), offset_ms)
        self._ended.clear()
        self._shown.clear()
        self.segment = segment
        self._start_ms = start.offset_ms
        self._media = start.media
        self._player.set_media(start.media)
        self._player.play()
        self._player.set_rate(self.rate)
        self.paused = not play
        if not play:
            self._pause_when_shown()

    def _pause_when_shown(self) -> None:
        # A paused seek still shows the picture at the new moment: play until its first picture is shown,
        # then pause (`:start-paused` shows nothing, and libVLC's own time runs ahead of the picture).
        changed = self._shown
        generation = self._generation = self._generation + 1

        def pause_later() -> None:
            changed.wait(PAUSED_SEEK_WAIT_S)
            if self._generation == generation and self.paused:
                self._player.set_pause(1)

        threading.Thread(target=pause_later, name="vlc-pause", daemon=True).start()

    # -- controls ---------------------------------------------------------------------------------
    def play(self) -> None:
        if self._player.get_media() is None:
            return
        self.paused = False
        if self._ended.is_set():
            self.poll()
        self._player.set_pause(0)

    def pause(self) -> None:
        self._player.set_pause(1)
        self.paused = True

    def set_rate(self, rate: float) -> None:
        self.rate = rate
        self._player.set_rate(rate)

    def step_forward(self) -> None:
        """One frame forward (pauses). libVLC's first step after a pause may show the same picture again
        (seen at 15 fps, not at 25): then it steps once more, so one press is always one new picture."""
        self.paused = True
        before, shown = self.picture.copy()
        self._player.next_frame()

        def check() -> None:
            deadline = time.monotonic() + STEP_WAIT_S
            while time.monotonic() < deadline and self.picture.shown == shown:
                time.sleep(0.005)
            time.sleep(STEP_SETTLE_S)
            if np.array_equal(self.picture.copy()[0], before):
                self._player.next_frame()

        threading.Thread(target=check, name="vlc-step", daemon=True).start()

    def step_back(self, frame_ms: int = FRAME_MS) -> None:
        """libVLC has no reverse step: pause and seek one frame earlier (decoded from the keyframe before)."""
        now = self.time_ms()
        if now is None:
            return
        self.pause()
        self.seek(now - frame_ms)

    def snapshot(self, path: Path) -> bool:
        """Write the shown picture as PNG (at the video's own size); True if libVLC accepted the request."""
        path.parent.mkdir(parents=True, exist_ok=True)
        return int(self._player.video_take_snapshot(0, str(path), 0, 0)) == 0

    # -- where we are -------------------------------------------------------------------------------
    def time_ms(self) -> int | None:
        """The shown moment (wall clock, UTC ms), None before anything is open."""
        if self.segment is None:
            return None
        offset = int(self._player.get_time())
        return self.segment.start_ms + self._start_ms + max(0, offset)

    def is_playing(self) -> bool:
        return bool(self._player.is_playing())

    def poll(self) -> bool:
        """Call often (GUI timer): at a segment's end, go on with the next one. True when it moved on."""
        if not self._ended.is_set() or self.segment is None or self.camera_id is None:
            return False
        self._ended.clear()
        following = self._segment_at(self.camera_id, self.segment.end_ms)
        if following is None or following.id == self.segment.id:
            self.paused = True
            return False
        self._load(following, 0, play=not self.paused)
        return True

    def close(self) -> None:
        """Stop and release libVLC on a helper thread (libVLC's stop joins its threads: never on the GUI)."""
        player, instance, source = self._player, self._instance, self._input
        stopper = threading.Thread(target=_release, args=(player, instance, source), name="vlc-stop",
                                   daemon=True)
        stopper.start()
        self._stoppers.append(stopper)

    def join(self, timeout_s: float = 5.0) -> None:
        for stopper in self._stoppers:
            stopper.join(timeout_s)


def _release(player: Any, instance: Any, source: SegmentInput) -> None:
    player.stop()
    player.release()
    instance.release()
    source.close()
