"""The recorder's RTSP playback in the playback window: one session per opened moment (`recorder_rtsp`), whose speed,
seeks, pause and resume are sent on that session; its pictures decoded on an RTP hand-off lane and the latest
handed over like libVLC's (`ShownPicture`), with the recording's moment each one shows; a failure kept for the
window to say. Every call returns at once (GUI thread).

Hand-written rather than libVLC: Debian's libVLC is built without live555 and cannot open `rtsp://`
(ARCHITECTURE.md); FFmpeg's RTSP client sends neither `Scale` nor a `Range: clock=` seek, so the session is aiortsp's
and the decoding PyAV's. At 16× the recorder sends 240 pictures a second: all are decoded (the next one needs them),
at most `SHOW_PER_S` a second are converted for the screen. A session that is replaced is told to stop (its TEARDOWN
on the network loop), never waited for on the GUI thread.

The moment shown is the picture's own (`recorder_rtsp` maps RTP time to the recording's clock), so the timeline's
playhead follows at any speed; a seek shows the moment asked until the first picture from there arrives (the
keyframe at or before it).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from fractions import Fraction

import av
import av.error
import numpy as np
from av.video.codeccontext import VideoCodecContext

from console.media.player import ShownPicture
from console.media.recorder_rtsp import Picture, PlaybackSession, RangeClock, Step
from console.media.rtp import handoff

log = logging.getLogger(__name__)

DEFAULT_SIZE = (640, 360)
SHOW_PER_S = 30.0  # pictures converted for the screen at most (the window paints every 40 ms)
_MS = Fraction(1, 1000)


@dataclass(frozen=True)
class Refusal:
    """A control the recorder refused (a speed it does not play), for the window to say."""

    step: Step
    scale: float
    detail: str


@dataclass
class _Playing:
    """One session as the player follows it: the run shown (one per open or seek) and its pictures."""

    session: PlaybackSession
    number: int
    codec: VideoCodecContext | None = None
    runs_asked: int = 1  # opens and seeks asked: pictures of an earlier run are not shown
    seek_ms: int | None = None  # the moment asked by the newest seek, until its first picture is shown
    first_frame: av.VideoFrame | None = None  # the first picture of the newest run
    first_run: int = 0
    shown_ms: int | None = None
    shown_at: float = 0.0  # time.monotonic() of the last picture converted for the screen
    latest: tuple[av.VideoFrame, int] | None = None  # the newest decoded picture, shown or not
    latest_shown: bool = True
    refusals: list[Refusal] = field(default_factory=list)


class RecorderStreamPlayer:
    """Plays a recorder's RTSP playback URL from a moment; its controls act on the same session."""

    def __init__(self) -> None:
        self.picture = ShownPicture(*DEFAULT_SIZE)
        self._lock = threading.Lock()
        self._playing: _Playing | None = None
        self._sessions = 0
        self._lane = handoff.lane()
        self.paused = False
        self.scale = 1.0
        self.last_frame: av.VideoFrame | None = None  # the picture on screen, as decoded (tests read its luma)

    # -- controls -------------------------------------------------------------------------------------------------
    def open(self, url: str, at_ms: int, clock: RangeClock, scale: float | None = None) -> None:
        """A new session from this moment (the old one told to stop), playing at `scale` (else the current)."""
        self.close()
        self.scale = self.scale if scale is None else scale
        with self._lock:
            self._sessions += 1
            number = self._sessions
        playing: _Playing | None = None

        def picture(item: Picture) -> None:
            owner = playing
            if owner is not None:
                self._lane.put(lambda: self._decode(owner, item))

        def answer(step: Step, ok: bool, detail: str) -> None:
            if playing is not None:
                self._answered(playing, step, ok, detail)

        session = PlaybackSession(url, at_ms, self.scale, clock, picture, answer)
        playing = _Playing(session, number)
        with self._lock:
            self._playing = playing
        self.paused = False
        session.start()

    def pause(self) -> None:
        """PAUSE on the session: the picture shown stays, and its moment."""
        playing = self._playing
        if self.paused or playing is None:
            return
        self.paused = True
        playing.session.pause()

    def resume(self) -> None:
        """PLAY without Range: on from the picture it paused on, at the speed chosen meanwhile."""
        playing = self._playing
        if not self.paused or playing is None:
            return
        self.paused = False
        playing.session.resume(self.scale)

    def seek(self, at_ms: int) -> None:
        """PLAY with Range on the same session (playing from there, at the current speed)."""
        playing = self._playing
        if playing is None:
            return
        with self._lock:
            playing.runs_asked += 1
            playing.seek_ms = at_ms
        self.paused = False
        playing.session.seek(at_ms, self.scale)

    def set_scale(self, scale: float) -> None:
        """PLAY with Scale (while paused: asked with the resume)."""
        self.scale = scale
        playing = self._playing
        if playing is not None:
            playing.session.set_scale(scale)

    def close(self) -> None:
        with self._lock:
            playing, self._playing = self._playing, None
        if playing is not None:
            playing.session.stop()

    # -- where we are ---------------------------------------------------------------------------------------------
    def time_ms(self) -> int | None:
        playing = self._playing
        if playing is None:
            return None
        with self._lock:
            if playing.seek_ms is not None:
                return playing.seek_ms
            return playing.shown_ms if playing.shown_ms is not None else playing.session.asked_ms

    def shown(self) -> tuple[int, av.VideoFrame] | None:
        """The picture on screen and the moment it shows, read together."""
        playing = self._playing
        if playing is None:
            return None
        with self._lock:
            frame, moment = self.last_frame, playing.shown_ms
        return (moment, frame) if frame is not None and moment is not None else None

    @property
    def first_frame(self) -> av.VideoFrame | None:
        """The first picture of the newest open or seek (None until it is decoded)."""
        playing = self._playing
        if playing is None:
            return None
        with self._lock:
            return playing.first_frame if playing.first_run == playing.runs_asked else None

    @property
    def failure(self) -> str:
        playing = self._playing
        return playing.session.failure if playing is not None else ""

    @property
    def session_number(self) -> int:
        """RTSP sessions opened so far (a seek, a pause or a new speed opens none)."""
        return self._sessions

    @property
    def run_number(self) -> int:
        """Opens and seeks asked in the current session (1 after an open)."""
        playing = self._playing
        return playing.runs_asked if playing is not None else 0

    def refusals(self) -> list[Refusal]:
        """What the recorder refused since the last call."""
        playing = self._playing
        if playing is None:
            return []
        with self._lock:
            taken, playing.refusals = playing.refusals, []
        return taken

    # -- the session's answers (network loop) ---------------------------------------------------------------------
    def _answered(self, playing: _Playing, step: Step, ok: bool, detail: str) -> None:
        if step is Step.PAUSE and ok:
            self._lane.put(lambda: self._show_latest(playing))  # the still is the last picture decoded
        if not ok:
            with self._lock:
                playing.refusals.append(Refusal(step, self.scale, detail))
                if step is Step.SEEK:
                    playing.seek_ms = None  # the stream goes on where it was
            log.warning("recorder playback: the recorder refused %s: %s", step.value, detail)
            if playing is self._playing:
                self.scale = playing.session.scale  # the speed it goes on at

    # -- decoding (a hand-off lane) -------------------------------------------------------------------------------
    def _decode(self, playing: _Playing, item: Picture) -> None:
        if playing is not self._playing or item.run < playing.runs_asked:
            return
        codec = playing.codec
        if codec is None:
            made = av.CodecContext.create(playing.session.codec, "r")
            assert isinstance(made, VideoCodecContext)
            made.thread_count = 1
            codec = playing.codec = made
        packet = av.Packet(item.data)
        packet.pts = item.moment_ms
        packet.time_base = _MS
        try:
            frames = codec.decode(packet)
        except av.error.FFmpegError as exc:
            log.debug("recorder playback: a picture could not be decoded: %s", exc)
            return
        for frame in frames:
            moment = int(frame.pts) if frame.pts is not None else item.moment_ms
            self._decoded(playing, frame, moment, item.run)

    def _decoded(self, playing: _Playing, frame: av.VideoFrame, moment: int, run: int) -> None:
        first = playing.first_run != run
        playing.latest, playing.latest_shown = (frame, moment), False
        if self.paused and not first:
            return  # shown once the pause is answered (`_show_latest`)
        if first or time.monotonic() - playing.shown_at >= 1.0 / SHOW_PER_S:
            self._show(playing, frame, moment, run)

    def _show_latest(self, playing: _Playing) -> None:
        if playing.latest is not None and not playing.latest_shown and playing is self._playing:
            frame, moment = playing.latest
            self._show(playing, frame, moment, playing.first_run)

    def _show(self, playing: _Playing, frame: av.VideoFrame, moment: int, run: int) -> None:
        pixels = np.asarray(frame.to_ndarray(format="bgra"), dtype=np.uint8)
        height, width = pixels.shape[:2]
        if (width, height) != (self.picture.width, self.picture.height):
            resized = ShownPicture(width, height)
            resized.shown = self.picture.shown
            self.picture = resized
        with self._lock:
            if playing is not self._playing:
                return
            if playing.first_run != run:
                playing.first_run, playing.first_frame = run, frame
                playing.seek_ms = None
            playing.shown_ms, playing.shown_at, playing.latest_shown = moment, time.monotonic(), True
            self.last_frame = frame
        self.picture.put(pixels)
