"""The playback window's side of the station's recorder (NVR): the searches and calendars of the camera's recorder
channel asked on the network loop and their outcomes brought back to the GUI thread, the recorder's RTSP playback
(a seek inside the range its session was opened for, a pause and a new speed stay in that session), and what the
officer is told (in Vietnamese) when the recorder refuses. The rules (which source plays where) are
`console.nvr.playback_source`'s; this only carries them to and from the widgets.

`RecorderLink` is the main window's handle on the recorders' services: `RecorderLink.of(widget)` finds it from the
playback window (a child of the main window), as `PlateDesk.of` does.
"""

from __future__ import annotations

import concurrent.futures
import logging
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QObject, Signal

from console.core.recording import TimeRange
from console.media.recorder_rtsp import Step
from console.media.recorder_stream import RecorderStreamPlayer
from console.nvr.errors import NvrError, NvrErrorKind
from console.nvr.playback_source import (
    PLAYBACK_WINDOW_MS,
    DaySearch,
    PlaybackTarget,
    RecorderAccess,
    RecorderPlayback,
    gaps_filled,
    vn_days,
)
from console.ui.playback.speeds import speed_label
from console.ui.shell.i18n import ui_lang
from console.ui.widgets.main_window_part import main_window_part

log = logging.getLogger(__name__)

LINK_NAME = "recorderLink"


class RecorderLink(QObject):
    """The recorders' services (`console.nvr.services.RecorderServices`), made findable from a window."""

    def __init__(self, parent: QObject, recorders: RecorderAccess) -> None:
        super().__init__(parent)
        self.setObjectName(LINK_NAME)
        self.recorders = recorders

    @staticmethod
    def of(widget: QObject) -> RecorderLink | None:
        return main_window_part(widget, RecorderLink, LINK_NAME)


class _Relay(QObject):
    """A future's outcome, from the network loop's thread to the GUI thread (a queued signal)."""

    arrived = Signal(object)


