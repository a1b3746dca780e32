"""The event topics a simulated camera raises, as Hikvision-class firmware names them, and their messages.

Each topic is a property with one boolean state (ONVIF's property events): motion from the cell motion
detector, the video source's motion alarm, tamper (global scene change), the alarm input. A message says the
state, when it changed on the camera's own clock, and whether it is the state at subscription time
(Initialized) or a change.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from console.simulator.onvif.soap import TNS1, TT, WSNT, WSTOP, XS, sub
from console.simulator.onvif.xsd_time import format_date_time

CONCRETE_SET = "http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet"
CONCRETE = "http://docs.oasis-open.org/wsn/t-1/TopicExpression/Concrete"
ITEM_FILTER = "http://www.onvif.org/ver10/tev/messageContentFilter/ItemFilter"
MESSAGE_SCHEMA = "http://www.onvif.org/onvif/ver10/schema/onvif.xsd"
VIDEO_SOURCE = "VideoSource_1"
ALARM_INPUT = "AlarmIn_1"


class EventKind(Enum):
    MOTION = "motion"  # RuleEngine/CellMotionDetector/Motion, IsMotion
    MOTION_ALARM = "motion_alarm"  # VideoSource/MotionAlarm, State
    TAMPER = "tamper"  # VideoSource/GlobalSceneChange/ImagingService, State
    DIGITAL_INPUT = "digital_input"  # Device/Trigger/DigitalInput, LogicalState


class PropertyOperation(Enum):
    INITIALIZED = "Initialized"
    CHANGED = "Changed"


@dataclass(frozen=True)
class Topic:
    kind: EventKind
    path: str  # below tns1:, steps separated by /
    source: tuple[tuple[str, str, str], ...]  # (name, xs type, value) of the Source items
    state_item: str  # the Data item that carries the boolean


TOPICS = {topic.kind: topic for topic in (
    Topic(EventKind.MOTION, "RuleEngine/CellMotionDetector/Motion",
          (("VideoSourceConfigurationToken", "tt:ReferenceToken", "VideoSourceToken"),
           ("VideoAnalyticsConfigurationToken", "tt:ReferenceToken", "VideoAnalyticsToken"),
           ("Rule", "xs:string", "MyMotionDetectorRule")), "IsMotion"),
    Topic(EventKind.MOTION_ALARM, "VideoSource/MotionAlarm",
          (("Source", "tt:ReferenceToken", VIDEO_SOURCE),), "State"),
    Topic(EventKind.TAMPER, "VideoSource/GlobalSceneChange/ImagingService",
          (("Source", "tt:ReferenceToken", VIDEO_SOURCE),), "State"),
    Topic(EventKind.DIGITAL_INPUT, "Device/Trigger/DigitalInput",
          (("InputToken", "tt:ReferenceToken", ALARM_INPUT),), "LogicalState"),
)}


@dataclass(frozen=True)
class Notification:
    topic: Topic
    state: bool
    utc: datetime  # on the camera's clock
    operation: PropertyOperation = PropertyOperation.CHANGED


def write_notification(parent: ET.Element, notification: Notification) -> None:
    """A wsnt:NotificationMessage holding its tt:Message."""
    holder = sub(parent, WSNT, "NotificationMessage")
    sub(holder, WSNT, "Topic", ET.QName(TNS1, notification.topic.path), Dialect=CONCRETE_SET)
    message = sub(sub(holder, WSNT, "Message"), TT, "Message", UtcTime=format_date_time(notification.utc),
                  PropertyOperation=notification.operation.value)
    source = sub(message, TT, "Source")
    for name, _, value in notification.topic.source:
        sub(source, TT, "SimpleItem", Name=name, Value=value)
    data = sub(message, TT, "Data")
    sub(data, TT, "SimpleItem", Name=notification.topic.state_item, Value="true" if notification.state else "false")


def write_topic_set(parent: ET.Element) -> None:
    """wstop:TopicSet: one branch per topic path, the leaf describing its message (a property, its items)."""
    topic_set = sub(parent, WSTOP, "TopicSet")
    branches: dict[str, ET.Element] = {}
    for topic in TOPICS.values():
        steps = topic.path.split("/")
        node = topic_set
        for depth, step in enumerate(steps):
            key = "/".join(steps[: depth + 1])
            if key not in branches:
                branches[key] = (sub(node, TNS1, step) if depth == 0 else ET.SubElement(node, step))
            node = branches[key]
        node.set(f"{{{WSTOP}}}topic", "true")
        description = sub(node, TT, "MessageDescription", IsProperty="true")
        description.set("xmlns:xs", XS)  # the items' types below are xs: QNames in attribute values
        source = sub(description, TT, "Source")
        for name, kind, _ in topic.source:
            sub(source, TT, "SimpleItemDescription", Name=name, Type=kind)
        data = sub(description, TT, "Data")
        sub(data, TT, "SimpleItemDescription", Name=topic.state_item, Type="xs:boolean")
