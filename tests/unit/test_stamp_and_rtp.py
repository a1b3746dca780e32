"""Timestamp blocks survive scaling; RTP packetization splits and marks access units correctly."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from console.core.stamp import draw_stamp, read_stamp
from console.simulator.rtp import MAX_PAYLOAD, Codec, RtpState, payloads, sdp, split_nals


@pytest.mark.parametrize("size", [(640, 360), (256, 144), (384, 216), (1920, 1080)])
def test_stamp_reads_back_after_scaling(size: tuple[int, int]) -> None:
    luma = np.full((360, 640), 120, np.uint8)
    ms = 1_795_517_761_234
    draw_stamp(luma, ms)
    scaled = np.asarray(Image.fromarray(luma).resize(size, Image.Resampling.BILINEAR))
    assert read_stamp(scaled, reference_ms=ms + 150) == ms


def test_picture_without_stamp_reads_none() -> None:
    rng = np.random.default_rng(1)
    assert read_stamp(rng.integers(0, 255, (360, 640), dtype=np.uint8)) is None
    assert read_stamp(np.full((360, 640), 128, np.uint8)) is None


def test_damaged_stamp_fails_its_checksum() -> None:
    luma = np.full((360, 640), 120, np.uint8)
    draw_stamp(luma, 1_795_517_761_234)
    block = 640 // 48
    luma[310:340, 20 * block:21 * block] = 255 - luma[320, 20 * block + 5]  # flip one data bit
    assert read_stamp(luma) is None


def test_split_nals_handles_3_and_4_byte_start_codes() -> None:
    stream = b"\x00\x00\x00\x01\x67\x42\x00\x1e" + b"\x00\x00\x01\x68\xce" + b"\x00\x00\x00\x01\x65\x88\x84"
    assert split_nals(stream) == [b"\x67\x42\x00\x1e", b"\x68\xce", b"\x65\x88\x84"]


def test_large_nal_becomes_fu_a_fragments_that_reassemble() -> None:
    nal = bytes([0x65]) + bytes(range(256)) * 20
    chunks = payloads(Codec.H264, [nal])
    assert len(chunks) > 1 and all(len(c) <= MAX_PAYLOAD for c in chunks)
    assert chunks[0][0] & 0x1F == 28 and chunks[0][1] & 0x80 and chunks[-1][1] & 0x40
    rebuilt = bytes([(chunks[0][0] & 0xE0) | (chunks[0][1] & 0x1F)]) + b"".join(c[2:] for c in chunks)
    assert rebuilt == nal


def test_h265_fragments_keep_the_nal_type() -> None:
    nal = bytes([19 << 1, 1]) + bytes(4000)
    chunks = payloads(Codec.H265, [nal])
    assert all((c[0] >> 1) & 0x3F == 49 for c in chunks)
    assert chunks[0][2] == 0x80 | 19 and chunks[-1][2] == 0x40 | 19


def test_marker_bit_only_on_last_packet_and_sequence_wraps() -> None:
    state = RtpState(ssrc=0x1234, seq=0xFFFE, ts_base=0)
    packets = state.packets([b"a", b"b", b"c"], timestamp=90_000)
    assert [p[1] & 0x80 for p in packets] == [0, 0, 0x80]
    assert [int.from_bytes(p[2:4], "big") for p in packets] == [0xFFFE, 0xFFFF, 0]


def test_sdp_carries_parameter_sets_and_track_control() -> None:
    text = sdp(Codec.H264, {"sps": b"\x67\x64\x00\x1f", "pps": b"\x68\xee"}, 15, 640, 360, "Cổng làng", 1)
    assert "profile-level-id=64001f" in text and "sprop-parameter-sets=Z2QAHw==,aO4=" in text
    assert "a=control:trackID=1" in text and "s=Cổng làng" in text
