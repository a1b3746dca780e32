"""What answered on the network, as the wizard's table rows: found by a WS-Discovery probe or a typed
address range, then read (maker, model, profiles…) with the technician's shared credentials. The finding and
reading are the `python -m console.onvif discover` command's own (console.onvif.cli)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from console.core.credentials import Credentials
from console.onvif.cli import Found, is_multicast, parse_ports, probe_devices, read_devices, scan_devices, scan_target
from console.onvif.device import OnvifDevice
from console.onvif.discovery import expand_hosts, parse_target
from console.onvif.errors import OnvifError, OnvifErrorKind, host_port
from console.onvif.media import MediaProfile


class SearchMode(StrEnum):
    PROBE = "probe"  # one WS-Discovery Probe to a target (the multicast group in the field)
    SCAN = "scan"  # GetSystemDateAndTime on typed hosts × ports (cameras on another subnet)


@dataclass(frozen=True)
class Search:
    """What the technician asked to search: a probe target, or hosts ("192.168.1.10-40") and ports."""

    mode: SearchMode
    target: str
    ports: tuple[int, ...] = ()

    @classmethod
    def probe(cls, target: str) -> Search:
        """ValueError when `target` is not host[:port]."""
        parse_target(target)
        return cls(SearchMode.PROBE, target.strip())

    @classmethod
    def scan(cls, hosts: str, ports: str) -> Search:
        """ValueError when the hosts or ports cannot be read, or name the multicast group."""
        target = scan_target(hosts)
        if any(is_multicast(host) for host in expand_hosts(target)):
            raise ValueError(hosts)
        return cls(SearchMode.SCAN, target, tuple(parse_ports(ports)))


@dataclass(frozen=True)
class Notice:
    """A device that answered but cannot be used, in both languages (the interface picks one)."""

    vi: str
    en: str

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi


@dataclass(frozen=True)
class DeviceRow:
    """One device of the table: what discovery found and, once read, what it says it is."""

    found: Found
    name: str | None  # the name it announces (WS-Discovery scope), a default for the camera's name
    manufacturer: str | None = None
    model: str | None = None
    firmware: str | None = None
    serial: str | None = None
    mac: str | None = None
    clock_offset_s: float | None = None
    profiles: tuple[MediaProfile, ...] = ()
    ptz: bool = False
    events: bool = False
    error: OnvifError | None = None
    read_with_credentials: bool = False

    @property
    def host(self) -> str:
        return self.found.host

    @property
    def port(self) -> int:
        return self.found.port

    @property
    def address(self) -> str:
        return host_port(self.host, self.port)

    @property
    def readable(self) -> bool:
        """Read without an error and with at least one stream: it can be added."""
        return self.error is None and any(p.stream_uri for p in self.profiles)

    @property
    def needs_login(self) -> bool:
        """Refused only because no credentials were given yet (not an error to show in red)."""
        return (self.error is not None and self.error.kind is OnvifErrorKind.AUTH
                and not self.read_with_credentials)


@dataclass(frozen=True)
class Discovery:
    rows: tuple[DeviceRow, ...]
    notices: tuple[Notice, ...]


def _announced_name(found: Found) -> str | None:
    names = found.match.scope_values("name") if found.match is not None else []
    return names[0].strip() or None if names else None


def device_row(found: Found, device: OnvifDevice | None, error: OnvifError | None,
               credentials: Credentials | None) -> DeviceRow:
    info = device.info if device else None
    clock = device.clock if device else found.clock
    return DeviceRow(
        found=found, name=_announced_name(found),
        manufacturer=info.manufacturer if info else None, model=info.model if info else None,
        firmware=info.firmware if info else None, serial=info.serial if info else None,
        mac=info.mac if info else None, clock_offset_s=clock.offset_s if clock else None,
        profiles=device.profiles if device else (), ptz=device.ptz if device else False,
        events=device.events if device else False, error=error, read_with_credentials=credentials is not None)


async def find(search: Search, *, wait_s: float, timeout_s: float) -> Discovery:
    """Every device that answers `search`, read without a login (most cameras then only tell their clock)."""
    notices: list[Notice] = []

    def problem(vi: str, en: str) -> None:
        notices.append(Notice(vi, en))

    if search.mode is SearchMode.SCAN:
        found = await scan_devices(expand_hosts(search.target), search.ports, timeout_s, problem)
    else:
        found = await probe_devices(search.target, wait_s, problem)
    rows = await read(found, None, timeout_s=timeout_s)
    return Discovery(rows, tuple(notices))


async def read(found: Sequence[Found], credentials: Credentials | None, *, timeout_s: float) -> tuple[DeviceRow, ...]:
    """Each device read with `credentials` (None: without a login), in the order given."""
    results = await read_devices(found, credentials, timeout_s)
    return tuple(device_row(item, device, error, credentials) for item, device, error in results)
