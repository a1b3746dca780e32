"""SOAP 1.2 envelopes for the ONVIF face: namespaces, parsing a request, writing a response or a Fault.

XML is built and read with the standard library's ElementTree (expat): nothing external is ever loaded, and a
document type declaration is refused outright (SOAP 1.2 forbids one), which also shuts out entity tricks.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from enum import Enum
from io import BytesIO

SOAP_ENV = "http://www.w3.org/2003/05/soap-envelope"
TDS = "http://www.onvif.org/ver10/device/wsdl"
TRT = "http://www.onvif.org/ver10/media/wsdl"
TT = "http://www.onvif.org/ver10/schema"
TER = "http://www.onvif.org/ver10/error"
DN = "http://www.onvif.org/ver10/network/wsdl"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
WSA = "http://schemas.xmlsoap.org/ws/2004/08/addressing"  # the addressing version WS-Discovery 2005/04 uses
WSD = "http://schemas.xmlsoap.org/ws/2005/04/discovery"
XML_NS = "http://www.w3.org/XML/1998/namespace"
TPTZ = "http://www.onvif.org/ver20/ptz/wsdl"
TEV = "http://www.onvif.org/ver10/events/wsdl"
WSNT = "http://docs.oasis-open.org/wsn/b-2"
WSTOP = "http://docs.oasis-open.org/wsn/t-1"
WSA10 = "http://www.w3.org/2005/08/addressing"  # the addressing of WS-Notification's endpoint references
TNS1 = "http://www.onvif.org/ver10/topics"
XS = "http://www.w3.org/2001/XMLSchema"

PREFIXES = {"s": SOAP_ENV, "tds": TDS, "trt": TRT, "tt": TT, "ter": TER, "dn": DN, "wsse": WSSE, "wsu": WSU,
            "wsa": WSA, "d": WSD, "tptz": TPTZ, "tev": TEV, "wsnt": WSNT, "wstop": WSTOP, "wsa5": WSA10,
            "tns1": TNS1, "xs": XS}
_PREFIX_OF = {uri: prefix for prefix, uri in PREFIXES.items()}
for _prefix, _uri in PREFIXES.items():
    ET.register_namespace(_prefix, _uri)

CONTENT_TYPE = "application/soap+xml; charset=utf-8"


def tag(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


def sub(parent: ET.Element, ns: str, name: str, text: str | ET.QName | None = None,
        **attributes: str) -> ET.Element:
    """A child element. A QName text is written prefix:name with that prefix declared on the element itself:
    ElementTree only declares the namespaces of tags and attributes, and another module may register other
    prefixes for ours."""
    element = ET.SubElement(parent, tag(ns, name), attributes)
    if isinstance(text, ET.QName):
        uri, _, local = text.text[1:].partition("}")
        prefix = _PREFIX_OF[uri]
        element.set(f"xmlns:{prefix}", uri)
        element.text = f"{prefix}:{local}"
    elif text is not None:
        element.text = text
    return element


def element(ns: str, name: str, **attributes: str) -> ET.Element:
    return ET.Element(tag(ns, name), attributes)


def text_of(parent: ET.Element | None, *path: tuple[str, str]) -> str | None:
    """The stripped text at `path` (namespace, name pairs) below `parent`, None when any step is missing."""
    node = parent
    for ns, name in path:
        if node is None:
            return None
        node = node.find(tag(ns, name))
    if node is None:
        return None
    return (node.text or "").strip()


def xs_bool(value: bool) -> str:
    return "true" if value else "false"


class FaultCode(Enum):
    SENDER = "Sender"
    RECEIVER = "Receiver"
    VERSION_MISMATCH = "VersionMismatch"


class SoapFaultError(Exception):
    """A SOAP 1.2 Fault with ONVIF subcodes (outermost first), e.g. Sender / ter:InvalidArgVal / ter:NoProfile."""

    def __init__(self, code: FaultCode, subcodes: tuple[str, ...], reason: str) -> None:
        super().__init__(reason)
        self.code, self.subcodes, self.reason = code, subcodes, reason

    @property
    def http_status(self) -> int:
        return 500 if self.code is FaultCode.RECEIVER else 400  # SOAP 1.2 HTTP binding

    def to_xml(self) -> bytes:
        fault = element(SOAP_ENV, "Fault")
        code = sub(fault, SOAP_ENV, "Code")
        sub(code, SOAP_ENV, "Value", ET.QName(SOAP_ENV, self.code.value))
        parent = code
        for name in self.subcodes:
            parent = sub(parent, SOAP_ENV, "Subcode")
            sub(parent, SOAP_ENV, "Value", ET.QName(TER, name))
        reason = sub(fault, SOAP_ENV, "Reason")
        sub(reason, SOAP_ENV, "Text", self.reason, **{tag(XML_NS, "lang"): "en"})
        return envelope(fault)


def not_authorized() -> SoapFaultError:
    return SoapFaultError(FaultCode.SENDER, ("NotAuthorized",), "Sender not Authorized")


def action_not_supported(action: str) -> SoapFaultError:
    return SoapFaultError(FaultCode.RECEIVER, ("ActionNotSupported",), f"Optional Action Not Implemented: {action}")


def invalid_arg(detail: str, reason: str) -> SoapFaultError:
    return SoapFaultError(FaultCode.SENDER, ("InvalidArgVal", detail), reason)


def not_well_formed(reason: str) -> SoapFaultError:
    return SoapFaultError(FaultCode.SENDER, ("WellFormed",), reason)


@dataclass(frozen=True)
class Envelope:
    """A parsed request: its Header (None when absent), the operation element of its Body, the prefixes it
    declared (to read QName values such as discovery Types)."""

    header: ET.Element | None
    operation: ET.Element
    prefixes: dict[str, str] = field(default_factory=dict)

    @property
    def action(self) -> str:
        return self.operation.tag.rpartition("}")[2]

    @property
    def namespace(self) -> str:
        return self.operation.tag[1:].partition("}")[0] if self.operation.tag.startswith("{") else ""

    def resolve(self, qname: str) -> tuple[str, str]:
        """("namespace", "local") of a prefixed name in this document's text."""
        prefix, _, local = qname.rpartition(":")
        return self.prefixes.get(prefix, ""), local


