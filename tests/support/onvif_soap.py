"""A raw ONVIF client for tests, independent of the simulator's code: envelopes written out by hand, the
WS-UsernameToken digest computed here, HTTP by http.client, WS-Discovery probes by a plain UDP socket."""

from __future__ import annotations

import base64
import hashlib
import http.client
import os
import socket
import time
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from console.core.credentials import Credentials

NS = {"s": "http://www.w3.org/2003/05/soap-envelope",
      "tds": "http://www.onvif.org/ver10/device/wsdl",
      "trt": "http://www.onvif.org/ver10/media/wsdl",
      "tt": "http://www.onvif.org/ver10/schema",
      "ter": "http://www.onvif.org/ver10/error",
      "wsse": "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd",
      "wsu": "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd",
      "wsa": "http://schemas.xmlsoap.org/ws/2004/08/addressing",
      "d": "http://schemas.xmlsoap.org/ws/2005/04/discovery",
      "dn": "http://www.onvif.org/ver10/network/wsdl",
      "tptz": "http://www.onvif.org/ver20/ptz/wsdl",
      "tev": "http://www.onvif.org/ver10/events/wsdl",
      "wsnt": "http://docs.oasis-open.org/wsn/b-2",
      "wstop": "http://docs.oasis-open.org/wsn/t-1",
      "wsa5": "http://www.w3.org/2005/08/addressing"}
_DECLARATIONS = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NS.items())
_DIGEST = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest"
_BASE64 = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-soap-message-security-1.0#Base64Binary"


def created_at(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def security_header(credentials: Credentials, created: str | None = None, nonce: bytes | None = None) -> str:
    """A wsse:Security header with a UsernameToken whose PasswordDigest = B64(SHA1(nonce + created + password))."""
    created = created or created_at(datetime.now(UTC))
    nonce = nonce if nonce is not None else os.urandom(16)
    digest = base64.b64encode(hashlib.sha1(nonce + created.encode() + credentials.password.encode()).digest())
    return (f'<wsse:Security s:mustUnderstand="true"><wsse:UsernameToken>'
            f"<wsse:Username>{credentials.username}</wsse:Username>"
            f'<wsse:Password Type="{_DIGEST}">{digest.decode()}</wsse:Password>'
            f'<wsse:Nonce EncodingType="{_BASE64}">{base64.b64encode(nonce).decode()}</wsse:Nonce>'
            f"<wsu:Created>{created}</wsu:Created></wsse:UsernameToken></wsse:Security>")


def envelope(body: str, header: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><s:Envelope {_DECLARATIONS}><s:Header>{header}</s:Header>'
            f"<s:Body>{body}</s:Body></s:Envelope>").encode()


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    headers: dict[str, str]
    elapsed_s: float

    def xml(self) -> ET.Element:
        return ET.fromstring(self.body)

    def find(self, path: str) -> ET.Element:
        found = self.xml().find(path, NS)
        assert found is not None, f"{path} not in the reply"
        return found

    def findall(self, path: str) -> list[ET.Element]:
        return self.xml().findall(path, NS)

    def text(self, path: str) -> str:
        return (self.find(path).text or "").strip()

    @property
    def fault(self) -> list[str]:
        """Code and subcode values of a SOAP Fault, outermost first, without their prefixes."""
        values = self.xml().findall(".//s:Fault/s:Code//s:Value", NS)
        return [(v.text or "").strip().rpartition(":")[2] for v in values]


def post(url: str, body: bytes, timeout_s: float = 5.0, method: str = "POST",
         headers: dict[str, str] | None = None) -> Reply:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout_s)
    started = time.monotonic()
    try:
        connection.request(method, parts.path, body,
                           {"Content-Type": "application/soap+xml; charset=utf-8", **(headers or {})})
        response = connection.getresponse()
        data = response.read()
        return Reply(response.status, data, {k.lower(): v for k, v in response.getheaders()},
                     time.monotonic() - started)
    finally:
        connection.close()


def call(url: str, operation: str, credentials: Credentials | None = None, created: str | None = None,
         nonce: bytes | None = None, timeout_s: float = 5.0) -> Reply:
    header = security_header(credentials, created, nonce) if credentials is not None else ""
    return post(url, envelope(operation, header), timeout_s)


def camera_clock(device_url: str) -> datetime:
    """The camera's UTC clock as GetSystemDateAndTime (no auth) tells it."""
    reply = call(device_url, "<tds:GetSystemDateAndTime/>")
    utc = reply.find(".//tt:UTCDateTime")

    def part(path: str) -> int:
        return int((utc.findtext(path, namespaces=NS) or "").strip())

    return datetime(part("tt:Date/tt:Year"), part("tt:Date/tt:Month"), part("tt:Date/tt:Day"),
                    part("tt:Time/tt:Hour"), part("tt:Time/tt:Minute"), part("tt:Time/tt:Second"), tzinfo=UTC)


def camera_created(device_url: str, skew_s: float = 0.0) -> str:
    """A Created stamp on the camera's own clock (as ONVIF Device Manager does), `skew_s` seconds off it."""
    return created_at(camera_clock(device_url) + timedelta(seconds=skew_s))


def probe(address: tuple[str, int], types: str = "dn:NetworkVideoTransmitter",
          wait_s: float = 1.0) -> tuple[str, list[ET.Element]]:
    """Send one WS-Discovery Probe to `address` (unicast) and collect every answer for `wait_s`."""
    message_id = uuid.uuid4().urn
    header = (f"<wsa:MessageID>{message_id}</wsa:MessageID><wsa:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery"
              f"</wsa:To><wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</wsa:Action>")
    datagram = envelope(f"<d:Probe><d:Types>{types}</d:Types></d:Probe>", header)
    answers = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.sendto(datagram, address)
        deadline = time.monotonic() + wait_s
        while (left := deadline - time.monotonic()) > 0:
            sock.settimeout(left)
            try:
                data, _ = sock.recvfrom(65536)
            except TimeoutError:
                break
            answers.append(ET.fromstring(data))
    return message_id, answers
