"""Finding ONVIF devices: a WS-Discovery Probe to a target address, and a direct GetSystemDateAndTime scan
of typed hosts × ports (for cameras on another subnet, which multicast never reaches).

Hand-written on asyncio, not the PyPI `WSDiscovery` package: that one runs its own threads, is sdist-only,
and joins the multicast group on every interface of the machine; here a probe is one datagram sent to the
target given as an argument (239.255.255.250:3702 in the field, a unicast 127.0.0.1 port in tests) from a
socket that never joins any group, and the ProbeMatches come back to that socket by unicast, as the
protocol has them. A datagram that is not a ProbeMatches we understand is dropped.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from console.onvif.clock import CLOCK_SAMPLES, DeviceClock, read_clock
from console.onvif.errors import OnvifError
from console.onvif.soap import SOAP12_ENV, local

log = logging.getLogger(__name__)

MULTICAST_GROUP = "239.255.255.250"
DISCOVERY_PORT = 3702
DEFAULT_TARGET = f"{MULTICAST_GROUP}:{DISCOVERY_PORT}"
WSA_NS = "http://schemas.xmlsoap.org/ws/2004/08/addressing"
WSD_NS = "http://schemas.xmlsoap.org/ws/2005/04/discovery"
DN_NS = "http://www.onvif.org/ver10/network/wsdl"
PROBE_ACTION = f"{WSD_NS}/Probe"
DISCOVERY_TO = "urn:schemas-xmlsoap-org:ws:2005:04:discovery"
ANONYMOUS = f"{WSA_NS}/role/anonymous"
PROBE_WAIT_S = 3.0  # cameras answer within APP_MAX_DELAY (500 ms) of the probe; slow firmware within ~2 s
PROBE_REPEAT_AFTER_S = 0.25  # UDP: the probe goes twice (same MessageID), as WS-Discovery advises
MULTICAST_TTL = 1  # the station's own subnet only
MAX_DATAGRAM_BYTES = 64 * 1024
MAX_SCAN_HOSTS = 1024  # a /22: larger typed ranges are a typing mistake, not a commune
SCAN_CONCURRENCY = 64
SCAN_TIMEOUT_S = 2.0


@dataclass(frozen=True)
class ProbeMatch:
    """One device's answer to a probe."""

    endpoint: str  # EndpointReference/Address, e.g. urn:uuid:…: the device's identity across address changes
    types: tuple[str, ...]  # as written, e.g. ("dn:NetworkVideoTransmitter", "tds:Device")
    scopes: tuple[str, ...]
    xaddrs: tuple[str, ...]  # device service addresses
    metadata_version: int | None
    sender: tuple[str, int]  # where the datagram came from

    def scope_values(self, kind: str) -> list[str]:
        """Values of `onvif://www.onvif.org/<kind>/<value>` scopes, percent-decoded (name, hardware, location…)."""
        prefix = f"onvif://www.onvif.org/{kind}/"
        return [unquote(scope[len(prefix):]) for scope in self.scopes if scope.startswith(prefix)]

    def device_address(self) -> tuple[str, int] | None:
        """Host and HTTP port of the first http(s) XAddr that names an IPv4 host (else any host)."""
        parsed: list[tuple[str, int]] = []
        for xaddr in self.xaddrs:
            try:
                parts = urlsplit(xaddr)
                port = parts.port
            except ValueError:
                continue
            if parts.scheme not in ("http", "https") or not parts.hostname:
                continue
            parsed.append((parts.hostname, port or (443 if parts.scheme == "https" else 80)))
        ipv4 = [p for p in parsed if _is_ipv4(p[0])]
        chosen = ipv4 or parsed
        return chosen[0] if chosen else None


@dataclass(frozen=True)
class ScanAnswer:
    """What one host:port said to GetSystemDateAndTime."""

    host: str
    port: int
    clock: DeviceClock | None
    error: OnvifError | None


