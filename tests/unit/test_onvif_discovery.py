"""WS-Discovery messages of our own probe: what it sends, what it understands, what it drops; typed ranges."""

from __future__ import annotations

import asyncio
import socket
import xml.etree.ElementTree as ET
from typing import cast

import pytest

from console.onvif.discovery import (
    DEFAULT_TARGET,
    ProbeMatch,
    build_probe,
    expand_hosts,
    new_message_id,
    parse_probe_matches,
    parse_target,
    probe,
)

NS = {"s": "http://www.w3.org/2003/05/soap-envelope", "a": "http://schemas.xmlsoap.org/ws/2004/08/addressing",
      "d": "http://schemas.xmlsoap.org/ws/2005/04/discovery"}

# Written from WS-Discovery (2005/04) and ONVIF Core 7.3 as a Hikvision camera answers, with two XAddrs.
PROBE_MATCHES = """<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"
    xmlns:wsadis="http://schemas.xmlsoap.org/ws/2004/08/addressing"
    xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"
    xmlns:dn="http://www.onvif.org/ver10/network/wsdl" xmlns:tds="http://www.onvif.org/ver10/device/wsdl">
  <env:Header>
    <wsadis:MessageID>urn:uuid:0a6dc791-2be6-4991-9af1-454778a1917a</wsadis:MessageID>
    <wsadis:RelatesTo>{relates}</wsadis:RelatesTo>
    <wsadis:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsadis:To>
    <wsadis:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsadis:Action>
    <d:AppSequence InstanceId="1700000000" MessageNumber="3"/>
  </env:Header>
  <env:Body>
    <d:ProbeMatches>
      <d:ProbeMatch>
        <wsadis:EndpointReference>
          <wsadis:Address>urn:uuid:{uuid}</wsadis:Address>
        </wsadis:EndpointReference>
        <d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types>
        <d:Scopes>onvif://www.onvif.org/type/video_encoder onvif://www.onvif.org/Profile/Streaming
          onvif://www.onvif.org/name/HIKVISION%20DS-2CD2043G2-I onvif://www.onvif.org/hardware/DS-2CD2043G2-I
          onvif://www.onvif.org/location/city/hangzhou</d:Scopes>
        <d:XAddrs>http://[fe80::4619:b6ff:fe60:1096]/onvif/device_service {xaddr}</d:XAddrs>
        <d:MetadataVersion>10</d:MetadataVersion>
      </d:ProbeMatch>
    </d:ProbeMatches>
  </env:Body>
</env:Envelope>"""


def matches_xml(uuid: str = "4419b660-1096-11b2-8000-4419b6601096", xaddr: str = "http://192.168.1.64/onvif/device_service",
                relates: str = "urn:uuid:1") -> bytes:
    return PROBE_MATCHES.format(uuid=uuid, xaddr=xaddr, relates=relates).encode()


def test_probe_is_soap12_for_network_video_transmitters_with_a_fresh_message_id() -> None:
    first, second = new_message_id(), new_message_id()
    assert first != second and first.startswith("urn:uuid:")
    root = ET.fromstring(build_probe(first))
    assert root.tag == f"{{{NS['s']}}}Envelope"
    assert root.findtext("s:Header/a:MessageID", namespaces=NS) == first
    assert root.findtext("s:Header/a:Action", namespaces=NS) == "http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe"
    assert root.findtext("s:Header/a:To", namespaces=NS) == "urn:schemas-xmlsoap-org:ws:2005:04:discovery"
    assert root.findtext("s:Body/d:Probe/d:Types", namespaces=NS) == "dn:NetworkVideoTransmitter"
    assert b'xmlns:dn="http://www.onvif.org/ver10/network/wsdl"' in build_probe(first)


def test_a_hikvision_probe_match_is_read_with_its_scopes_and_ipv4_device_address() -> None:
    [match] = parse_probe_matches(matches_xml(), ("192.168.1.64", 3702))
    assert match.endpoint == "urn:uuid:4419b660-1096-11b2-8000-4419b6601096"
    assert match.types == ("dn:NetworkVideoTransmitter", "tds:Device")
    assert match.scope_values("name") == ["HIKVISION DS-2CD2043G2-I"]
    assert match.scope_values("hardware") == ["DS-2CD2043G2-I"]
    assert match.metadata_version == 10 and match.sender == ("192.168.1.64", 3702)
    assert len(match.xaddrs) == 2
    assert match.device_address() == ("192.168.1.64", 80)  # IPv4 chosen over the link-local IPv6


def test_device_address_keeps_an_explicit_port_and_falls_back_to_ipv6() -> None:
    [match] = parse_probe_matches(matches_xml(xaddr="http://10.0.0.5:8000/onvif/device_service"))
    assert match.device_address() == ("10.0.0.5", 8000)
    only_v6 = ProbeMatch("urn:x", (), (), ("http://[fe80::1]:8080/onvif/device_service", "ftp://x/"), None, ("", 0))
    assert only_v6.device_address() == ("fe80::1", 8080)
    assert ProbeMatch("urn:x", (), (), ("not a url", "http://:99999/"), None, ("", 0)).device_address() is None


