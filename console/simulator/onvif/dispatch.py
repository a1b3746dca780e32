"""One ONVIF HTTP request answered, for every SOAP face of the simulator (the cameras', the recorder's Profile G):
the service's operations found by path (or a pull point's own address), the envelope parsed, the operation looked
up, WS-Security checked unless the operation is public, the answer wrapped; a SOAP fault as ONVIF's HTTP status;
`malformed` cuts the answer in half (the "broken answer" fault)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping

from console.simulator.onvif.addresses import SUBSCRIPTION_PREFIX
from console.simulator.onvif.events_service import EventsService
from console.simulator.onvif.http_server import HttpRequest, HttpResponse
from console.simulator.onvif.soap import (
    CONTENT_TYPE,
    Envelope,
    SoapFaultError,
    action_not_supported,
    envelope,
    parse_envelope,
)
from console.simulator.onvif.state import Operations


async def answer_request(request: HttpRequest, routes: Mapping[str, Operations], events: EventsService,
                         check: Callable[[Envelope], None], malformed: bool,
                         faulted: Callable[[SoapFaultError], None] | None = None) -> HttpResponse:
    """`check(envelope)` raises a SoapFaultError for a caller it does not accept; `faulted` hears every fault."""
    operations = routes.get(request.path)
    if operations is None and request.path.startswith(SUBSCRIPTION_PREFIX):
        operations = events.subscription_operations(request.path)
    if operations is None:
        return HttpResponse(404, b"no such service\n")
    try:
        status, body = 200, await _answer(operations, request.body, check)
    except SoapFaultError as fault:
        if faulted is not None:
            faulted(fault)
        status, body = fault.http_status, fault.to_xml()
    if malformed:
        body = body[: len(body) // 2]
    return HttpResponse(status, body, CONTENT_TYPE)


async def _answer(operations: Operations, data: bytes, check: Callable[[Envelope], None]) -> bytes:
    request = parse_envelope(data)
    operation = operations.get(request.operation.tag)
    if operation is None:
        raise action_not_supported(request.action)
    if not operation.public:
        check(request)
    answer = operation.handler(request)
    return envelope(answer if isinstance(answer, ET.Element) else await answer)
