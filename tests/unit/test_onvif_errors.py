"""What goes wrong with a device becomes one error kind with a Vietnamese sentence naming its address, and no
password ever reaches a message, a detail or a repr."""

from __future__ import annotations

import re

import aiohttp
import pytest
import zeep.exceptions
from lxml import etree

from console.onvif.errors import OnvifError, OnvifErrorKind, host_port
from console.onvif.failures import to_onvif_error
from console.onvif.messages import templates
from console.onvif.soap import BadReplyError, check_reply, read_message, read_utc_datetime

ADDRESS = "192.168.1.64:80"
PASSWORD = "Gi@ Dong:2026/sim"
_FIELD = re.compile(r"\{(\w*)\}")

FAULT_12 = b"""<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:ter="http://www.onvif.org/ver10/error">
<env:Body><env:Fault><env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>ter:NotAuthorized</env:Value>
</env:Subcode></env:Code><env:Reason><env:Text xml:lang="en">Sender not Authorized</env:Text></env:Reason>
</env:Fault></env:Body></env:Envelope>"""

TIME_REPLY = b"""<?xml version="1.0" encoding="UTF-8"?>
<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:tds="http://www.onvif.org/ver10/device/wsdl"
 xmlns:tt="http://www.onvif.org/ver10/schema"><s:Body><tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>
<tt:DateTimeType>NTP</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>
<tt:TimeZone><tt:TZ>ICT-7</tt:TZ></tt:TimeZone>
<tt:UTCDateTime><tt:Time><tt:Hour>3</tt:Hour><tt:Minute>4</tt:Minute><tt:Second>5</tt:Second></tt:Time>
<tt:Date><tt:Year>2026</tt:Year><tt:Month>2</tt:Month><tt:Day>28</tt:Day></tt:Date></tt:UTCDateTime>
</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse></s:Body></s:Envelope>"""


def test_every_message_keeps_its_placeholders_in_both_languages() -> None:
    for say, (vi, en) in templates().items():
        assert sorted(_FIELD.findall(vi)) == sorted(_FIELD.findall(en)), say


@pytest.mark.parametrize("kind", list(OnvifErrorKind))
def test_every_kind_names_the_address_in_vietnamese_and_english(kind: OnvifErrorKind) -> None:
    error = OnvifError(kind, ADDRESS, seconds=2, offset_s=10800, operation="GetProfiles", reason="x")
    assert ADDRESS in error.message_vi and ADDRESS in error.message_en
    assert error.message_vi != error.message_en and str(error) == error.message_en
    assert "{" not in error.message_vi


def test_clock_error_says_how_far_off_the_camera_is() -> None:
    error = OnvifError(OnvifErrorKind.CLOCK, ADDRESS, offset_s=10800.2)
    assert "+3 giờ 0 phút 0 giây" in error.message_vi and "+3 h 0 min 0 s" in error.message_en


def test_ipv6_addresses_are_bracketed() -> None:
    assert host_port("fe80::1", 80) == "[fe80::1]:80" and host_port("10.0.0.1", 8000) == "10.0.0.1:8000"


def _fault(message: str, subcode: str | None = None) -> zeep.exceptions.Fault:
    subcodes = [etree.QName("http://www.onvif.org/ver10/error", subcode)] if subcode else None
    return zeep.exceptions.Fault(message, code="env:Sender", subcodes=subcodes)


