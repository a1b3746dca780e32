"""Reading recorder streams: multipart event streams part by part as they come, and downloads written to a file
with Dahua's preamble dropped (a false `DHAV` among its bytes not taken), progress reported, cancel honoured, and
nothing left behind when a download fails."""

from __future__ import annotations

import asyncio
import struct
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from console.nvr.download import NoMediaError, dhav_start, save
from console.nvr.models import DownloadProgress, MediaFormat
from console.nvr.multipart import MultipartError, MultipartStream, boundary_of


def test_the_boundary_is_read_from_the_content_type() -> None:
    assert boundary_of("multipart/mixed; boundary=boundary") == "boundary"
    assert boundary_of('multipart/x-mixed-replace; boundary="myboundary"') == "myboundary"
    assert boundary_of("text/plain") is None


def test_parts_come_whole_however_the_bytes_are_cut() -> None:
    data = (b"--myboundary\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\nHeartbeat\r\n\r\n"
            b"--myboundary\r\nContent-Type: text/plain\r\n\r\nCode=VideoMotion;action=Start;index=0\r\n"
            b"--myboundary\r\nContent-Length: 3\r\n\r\nabc")
    for step in (1, 7, len(data)):
        stream = MultipartStream("myboundary")
        parts = [p for i in range(0, len(data), step) for p in stream.feed(data[i:i + step])]
        assert [p.body for p in parts] == [b"Heartbeat", b"Code=VideoMotion;action=Start;index=0", b"abc"]


def test_a_part_with_a_length_is_handed_over_before_the_next_boundary() -> None:
    stream = MultipartStream("boundary")
    assert [p.body for p in stream.feed(b"--boundary\r\nContent-Length: 2\r\n\r\nok")] == [b"ok"]


def test_announced_dashes_and_missing_blank_lines_are_tolerated() -> None:
    stream = MultipartStream("--frontier")
    parts = stream.feed(b"\r\n--frontier\r\nContent-Type: application/xml\r\n\r\n<a/>"
                        b"--frontier\r\n\r\n<b/>\r\n--frontier")
    assert [p.body for p in parts] == [b"<a/>", b"<b/>"] and parts[0].content_type == "application/xml"


def test_bytes_where_a_boundary_must_be_are_refused() -> None:
    with pytest.raises(MultipartError):
        MultipartStream("boundary").feed(b"HTTP/1.1 200 OK garbage garbage")


def dhav_frame(payload: bytes, kind: int = 0xFD) -> bytes:
    length = 24 + len(payload) + 8
    head = struct.pack("<4sBBBBIII", b"DHAV", kind, 0, 0, 0, 1, length, 0) + struct.pack("<HBB", 0, 0, 0)
    return head + payload + b"dhav" + struct.pack("<I", length)


def test_the_first_dhav_frame_is_found_past_a_preamble_and_a_false_magic() -> None:
    false_magic = b"xxDHAV\xfd" + b"\x00" * 30  # looks like a header, has no trailer
    frame = dhav_frame(b"\x00\x00\x00\x01\x67" + b"p" * 100)
    data = false_magic + frame + dhav_frame(b"q" * 10, 0xFC)
    assert dhav_start(data) == len(false_magic)
    assert dhav_start(data[: len(false_magic) + 30]) is None  # the frame's trailer not here yet


async def chunks_of(data: bytes, size: int) -> AsyncIterator[bytes]:
    for offset in range(0, len(data), size):
        await asyncio.sleep(0)
        yield data[offset: offset + size]


def test_a_download_is_written_without_its_preamble(tmp_path: Path) -> None:
    media = dhav_frame(b"a" * 5000) + dhav_frame(b"b" * 5000, 0xFC)
    target = tmp_path / "clip.dav"
    reports: list[DownloadProgress] = []
    written, skipped, _ = asyncio.run(save(chunks_of(b"\x01" * 777 + media, 1000), target, MediaFormat.DAHUA_DAV,
                                           expected_bytes=777 + len(media), on_progress=reports.append))
    assert (written, skipped) == (len(media), 777)
    assert target.read_bytes() == media
    assert reports[-1].fraction == 1.0 and reports[-1].received_bytes == 777 + len(media)


def test_a_hikvision_download_starts_at_its_file_header(tmp_path: Path) -> None:
    target = tmp_path / "clip.ps"
    data = b"IMKH" + b"\x00" * 36 + b"\x00\x00\x01\xba" + b"p" * 100
    asyncio.run(save(chunks_of(data, 7), target, MediaFormat.HIKVISION_PS, expected_bytes=None))
    assert target.read_bytes() == data


@pytest.mark.parametrize("data", [b"", b"<html>Error</html>" * 10])
def test_a_download_without_media_leaves_nothing(tmp_path: Path, data: bytes) -> None:
    target = tmp_path / "clip.dav"
    with pytest.raises(NoMediaError):
        asyncio.run(save(chunks_of(data, 4), target, MediaFormat.DAHUA_DAV, expected_bytes=None))
    assert list(tmp_path.iterdir()) == []


def test_a_cancelled_download_leaves_nothing(tmp_path: Path) -> None:
    cancel = asyncio.Event()

    async def endless() -> AsyncIterator[bytes]:
        yield dhav_frame(b"a" * 100)
        cancel.set()
        while True:
            await asyncio.sleep(0)
            yield b"more"

    with pytest.raises(asyncio.CancelledError):
        asyncio.run(save(endless(), tmp_path / "clip.dav", MediaFormat.DAHUA_DAV, expected_bytes=None, cancel=cancel))
    assert list(tmp_path.iterdir()) == []
