"""The pictures a simulated recorder holds for a moment: the channel's loop, frame n of the recording being the loop's
frame n (counted from 1970 at the stream's rate), as the live camera showed it at that moment.

A recording read from a moment starts at the keyframe at or before it (a decoder can start nowhere else), skips the
gaps, and after a gap starts again at the first keyframe of the next recorded stretch.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from console.simulator.encoding import EncodedFrame
from console.simulator.loops import EncodedLoop
from console.simulator.nvr.schedule import RecordingSchedule

START_CODE = b"\x00\x00\x00\x01"


@dataclass(frozen=True)
class RecordedFrame:
    number: int  # frames since 1970 at the stream's rate
    at_ms: int  # the moment it was taken
    key: bool
    annexb: bytes  # the access unit as an Annex B byte stream (start codes, SPS/PPS on keyframes)
    encoded: EncodedFrame  # the same access unit as RTP payloads


class LoopFrames:
    """A loop's access units as Annex B bytes, made once (containers and RTP both reuse them)."""

    def __init__(self, loop: EncodedLoop) -> None:
        self.loop = loop
        self.fps = loop.profile.fps
        self.gop = loop.profile.gop_frames
        self._annexb = [b"".join(START_CODE + nal for nal in frame.nals) for frame in loop.frames]

    def number_at(self, at_ms: int) -> int:
        return at_ms * self.fps // 1000

    def moment(self, number: int) -> int:
        return number * 1000 // self.fps

    def key_at_or_before(self, at_ms: int) -> int:
        number = self.number_at(at_ms)
        return number - number % self.gop

    def first_key_from(self, at_ms: int) -> int:
        number = -(-at_ms * self.fps // 1000)  # the first frame at or after the moment
        return -(-number // self.gop) * self.gop

    def frame(self, number: int) -> RecordedFrame:
        index = number % self.loop.frame_count
        encoded = self.loop.frames[index]
        return RecordedFrame(number, self.moment(number), encoded.key, self._annexb[index], encoded)

    def index(self, number: int) -> int:
        return number % self.loop.frame_count

    def numbers(self, schedule: RecordingSchedule, start_ms: int, end_ms: int, now_ms: int) -> Iterator[int]:
        """Frame numbers of the recording from the keyframe at or before `start_ms` up to `end_ms`, gaps skipped."""
        key_ms = self.moment(self.key_at_or_before(start_ms))
        for span in schedule.spans(key_ms, end_ms, now_ms):
            first = self.first_key_from(span.start_ms)
            last = -(-span.end_ms * self.fps // 1000)  # exclusive
            yield from range(first, last)

    def recording(self, schedule: RecordingSchedule, start_ms: int, end_ms: int,
                  now_ms: int) -> Iterator[RecordedFrame]:
        """The recorded frames from the keyframe at or before `start_ms` up to `end_ms`, gaps skipped."""
        for number in self.numbers(schedule, start_ms, end_ms, now_ms):
            yield self.frame(number)

    def first_moment(self, schedule: RecordingSchedule, start_ms: int, end_ms: int, now_ms: int) -> int | None:
        """When the recording read from `start_ms` really starts (its first keyframe); None: nothing recorded."""
        key_ms = self.moment(self.key_at_or_before(start_ms))
        spans = schedule.spans(key_ms, end_ms, now_ms)
        if not spans:
            return None
        return self.moment(self.first_key_from(spans[0].start_ms))