def test_ws_discovery_1_1_namespaces_are_understood_too() -> None:
    data = matches_xml().replace(b"http://schemas.xmlsoap.org/ws/2005/04/discovery",
                                 b"http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01")
    assert [m.endpoint for m in parse_probe_matches(data)] == ["urn:uuid:4419b660-1096-11b2-8000-4419b6601096"]


@pytest.mark.parametrize("garbage", [
    b"", b"\x00\xff\xfe garbage", b"<not-closed", b"<html><body>hi</body></html>",
    build_probe("urn:uuid:x"),  # our own probe echoed back: no ProbeMatches in it
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
    b'<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body/></s:Envelope>',
    matches_xml()[:400],  # cut in the middle
    b"<a>" * 70000,  # larger than any datagram
])
def test_garbage_datagrams_give_no_match(garbage: bytes) -> None:
    assert parse_probe_matches(garbage) == []


def test_a_match_without_endpoint_falls_back_to_its_xaddrs_as_identity() -> None:
    data = matches_xml().replace(b"urn:uuid:4419b660-1096-11b2-8000-4419b6601096", b"")
    [match] = parse_probe_matches(data)
    assert match.endpoint.endswith("http://192.168.1.64/onvif/device_service")


@pytest.mark.parametrize(("text", "expected"), [
    ("239.255.255.250:3702", ("239.255.255.250", 3702)),
    ("127.0.0.1", ("127.0.0.1", 3702)),
    ("[::1]:4000", ("::1", 4000)),
    ("camera.local:80", ("camera.local", 80)),
])
def test_targets_parse(text: str, expected: tuple[str, int]) -> None:
    assert parse_target(text) == expected


@pytest.mark.parametrize("text", ["", ":80", "1.2.3.4:0", "1.2.3.4:70000", "1.2.3.4:x"])
def test_bad_targets_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_target(text)


def test_default_target_is_the_multicast_group() -> None:
    assert DEFAULT_TARGET == "239.255.255.250:3702"


def test_typed_ranges_expand_to_hosts() -> None:
    assert expand_hosts("192.168.1.10-12") == ["192.168.1.10", "192.168.1.11", "192.168.1.12"]
    assert expand_hosts("10.0.0.254-10.0.1.1") == ["10.0.0.254", "10.0.0.255", "10.0.1.0", "10.0.1.1"]
    assert expand_hosts("192.168.1.0/30") == ["192.168.1.1", "192.168.1.2"]
    assert expand_hosts("192.168.1.5, cam.local,192.168.1.5") == ["192.168.1.5", "cam.local"]
    for bad in ("192.168.1.20-10", "10.0.0.0/8", "192.168.1.1-x"):
        with pytest.raises(ValueError):
            expand_hosts(bad)


class _Responder(asyncio.DatagramProtocol):
    """A loopback stand-in for cameras: answers each probe with garbage, then two matches of the same device."""

    def __init__(self) -> None:
        self.transport: asyncio.DatagramTransport | None = None
        self.probes: list[bytes] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)  # asyncio's own is not a subclass of it

    def datagram_received(self, data: bytes, addr: tuple[str | object, int]) -> None:
        assert self.transport is not None
        self.probes.append(data)
        message_id = ET.fromstring(data).findtext("s:Header/a:MessageID", namespaces=NS) or ""
        self.transport.sendto(b"\x00garbage", addr)
        self.transport.sendto(matches_xml(relates=message_id), addr)
        self.transport.sendto(matches_xml(uuid="other", xaddr="http://127.0.0.1:8081/onvif/device_service",
                                          relates=message_id), addr)


def test_probe_to_a_unicast_loopback_target_collects_devices_once_each() -> None:
    async def run() -> tuple[list[ProbeMatch], _Responder]:
        loop = asyncio.get_running_loop()
        transport, responder = await loop.create_datagram_endpoint(_Responder, local_addr=("127.0.0.1", 0),
                                                                   family=socket.AF_INET)
        try:
            port = transport.get_extra_info("sockname")[1]
            return await probe(f"127.0.0.1:{port}", wait_s=0.6), responder
        finally:
            transport.close()

    found, responder = asyncio.run(run())
    assert len(responder.probes) == 2  # sent twice (UDP), with one MessageID
    assert len({ET.fromstring(p).findtext("s:Header/a:MessageID", namespaces=NS) for p in responder.probes}) == 1
    assert [m.endpoint for m in found] == ["urn:uuid:4419b660-1096-11b2-8000-4419b6601096", "urn:uuid:other"]
    assert all(m.sender[0] == "127.0.0.1" for m in found)
