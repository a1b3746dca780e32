"""*Nhập kênh từ đầu ghi*: a recorder's (NVR's) channel list read through the recorder adapters (console.nvr),
and the `[[recorders]]` table and the cameras its ticked channels become, their live addresses the recorder's own
(Hikvision `/Streaming/Channels/{ch}01|02`, Dahua `cam/realmonitor?channel={ch}&subtype=0|1`, as the adapters
build them), and the time mode and zone its clock showed when it was read (written into the table: the console keeps
them, and warns when a later reading points elsewhere). No Qt; `read_recorder` runs on the network loop, the rest is
quick."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from console.core.config import SiteConfig, stream_key
from console.core.config_edit import TomlValue
from console.core.credentials import Credentials
from console.core.recorder_settings import (
    DEFAULT_RECORDER_HTTP_PORT,
    DEFAULT_RECORDER_RTSP_PORT,
    RecorderSettings,
    RecorderTimeMode,
    parse_zone,
    zone_text,
)
from console.nvr import RecorderClient, open_recorder
from console.nvr.errors import NvrError, NvrErrorKind, host_port
from console.nvr.messages import Operation, Say, render
from console.nvr.models import RecorderAddress, RecorderChannel, Vendor
from console.onboarding.drafts import (
    CAMERA_ID_PREFIX,
    DEFAULT_FOV_DEG,
    DEFAULT_RANGE_M,
    CameraDraft,
    RecorderOrigin,
    next_ids,
)
from console.onvif.cli import is_multicast

log = logging.getLogger(__name__)

RECORDER_ID_PREFIX = "nvr"  # nvr01, nvr02 … (the README's example is "nvr1"); its credentials reference the same
READ_CALLS = 3  # device information, channel list, channel states: each under the call timeout
CLOCK_CALLS = 2  # the clock, and (Hikvision) the newest recording that tells a local time written under a Z
READ_SLACK_S = 1.0
_NOT_IN_HOST = ("/", "@", "?", "#", " ", "\t")


@dataclass(frozen=True)
class RecorderDevice:
    """The recorder as the technician typed it: maker, address, HTTP and RTSP ports."""

    vendor: Vendor
    host: str
    http_port: int = DEFAULT_RECORDER_HTTP_PORT
    rtsp_port: int = DEFAULT_RECORDER_RTSP_PORT

    @classmethod
    def typed(cls, vendor: str, host: str, http_port: str, rtsp_port: str) -> RecorderDevice:
        """ValueError when the host is not a bare name or IP (no scheme, port or path), names a multicast group,
        or a port is not 1–65535."""
        bare = host.strip()
        bare = bare[1:-1] if bare.startswith("[") and bare.endswith("]") else bare
        if not bare or any(mark in bare for mark in _NOT_IN_HOST) or is_multicast(bare) or \
                (":" in bare and bare.count(":") < 2):
            raise ValueError("not a recorder host")
        return cls(Vendor(vendor), bare, _port(http_port), _port(rtsp_port))

    @property
    def address(self) -> RecorderAddress:
        return RecorderAddress(self.host, self.http_port, self.rtsp_port)

    @property
    def shown(self) -> str:
        """How the messages name it: `192.168.1.250:80`, as the adapters' own errors do."""
        return host_port(self.host, self.http_port)


def _port(text: str) -> int:
    value = int(text.strip())
    if not 0 < value < 65536:
        raise ValueError("not a port")
    return value


class EmptyRecorderError(Exception):
    """The recorder answered and logged in, but lists no channel."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__(self.message("en"))

    def message(self, lang: str = "vi") -> str:
        return render(Say.NO_CHANNELS, lang, {"address": self.address})


@dataclass(frozen=True)
class RecorderTime:
    """How the recorder writes time, as its clock showed at the import (`time_zone_mode`, `time_zone`)."""

    mode: RecorderTimeMode
    zone_s: int | None  # the recorder's local time minus UTC; None: not a zone the site file takes


@dataclass(frozen=True)
class RecorderReading:
    device: RecorderDevice
    model: str  # what the recorder says it is (DS-7616NI-K2, DHI-NVR4216 …), for the page only
    channels: tuple[RecorderChannel, ...]
    time: RecorderTime | None = None  # None: the clock could not be read (the console reads it at each start)


async def read_recorder(device: RecorderDevice, credentials: Credentials | None, *,
                        timeout_s: float) -> RecorderReading:
    """The recorder's model, channels and time mode, each call under `timeout_s`. Raises NvrError (wrong login,
    unreachable, not this vendor's recorder, broken answer: its message names the recorder) or EmptyRecorderError;
    a clock that cannot be read only leaves the time mode out."""
    client = open_recorder(device.vendor, device.address, credentials, timeout_s=timeout_s)
    limit = READ_CALLS * timeout_s + READ_SLACK_S
    try:
        async with asyncio.timeout(limit):
            model = await client.device_name()  # first: a wrong login or another device fails here, named
            channels = await client.channels()
        if not channels:
            raise EmptyRecorderError(device.shown)
        time = await _read_time(client, device, CLOCK_CALLS * timeout_s + READ_SLACK_S)
    except TimeoutError:
        raise client.http.error(NvrErrorKind.TIMEOUT, Operation.CHANNELS, seconds=limit) from None
    finally:
        await client.close()
    log.info("recorder %s (%s, %s): %d channels, time mode %s", device.shown, device.vendor.value, model,
             len(channels), time.mode.value if time is not None else "unread")
    return RecorderReading(device, model, tuple(channels), time)


async def _read_time(client: RecorderClient, device: RecorderDevice, limit_s: float) -> RecorderTime | None:
    """The mode and zone the adapter works out from the recorder's clock (as the console does at each start)."""
    try:
        async with asyncio.timeout(limit_s):
            reading = await client.read_clock()
    except (NvrError, TimeoutError) as exc:
        reason = exc.message_en if isinstance(exc, NvrError) else f"no answer within {limit_s:g} s"
        log.warning("recorder %s: its clock could not be read, no time mode written: %s", device.shown, reason)
        return None
    zone = reading.timebase.zone_offset_s
    return RecorderTime(RecorderTimeMode(reading.timebase.mode.value),
                        zone if parse_zone(zone_text(zone)) == zone else None)


