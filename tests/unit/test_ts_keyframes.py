"""The keyframe list read from MPEG-TS packets: the same however the bytes arrive, equal to what FFmpeg's
demuxer calls keyframes, saved and read back whole, and enough (tables + a keyframe) to decode mid-file."""

from __future__ import annotations

from pathlib import Path

import av
import pytest

from console.core.recording import SegmentRow
from console.core.stamp import read_stamp
from console.media.ts_keyframes import (
    TS_PACKET,
    Keyframe,
    KeyframeScanner,
    at_or_before,
    header_of,
    pack,
    scan_file,
    unpack,
)
from console.media.vlc_input import KeyframeFinder
from tests.support.stamped_clip import write_stamped_segment


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ts") / "clip.ts"
    write_stamped_segment(path, 4, 320, 180, 10, gop_s=1.0)  # keyframes at 0, 1, 2, 3 s
    return path


def test_the_scan_finds_every_keyframe_ffmpeg_finds(clip: Path) -> None:
    with av.open(str(clip)) as container:
        stream = container.streams.video[0]
        keys = [p.pts for p in container.demux(stream) if p.is_keyframe and p.pts is not None]
    found = scan_file(clip)
    assert [k.offset_ms for k in found] == [(pts - keys[0]) // 90 for pts in keys] == [0, 1000, 2000, 3000]
    assert all(k.byte % TS_PACKET == 0 for k in found)
    assert [k.byte for k in found] == sorted({k.byte for k in found})


@pytest.mark.parametrize("chunk", [100, 187, 189, 4096, 10**7])
def test_the_scanner_is_the_same_whatever_the_chunks(clip: Path, chunk: int) -> None:
    data = clip.read_bytes()
    scanner = KeyframeScanner()
    for at in range(0, len(data), chunk):
        scanner.feed(data[at:at + chunk])
    assert scanner.keyframes == scan_file(clip)


def test_packed_keyframes_come_back_whole() -> None:
    keyframes = [Keyframe(0, 564), Keyframe(2000, 1_076_864), Keyframe(3_600_000, 2**40)]
    assert unpack(pack(keyframes)) == keyframes
    assert unpack(None) == [] and unpack(b"") == []


def test_the_keyframe_at_or_before_a_moment() -> None:
    keyframes = [Keyframe(0, 0), Keyframe(1000, 10), Keyframe(2000, 20)]
    assert at_or_before(keyframes, 0) == keyframes[0]
    assert at_or_before(keyframes, 1999) == keyframes[1]
    assert at_or_before(keyframes, 2000) == keyframes[2]
    assert at_or_before(keyframes, 99_999) == keyframes[2]
    assert at_or_before(keyframes, -1) is None and at_or_before([], 5) is None


def test_tables_and_a_mid_file_keyframe_decode_from_that_keyframe(clip: Path, tmp_path: Path) -> None:
    found = scan_file(clip)
    cut = tmp_path / "cut.ts"
    cut.write_bytes(header_of(clip, found[0].byte) + clip.read_bytes()[found[2].byte:])
    with av.open(str(cut)) as container:
        frame = next(container.decode(video=0))
        luma = frame.to_ndarray(format="gray")
    assert read_stamp(luma) == 2000  # the first picture is the keyframe at 2 s


def test_a_scan_from_a_known_keyframe_goes_on_with_its_times(clip: Path) -> None:
    found = scan_file(clip)
    assert scan_file(clip, after=found[1]) == found[1:]


def test_a_segment_still_recording_has_its_saved_keyframes_and_those_written_since(clip: Path) -> None:
    found = scan_file(clip)
    asked: list[int] = []

    def stored(segment_id: int) -> bytes:
        asked.append(segment_id)
        return pack(found[:2])  # saved a few seconds ago

    finder = KeyframeFinder(clip.parent, stored)
    recording = SegmentRow(7, "C01", 0, 4000, clip.name, clip.stat().st_size, "h264", closed=False)
    assert finder(recording) == found
    closed = SegmentRow(8, "C01", 0, 4000, clip.name, clip.stat().st_size, "h264", closed=True)
    assert finder(closed) == found[:2] and finder(closed) == found[:2]  # as saved, then from the cache
    assert asked == [7, 8]
    assert KeyframeFinder(clip.parent)(closed) == found  # nothing saved (before migration 5): read whole
