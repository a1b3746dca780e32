"""What the recorder simulator holds and serves, without its servers: the recording schedule (gaps, hour files on the
device's local clock, the phantom file), the clock's texts, the DHAV date, and a recording read from a moment
starting at the keyframe at or before it."""

from __future__ import annotations

from datetime import UTC, datetime

from console.simulator.encoding import EncodedFrame, StreamProfile
from console.simulator.loops import EncodedLoop
from console.simulator.nvr.device_time import DeviceClock
from console.simulator.nvr.dhav import packed_date
from console.simulator.nvr.recording_media import LoopFrames
from console.simulator.nvr.schedule import HOUR_MS, MINUTE_MS, RecordingSchedule

NOW = int(datetime(2026, 3, 14, 9, 0, 0, tzinfo=UTC).timestamp() * 1000)  # 16:00 in Vietnam
VN = 7 * 3600
MIDNIGHT = int(datetime(2026, 3, 13, 17, 0, 0, tzinfo=UTC).timestamp() * 1000)  # 14 March 00:00 in Vietnam


def schedule() -> RecordingSchedule:
    return RecordingSchedule.typical(1, NOW, VN)


def test_recordings_run_since_two_local_midnights_ago_until_now() -> None:
    found = schedule()
    assert found.since_ms == MIDNIGHT - 2 * 24 * HOUR_MS
    assert found.spans(NOW - 60_000, NOW + 3_600_000, NOW)[-1].end_ms == NOW


def test_the_days_gaps_are_not_recorded() -> None:
    spans = schedule().spans(MIDNIGHT, MIDNIGHT + 16 * HOUR_MS, NOW)
    assert [(s.start_ms - MIDNIGHT, s.end_ms - MIDNIGHT) for s in spans] == [
        (0, 2 * HOUR_MS + 7 * MINUTE_MS), (2 * HOUR_MS + 17 * MINUTE_MS, 13 * HOUR_MS + 33 * MINUTE_MS),
        (13 * HOUR_MS + 33 * MINUTE_MS + 90_000, 16 * HOUR_MS)]


def test_files_are_cut_at_local_hours_and_listed_whole() -> None:
    files = schedule().files(MIDNIGHT + 2 * HOUR_MS + 30 * MINUTE_MS, MIDNIGHT + 4 * HOUR_MS, NOW)
    assert [(f.start_ms - MIDNIGHT, f.end_ms - MIDNIGHT) for f in files] == [
        (2 * HOUR_MS + 17 * MINUTE_MS, 3 * HOUR_MS), (3 * HOUR_MS, 4 * HOUR_MS)]
    assert files[0].size_bytes > 0 and files[0].name.startswith("001")


def test_the_phantom_file_sits_in_a_gap_with_nothing_behind_it() -> None:
    found = schedule()
    files = found.files(MIDNIGHT, MIDNIGHT + 4 * HOUR_MS, NOW, phantom=True)
    phantoms = [f for f in files if f.phantom]
    assert len(phantoms) == 1 and phantoms[0].size_bytes == 0
    assert not found.spans(phantoms[0].start_ms, phantoms[0].end_ms, NOW)


def test_the_clock_writes_each_vendors_texts() -> None:
    clock = DeviceClock()
    assert clock.isapi(NOW) == "2026-03-14T09:00:00Z" and clock.compact(NOW) == "20260314T090000Z"
    assert clock.isapi_local(NOW) == "2026-03-14T16:00:00+07:00" and clock.posix_zone() == "CST-7:00:00"
    assert clock.dahua(NOW) == "2026-03-14 16:00:00" and clock.read_dahua("2026_03_14_16_00_00") == NOW
    wrong = DeviceClock(z_means_local=True)
    assert wrong.isapi(NOW) == "2026-03-14T16:00:00Z" and wrong.read_isapi("2026-03-14T16:00:00Z") == NOW
    assert DeviceClock(zone_offset_s=8 * 3600).posix_zone() == "CST-8:00:00"


def test_the_dhav_date_packs_the_local_time_to_the_second() -> None:
    date = packed_date(datetime(2026, 3, 14, 16, 5, 9))
    assert (date & 0x3F, date >> 6 & 0x3F, date >> 12 & 0x1F, date >> 17 & 0x1F, date >> 22 & 0xF,
            (date >> 26) + 2000) == (9, 5, 16, 14, 3, 2026)


def test_a_recording_read_from_a_moment_starts_at_its_keyframe() -> None:
    profile = StreamProfile(64, 64, 10, 1.0)
    frames = tuple(EncodedFrame((bytes([n]),), (bytes([n]),), n % 10 == 0) for n in range(40))
    loop = LoopFrames(EncodedLoop(profile, 4.0, frames, {}))
    start = MIDNIGHT + HOUR_MS + 2_345  # 1:00:02.345
    first = next(loop.recording(schedule(), start, start + 5_000, NOW))
    assert first.key and first.at_ms == MIDNIGHT + HOUR_MS + 2_000
    gap_end = MIDNIGHT + 2 * HOUR_MS + 17 * MINUTE_MS
    after_gap = next(loop.recording(schedule(), gap_end - 60_000, gap_end + 5_000, NOW))
    assert after_gap.at_ms == gap_end and after_gap.key