@dataclass(frozen=True)
class RecorderDraft:
    """The `[[recorders]]` table about to be written (`new` False: the site file has it already, only its cameras
    are added)."""

    id: str
    vendor: Vendor
    host: str
    http_port: int
    rtsp_port: int
    credentials_ref: str | None  # the recorder's login in the store; its cameras' live streams take the same
    new: bool = True
    time: RecorderTime | None = None  # as read at the import; None: left to the console's readings


@dataclass(frozen=True)
class ChannelPick:
    """A ticked channel: which site its camera stands at, and its name (None: the channel's own)."""

    number: int
    site_id: str
    name: str | None = None


def known_recorder(config: SiteConfig, device: RecorderDevice) -> RecorderSettings | None:
    """The site file's recorder at this address, if the recorder was added before."""
    return next((r for r in config.recorders if r.host == device.host and r.http_port == device.http_port), None)


def saved_channels(config: SiteConfig, reading: RecorderReading) -> dict[int, str]:
    """Channels that are already cameras of the site file (on this recorder, or on the same live address)."""
    known = known_recorder(config, reading.device)
    on_recorder = config.cameras_on(known.id) if known is not None else {}
    by_stream = {stream_key(c.main_url): c.id for c in config.cameras}
    found = {ch.number: on_recorder.get(ch.number) or by_stream.get(stream_key(ch.main_url))
             for ch in reading.channels}
    return {number: camera_id for number, camera_id in found.items() if camera_id is not None}


def recorder_draft(config: SiteConfig, store_refs: Iterable[str], device: RecorderDevice,
                   with_credentials: bool, time: RecorderTime | None = None) -> RecorderDraft:
    """The recorder as it will be in the file: the one already there (same host and HTTP port), or a new id; its
    credentials reference the one it has, else a new one named as the recorder; a new one with the time mode read
    (`time`; one already in the file keeps what its table says)."""
    taken = {r.id for r in config.recorders} | set(store_refs)
    known = known_recorder(config, device)
    if known is not None:
        ref = known.credentials
        if ref is None and with_credentials:  # it had none: a login for its cameras' streams only
            [ref] = next_ids(taken, RECORDER_ID_PREFIX, 1)
        return RecorderDraft(known.id, device.vendor, known.host, known.http_port, known.rtsp_port, ref, new=False)
    [recorder_id] = next_ids(taken, RECORDER_ID_PREFIX, 1)
    return RecorderDraft(recorder_id, device.vendor, device.host, device.http_port, device.rtsp_port,
                         recorder_id if with_credentials else None, time=time)


def channel_name(channel: RecorderChannel) -> str:
    """The channel's title, or "Kênh N" as the Dahua adapter names an untitled one."""
    return channel.name.strip() or f"Kênh {channel.number}"


def channel_drafts(config: SiteConfig, recorder: RecorderDraft, reading: RecorderReading,
                   picks: Sequence[ChannelPick]) -> list[CameraDraft]:
    """A camera per ticked channel, in the order given, ids after the site file's highest, each standing at its
    site (the map moves it), watching the recorder's live streams with the recorder's login."""
    by_number = {c.number: c for c in reading.channels}
    ids = next_ids((c.id for c in config.cameras), CAMERA_ID_PREFIX, len(picks))
    drafts = []
    for camera_id, pick in zip(ids, picks, strict=True):
        channel = by_number[pick.number]
        drafts.append(CameraDraft(
            camera_id, (pick.name or "").strip() or channel_name(channel), pick.site_id,
            config.site(pick.site_id).position, 0.0, DEFAULT_FOV_DEG, DEFAULT_RANGE_M, channel.main_url,
            channel.sub_url or None, recorder.credentials_ref, recorder=RecorderOrigin(recorder.id, channel.number)))
    return drafts


def recorder_values(draft: RecorderDraft) -> dict[str, TomlValue]:
    """The `[[recorders]]` keys, with the time mode and zone read at the import when there was a reading: the
    console keeps a stated mode (a reading at run time that points elsewhere is a warning, never a flip)."""
    values: dict[str, TomlValue] = {"id": draft.id, "vendor": draft.vendor.value, "host": draft.host}
    if draft.http_port != DEFAULT_RECORDER_HTTP_PORT:
        values["http_port"] = draft.http_port
    if draft.rtsp_port != DEFAULT_RECORDER_RTSP_PORT:
        values["rtsp_port"] = draft.rtsp_port
    if draft.credentials_ref:
        values["credentials"] = draft.credentials_ref
    if draft.time is not None:
        values["time_zone_mode"] = draft.time.mode.value
        if draft.time.zone_s is not None:
            values["time_zone"] = zone_text(draft.time.zone_s)
    return values
