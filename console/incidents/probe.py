"""What a received video file says about itself, read by PyAV from the station's copy (never from the medium).

FFmpeg is opened with a whitelist of ordinary video containers and the `file` protocol only: a playlist
(HLS, DASH, FFmpeg's concat script) would otherwise make it open other files or network addresses named inside
the file; an image or a text file is then not a video at all. Phones write the recording time as `creation_time`
(UTC) or, on iPhones, `com.apple.quicktime.creationdate` (local time with its offset), and the place as an ISO
6709 string (`location`, `com.apple.quicktime.location.ISO6709`); chat apps drop both.
"""

from __future__ import annotations

import logging
import re
import time
from datetime import datetime
from pathlib import Path

import av
import av.container
import av.error
import av.stream
import av.video.stream

from console.incidents.messages import IntakeRefusedError, Say
from console.incidents.model import Point
from console.incidents.video_record import VideoFacts

log = logging.getLogger(__name__)

# FFmpeg demuxer names: MP4/MOV/3GP/M4V, MKV/WebM, AVI, MPEG-TS (camcorders' .mts/.m2ts), MPEG-PS (.mpg, .vob),
# FLV, ASF (.wmv), Ogg.
CONTAINERS = ("mov", "matroska", "avi", "mpegts", "mpeg", "flv", "asf", "ogg")
OPEN_OPTIONS = {"format_whitelist": ",".join(CONTAINERS), "protocol_whitelist": "file"}
HEAD_BYTES = 400  # two MPEG-TS packets of 192 bytes (M2TS)
EARLIEST_PLAUSIBLE_MS = 946_684_800_000  # 2000-01-01: cameras without a clock write 1904, 1970 or 2000-01-01
FUTURE_SLACK_MS = 24 * 3600 * 1000
_CREATED_TAGS = ("com.apple.quicktime.creationdate", "creation_time", "date")
_LOCATION_TAGS = ("com.apple.quicktime.location.ISO6709", "location", "location-eng")
_DEVICE_TAGS = (("com.apple.quicktime.make", "com.apple.quicktime.model"), ("com.android.manufacturer",
                "com.android.model"), ("make", "model"))
_ISO6709 = re.compile(r"^\s*([+-]\d{1,2}(?:\.\d+)?)([+-]\d{1,3}(?:\.\d+)?)(?:[+-]\d+(?:\.\d+)?)?(?:CRS.*)?/?\s*$")


def open_video(path: Path, name: str) -> av.container.InputContainer:
    """The file opened for reading by PyAV with the whitelists; refused when it is not a video we read."""
    try:
        return av.open(str(path), "r", options=OPEN_OPTIONS)
    except av.error.FFmpegError as exc:
        log.info("%s not opened by FFmpeg: %s", name, exc)
        raise IntakeRefusedError(Say.DAMAGED if _looks_like_video(path) else Say.NOT_VIDEO, name=name) from exc


def picture_stream(container: av.container.InputContainer, name: str) -> av.video.stream.VideoStream:
    """The video's picture (cover art and still images attached to it are not)."""
    for stream in container.streams.video:
        if not stream.disposition & av.stream.Disposition.attached_pic:
            return stream
    raise IntakeRefusedError(Say.AUDIO_ONLY if container.streams.audio else Say.NOT_VIDEO, name=name)


def probe(path: Path, name: str) -> VideoFacts:
    """Duration, codecs, size, rotation, and the time, place and device the file states."""
    with open_video(path, name) as container:
        stream = picture_stream(container, name)
        codec = stream.codec_context
        if not codec.width or not codec.height:
            raise IntakeRefusedError(Say.DAMAGED, name=name)
        rotation = _first_frame_rotation(container, stream, name)
        tags = {**dict(stream.metadata), **dict(container.metadata)}
        created_text = next((tags[t] for t in _CREATED_TAGS if tags.get(t)), None)
        location_text = next((tags[t] for t in _LOCATION_TAGS if tags.get(t)), None)
        audio = container.streams.audio[0].codec_context.name if container.streams.audio else None
        rate = stream.average_rate or stream.guessed_rate
        return VideoFacts(container.format.name, _duration_ms(container, stream), codec.name, codec.width,
                          codec.height, float(rate) if rate else None, rotation, audio,
                          _created_ms(created_text), created_text, parse_iso6709(location_text), location_text,
                          _device(tags))


def stream_duration_ms(stream: av.video.stream.VideoStream) -> int | None:
    if stream.duration is None or stream.time_base is None:
        return None
    return round(stream.duration * stream.time_base * 1000)


def _duration_ms(container: av.container.InputContainer, stream: av.video.stream.VideoStream) -> int | None:
    if container.duration is not None and container.duration > 0:
        return round(container.duration / 1000)  # AV_TIME_BASE: microseconds
    return stream_duration_ms(stream)


def _first_frame_rotation(container: av.container.InputContainer, stream: av.video.stream.VideoStream,
                          name: str) -> int:
    """The display rotation, read on the first decoded picture (no picture at all: the file is damaged)."""
    try:
        for frame in container.decode(stream):
            return round(frame.rotation) % 360
    except av.error.FFmpegError as exc:
        raise IntakeRefusedError(Say.DAMAGED, name=name) from exc
    raise IntakeRefusedError(Say.DAMAGED, name=name)


def _created_ms(text: str | None) -> int | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None  # local time of an unknown zone: kept as written only
    ms = round(moment.timestamp() * 1000)
    if not EARLIEST_PLAUSIBLE_MS <= ms <= time.time() * 1000 + FUTURE_SLACK_MS:
        return None
    return ms


def parse_iso6709(text: str | None) -> Point | None:
    """A point from ISO 6709 decimal degrees as phones write it ("+21.0285+105.8542+012.000/")."""
    if not text:
        return None
    found = _ISO6709.match(text)
    if found is None:
        return None
    point = Point(float(found.group(1)), float(found.group(2)))
    return point if point.valid() else None


def _device(tags: dict[str, str]) -> str | None:
    for make_tag, model_tag in _DEVICE_TAGS:
        parts = [tags[t].strip() for t in (make_tag, model_tag) if tags.get(t, "").strip()]
        if parts:
            return " ".join(parts)
    return None


def _looks_like_video(path: Path) -> bool:
    """A known video container's signature at the start: a file that has it but cannot be opened is damaged
    (a phone video copied halfway lacks its index), one without it is something else."""
    try:
        with path.open("rb") as file:
            head = file.read(HEAD_BYTES)
    except OSError:
        return False
    return (head[4:8] in (b"ftyp", b"moov", b"mdat", b"wide", b"free") or head.startswith(b"\x1a\x45\xdf\xa3")
            or (head.startswith(b"RIFF") and head[8:12] == b"AVI ") or head.startswith(b"\x00\x00\x01\xba")
            or head.startswith(b"FLV") or head.startswith(b"OggS")
            or head.startswith(b"\x30\x26\xb2\x75\x8e\x66\xcf\x11") or _transport_stream(head))


def _transport_stream(head: bytes) -> bool:
    """Two sync bytes a packet apart: 188-byte packets (.ts) or 192-byte ones with a time code (.m2ts, .mts)."""
    return any(len(head) > first + step and head[first] == head[first + step] == 0x47
               for first, step in ((0, 188), (4, 192)))