def _is_ipv4(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).version == 4
    except ValueError:
        return False


def parse_target(text: str, default_port: int = DISCOVERY_PORT) -> tuple[str, int]:
    """`239.255.255.250:3702`, `127.0.0.1`, `[::1]:3702` → (host, port); ValueError when it is not one."""
    text = text.strip()
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port_text = rest.removeprefix(":")
    elif text.count(":") == 1:
        host, port_text = text.split(":")
    else:
        host, port_text = text, ""
    if not host:
        raise ValueError(text)
    port = int(port_text) if port_text else default_port
    if not 0 < port < 65536:
        raise ValueError(text)
    return host, port


def build_probe(message_id: str) -> bytes:
    """A SOAP 1.2 Probe for dn:NetworkVideoTransmitter with the given `urn:uuid:` MessageID."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<s:Envelope xmlns:s="{SOAP12_ENV}" xmlns:a="{WSA_NS}" xmlns:d="{WSD_NS}" xmlns:dn="{DN_NS}">'
        "<s:Header>"
        f'<a:Action s:mustUnderstand="1">{PROBE_ACTION}</a:Action>'
        f"<a:MessageID>{message_id}</a:MessageID>"
        f"<a:ReplyTo><a:Address>{ANONYMOUS}</a:Address></a:ReplyTo>"
        f'<a:To s:mustUnderstand="1">{DISCOVERY_TO}</a:To>'
        "</s:Header>"
        "<s:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body>"
        "</s:Envelope>"
    ).encode()


def new_message_id() -> str:
    return uuid.uuid4().urn


def _child(element: ET.Element, name: str) -> ET.Element | None:
    return next((c for c in element if local(c.tag) == name), None)


def _words(element: ET.Element, name: str) -> tuple[str, ...]:
    node = _child(element, name)
    return tuple((node.text or "").split()) if node is not None else ()


def parse_probe_matches(data: bytes, sender: tuple[str, int] = ("", 0)) -> list[ProbeMatch]:
    """The ProbeMatch entries of one datagram; [] for anything else (garbage, a Probe, a Hello, a bomb).
    Namespaces are matched by local name: WS-Discovery 1.1 (OASIS, 2009) devices answer too."""
    if len(data) > MAX_DATAGRAM_BYTES or b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        return []
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        return []
    if local(root.tag) != "Envelope":
        return []
    body = _child(root, "Body")
    matches = _child(body, "ProbeMatches") if body is not None else None
    if matches is None:
        return []
    found = []
    for match in matches:
        if local(match.tag) != "ProbeMatch":
            continue
        reference = _child(match, "EndpointReference")
        address = _child(reference, "Address") if reference is not None else None
        xaddrs = _words(match, "XAddrs")
        endpoint = (address.text or "").strip() if address is not None else ""
        if not endpoint and not xaddrs:
            continue
        version_node = _child(match, "MetadataVersion")
        try:
            version = int((version_node.text or "").strip()) if version_node is not None else None
        except ValueError:
            version = None
        found.append(ProbeMatch(endpoint or " ".join(xaddrs), _words(match, "Types"), _words(match, "Scopes"),
                                xaddrs, version, sender))
    return found


class _ProbeProtocol(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.matches: dict[str, ProbeMatch] = {}
        self.dropped = 0

    def datagram_received(self, data: bytes, addr: tuple[str | object, int]) -> None:
        sender = (str(addr[0]), int(addr[1]))
        found = parse_probe_matches(data, sender)
        if not found:
            self.dropped += 1
        for match in found:
            self.matches.setdefault(match.endpoint, match)  # the same device answering both probes

    def error_received(self, exc: Exception) -> None:  # an ICMP port unreachable after a unicast probe
        log.debug("discovery: %s", exc)


def _bind_address(host: str) -> str:
    """Loopback targets are probed from loopback, so a test's probe can never leave the machine."""
    try:
        return "127.0.0.1" if ipaddress.ip_address(host).is_loopback else "0.0.0.0"
    except ValueError:
        return "0.0.0.0"