class RecorderSide(QObject):
    ranges_changed = Signal()  # a day's search arrived: the timeline draws it
    days_found = Signal(object)  # set[date] of a month, for the calendar
    refused = Signal(str)  # a sentence for the status line
    playing = Signal(object)  # a recorder playback opened at this moment (epoch ms: a Python int)

    def __init__(self, recorders: RecorderAccess, camera_label: Callable[[str], str],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.source = RecorderPlayback(recorders)
        self.player = RecorderStreamPlayer()
        self._label = camera_label
        self._relay = _Relay(self)
        self._relay.arrived.connect(self._arrived)
        self._asked_url = 0  # the newest playback asked for: an older URL arriving late is not opened
        self._said_failure = -1  # the session whose failure the officer was told
        self._closed = False
        self._session: tuple[str, TimeRange] | None = None  # the open session's camera and the range it plays

    # -- what the window asks -------------------------------------------------------------------------------------
    def available(self, camera_id: str) -> bool:
        return self.source.channel_of(camera_id) is not None

    def recorder_of(self, camera_id: str) -> str:
        where = self.source.channel_of(camera_id)
        return where[0] if where is not None else ""

    def ask_view(self, camera_id: str, start_ms: int, end_ms: int, again: bool = False) -> None:
        """Search the days the view shows that were not searched yet (`again`: also those that failed; the
        officer opened the camera anew), on the network loop."""
        if not self.available(camera_id):
            return
        for day in vn_days(start_ms, end_ms):
            known = self.source.searched(camera_id, day)
            if known is None or (again and known.error is not None):
                self._watch(("day", camera_id), self.source.search_day(camera_id, day))

    def known(self, camera_id: str, at_ms: int) -> bool:
        """The day of this moment was searched (well or not)."""
        return self.source.searched(camera_id, vn_days(at_ms, at_ms + 1)[0]) is not None

    def ranges(self, camera_id: str, own: list[TimeRange], start_ms: int, end_ms: int) -> list[TimeRange]:
        """The recorder's ranges in the view, less the console's own (what it adds)."""
        if not self.available(camera_id):
            return []
        return gaps_filled(own, self.source.ranges(camera_id, start_ms, end_ms))

    def covers(self, camera_id: str, at_ms: int) -> bool:
        return self.available(camera_id) and self.source.segment_at(camera_id, at_ms) is not None

    def ask_month(self, camera_id: str, year: int, month: int) -> None:
        if self.available(camera_id):
            self._watch(("month", camera_id), self.source.month_days(camera_id, year, month))

    def play(self, camera_id: str, at_ms: int) -> None:
        """Open the recorder's playback at this moment (the URL is made on the network loop)."""
        self._asked_url += 1
        self.player.close()
        self._session = None
        self._watch(("url", camera_id, at_ms, self._asked_url), self.source.playback_url(camera_id, at_ms))

    def seek(self, camera_id: str, at_ms: int) -> None:
        """In the open session when it plays this camera and the moment is in its range (PLAY with Range), else a
        new session there."""
        session = self._session
        if session is not None and session[0] == camera_id and session[1].contains(at_ms) \
                and not self.player.failure:
            self.player.seek(at_ms)
            self.playing.emit(at_ms)
        else:
            self.play(camera_id, at_ms)

    def pause(self) -> None:
        self.player.pause()

    def resume(self, camera_id: str) -> None:
        """On from the paused picture in the same session; a session the recorder ended meanwhile is opened anew
        there."""
        moment = self.player.time_ms()
        if self.player.failure and moment is not None:
            self.play(camera_id, moment)
        else:
            self.player.resume()

    def set_scale(self, scale: float) -> None:
        self.player.set_scale(scale)

    def stop(self) -> None:
        self._asked_url += 1
        self._session = None
        self.player.close()

    def close(self) -> None:
        """The window is closing: the playback ends and outcomes still on their way are dropped."""
        self._closed = True
        self.stop()

    def refusal_to_say(self, camera_id: str) -> str | None:
        """What the recorder refused since the last call (a speed it does not play, a seek), as one sentence."""
        refused = self.player.refusals()
        if not refused:
            return None
        last = refused[-1]
        if last.step in (Step.SCALE, Step.RESUME):
            return self.tr("Recorder {recorder} does not play camera {camera} at {speed} ({detail}): it goes on "
                           "at {current}.").format(recorder=self.recorder_of(camera_id),
                                                   camera=self._label(camera_id), speed=speed_label(last.scale),
                                                   detail=last.detail, current=speed_label(self.player.scale))
        return self.tr("Recorder {recorder} refused to move camera {camera}'s playback ({detail}).").format(
            recorder=self.recorder_of(camera_id), camera=self._label(camera_id), detail=last.detail)

    def failure_to_say(self, camera_id: str) -> str | None:
        """The playback's failure as a sentence, once per session."""
        failure = self.player.failure
        if not failure or self._said_failure == self.player.session_number:
            return None
        self._said_failure = self.player.session_number
        if "401" in failure or "nauthorized" in failure:
            reason = self.tr("the recorder refused the login (wrong user name or password)")
        elif "403" in failure or "orbidden" in failure:
            reason = self.tr("the recorder's account may not play back")
        else:
            reason = self.tr("the playback stopped ({detail})").format(detail=failure)
        return self.tr("Recorder {recorder} could not play camera {camera}: {reason}").format(
            recorder=self.recorder_of(camera_id), camera=self._label(camera_id), reason=reason)

    def describe(self, camera_id: str, error: NvrError) -> str:
        """A recorder's refusal in the officer's words, naming the recorder and the camera."""
        reason = error.message_vi if ui_lang() == "vi" else error.message_en
        if error.kind is NvrErrorKind.CANCELLED:
            return reason
        return self.tr("Recorder {recorder} (camera {camera}): {reason}").format(
            recorder=self.recorder_of(camera_id), camera=self._label(camera_id), reason=reason)

    # -- outcomes -------------------------------------------------------------------------------------------------
    def _watch(self, tag: tuple[object, ...], future: concurrent.futures.Future[object]
               | concurrent.futures.Future[DaySearch] | concurrent.futures.Future[PlaybackTarget]
               | concurrent.futures.Future[frozenset[date]]) -> None:
        future.add_done_callback(lambda done: self._relay.arrived.emit((tag, done)))

    def _arrived(self, item: tuple[tuple[object, ...], concurrent.futures.Future[object]]) -> None:
        tag, future = item
        kind, camera_id = str(tag[0]), str(tag[1])
        if self._closed or future.cancelled():
            return
        error = future.exception()
        if isinstance(error, NvrError):
            self.refused.emit(self.describe(camera_id, error))
            return
        if error is not None:
            log.error("a recorder call for %s failed", camera_id, exc_info=error)
            return
        outcome = future.result()
        if kind == "day" and isinstance(outcome, DaySearch):
            if outcome.error is not None:
                self.refused.emit(self.describe(camera_id, outcome.error))
            self.ranges_changed.emit()
        elif kind == "month" and isinstance(outcome, frozenset):
            self.days_found.emit(set(outcome))
        elif kind == "url" and isinstance(outcome, PlaybackTarget) and tag[3] == self._asked_url:
            at_ms = int(str(tag[2]))
            segment = self.source.segment_at(camera_id, at_ms)
            self._session = (camera_id, TimeRange(at_ms, segment.end_ms if segment is not None
                                                  else at_ms + PLAYBACK_WINDOW_MS))
            self.player.open(outcome.url, at_ms, outcome.clock)
            self.playing.emit(at_ms)
