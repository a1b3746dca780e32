"""What the recorder adapters hand over: a recorder's address, its channels, its recordings, download progress and
results, clock readings and event notices. Times are epoch milliseconds (UTC), as in the console's store."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from console.core.camera_events import CameraEventKind
from console.nvr.errors import host_port
from console.nvr.timebase import DeviceTimebase


class Vendor(StrEnum):
    HIKVISION = "hikvision"
    DAHUA = "dahua"
    ONVIF = "onvif"  # Profile G (console.nvr.onvif_recorder)


@dataclass(frozen=True)
class RecorderAddress:
    host: str
    http_port: int = 80
    rtsp_port: int = 554

    @property
    def http(self) -> str:
        return host_port(self.host, self.http_port)

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.http_port}"


@dataclass(frozen=True)
class RecorderChannel:
    """One of the recorder's channels, as the onboarding wizard imports it as a camera."""

    number: int  # 1-based
    name: str
    main_url: str  # live, without credentials
    sub_url: str
    online: bool | None = None  # None: the recorder did not say


@dataclass(frozen=True)
class RecordingSegment:
    """One recording (a file, or the part of one that a search window holds) of one channel."""

    channel: int
    start_ms: int
    end_ms: int
    playback_uri: str  # what the recorder gave (Hikvision) or what plays it (Dahua), without credentials
    size_bytes: int | None = None  # declared by the recorder
    file_id: str = ""  # Hikvision's name=, Dahua's FilePath
    device_uri: str = ""  # the playback URI as the recorder wrote it (its own host), for its download API

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms

    def contains(self, at_ms: int) -> bool:
        return self.start_ms <= at_ms < self.end_ms


@dataclass(frozen=True)
class SearchResult:
    segments: tuple[RecordingSegment, ...]  # in time order, clipped to the window, phantoms left out
    phantoms: int = 0  # items listed with nothing behind them (declared size 0), left out
    unreadable: int = 0  # items that could not be read (each item is read on its own; the others are kept)
    pages: int = 0  # requests it took

    def ranges(self, join_within_ms: int = 2000) -> list[tuple[int, int]]:
        """The covered stretches for a timeline: segments closer than `join_within_ms` joined."""
        merged: list[tuple[int, int]] = []
        for segment in self.segments:
            if merged and segment.start_ms - merged[-1][1] <= join_within_ms:
                merged[-1] = (merged[-1][0], max(merged[-1][1], segment.end_ms))
            else:
                merged.append((segment.start_ms, segment.end_ms))
        return merged


@dataclass(frozen=True)
class DownloadProgress:
    received_bytes: int
    expected_bytes: int | None  # Content-Length, else the declared size; None when neither is known
    elapsed_s: float

    @property
    def fraction(self) -> float | None:
        if not self.expected_bytes:
            return None
        return min(1.0, self.received_bytes / self.expected_bytes)

    @property
    def mb_per_s(self) -> float:
        return self.received_bytes / 1e6 / self.elapsed_s if self.elapsed_s > 0 else 0.0


class MediaFormat(StrEnum):
    HIKVISION_PS = "hikvision-ps"  # IMKH header + MPEG program stream (FFmpeg: mpeg)
    DAHUA_DAV = "dahua-dav"  # DHAV frames (FFmpeg: dhav)


@dataclass(frozen=True)
class DownloadResult:
    path: Path
    bytes_written: int
    preamble_bytes: int  # bytes the recorder sent before the media, not written
    format: MediaFormat
    start_ms: int
    end_ms: int
    elapsed_s: float

    @property
    def mb_per_s(self) -> float:
        return self.bytes_written / 1e6 / self.elapsed_s if self.elapsed_s > 0 else 0.0


@dataclass(frozen=True)
class ClockReading:
    """The recorder's clock against the station's, and how it writes time (see `console.nvr.timebase`)."""

    timebase: DeviceTimebase
    device_text: str  # what the recorder said, as said
    station_ms: int  # when it was read, on the station's clock
    zone_text: str = ""  # Hikvision's timeZone (`CST-7:00:00`), as said
    from_settings: bool = False  # the mode came from the site file, not from the reading

    @property
    def clock_offset_s(self) -> float:
        return self.timebase.clock_offset_ms / 1000


@dataclass(frozen=True)
class RecorderNotice:
    """One part of a recorder's event stream, read: an event of a channel, or a heartbeat."""

    heartbeat: bool
    channel: int = 0  # 1-based; for alarm inputs, the input's number
    code: str = ""  # the vendor's event type (VMD, VideoMotion …)
    kind: CameraEventKind | None = None
    active: bool | None = None
    device_time: str = ""
