"""RTP payloads of H.264 (RFC 6184) and H.265 (RFC 7798) into whole access units, closed on the marker bit.

Written here because FFmpeg's RTSP demuxer, which the console used alone until now, hands an access unit over
only when the next one starts (its parser needs the next start code: one frame, ~67 ms at 15 fps, see
../shared/ARCHITECTURE.md), and the RTSP client we use (aiortsp) stops at RTP packets: no maintained Python
library depacketizes H.264/H.265. Only what cameras send is taken: single NAL units, STAP-A and FU-A (packetization
modes 0 and 1), H.265 single units, aggregation packets and fragmentation units without DONL
(sprop-max-don-diff = 0). STAP-B, MTAP, FU-B and PACI are counted and dropped.

The bytes are FFmpeg's own: every NAL unit behind a 4-byte start code, in the order received, so a recorded
segment is the same whichever path the packets took. A missing sequence number (a lost packet) drops the
access unit it belonged to and everything after it up to the next keyframe (counted): a decoder fed a
partial picture shows smeared blocks until the next keyframe, the officer would see a picture that never was.
"""

from __future__ import annotations

import base64
import binascii
import struct
from dataclasses import dataclass

START = b"\x00\x00\x00\x01"
H264 = "h264"
HEVC = "hevc"  # FFmpeg's name for H.265
_H264_KEY = frozenset({5})  # IDR slice
_HEVC_KEY = frozenset(range(16, 22))  # IRAP pictures: BLA, IDR, CRA
_SEQ = 1 << 16
_TS = 1 << 32


class SdpError(ValueError):
    """The session description's parameter sets cannot be read."""


@dataclass(frozen=True, slots=True)
class AccessUnit:
    """One picture's NAL units in Annex B form, its RTP time (90 kHz, unwrapped) and whether it is a keyframe."""

    data: bytes
    timestamp: int
    key: bool
    began: float = 0.0  # when its first packet arrived (the `arrival` given to `push`)


@dataclass
class DepacketizerStats:
    packets: int = 0
    units: int = 0  # access units handed over
    gaps: int = 0  # sequence gaps seen (lost or reordered past the jitter buffer)
    dropped_units: int = 0  # access units not handed over: partial, or waiting for a keyframe
    lost_units: int = 0  # of those, the ones a lost packet cost (not the ones before the session's first keyframe)
    unsupported: int = 0  # packets of a kind not handled (STAP-B, MTAP, FU-B, PACI, DONL)


