"""What a device's HTTP answer is: a SOAP envelope (with its body or fault), something that is not ONVIF, or
broken XML; and the one request we write by hand, GetSystemDateAndTime (ONVIF allows it without login).

Replies are read with the standard library's XML parser, and any DOCTYPE is refused before parsing: a SOAP
message may not carry one (SOAP 1.2 part 1, 5), and refusing it closes the entity-expansion door for good.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from console.onvif.errors import OnvifErrorKind

SOAP12_ENV = "http://www.w3.org/2003/05/soap-envelope"
SOAP11_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
DEVICE_NS = "http://www.onvif.org/ver10/device/wsdl"
DEVICE_SERVICE_PATH = "/onvif/device_service"
SOAP12_CONTENT_TYPE = "application/soap+xml; charset=utf-8"
MAX_REPLY_BYTES = 4 * 1024 * 1024  # a GetProfiles of a 16-channel NVR is ~200 kB; more is not an answer of ours
_SNIFF_BYTES = 4096
# Fault codes (their local part) meaning "who are you?": ONVIF's ter:NotAuthorized, WS-Security's
# wsse:FailedAuthentication / wsse:InvalidSecurity (some firmwares answer those instead).
_AUTH_CODES = {"NotAuthorized", "FailedAuthentication", "InvalidSecurity", "InvalidSecurityToken"}

GET_SYSTEM_DATE_AND_TIME = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    f'<s:Envelope xmlns:s="{SOAP12_ENV}"><s:Body>'
    f'<GetSystemDateAndTime xmlns="{DEVICE_NS}"/>'
    "</s:Body></s:Envelope>"
).encode()
GET_SYSTEM_DATE_AND_TIME_ACTION = f"{DEVICE_NS}/GetSystemDateAndTime"


class BadReplyError(Exception):
    """An answer that is not a usable SOAP message; `kind` is NOT_ONVIF or MALFORMED."""

    def __init__(self, kind: OnvifErrorKind, detail: str) -> None:
        self.kind = kind
        self.detail = detail
        super().__init__(f"{kind.value}: {detail}")


@dataclass(frozen=True)
class SoapFault:
    codes: tuple[str, ...]  # local parts of the Code value and every Subcode value, outermost first
    reason: str

    @property
    def not_authorized(self) -> bool:
        return bool(_AUTH_CODES.intersection(self.codes)) or "not authori" in self.reason.lower()


@dataclass(frozen=True)
class SoapMessage:
    payload: ET.Element | None  # the Body's first child (None for an empty Body)
    fault: SoapFault | None


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _qname_local(text: str) -> str:
    return text.strip().rsplit(":", 1)[-1]


def looks_like_soap(body: bytes) -> bool:
    head = body[:_SNIFF_BYTES]
    return b"Envelope" in head or body.lstrip().startswith(b"<?xml")


def parse_envelope(body: bytes) -> ET.Element:
    """The Envelope element of a reply; `BadReplyError` when the bytes are not one."""
    if not body.strip():
        raise BadReplyError(OnvifErrorKind.NOT_ONVIF, "empty answer")
    if len(body) > MAX_REPLY_BYTES:
        raise BadReplyError(OnvifErrorKind.MALFORMED, f"answer of {len(body)} bytes")
    head = body[:_SNIFF_BYTES].upper()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in body.upper():
        # An HTML page (the usual NOT_ONVIF: a camera's web UI on the port) or an XML bomb.
        kind = OnvifErrorKind.NOT_ONVIF if b"<HTML" in head or not looks_like_soap(body) else OnvifErrorKind.MALFORMED
        raise BadReplyError(kind, "document with a DOCTYPE")
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        kind = OnvifErrorKind.MALFORMED if looks_like_soap(body) else OnvifErrorKind.NOT_ONVIF
        raise BadReplyError(kind, f"not well-formed XML ({exc})") from None
    if root.tag not in (f"{{{SOAP12_ENV}}}Envelope", f"{{{SOAP11_ENV}}}Envelope"):
        kind = OnvifErrorKind.MALFORMED if local(root.tag) == "Envelope" else OnvifErrorKind.NOT_ONVIF
        raise BadReplyError(kind, f"root element {local(root.tag)!r} is not a SOAP envelope")
    return root


def check_reply(body: bytes) -> None:
    """Raise `BadReplyError` unless a non-empty reply is a well-formed SOAP envelope (empty ones are left to
    the caller, who knows the HTTP status)."""
    if body.strip():
        parse_envelope(body)


def read_message(body: bytes) -> SoapMessage:
    envelope = parse_envelope(body)
    soap_body = next((child for child in envelope if local(child.tag) == "Body"), None)
    if soap_body is None:
        raise BadReplyError(OnvifErrorKind.MALFORMED, "SOAP envelope without a Body")
    payload = next(iter(soap_body), None)
    if payload is not None and local(payload.tag) == "Fault":
        return SoapMessage(payload, _read_fault(payload))
    return SoapMessage(payload, None)


def _read_fault(fault: ET.Element) -> SoapFault:
    codes: list[str] = []
    reason = ""
    code = _child(fault, "Code")
    while code is not None:  # SOAP 1.2: Code/Value, Code/Subcode/Value, Subcode/Subcode/Value …
        value = _child(code, "Value")
        if value is not None and value.text:
            codes.append(_qname_local(value.text))
        code = _child(code, "Subcode")
    old_code = _child(fault, "faultcode")  # SOAP 1.1
    if old_code is not None and old_code.text:
        codes.append(_qname_local(old_code.text))
    reason_node = _child(fault, "Reason")
    if reason_node is not None:
        text = _child(reason_node, "Text")
        reason = (text.text or "") if text is not None else ""
    old_reason = _child(fault, "faultstring")
    if old_reason is not None and not reason:
        reason = old_reason.text or ""
    return SoapFault(tuple(codes), " ".join(reason.split())[:200])


def _child(element: ET.Element, name: str) -> ET.Element | None:
    return next((child for child in element if local(child.tag) == name), None)


def _descendant(element: ET.Element, name: str) -> ET.Element | None:
    return next((node for node in element.iter() if local(node.tag) == name), None)


def _int_field(parent: ET.Element, name: str) -> int:
    node = _child(parent, name)
    if node is None or node.text is None:
        raise BadReplyError(OnvifErrorKind.MALFORMED, f"date/time without {name}")
    try:
        return int(node.text.strip())
    except ValueError:
        raise BadReplyError(OnvifErrorKind.MALFORMED, f"date/time field {name} is not a number") from None


def read_utc_datetime(payload: ET.Element) -> dt.datetime | None:
    """The UTCDateTime of a GetSystemDateAndTimeResponse, to the second (ONVIF's resolution); None when the
    camera gives only its local time (its POSIX TZ string is not ours to guess)."""
    if local(payload.tag) != "GetSystemDateAndTimeResponse":
        raise BadReplyError(OnvifErrorKind.MALFORMED, f"{local(payload.tag)!r} instead of the date and time")
    utc = _descendant(payload, "UTCDateTime")
    if utc is None:
        return None
    date, time = _child(utc, "Date"), _child(utc, "Time")
    if date is None or time is None:
        raise BadReplyError(OnvifErrorKind.MALFORMED, "UTCDateTime without Date or Time")
    try:
        return dt.datetime(_int_field(date, "Year"), _int_field(date, "Month"), _int_field(date, "Day"),
                           _int_field(time, "Hour"), _int_field(time, "Minute"), _int_field(time, "Second"),
                           tzinfo=dt.UTC)
    except ValueError as exc:  # month 13, second 61 …
        raise BadReplyError(OnvifErrorKind.MALFORMED, f"impossible date/time ({exc})") from None
