"""Hikvision's download container: a 40-byte `IMKH` file header, then an MPEG-2 program stream (ISO 13818-1), one
pack per frame, a program stream map on every keyframe naming the video's stream type, PES packets of at most 64 kB.

Written by hand because it is this small: a pack header (SCR), on keyframes a system header and the map (with its
CRC-32), and PES packets with the PTS on the first of each frame. FFmpeg's MPEG-PS demuxer knows the `IMKH` header
(it marks Hikvision CCTV files) and reads the stream type from the map. PTS count from the device-local midnight of
the file's first frame, so a player's start time reads as the local time of day.
"""

from __future__ import annotations

import struct

from console.simulator.rtp import Codec

PTS_HZ = 90_000
MAX_PES_PAYLOAD = 0xFFFF - 8  # a PES length field counts 16 bits, minus the bytes after it before the payload
MUX_RATE = 25_000  # units of 50 bytes/s: 10 Mbit/s
VIDEO_STREAM_ID = 0xE0
_STREAM_TYPES = {Codec.H264: 0x1B, Codec.H265: 0x24}
_HEADER_CODECS = {Codec.H264: b"\x01\x00", Codec.H265: b"\x05\x00"}


def file_header(codec: Codec) -> bytes:
    """The 40-byte header Hikvision files start with: `IMKH`, a version, the system format (PS) and the codec."""
    # Laid out like the MEDIAINFO Hikvision puts in its SDP: version, system format, video codec, G.711 audio, 8 kHz.
    return (b"IMKH" + bytes.fromhex("02010000" "0200") + _HEADER_CODECS[codec] + bytes.fromhex("11710110401f000000fa")
            ).ljust(40, b"\x00")


def _crc32_mpeg(data: bytes) -> int:
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) & 0xFFFFFFFF if crc & 0x80000000 else (crc << 1) & 0xFFFFFFFF
    return crc


def _pack_header(scr: int) -> bytes:
    base = scr & ((1 << 33) - 1)
    return struct.pack(">IBBBBBB", 0x000001BA,
                       0x44 | ((base >> 27) & 0x38) | ((base >> 28) & 0x03),
                       (base >> 20) & 0xFF,
                       0x04 | ((base >> 12) & 0xF8) | ((base >> 13) & 0x03),
                       (base >> 5) & 0xFF,
                       0x04 | ((base << 3) & 0xF8),
                       0x01) + struct.pack(">I", (MUX_RATE << 10) | 0x3FF)[:3] + b"\xf8"


def _system_header() -> bytes:
    rate_bound = (1 << 23) | (MUX_RATE << 1) | 1
    body = rate_bound.to_bytes(3, "big") + bytes((0x00, 0xE1, 0x7F, VIDEO_STREAM_ID)) + struct.pack(">H", 0xE000 | 232)
    return struct.pack(">IH", 0x000001BB, len(body)) + body


def _stream_map(codec: Codec) -> bytes:
    body = bytes((0xE0, 0xFF)) + struct.pack(">H", 0) + struct.pack(">H", 4) + bytes(
        (_STREAM_TYPES[codec], VIDEO_STREAM_ID)) + struct.pack(">H", 0)
    head = struct.pack(">IH", 0x000001BC, len(body) + 4) + body
    return head + struct.pack(">I", _crc32_mpeg(head))


def _pts_field(pts: int) -> bytes:
    value = pts & ((1 << 33) - 1)
    return bytes((0x21 | ((value >> 29) & 0x0E), (value >> 22) & 0xFF, 0x01 | ((value >> 14) & 0xFE),
                  (value >> 7) & 0xFF, 0x01 | ((value << 1) & 0xFE)))


_MAPS = {codec: _stream_map(codec) for codec in Codec}
_SYSTEM_HEADER = _system_header()


def frame_pieces(payload: bytes, *, key: bool, pts: int, codec: Codec) -> list[bytes]:
    """One frame as a pack: its header, (on keyframes) the system header and map, and the PES packets."""
    pieces = [_pack_header(max(0, pts - PTS_HZ // 25))]
    if key:
        pieces += [_SYSTEM_HEADER, _MAPS[codec]]
    for offset in range(0, len(payload), MAX_PES_PAYLOAD - 5):
        chunk = payload[offset: offset + MAX_PES_PAYLOAD - 5]
        # The first PES of a frame: data aligned, with its PTS; the others carry the rest of the frame.
        header = bytes((0x84, 0x80, 5)) + _pts_field(pts) if offset == 0 else bytes((0x80, 0x00, 0))
        pieces.append(struct.pack(">IH", 0x00000100 | VIDEO_STREAM_ID, len(header) + len(chunk)) + header)
        pieces.append(chunk)
    return pieces
