"""RTP → access units for H.264 and H.265: closed on the marker bit, byte-equal to FFmpeg's Annex B (4-byte start
codes), lost packets never make a partial picture, the next keyframe recovers."""

from __future__ import annotations

import base64
import random
import struct

import pytest

from console.media.rtp.depacketize import H264, HEVC, START, AccessUnit, Depacketizer, SdpError, sdp_extradata
from console.simulator.rtp import Codec, PacketLoss, RtpState, payloads

SIM = {H264: Codec.H264, HEVC: Codec.H265}


def nal(codec: str, kind: int, size: int, seed: int) -> bytes:
    body = random.Random(seed).randbytes(size)
    header = bytes(((kind << 1) & 0x7E, 1)) if codec == HEVC else bytes((0x60 | kind,))
    return header + body


def gop(codec: str, frames: int, seed: int = 0) -> list[list[bytes]]:
    """A keyframe with its parameter sets (big: fragmented), then small and big predicted frames."""
    if codec == HEVC:
        first = [nal(codec, 32, 20, seed), nal(codec, 33, 30, seed + 1), nal(codec, 34, 8, seed + 2),
                 nal(codec, 19, 9000, seed + 3)]  # VPS SPS PPS IDR_W_RADL
    else:
        first = [nal(codec, 7, 20, seed), nal(codec, 8, 4, seed + 1), nal(codec, 5, 9000, seed + 3)]
    units = [first]
    for i in range(1, frames):  # TRAIL_R (H.265) or a non-IDR slice (H.264): both type 1
        units.append([nal(codec, 1, 300 if i % 2 else 4000, seed + 10 + i)])
    return units


Rtp = tuple[int, int, bool, bytes]  # sequence number, timestamp, marker, payload


def rtp_packets(codec: str, units: list[list[bytes]], seq: int = 0, ts_base: int = 0) -> list[Rtp]:
    """The simulator's packetizer (single NAL units and fragmentation units, marker on each unit's last)."""
    state = RtpState(ssrc=1, seq=seq, ts_base=ts_base)
    out = []
    for index, unit in enumerate(units):
        for packet in state.packets(payloads(SIM[codec], unit), index * 6000):
            _, second, number, ts, _ = struct.unpack_from("!BBHII", packet)
            out.append((number, ts, bool(second & 0x80), packet[12:]))
    return out


def annexb(unit: list[bytes]) -> bytes:
    return b"".join(START + n for n in unit)


def feed(depacketizer: Depacketizer, packets: list[Rtp]) -> list[AccessUnit]:
    out: list[AccessUnit] = []
    for packet in packets:
        out += depacketizer.push(*packet)
    return out


@pytest.mark.parametrize("codec", [H264, HEVC])
def test_each_access_unit_is_handed_over_on_its_marker_bit_byte_equal(codec: str) -> None:
    units = gop(codec, 6)
    depacketizer = Depacketizer(codec)
    handed: list[tuple[int, AccessUnit]] = []
    for index, packet in enumerate(rtp_packets(codec, units)):
        handed += [(index, unit) for unit in depacketizer.push(*packet)]
    markers = [i for i, p in enumerate(rtp_packets(codec, units)) if p[2]]
    assert [i for i, _ in handed] == markers  # at the marker itself, not when the next unit begins
    assert [u.data for _, u in handed] == [annexb(u) for u in units]
    assert [u.key for _, u in handed] == [True] + [False] * 5
    assert [u.timestamp for _, u in handed] == [i * 6000 for i in range(6)]
    assert depacketizer.stats.units == 6 and depacketizer.stats.dropped_units == 0
    assert max(len(p[3]) for p in rtp_packets(codec, units)) <= 1400  # the 9 kB keyframe did come in pieces


@pytest.mark.parametrize("codec", [H264, HEVC])
def test_a_lost_fragment_drops_its_unit_and_what_follows_until_the_next_keyframe(codec: str) -> None:
    units = gop(codec, 4) + gop(codec, 3, seed=100)
    packets = rtp_packets(codec, units)
    third_frame_last = [i for i, p in enumerate(packets) if p[2]][2]
    assert not packets[third_frame_last - 1][2]  # the 4 kB third frame is fragmented: lose a middle piece
    lost = third_frame_last - 1
    depacketizer = Depacketizer(codec)
    handed = feed(depacketizer, packets[:lost] + packets[lost + 1:])
    assert [u.data for u in handed] == [annexb(u) for u in units[:2]] + [annexb(u) for u in units[4:]]
    assert depacketizer.stats.gaps == 1 and depacketizer.stats.dropped_units == 2  # the broken one, the next


def test_sequence_and_timestamp_wrap_are_no_gap() -> None:
    units = gop(H264, 5)
    depacketizer = Depacketizer(H264)
    handed = feed(depacketizer, rtp_packets(H264, units, seq=65530, ts_base=(1 << 32) - 12000))
    assert [u.data for u in handed] == [annexb(u) for u in units] and depacketizer.stats.gaps == 0
    assert [u.timestamp for u in handed] == [(1 << 32) - 12000 + i * 6000 for i in range(5)]  # monotonic


