"""Dahua's DHAV container, written frame by frame: what the Dahua face's downloads carry.

Layout as FFmpeg's `dhav` demuxer reads it (the one public description of the format): each frame is a 24-byte
header (`DHAV`, type 0xFD keyframe / 0xFC other frame, channel, frame number, frame length, a packed local date to
the second, a 16-bit millisecond counter, the extension length and a checksum), extensions (0x81: codec and frame
rate, 0x82: width and height, on keyframes), the Annex B payload, and an 8-byte trailer (`dhav` + frame length) that
lets a reader walk the file backwards.
"""

from __future__ import annotations

import struct
from datetime import datetime

from console.simulator.rtp import Codec

KEY_FRAME = 0xFD
OTHER_FRAME = 0xFC
HEADER_BYTES = 24
TRAILER_BYTES = 8
_CODEC_IDS = {Codec.H264: 0x02, Codec.H265: 0x0C}


def packed_date(local: datetime) -> int:
    """The header's date: seconds, minutes, hours, day, month, year − 2000 in 6/6/5/5/4/6 bits."""
    return (local.second | local.minute << 6 | local.hour << 12 | local.day << 17 | local.month << 22
            | (local.year - 2000) << 26)


def frame_pieces(payload: bytes, *, key: bool, number: int, local: datetime, channel: int, codec: Codec, fps: int,
                 width: int, height: int) -> tuple[bytes, bytes, bytes]:
    """(header with extensions, payload, trailer) of one video frame taken at device-local time `local`."""
    extensions = b""
    if key:
        extensions = (bytes((0x81, 0, _CODEC_IDS[codec], fps))
                      + bytes((0x82, 0, 0, 0)) + struct.pack("<HH", width, height))
    length = HEADER_BYTES + len(extensions) + len(payload) + TRAILER_BYTES
    millis = (int(local.timestamp() * 1000)) & 0xFFFF
    head = struct.pack("<4sBBBBIII", b"DHAV", KEY_FRAME if key else OTHER_FRAME, 0, channel & 0xFF, 0,
                       number & 0xFFFFFFFF, length, packed_date(local))
    head += struct.pack("<HB", millis, len(extensions))
    head += bytes((sum(head) & 0xFF,))
    return head + extensions, payload, b"dhav" + struct.pack("<I", length)
