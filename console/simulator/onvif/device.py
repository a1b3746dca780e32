"""One simulated camera's ONVIF endpoint: routes a SOAP request to its service, checks auth, applies faults."""

from __future__ import annotations

import asyncio
import logging

from console.simulator.onvif import wsse
from console.simulator.onvif.clock import CameraClock
from console.simulator.onvif.device_service import DeviceService
from console.simulator.onvif.dispatch import answer_request
from console.simulator.onvif.events_service import EventsService
from console.simulator.onvif.http_server import HttpRequest, HttpResponse
from console.simulator.onvif.identity import default_clock_offset_s, identity_for
from console.simulator.onvif.media_service import MediaService
from console.simulator.onvif.ptz_service import PtzControl, PtzService
from console.simulator.onvif.soap import Envelope, SoapFaultError
from console.simulator.onvif.state import CameraState, DeviceSpec, Operations

log = logging.getLogger(__name__)


class OnvifDevice:
    """The camera's state, its services by path, and the faults injected into its answers."""

    def __init__(self, spec: DeviceSpec, ptz: PtzControl | None = None) -> None:
        self.state = CameraState(spec, identity_for(spec.camera_id),
                                 CameraClock(offset_s=default_clock_offset_s(spec.camera_id)))
        self.slow_s = 0.0  # every answer waits this long first (a camera busy or on a bad link)
        self.malformed = False  # answers are cut in the middle of their XML (firmware that writes broken XML)
        self._nonces = wsse.NonceGuard()
        self.ptz = ptz
        self.events = EventsService(self.state)
        self._routes: dict[str, Operations] = {}
        services: list[DeviceService | MediaService | EventsService | PtzService] = [
            DeviceService(self.state), MediaService(self.state), self.events]
        if ptz is not None:
            services.append(PtzService(self.state, ptz))
        for service in services:
            self.state.services.append(service.info())
            self._routes[service.info().path] = service.operations()

    @property
    def spec(self) -> DeviceSpec:
        return self.state.spec

    def reboot(self) -> None:
        """What a camera forgets when it restarts: its subscriptions, its events' state, a move under way."""
        self.events.reboot()
        if self.ptz is not None:
            self.ptz.head.stop()

    async def handle(self, request: HttpRequest) -> HttpResponse:
        if self.slow_s > 0:
            await asyncio.sleep(self.slow_s)
        return await answer_request(request, self._routes, self.events, self._check, self.malformed, self._faulted)

    def _check(self, request: Envelope) -> None:
        token = wsse.UsernameToken.from_header(request.header)
        wsse.check(token, self.spec.credentials, self.state.clock.now(), self._nonces)

    def _faulted(self, fault: SoapFaultError) -> None:
        log.debug("onvif %s: fault %s (%s)", self.spec.camera_id, "/".join(fault.subcodes), fault.reason)