async def probe(target: str = DEFAULT_TARGET, *, wait_s: float = PROBE_WAIT_S) -> list[ProbeMatch]:
    """Send a Probe to `target` (host:port) and collect the devices that answer within `wait_s` seconds,
    one entry per EndpointReference, in the order they answered."""
    host, port = parse_target(target)
    loop = asyncio.get_running_loop()
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    local_host = "::" if family == socket.AF_INET6 else _bind_address(host)
    transport, protocol = await loop.create_datagram_endpoint(_ProbeProtocol, local_addr=(local_host, 0),
                                                              family=family)
    try:
        datagram = transport
        sock = datagram.get_extra_info("socket")
        if _is_ipv4(host) and ipaddress.ip_address(host).is_multicast:
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, MULTICAST_TTL)
        message = build_probe(new_message_id())
        deadline = time.monotonic() + wait_s
        datagram.sendto(message, (host, port))
        await asyncio.sleep(min(PROBE_REPEAT_AFTER_S, wait_s))
        datagram.sendto(message, (host, port))
        await asyncio.sleep(max(0.0, deadline - time.monotonic()))
    finally:
        transport.close()
    if protocol.dropped:
        log.debug("discovery: %d datagrams from %s were not ProbeMatches", protocol.dropped, target)
    return list(protocol.matches.values())


def expand_hosts(text: str, limit: int = MAX_SCAN_HOSTS) -> list[str]:
    """Hosts typed by a technician: `192.168.1.64`, `192.168.1.10-20`, `192.168.1.10-192.168.1.30`,
    `192.168.1.0/28` (its hosts), or several of these separated by commas; names are kept as typed.
    ValueError when a part is not one of these or there are more than `limit` hosts."""
    hosts: list[str] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        if "/" in part:
            network = ipaddress.ip_network(part, strict=False)
            if network.num_addresses > limit + 2:
                raise ValueError(part)
            hosts += [str(h) for h in network.hosts()] or [str(network.network_address)]
        elif "-" in part and _is_ipv4(part.split("-", 1)[0].strip()):
            first_text, last_text = (s.strip() for s in part.split("-", 1))
            first = ipaddress.IPv4Address(first_text)
            last = (ipaddress.IPv4Address(last_text) if "." in last_text
                    else ipaddress.IPv4Address(f"{first_text.rsplit('.', 1)[0]}.{int(last_text)}"))
            if last < first or int(last) - int(first) >= limit:
                raise ValueError(part)
            hosts += [str(ipaddress.IPv4Address(n)) for n in range(int(first), int(last) + 1)]
        else:
            hosts.append(part.strip("[]"))
        if len(hosts) > limit:
            raise ValueError(text)
    return list(dict.fromkeys(hosts))


async def scan(hosts: Sequence[str], ports: Iterable[int], *, timeout_s: float = SCAN_TIMEOUT_S,
               concurrency: int = SCAN_CONCURRENCY, clock_samples: int = 1) -> list[ScanAnswer]:
    """GetSystemDateAndTime (no login) on every host × port, at most `concurrency` at once; one answer per
    pair, in the order given. An answer with `error` None is an ONVIF device (its clock may want a login)."""
    pairs = [(host, port) for host in hosts for port in ports]
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(host: str, port: int) -> ScanAnswer:
        async with gate:
            try:
                clock = await read_clock(host, port, timeout_s=timeout_s, samples=clock_samples)
            except OnvifError as exc:
                return ScanAnswer(host, port, None, exc)
            return ScanAnswer(host, port, clock, None)

    return list(await asyncio.gather(*(one(host, port) for host, port in pairs)))


__all__ = ["CLOCK_SAMPLES", "DEFAULT_TARGET", "ProbeMatch", "ScanAnswer", "build_probe", "expand_hosts",
           "parse_probe_matches", "parse_target", "probe", "scan"]
