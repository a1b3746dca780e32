"""The ONVIF event service (tev, PullPoint) of a simulated camera: event properties, pull point subscriptions,
the long-polled PullMessages, Renew, Unsubscribe, SetSynchronizationPoint.

The service address answers GetEventProperties and CreatePullPointSubscription; each subscription answers at
its own address (`SUBSCRIPTION_PREFIX` + number). A subscription starts with the current state of every
property (Initialized), as cameras send it; SetSynchronizationPoint sends them again.
"""

from __future__ import annotations

import logging
import time
import xml.etree.ElementTree as ET
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from console.simulator.onvif.addresses import EVENTS_PATH, SUBSCRIPTION_PREFIX
from console.simulator.onvif.event_topics import (
    CONCRETE,
    CONCRETE_SET,
    ITEM_FILTER,
    MESSAGE_SCHEMA,
    TOPICS,
    EventKind,
    Notification,
    PropertyOperation,
    write_notification,
    write_topic_set,
)
from console.simulator.onvif.pullpoint import MAX_LIFETIME_S, MAX_PULL_POINTS, PullPoint, PullPoints
from console.simulator.onvif.soap import (
    TEV,
    WSA10,
    WSNT,
    Envelope,
    FaultCode,
    SoapFaultError,
    element,
    invalid_arg,
    sub,
    tag,
    text_of,
)
from console.simulator.onvif.state import CameraState, Operation, Operations, ServiceInfo
from console.simulator.onvif.xsd_time import format_date_time, parse_duration, seconds_until

log = logging.getLogger(__name__)

DEFAULT_LIFETIME_S = 60.0  # a CreatePullPointSubscription without InitialTerminationTime
MAX_PULL_TIMEOUT_S = 60.0  # a longer PullMessages Timeout is cut to this
MAX_MESSAGE_LIMIT = 1024


def _gone() -> SoapFaultError:
    """What a camera answers on the address of a subscription it no longer has."""
    return SoapFaultError(FaultCode.SENDER, ("InvalidArgVal", "ResourceUnknown"), "no such subscription")


