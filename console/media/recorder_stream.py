"""The recorder's RTSP playback in the playback window, through PyAV: one session per moment, decoded on its own
thread, the latest picture handed over like libVLC's (`ShownPicture`), a failure kept for the window to say.

Hand-written rather than libVLC: Debian's libVLC is built without live555 and cannot open `rtsp://`
(ARCHITECTURE.md). FFmpeg's RTSP client sends no `Scale` and no `PAUSE` between PLAYs, so the recorder plays at 1×;
a pause ends the session (the still stays on screen) and play, like a seek, opens a new one at the moment, as a
player without RTSP clock seeks does (`benchmarks/nvr.py` measures that). A session that is replaced is only told
to stop: its thread ends at its next packet or at the read timeout, never joined on the GUI thread.

The recorder starts a playback at the keyframe at or before the moment asked, and FFmpeg does not hand over PLAY's
`Range: clock=` answer, so the moment shown is the one asked plus the stream's time since its first picture:
right to within one GOP.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

import av
import av.error
import numpy as np

from console.core.redact import redact
from console.media.player import ShownPicture

log = logging.getLogger(__name__)

OPEN_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 5.0
# As benchmarks/nvr.py opens a recorder's playback: no `nobuffer` (it drops the GOP read while probing).
PLAYER_OPTIONS = {"rtsp_transport": "tcp", "timeout": str(int(READ_TIMEOUT_S * 1_000_000)), "probesize": "32768",
                  "analyzeduration": "500000"}
DEFAULT_SIZE = (640, 360)


@dataclass
class _Session:
    url: str
    at_ms: int
    number: int
    stop: threading.Event = field(default_factory=threading.Event)
    shown_ms: int | None = None  # the moment of the last picture handed over
    first_frame: av.VideoFrame | None = None  # the session's first picture (the keyframe it started with)
    failure: str = ""  # FFmpeg's words (redacted) when the session could not open or broke off


class RecorderStreamPlayer:
    """Plays a recorder's RTSP playback URL from a moment; every call returns at once (GUI thread)."""

    def __init__(self) -> None:
        self.picture = ShownPicture(*DEFAULT_SIZE)
        self._lock = threading.Lock()
        self._session: _Session | None = None
        self._sessions = 0
        self.paused = False
        self._paused_ms: int | None = None
        self.last_frame: av.VideoFrame | None = None  # the picture on screen, as decoded (tests read its luma)

    # -- controls ---------------------------------------------------------------------------------------------
    def open(self, url: str, at_ms: int) -> None:
        """A new session from this moment (the old one told to stop); playing."""
        self._stop_session()
        with self._lock:
            self._sessions += 1
            session = _Session(url, at_ms, self._sessions)
            self._session = session
        self.paused, self._paused_ms = False, None
        threading.Thread(target=self._run, args=(session,), name=f"nvr-playback-{session.number}",
                         daemon=True).start()

    def pause(self) -> None:
        """The session ends; the last picture stays and its moment is kept for `url_at` / resuming."""
        if self.paused:
            return
        self._paused_ms = self.time_ms()
        self.paused = True
        self._stop_session()

    def resume_at(self) -> int | None:
        """Where a resume starts (the paused moment)."""
        return self._paused_ms

    def close(self) -> None:
        self._stop_session()
        with self._lock:
            self._session = None

    def _stop_session(self) -> None:
        with self._lock:
            if self._session is not None:
                self._session.stop.set()

    # -- where we are -------------------------------------------------------------------------------------------
    def time_ms(self) -> int | None:
        if self.paused:
            return self._paused_ms
        session = self._session
        if session is None:
            return None
        return session.shown_ms if session.shown_ms is not None else session.at_ms

    @property
    def first_frame(self) -> av.VideoFrame | None:
        session = self._session
        return session.first_frame if session is not None else None

    @property
    def failure(self) -> str:
        session = self._session
        return session.failure if session is not None else ""

    @property
    def session_number(self) -> int:
        return self._sessions

    # -- the session's thread ---------------------------------------------------------------------------------
    def _run(self, session: _Session) -> None:
        try:
            with av.open(session.url, options=PLAYER_OPTIONS, timeout=(OPEN_TIMEOUT_S, READ_TIMEOUT_S)) as container:
                stream = container.streams.video[0]
                stream.thread_count = 1
                base = stream.time_base
                origin: int | None = None
                for packet in container.demux(stream):
                    if session.stop.is_set():
                        return
                    for frame in packet.decode():
                        if frame.pts is None or base is None:
                            continue
                        origin = frame.pts if origin is None else origin
                        self._show(session, frame, session.at_ms + int((frame.pts - origin) * base * 1000))
                if not session.stop.is_set():
                    session.failure = "end of stream"
        except (av.error.FFmpegError, OSError, IndexError) as exc:
            if not session.stop.is_set():
                session.failure = redact(str(exc))
                log.warning("recorder playback session %d failed: %s", session.number, session.failure)

    def _show(self, session: _Session, frame: av.VideoFrame, at_ms: int) -> None:
        if session.stop.is_set() or session is not self._session:
            return
        pixels = np.asarray(frame.to_ndarray(format="bgra"), dtype=np.uint8)
        height, width = pixels.shape[:2]
        if (width, height) != (self.picture.width, self.picture.height):
            resized = ShownPicture(width, height)
            resized.shown = self.picture.shown
            self.picture = resized
        self.picture.put(pixels)
        if session.first_frame is None:
            session.first_frame = frame
        self.last_frame = frame
        session.shown_ms = at_ms