@pytest.mark.parametrize(("exc", "kind"), [
    (_fault("Sender not Authorized", "NotAuthorized"), OnvifErrorKind.AUTH),
    (_fault("The requested action is not supported", "ActionNotSupported"), OnvifErrorKind.FAULT),
    (zeep.exceptions.TransportError("401", status_code=401, content=b""), OnvifErrorKind.AUTH),
    (zeep.exceptions.TransportError("404", status_code=404, content=b"<html><body>Not Found</body></html>"),
     OnvifErrorKind.NOT_ONVIF),
    (zeep.exceptions.TransportError("500", status_code=500, content=FAULT_12[:200]), OnvifErrorKind.MALFORMED),
    (zeep.exceptions.XMLSyntaxError("The XML returned by the server does not contain a valid "
                                    "{http://www.w3.org/2003/05/soap-envelope}Envelope root element"),
     OnvifErrorKind.NOT_ONVIF),
    (zeep.exceptions.XMLParseError("Unexpected element"), OnvifErrorKind.MALFORMED),
    (ConnectionRefusedError(111, "Connection refused"), OnvifErrorKind.UNREACHABLE),
    (aiohttp.ServerDisconnectedError(), OnvifErrorKind.NOT_ONVIF),
    (aiohttp.ClientPayloadError("cut"), OnvifErrorKind.MALFORMED),
    (TimeoutError(), OnvifErrorKind.TIMEOUT),
    (BadReplyError(OnvifErrorKind.MALFORMED, "cut"), OnvifErrorKind.MALFORMED),
])
def test_library_and_transport_errors_map_to_kinds(exc: BaseException, kind: OnvifErrorKind) -> None:
    assert to_onvif_error(exc, ADDRESS, timeout_s=2).kind is kind


def test_the_cause_under_a_library_wrapper_decides() -> None:
    class WrapperError(Exception):  # as onvif.exceptions.ONVIFError wraps what it caught
        pass

    try:
        try:
            raise ConnectionRefusedError(111, "refused")
        except OSError as inner:
            raise WrapperError("Unknown error: refused") from inner
    except WrapperError as outer:
        assert to_onvif_error(outer, ADDRESS).kind is OnvifErrorKind.UNREACHABLE


def test_no_password_reaches_a_detail_a_message_or_a_repr() -> None:
    exc = RuntimeError(f"login admin:{PASSWORD}@192.168.1.64 failed for rtsp://admin:{PASSWORD}@192.168.1.64/x")
    error = to_onvif_error(exc, ADDRESS, password=PASSWORD)
    for text in (error.detail, error.message_vi, error.message_en, repr(error), str(error)):
        assert PASSWORD not in text


def test_soap_replies_are_told_apart_from_web_pages_and_broken_xml() -> None:
    check_reply(FAULT_12)
    check_reply(b"")  # left to the HTTP status
    for body, kind in ((b"<!DOCTYPE html><html><body>Web UI</body></html>", OnvifErrorKind.NOT_ONVIF),
                       (b"RTSP/1.0 400 Bad Request\r\n", OnvifErrorKind.NOT_ONVIF),
                       (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"/>', OnvifErrorKind.NOT_ONVIF),
                       (FAULT_12[: len(FAULT_12) // 2], OnvifErrorKind.MALFORMED),
                       (b'<Envelope xmlns="urn:wrong"><Body/></Envelope>', OnvifErrorKind.MALFORMED)):
        with pytest.raises(BadReplyError) as caught:
            check_reply(body)
        assert caught.value.kind is kind, body


def test_a_not_authorized_fault_is_read_as_such() -> None:
    message = read_message(FAULT_12)
    assert message.fault is not None and message.fault.not_authorized
    assert message.fault.codes == ("Sender", "NotAuthorized") and message.fault.reason == "Sender not Authorized"


def test_the_utc_time_of_a_date_and_time_reply_is_read() -> None:
    payload = read_message(TIME_REPLY).payload
    assert payload is not None
    utc = read_utc_datetime(payload)
    assert utc is not None and utc.isoformat() == "2026-02-28T03:04:05+00:00"
    broken = TIME_REPLY.replace(b"<tt:Month>2</tt:Month>", b"<tt:Month>13</tt:Month>")
    broken_payload = read_message(broken).payload
    assert broken_payload is not None
    with pytest.raises(BadReplyError):
        read_utc_datetime(broken_payload)
    local_only = TIME_REPLY.replace(b"UTCDateTime", b"LocalDateTime")
    local_payload = read_message(local_only).payload
    assert local_payload is not None and read_utc_datetime(local_payload) is None