class EventsService:
    """The camera's event properties (current state per topic) and its pull points."""

    def __init__(self, state: CameraState) -> None:
        self.state = state
        self.pull_points = PullPoints(SUBSCRIPTION_PREFIX)
        self.properties = dict.fromkeys(EventKind, False)

    def info(self) -> ServiceInfo:
        return ServiceInfo(TEV, EVENTS_PATH, self._service_capabilities)

    def operations(self) -> Operations:
        ops = {"GetServiceCapabilities": self.get_service_capabilities,
               "GetEventProperties": self.get_event_properties,
               "CreatePullPointSubscription": self.create_pull_point_subscription}
        return {tag(TEV, name): Operation(handler) for name, handler in ops.items()}

    def subscription_operations(self, path: str) -> Operations:
        """The operations of the subscription at `path`; each faults if the camera does not have it (any more)."""

        def bound(handler: Callable[[PullPoint, Envelope], ET.Element | Awaitable[ET.Element]]) -> Operation:
            def call(request: Envelope) -> ET.Element | Awaitable[ET.Element]:
                point = self.pull_points.get(path)
                if point is None:
                    raise _gone()
                return handler(point, request)

            return Operation(call)

        return {tag(TEV, "PullMessages"): bound(self.pull_messages),
                tag(TEV, "SetSynchronizationPoint"): bound(self.set_synchronization_point),
                tag(WSNT, "Renew"): bound(self.renew), tag(WSNT, "Unsubscribe"): bound(self.unsubscribe)}

    # -- the camera side --------------------------------------------------------------------------------------
    def publish(self, kind: EventKind, state: bool) -> None:
        """The camera's property `kind` is now `state`: every subscription gets a Changed message."""
        self.properties[kind] = state
        self.pull_points.publish(Notification(TOPICS[kind], state, self.state.clock.now()))

    def reboot(self) -> None:
        """The camera forgets every subscription and its events' state."""
        self.pull_points.drop_all()
        self.properties = dict.fromkeys(EventKind, False)

    def _initial(self, point: PullPoint) -> None:
        now = self.state.clock.now()
        for kind, state in self.properties.items():
            point.push(Notification(TOPICS[kind], state, now, PropertyOperation.INITIALIZED))

    # -- the service ------------------------------------------------------------------------------------------
    def get_service_capabilities(self, _: Envelope) -> ET.Element:
        response = element(TEV, "GetServiceCapabilitiesResponse")
        response.append(self._service_capabilities())
        return response

    def _service_capabilities(self) -> ET.Element:
        return element(TEV, "Capabilities", WSSubscriptionPolicySupport="false", WSPullPointSupport="true",
                       WSPausableSubscriptionManagerInterfaceSupport="false", MaxNotificationProducers="0",
                       MaxPullPoints=str(MAX_PULL_POINTS), PersistentNotificationStorage="false")

    def get_event_properties(self, _: Envelope) -> ET.Element:
        response = element(TEV, "GetEventPropertiesResponse")
        sub(response, TEV, "TopicNamespaceLocation", "http://www.onvif.org/onvif/ver10/topics/topicns.xml")
        sub(response, WSNT, "FixedTopicSet", "true")
        write_topic_set(response)
        sub(response, WSNT, "TopicExpressionDialect", CONCRETE)
        sub(response, WSNT, "TopicExpressionDialect", CONCRETE_SET)
        sub(response, TEV, "MessageContentFilterDialect", ITEM_FILTER)
        sub(response, TEV, "MessageContentSchemaLocation", MESSAGE_SCHEMA)
        return response

    def create_pull_point_subscription(self, request: Envelope) -> ET.Element:
        now = self.state.clock.now()
        asked = text_of(request.operation, (TEV, "InitialTerminationTime"))
        lifetime_s = DEFAULT_LIFETIME_S if not asked else seconds_until(asked, now)
        if lifetime_s is None or lifetime_s <= 0:
            raise SoapFaultError(FaultCode.SENDER, ("InvalidArgVal", "UnacceptableInitialTerminationTime"),
                                 "the initial termination time is not a future time or a positive duration")
        point = self.pull_points.create(lifetime_s)
        if point is None:
            raise SoapFaultError(FaultCode.RECEIVER, ("Action", "TooManySubscriptions"),
                                 f"at most {MAX_PULL_POINTS} pull points at once")
        self._initial(point)
        log.debug("onvif %s: pull point %d for %.0f s", self.state.spec.camera_id, point.number, lifetime_s)
        response = element(TEV, "CreatePullPointSubscriptionResponse")
        reference = sub(response, TEV, "SubscriptionReference")
        sub(reference, WSA10, "Address", self.state.xaddr(point.path))
        self._times(response, point, current_first=True)
        return response

    async def pull_messages(self, point: PullPoint, request: Envelope) -> ET.Element:
        timeout_s = parse_duration(text_of(request.operation, (TEV, "Timeout")) or "")
        try:
            limit = int(text_of(request.operation, (TEV, "MessageLimit")) or "")
        except ValueError:
            limit = 0
        if timeout_s is None or timeout_s < 0 or limit < 1:
            raise invalid_arg("InvalidArgs", "PullMessages needs a Timeout duration and a MessageLimit ≥ 1")
        await point.wait(min(timeout_s, MAX_PULL_TIMEOUT_S))
        if point.closed:  # dropped while waiting (a reboot, an Unsubscribe)
            raise _gone()
        messages = point.take(min(limit, MAX_MESSAGE_LIMIT))
        response = element(TEV, "PullMessagesResponse")
        sub(response, TEV, "CurrentTime", format_date_time(self.state.clock.now()))
        sub(response, TEV, "TerminationTime", format_date_time(self._termination(point)))
        for message in messages:
            write_notification(response, message)
        return response

    def renew(self, point: PullPoint, request: Envelope) -> ET.Element:
        asked = text_of(request.operation, (WSNT, "TerminationTime"))
        lifetime_s = seconds_until(asked, self.state.clock.now()) if asked else DEFAULT_LIFETIME_S
        if lifetime_s is None or lifetime_s <= 0:
            raise SoapFaultError(FaultCode.SENDER, ("InvalidArgVal", "UnacceptableTerminationTime"),
                                 "the termination time is not a future time or a positive duration")
        point.expires = time.monotonic() + min(lifetime_s, MAX_LIFETIME_S)
        response = element(WSNT, "RenewResponse")
        self._times(response, point, current_first=False)
        return response

    def unsubscribe(self, point: PullPoint, _: Envelope) -> ET.Element:
        self.pull_points.remove(point)
        return element(WSNT, "UnsubscribeResponse")

    def set_synchronization_point(self, point: PullPoint, _: Envelope) -> ET.Element:
        self._initial(point)
        return element(TEV, "SetSynchronizationPointResponse")

    def _termination(self, point: PullPoint) -> datetime:
        """The subscription's end on the camera's clock."""
        return self.state.clock.now() + timedelta(seconds=point.remaining_s())

    def _times(self, parent: ET.Element, point: PullPoint, current_first: bool) -> None:
        """wsnt:CurrentTime and wsnt:TerminationTime, in the order the answer's schema wants them."""
        pairs = [("CurrentTime", format_date_time(self.state.clock.now())),
                 ("TerminationTime", format_date_time(self._termination(point)))]
        for name, value in pairs if current_first else reversed(pairs):
            sub(parent, WSNT, name, value)
