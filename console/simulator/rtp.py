"""H.264/H.265 access units split into NAL units and RTP payloads (RFC 6184, RFC 7798), plus SDP."""

from __future__ import annotations

import base64
import random
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

MAX_PAYLOAD = 1400  # fits a 1500-byte Ethernet MTU with IP/UDP/RTP headers
CLOCK_RATE = 90_000
PAYLOAD_TYPE = 96
_START_CODE = re.compile(b"\x00\x00\x01")


class Codec(StrEnum):
    H264 = "h264"
    H265 = "h265"


def split_nals(annexb: bytes) -> list[bytes]:
    """NAL units of an Annex B byte stream, start codes removed."""
    starts = [m.end() for m in _START_CODE.finditer(annexb)]
    nals = []
    for index, start in enumerate(starts):
        end = starts[index + 1] - 3 if index + 1 < len(starts) else len(annexb)
        nal = annexb[start:end]
        while nal.endswith(b"\x00") and index + 1 < len(starts):  # the 4th byte of a 4-byte start code
            nal = nal[:-1]
        if nal:
            nals.append(nal)
    return nals


def nal_type(codec: Codec, nal: bytes) -> int:
    return (nal[0] >> 1) & 0x3F if codec is Codec.H265 else nal[0] & 0x1F


def parameter_sets(codec: Codec, nals: list[bytes]) -> dict[str, bytes]:
    """SPS/PPS (and VPS for H.265) found in a keyframe's NAL units."""
    names = {32: "vps", 33: "sps", 34: "pps"} if codec is Codec.H265 else {7: "sps", 8: "pps"}
    found: dict[str, bytes] = {}
    for nal in nals:
        name = names.get(nal_type(codec, nal))
        if name and name not in found:
            found[name] = nal
    return found


def payloads(codec: Codec, nals: list[bytes]) -> list[bytes]:
    """RTP payloads for one access unit: single NAL packets, or fragmentation units for large NALs."""
    out: list[bytes] = []
    for nal in nals:
        if nal_type(codec, nal) in ((35,) if codec is Codec.H265 else (9,)):
            continue  # access unit delimiters carry nothing a receiver needs
        if len(nal) <= MAX_PAYLOAD:
            out.append(nal)
        elif codec is Codec.H265:
            out.extend(_fragments_h265(nal))
        else:
            out.extend(_fragments_h264(nal))
    return out


def _fragments(body: bytes, header_bytes: int, header: Callable[[int], bytes]) -> list[bytes]:
    """Split a NAL body into fragmentation units; `header(flags)` gives each unit's leading bytes,
    flags being 0x80 on the first unit and 0x40 on the last (the S and E bits of both RFCs)."""
    room = MAX_PAYLOAD - header_bytes
    pieces = [body[i:i + room] for i in range(0, len(body), room)]
    last = len(pieces) - 1
    return [header((0x80 if i == 0 else 0) | (0x40 if i == last else 0)) + p for i, p in enumerate(pieces)]


def _fragments_h264(nal: bytes) -> list[bytes]:
    indicator = (nal[0] & 0xE0) | 28  # FU-A
    kind = nal[0] & 0x1F
    return _fragments(nal[1:], 2, lambda flags: bytes((indicator, kind | flags)))


def _fragments_h265(nal: bytes) -> list[bytes]:
    kind = (nal[0] >> 1) & 0x3F
    payload_header = bytes(((nal[0] & 0x81) | (49 << 1), nal[1]))  # FU, same layer id and TID
    return _fragments(nal[2:], 3, lambda flags: payload_header + bytes((kind | flags,)))


@dataclass
class RtpState:
    """Per-receiver RTP numbering: each session has its own SSRC, sequence and timestamp base."""

    ssrc: int
    seq: int
    ts_base: int

    def packets(self, chunks: list[bytes], timestamp: int) -> list[bytes]:
        """RTP packets of one frame; the marker bit closes the access unit."""
        out = []
        ts = (self.ts_base + timestamp) & 0xFFFFFFFF
        last = len(chunks) - 1
        for index, chunk in enumerate(chunks):
            marker = 0x80 if index == last else 0
            out.append(struct.pack("!BBHII", 0x80, marker | PAYLOAD_TYPE, self.seq, ts, self.ssrc) + chunk)
            self.seq = (self.seq + 1) & 0xFFFF
        return out


class PacketLoss:
    """The network losing RTP packets after the camera numbered them (the `loss` fault): each one with
    probability `rate`, and/or `burst` packets in a row out of every `every`; and swapping them: with `swap_every`
    one packet in that many changes place with the packet after it (a busy UDP path reorders). Seeded: the same
    run loses the same packets."""

    def __init__(self, rate: float = 0.0, burst: int = 0, every: int = 0, seed: int = 0,
                 swap_every: int = 0) -> None:
        if not 0.0 <= rate <= 1.0 or burst < 0 or (burst and every <= burst) or swap_every < 0:
            raise ValueError("loss: rate in 0..1, a burst shorter than its period, swap_every ≥ 0")
        self.rate, self.burst, self.every, self.swap_every = rate, burst, every, swap_every
        self._rng = random.Random(seed)
        self._count = 0
        self.lost = 0
        self.swapped = 0

    def keep(self, packets: list[bytes]) -> list[bytes]:
        kept = []
        for packet in packets:
            in_burst = self.burst > 0 and self._count % self.every >= self.every - self.burst
            self._count += 1
            if in_burst or (self.rate and self._rng.random() < self.rate):
                self.lost += 1
            else:
                kept.append(packet)
        if self.swap_every:
            for index in range(len(kept) - 1):
                if self._rng.randrange(self.swap_every) == 0:
                    kept[index], kept[index + 1] = kept[index + 1], kept[index]
                    self.swapped += 1
        return kept


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def sdp(codec: Codec, params: dict[str, bytes], fps: int, width: int, height: int, title: str,
        session_id: int) -> str:
    """Session description of a single video track with control `trackID=1`."""
    if codec is Codec.H265:
        rtpmap = "H265/90000"
        fmtp = ";".join(f"sprop-{k}={_b64(params[k])}" for k in ("vps", "sps", "pps") if k in params)
    else:
        rtpmap = "H264/90000"
        sps = params.get("sps", b"\x67\x42\x00\x1e")
        fmtp = (f"packetization-mode=1;profile-level-id={sps[1:4].hex()};"
                f"sprop-parameter-sets={_b64(sps)},{_b64(params.get('pps', b''))}")
    lines = [
        "v=0",
        f"o=- {session_id} 1 IN IP4 127.0.0.1",
        f"s={title}",
        "c=IN IP4 0.0.0.0",
        "t=0 0",
        "a=control:*",
        "a=range:npt=now-",
        f"m=video 0 RTP/AVP {PAYLOAD_TYPE}",
        f"a=rtpmap:{PAYLOAD_TYPE} {rtpmap}",
        f"a=fmtp:{PAYLOAD_TYPE} {fmtp}",
        f"a=framerate:{fps}",
        f"a=x-dimensions:{width},{height}",
        "a=control:trackID=1",
    ]
    return "\r\n".join(lines) + "\r\n"