class Depacketizer:
    """One RTP stream's payloads → access units. Not thread-safe: one receiving task calls `push`."""

    def __init__(self, codec: str) -> None:
        if codec not in (H264, HEVC):
            raise ValueError(f"no RTP depacketizer for {codec!r}")
        self.codec = codec
        self.stats = DepacketizerStats()
        self._nals: list[bytes] = []
        self._fragment: bytearray | None = None  # the NAL unit a run of fragmentation units is building
        self._timestamp: int | None = None  # of the access unit being built (unwrapped)
        self._began = 0.0  # when the first packet of the access unit being built arrived
        self._last_seq: int | None = None
        self._last_ts: int | None = None  # unwrapped
        self._broken = False  # the unit being built lost a packet
        self._need_key = True  # nothing decodable until a keyframe
        self._recovering = False  # waiting for a keyframe after a lost packet

    def reset(self) -> None:
        """A new session (a camera restart: new SSRC, sequence and timestamps)."""
        self._nals, self._fragment, self._timestamp = [], None, None
        self._last_seq = self._last_ts = None
        self._broken = self._recovering = False
        self._need_key = True

    def push(self, seq: int, timestamp: int, marker: bool, payload: bytes, arrival: float = 0.0
             ) -> list[AccessUnit]:
        """One RTP packet, arrived at `arrival` (any clock); returns the access units it completed (none, one, or
        two when a camera leaves the marker bit unset and the timestamp moves on)."""
        self.stats.packets += 1
        out: list[AccessUnit] = []
        if self._last_seq is not None and seq != (self._last_seq + 1) % _SEQ:
            self.stats.gaps += 1
            self._broken = self._need_key = self._recovering = True
            self._fragment = None
        self._last_seq = seq
        ts = self._unwrap(timestamp)
        if self._timestamp is not None and ts != self._timestamp:
            self._close(out)
        if self._timestamp is None:
            self._began = arrival
        self._timestamp = ts
        if not self._take(payload):
            self._broken = True
            self._fragment = None
        if marker:
            self._close(out)
        return out

    # -- inside ------------------------------------------------------------------------------------------
    def _unwrap(self, ts32: int) -> int:
        """RTP's 32-bit timestamp (wraps every 13 h at 90 kHz) as a running 64-bit one."""
        if self._last_ts is None:
            self._last_ts = ts32
        else:
            step = (ts32 - self._last_ts) % _TS
            self._last_ts += step - _TS if step >= _TS // 2 else step
        return self._last_ts

    def _close(self, out: list[AccessUnit]) -> None:
        nals, broken, timestamp = self._nals, self._broken or self._fragment is not None, self._timestamp
        self._nals, self._fragment, self._timestamp, self._broken = [], None, None, False
        if not nals and not broken:
            return
        key = any(nal_type(self.codec, nal) in (_HEVC_KEY if self.codec == HEVC else _H264_KEY) for nal in nals)
        if broken or not nals or (self._need_key and not key):
            self.stats.dropped_units += 1
            if broken:
                self._need_key = self._recovering = True
            if self._recovering:
                self.stats.lost_units += 1
            return
        self._need_key = self._recovering = False
        self.stats.units += 1
        assert timestamp is not None
        out.append(AccessUnit(b"".join(START + nal for nal in nals), timestamp, key, self._began))

    def _take(self, payload: bytes) -> bool:
        """Adds the payload's NAL units to the unit being built; False when it cannot be used."""
        if self.codec == HEVC:
            return self._take_hevc(payload)
        return self._take_h264(payload)

    def _take_h264(self, p: bytes) -> bool:
        if not p:
            return False
        kind = p[0] & 0x1F
        if 1 <= kind <= 23:
            self._nals.append(p)
            return True
        if kind == 24:  # STAP-A
            return self._aggregate(p, 1)
        if kind == 28 and len(p) >= 2:  # FU-A
            return self._fragmented(p[1], bytes(((p[0] & 0xE0) | (p[1] & 0x1F),)), p[2:])
        self.stats.unsupported += 1
        return False

    def _take_hevc(self, p: bytes) -> bool:
        if len(p) < 2:
            return False
        kind = (p[0] >> 1) & 0x3F
        if kind < 48:
            self._nals.append(p)
            return True
        if kind == 48:  # aggregation packet
            return self._aggregate(p, 2)
        if kind == 49 and len(p) >= 3:  # fragmentation unit
            header = bytes(((p[0] & 0x81) | ((p[2] & 0x3F) << 1), p[1]))
            return self._fragmented(p[2], header, p[3:])
        self.stats.unsupported += 1
        return False

    def _aggregate(self, p: bytes, header_bytes: int) -> bool:
        at, nals = header_bytes, []
        while at + 2 <= len(p):
            (size,) = struct.unpack_from("!H", p, at)
            at += 2
            if size == 0 or at + size > len(p):
                return False
            nals.append(p[at:at + size])
            at += size
        if at != len(p) or not nals:
            return False
        self._nals.extend(nals)
        return True

    def _fragmented(self, fu_header: int, nal_header: bytes, body: bytes) -> bool:
        start, end = bool(fu_header & 0x80), bool(fu_header & 0x40)
        if start:
            if self._fragment is not None:
                return False  # the previous fragmented unit never ended
            self._fragment = bytearray(nal_header)
        elif self._fragment is None:
            return False  # its start was lost
        self._fragment += body
        if end:
            self._nals.append(bytes(self._fragment))
            self._fragment = None
        return True


def sdp_extradata(codec: str, fmtp: dict[str, str]) -> bytes | None:
    """The decoder's parameter sets from the SDP's `a=fmtp` (Annex B, as FFmpeg builds them): H.264's
    `sprop-parameter-sets`, H.265's `sprop-vps`, `sprop-sps`, `sprop-pps`. None when the SDP has none (the
    camera sends them in-band)."""
    keys = ("sprop-vps", "sprop-sps", "sprop-pps") if codec == HEVC else ("sprop-parameter-sets",)
    sets: list[bytes] = []
    for key in keys:
        for item in fmtp.get(key, "").split(","):
            if not item.strip():
                continue
            try:
                sets.append(base64.b64decode(item.strip(), validate=True))
            except (binascii.Error, ValueError) as exc:
                raise SdpError(f"{key}: {exc}") from None
    return b"".join(START + s for s in sets if s) or None


def nal_type(codec: str, nal: bytes) -> int:
    """The type in a NAL unit's header (H.264: 5 bits, H.265: 6 bits after the forbidden bit)."""
    return (nal[0] >> 1) & 0x3F if codec == HEVC else nal[0] & 0x1F


def has_parameter_sets(codec: str, unit: bytes) -> bool:
    """Whether an access unit (Annex B, as built here) carries its sequence parameter set in-band."""
    sps = 33 if codec == HEVC else 7
    return any(nal and nal_type(codec, nal) == sps for nal in unit.split(START))
