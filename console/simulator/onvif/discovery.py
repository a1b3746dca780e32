"""A unicast WS-Discovery responder: answers a Probe for NetworkVideoTransmitters, one ProbeMatches per camera.

It listens on the UDP host:port it is given and never joins a multicast group: the field's cameras answer
239.255.255.250:3702, the simulator answers a probe sent straight to it (tests: 127.0.0.1 and a free port).
Each camera answers in its own message, as real cameras do (each is its own device on the network).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from console.simulator.onvif.soap import DN, WSA, WSD, Envelope, SoapFaultError, element, envelope, parse_envelope, sub

log = logging.getLogger(__name__)

PROBE = f"{WSD}/Probe"
PROBE_MATCHES = f"{WSD}/ProbeMatches"
ANONYMOUS = f"{WSA}/role/anonymous"
MAX_DATAGRAM_BYTES = 64 * 1024
NVT = (DN, "NetworkVideoTransmitter")


@dataclass(frozen=True)
class DiscoveryTarget:
    """What one camera says of itself in a ProbeMatch."""

    endpoint_urn: str  # urn:uuid:…, the same on every run
    xaddr: str  # its device service address
    scopes: tuple[str, ...]


class DiscoveryResponder(asyncio.DatagramProtocol):
    def __init__(self, targets: Sequence[DiscoveryTarget]) -> None:
        self._targets = tuple(targets)
        self._transport: asyncio.DatagramTransport | None = None
        self._message_number = 0
        self._instance_id = "1"

    @property
    def address(self) -> tuple[str, int]:
        assert self._transport is not None
        host, port = self._transport.get_extra_info("sockname")[:2]
        return str(host), int(port)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.DatagramTransport, transport)  # asyncio's own is not a subclass of it

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()
            self._transport = None

    def datagram_received(self, data: bytes, addr: tuple[str | object, int]) -> None:
        if self._transport is None or len(data) > MAX_DATAGRAM_BYTES:
            return
        try:
            probe = parse_envelope(data)
        except SoapFaultError as fault:
            log.debug("discovery: ignored a datagram from %s: %s", addr, fault.reason)
            return
        message_id = _header_text(probe, "MessageID")
        if _header_text(probe, "Action") != PROBE or probe.action != "Probe" or not message_id:
            return
        if not _wants_nvt(probe):
            return
        for target in self._targets:
            if _scopes_match(probe, target):
                self._transport.sendto(self._probe_matches(target, message_id), addr)

    def _probe_matches(self, target: DiscoveryTarget, relates_to: str) -> bytes:
        self._message_number += 1
        header = []
        for name, value in (("MessageID", uuid.uuid4().urn), ("RelatesTo", relates_to), ("To", ANONYMOUS),
                            ("Action", PROBE_MATCHES)):
            item = element(WSA, name)
            item.text = value
            header.append(item)
        header.append(element(WSD, "AppSequence", InstanceId=self._instance_id,
                              MessageNumber=str(self._message_number)))
        matches = element(WSD, "ProbeMatches")
        match = sub(matches, WSD, "ProbeMatch")
        sub(sub(match, WSA, "EndpointReference"), WSA, "Address", target.endpoint_urn)
        sub(match, WSD, "Types", ET.QName(*NVT))
        sub(match, WSD, "Scopes", " ".join(target.scopes))
        sub(match, WSD, "XAddrs", target.xaddr)
        sub(match, WSD, "MetadataVersion", "1")
        return envelope(matches, header)


def _header_text(probe: Envelope, name: str) -> str | None:
    node = None if probe.header is None else probe.header.find(f"{{{WSA}}}{name}")
    return None if node is None else (node.text or "").strip()


def _wants_nvt(probe: Envelope) -> bool:
    """No Types asks for every device; otherwise one of them must be dn:NetworkVideoTransmitter."""
    types = (probe.operation.findtext(f"{{{WSD}}}Types") or "").split()
    return not types or NVT in {probe.resolve(t) for t in types}


def _scopes_match(probe: Envelope, target: DiscoveryTarget) -> bool:
    """WS-Discovery's default rule (RFC 3986 prefix by path segments): each asked scope prefixes one of ours."""
    asked = (probe.operation.findtext(f"{{{WSD}}}Scopes") or "").split()
    return all(any(ours == scope or ours.startswith(scope.rstrip("/") + "/") for ours in target.scopes)
               for scope in asked)


async def start_discovery(host: str, port: int, targets: Sequence[DiscoveryTarget]) -> DiscoveryResponder:
    """Answer unicast probes on host:port (0: any free port; read it from `.address`)."""
    loop = asyncio.get_running_loop()
    _, responder = await loop.create_datagram_endpoint(lambda: DiscoveryResponder(targets), local_addr=(host, port))
    return responder