def parse_envelope(data: bytes) -> Envelope:
    if b"<!DOCTYPE" in data.upper():
        raise not_well_formed("document type declarations are not allowed in SOAP")
    prefixes: dict[str, str] = {}
    root: ET.Element | None = None
    try:
        for event, item in ET.iterparse(BytesIO(data), events=("start-ns", "start")):
            if event == "start-ns":
                prefixes.setdefault(item[0], item[1])
            elif root is None:
                root = item
    except ET.ParseError as exc:
        raise not_well_formed(f"not well-formed XML: {exc}") from None
    if root is None:
        raise not_well_formed("empty document")
    if root.tag == "{http://schemas.xmlsoap.org/soap/envelope/}Envelope":
        raise SoapFaultError(FaultCode.VERSION_MISMATCH, (), "SOAP 1.2 envelopes only")
    if root.tag != tag(SOAP_ENV, "Envelope"):
        raise not_well_formed("the document is not a SOAP envelope")
    body = root.find(tag(SOAP_ENV, "Body"))
    if body is None or len(body) == 0:
        raise not_well_formed("the envelope has no Body operation")
    return Envelope(root.find(tag(SOAP_ENV, "Header")), body[0], prefixes)


def envelope(body_child: ET.Element, header: list[ET.Element] | None = None) -> bytes:
    root = element(SOAP_ENV, "Envelope")
    if header:
        head = sub(root, SOAP_ENV, "Header")
        head.extend(header)
    body = sub(root, SOAP_ENV, "Body")
    body.append(body_child)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document