def test_stap_a_carries_the_parameter_sets_and_the_slice_of_one_unit() -> None:
    sps, pps, idr = nal(H264, 7, 20, 1), nal(H264, 8, 4, 2), nal(H264, 5, 600, 3)
    stap = bytes((0x78,)) + b"".join(struct.pack("!H", len(n)) + n for n in (sps, pps))
    depacketizer = Depacketizer(H264)
    assert depacketizer.push(1, 0, False, stap) == []
    [unit] = depacketizer.push(2, 0, True, idr)
    assert unit == AccessUnit(START + sps + START + pps + START + idr, 0, True)


def test_hevc_aggregation_packet() -> None:
    vps, sps, pps = (nal(HEVC, k, 12, k) for k in (32, 33, 34))
    ap = bytes((48 << 1, 1)) + b"".join(struct.pack("!H", len(n)) + n for n in (vps, sps, pps))
    cra = nal(HEVC, 21, 200, 9)
    depacketizer = Depacketizer(HEVC)
    depacketizer.push(7, 90, False, ap)
    assert depacketizer.push(8, 90, True, cra) == [AccessUnit(annexb([vps, sps, pps, cra]), 90, True)]


def test_a_camera_without_marker_bits_gets_each_unit_when_the_timestamp_moves_on() -> None:
    units = gop(H264, 3)
    packets = [(s, t, False, p) for s, t, _, p in rtp_packets(H264, units)]
    handed = feed(Depacketizer(H264), packets)
    assert [u.data for u in handed] == [annexb(u) for u in units[:2]]  # the last waits for its successor


@pytest.mark.parametrize("bad", [
    bytes((0x7C, 0x05)) + b"x" * 10,  # FU-A continuation whose start was never seen
    bytes((0x78, 0x00, 0x50)) + b"x" * 4,  # STAP-A announcing more than it holds
    bytes((0x79,)) + b"x" * 8,  # STAP-B (interleaved mode): not supported
])
def test_a_broken_or_unsupported_packet_makes_no_picture(bad: bytes) -> None:
    depacketizer = Depacketizer(H264)
    key = nal(H264, 5, 100, 1)
    assert depacketizer.push(1, 0, True, key) != []
    assert depacketizer.push(2, 3000, True, bad) == []
    assert depacketizer.push(3, 6000, True, nal(H264, 1, 100, 2)) == []  # waits for a keyframe
    assert depacketizer.push(4, 9000, True, key) == [AccessUnit(START + key, 9000, True)]
    assert depacketizer.stats.dropped_units == 2


def test_nothing_before_the_first_keyframe_and_a_reset_starts_over() -> None:
    depacketizer = Depacketizer(H264)
    assert depacketizer.push(10, 0, True, nal(H264, 1, 50, 1)) == []
    key = nal(H264, 5, 50, 2)
    assert depacketizer.push(11, 3000, True, key) != []
    depacketizer.reset()  # the camera restarted: any sequence number and timestamp is the first
    assert depacketizer.push(500, 77, True, key) == [AccessUnit(START + key, 77, True)]
    assert depacketizer.stats.gaps == 0


def test_sdp_parameter_sets_become_the_decoders_extradata() -> None:
    sps, pps = nal(H264, 7, 20, 1), nal(H264, 8, 4, 2)
    b64 = base64.b64encode
    fmtp = {"packetization-mode": "1", "sprop-parameter-sets": f"{b64(sps).decode()},{b64(pps).decode()}"}
    assert sdp_extradata(H264, fmtp) == START + sps + START + pps
    vps = nal(HEVC, 32, 10, 3)
    hevc = {"sprop-vps": b64(vps).decode(), "sprop-sps": b64(sps).decode(), "sprop-pps": b64(pps).decode()}
    assert sdp_extradata(HEVC, hevc) == START + vps + START + sps + START + pps
    assert sdp_extradata(H264, {"packetization-mode": "1"}) is None
    with pytest.raises(SdpError, match="sprop-parameter-sets"):
        sdp_extradata(H264, {"sprop-parameter-sets": "not base64!"})


def test_the_simulators_loss_fault_loses_bursts_on_schedule_and_a_seeded_share() -> None:
    burst = PacketLoss(burst=2, every=10)
    kept = burst.keep([bytes([i]) for i in range(30)])
    assert [p[0] for p in kept] == [i for i in range(30) if i % 10 < 8] and burst.lost == 6
    share = PacketLoss(rate=0.01, seed=3)
    assert 50 <= len(range(10_000)) - len(share.keep([b"x"] * 10_000)) <= 150  # ~1 %
    with pytest.raises(ValueError):
        PacketLoss(burst=5, every=5)
