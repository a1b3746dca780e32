"""What the intake sheet of a citizen's video (*Tiếp nhận video từ người dân*) records: who brought it, how,
what they say it shows, what the file itself says, and where its original and working copy are kept."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from console.incidents.messages import Say, render
from console.incidents.model import Point


class Channel(StrEnum):
    """How the video reached the station."""

    USB = "usb"  # USB stick, memory card or the phone's cable
    ZALO = "zalo"
    EMAIL = "email"
    OTHER = "other"


CHANNEL_LABELS: dict[Channel, tuple[str, str]] = {
    Channel.USB: ("USB, thẻ nhớ hoặc cáp điện thoại", "USB stick, memory card or phone cable"),
    Channel.ZALO: ("Zalo", "Zalo"),
    Channel.EMAIL: ("Thư điện tử", "Email"),
    Channel.OTHER: ("Cách khác", "Other"),
}

# Chat apps recompress what they forward (smaller picture, new encoding, the phone's time and place gone).
RECOMPRESSING_CHANNELS = frozenset({Channel.ZALO})


def channel_label(channel: Channel, lang: str = "vi") -> str:
    vi, en = CHANNEL_LABELS[channel]
    return en if lang == "en" else vi


def original_preferred_notice(channel: Channel, lang: str = "vi") -> str | None:
    """What the intake sheet says when the video came through a chat app (None for the other channels)."""
    if channel not in RECOMPRESSING_CHANNELS:
        return None
    return render(Say.ORIGINAL_PREFERRED, lang, {"channel": channel_label(channel, lang)})


@dataclass(frozen=True)
class Bringer:
    """The person who provided the video; only the name is required."""

    name: str
    phone: str = ""
    id_number: str = ""  # CCCD/CMND, optional


@dataclass(frozen=True)
class Claim:
    """What the person says the video shows (their words, not checked)."""

    at_ms: int | None = None
    place: str = ""
    point: Point | None = None


@dataclass(frozen=True)
class VideoFacts:
    """What PyAV reads from the file itself (metadata the phone wrote may be missing or wrong)."""

    container: str  # FFmpeg's demuxer name, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
    duration_ms: int | None
    video_codec: str
    width: int
    height: int
    fps: float | None
    rotation: int  # degrees counter-clockwise the picture must be turned to stand upright (display matrix)
    audio_codec: str | None
    created_ms: int | None  # the recording time the file states, when plausible
    created_text: str | None  # that tag as written
    location: Point | None
    location_text: str | None  # ISO 6709 as written ("+21.0285+105.8542/")
    device: str | None  # make and model when the phone wrote them


@dataclass(frozen=True)
class IntakeRecord:
    id: int
    incident_id: int
    received_ms: int
    officer: str  # login of the officer who received it
    file_name: str  # its name on the medium
    source_path: str  # where it was read from, as given
    original: str  # the byte-for-byte copy, read-only, relative to the data folder
    size_bytes: int
    sha256: str
    facts: VideoFacts
    bringer: Bringer
    channel: Channel
    claim: Claim
    working_copy: str  # H.264 MP4 for viewing, relative to the data folder
    thumbnails: tuple[str, ...] = field(default_factory=tuple)  # JPEGs in time order, relative to the data folder
    original_preferred: bool = False  # came through a chat app: ask the person for the phone's own file
    note: str = ""
