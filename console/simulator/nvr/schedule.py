"""What a simulated recorder holds on its disks: each channel recorded continuously for a few days, with a few gaps a
day, cut into files at the device's local hour boundaries (as NVRs cut theirs), the newest file still growing.

Times are epoch milliseconds (UTC); the hour and day boundaries are the device's local ones (`zone_offset_s`), so a
recorder set to the wrong zone cuts its files at other hours, as a real one does.
"""

from __future__ import annotations

from dataclasses import dataclass

SECOND_MS = 1000
MINUTE_MS = 60 * SECOND_MS
HOUR_MS = 60 * MINUTE_MS
DAY_MS = 24 * HOUR_MS
DEFAULT_DAYS = 3  # today and the two days before it
NOMINAL_BITRATE_BPS = 4_096_000  # what a file's declared size is made from (the loops are CRF-coded)


@dataclass(frozen=True)
class Span:
    start_ms: int
    end_ms: int

    def overlaps(self, start_ms: int, end_ms: int) -> bool:
        return self.start_ms < end_ms and start_ms < self.end_ms


@dataclass(frozen=True)
class RecordedFile:
    """One file of one channel as the recorder lists it; a phantom one is listed with nothing behind it."""

    channel: int
    start_ms: int
    end_ms: int
    phantom: bool = False

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms

    @property
    def size_bytes(self) -> int:
        return 0 if self.phantom else self.duration_ms * NOMINAL_BITRATE_BPS // 8 // SECOND_MS

    @property
    def name(self) -> str:
        """The recorder's id of the file (Hikvision's `name=` of a playback URI)."""
        return f"{self.channel:03d}{self.start_ms // SECOND_MS:011d}"


def daily_gaps(channel: int) -> tuple[tuple[int, int], ...]:
    """(offset from local midnight, length) of each day's gaps: a 10-minute outage in the night and a 90-second one
    in the afternoon, at minutes that differ by channel."""
    return ((2 * HOUR_MS + (channel * 7 % 50) * MINUTE_MS, 10 * MINUTE_MS),
            (13 * HOUR_MS + 30 * MINUTE_MS + (channel * 3 % 20) * MINUTE_MS, 90 * SECOND_MS))


class RecordingSchedule:
    """One channel's recordings from local midnight `days - 1` days before `now_ms` on, still recording at now."""

    def __init__(self, channel: int, since_ms: int, zone_offset_s: int, gaps: tuple[Span, ...]) -> None:
        self.channel = channel
        self.since_ms = since_ms
        self.zone_offset_ms = zone_offset_s * SECOND_MS
        self.gaps = tuple(sorted(gaps, key=lambda g: g.start_ms))

    @classmethod
    def typical(cls, channel: int, now_ms: int, zone_offset_s: int, days: int = DEFAULT_DAYS) -> RecordingSchedule:
        zone_ms = zone_offset_s * SECOND_MS
        first_midnight = (now_ms + zone_ms) // DAY_MS * DAY_MS - (days - 1) * DAY_MS - zone_ms
        gaps = [Span(midnight + offset, midnight + offset + length)
                for day in range(days + 1) for midnight in (first_midnight + day * DAY_MS,)
                for offset, length in daily_gaps(channel)]
        return cls(channel, first_midnight, zone_offset_s, tuple(gaps))

    # -- what is recorded ---------------------------------------------------------------------------------------
    def spans(self, start_ms: int, end_ms: int, now_ms: int) -> list[Span]:
        """The recorded stretches within [start, end), clipped to it."""
        low, high = max(start_ms, self.since_ms), min(end_ms, now_ms)
        found: list[Span] = []
        cursor = low
        for gap in self.gaps:
            if cursor >= high:
                break
            if gap.end_ms <= cursor:
                continue
            if gap.start_ms > cursor:
                found.append(Span(cursor, min(gap.start_ms, high)))
            cursor = max(cursor, gap.end_ms)
        if cursor < high:
            found.append(Span(cursor, high))
        return found

    def recorded_at(self, at_ms: int, now_ms: int) -> bool:
        return bool(self.spans(at_ms, at_ms + 1, now_ms))

    def next_recorded(self, at_ms: int, until_ms: int, now_ms: int) -> int | None:
        """`at_ms` when it is recorded, else the start of the next recording before `until_ms` (None: none)."""
        spans = self.spans(at_ms, until_ms, now_ms)
        return spans[0].start_ms if spans else None

    # -- files --------------------------------------------------------------------------------------------------
    def files(self, start_ms: int, end_ms: int, now_ms: int, *, phantom: bool = False) -> list[RecordedFile]:
        """Whole files that overlap [start, end) (a recorder lists a file with its own times, not clipped), in time
        order; with `phantom`, one more file listed in the first gap the window meets."""
        first_hour = self._local_hour_start(max(start_ms, self.since_ms))
        found: list[RecordedFile] = []
        hour = first_hour
        while hour < min(end_ms, now_ms):
            for span in self.spans(hour, hour + HOUR_MS, now_ms):
                if span.overlaps(start_ms, end_ms):
                    found.append(RecordedFile(self.channel, span.start_ms, span.end_ms))
            hour += HOUR_MS
        if phantom:
            gap = next((g for g in self.gaps if g.overlaps(start_ms, end_ms) and g.start_ms < now_ms), None)
            if gap is not None and gap.end_ms - gap.start_ms > 2 * MINUTE_MS:
                found.append(RecordedFile(self.channel, gap.start_ms + MINUTE_MS, gap.start_ms + 2 * MINUTE_MS,
                                          phantom=True))
                found.sort(key=lambda f: f.start_ms)
        return found

    def _local_hour_start(self, at_ms: int) -> int:
        return (at_ms + self.zone_offset_ms) // HOUR_MS * HOUR_MS - self.zone_offset_ms

    def local_days(self, start_ms: int, end_ms: int, now_ms: int) -> set[int]:
        """Device-local day numbers (days since 1970 on the local calendar) that hold any recording."""
        days: set[int] = set()
        for span in self.spans(start_ms, end_ms, now_ms):
            first = (span.start_ms + self.zone_offset_ms) // DAY_MS
            last = (span.end_ms - 1 + self.zone_offset_ms) // DAY_MS
            days.update(range(first, last + 1))
        return days
