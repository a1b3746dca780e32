"""Camera notifications read from PullMessages answers written after the ONVIF Core spec's examples (and what
Hikvision/Dahua firmwares send), mapped to the console's kinds, and turned into one alert per episode with
the console's cooldown rules."""

from __future__ import annotations

import itertools

import pytest

from console.core.camera_events import (
    LABELS_VI,
    CameraEpisodes,
    CameraEventKind,
    CameraEventMessage,
    ChannelState,
    channel_state,
    kind_of_topic,
    read_state,
    topic_path,
)
from console.onvif.events import notifications_in, read_notification
from console.onvif.soap import BadReplyError

PULL_RESPONSE = b"""<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"
  xmlns:tev="http://www.onvif.org/ver10/events/wsdl" xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2"
  xmlns:tns1="http://www.onvif.org/ver10/topics" xmlns:tt="http://www.onvif.org/ver10/schema">
 <env:Header/>
 <env:Body>
  <tev:PullMessagesResponse>
   <tev:CurrentTime>2026-03-01T02:00:05Z</tev:CurrentTime>
   <tev:TerminationTime>2026-03-01T02:01:05Z</tev:TerminationTime>
   <wsnt:NotificationMessage>
    <wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">
      tns1:RuleEngine/CellMotionDetector/Motion</wsnt:Topic>
    <wsnt:Message>
     <tt:Message UtcTime="2026-03-01T02:00:04.250Z" PropertyOperation="Changed">
      <tt:Source>
       <tt:SimpleItem Name="VideoSourceConfigurationToken" Value="VideoSourceToken"/>
       <tt:SimpleItem Name="VideoAnalyticsConfigurationToken" Value="VideoAnalyticsToken"/>
       <tt:SimpleItem Name="Rule" Value="MyMotionDetectorRule"/>
      </tt:Source>
      <tt:Data><tt:SimpleItem Name="IsMotion" Value="true"/></tt:Data>
     </tt:Message>
    </wsnt:Message>
   </wsnt:NotificationMessage>
   <wsnt:NotificationMessage>
    <wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">tns1:Device/Trigger/DigitalInput</wsnt:Topic>
    <wsnt:Message>
     <tt:Message UtcTime="2026-03-01T02:00:05Z" PropertyOperation="Initialized">
      <tt:Source><tt:SimpleItem Name="InputToken" Value="AlarmIn_2"/></tt:Source>
      <tt:Data><tt:SimpleItem Name="LogicalState" Value="false"/></tt:Data>
     </tt:Message>
    </wsnt:Message>
   </wsnt:NotificationMessage>
   <wsnt:NotificationMessage>
    <wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">tns1:VideoSource/GlobalSceneChange/ImagingService</wsnt:Topic>
    <wsnt:Message>
     <tt:Message UtcTime="2026-03-01T02:00:05+07:00">
      <tt:Source><tt:SimpleItem Name="Source" Value="VideoSource_1"/></tt:Source>
      <tt:Data><tt:SimpleItem Name="State" Value="1"/></tt:Data>
     </tt:Message>
    </wsnt:Message>
   </wsnt:NotificationMessage>
   <wsnt:NotificationMessage>
    <wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">tns1:Monitoring/ProcessorUsage</wsnt:Topic>
    <wsnt:Message>
     <tt:Message UtcTime="2026-03-01T02:00:05Z" PropertyOperation="Changed">
      <tt:Data><tt:SimpleItem Name="Value" Value="42.5"/></tt:Data>
     </tt:Message>
    </wsnt:Message>
   </wsnt:NotificationMessage>
  </tev:PullMessagesResponse>
 </env:Body>
</env:Envelope>"""


def _messages() -> list[CameraEventMessage]:
    return [read_notification("C01", topic, element, 1_000) for topic, element in notifications_in(PULL_RESPONSE)]


def test_a_pull_answer_is_read_into_typed_messages() -> None:
    motion, alarm, tamper, cpu = _messages()
    assert motion.topic == "tns1:RuleEngine/CellMotionDetector/Motion"
    assert motion.kind is CameraEventKind.MOTION and motion.active is True and motion.operation == "Changed"
    assert motion.camera_time_ms == 1772330404250  # 2026-03-01T02:00:04.250Z
    assert motion.source_items["Rule"] == "MyMotionDetectorRule" and motion.data_items == {"IsMotion": "true"}
    assert alarm.kind is CameraEventKind.ALARM_INPUT and alarm.active is False
    assert alarm.operation == "Initialized" and alarm.source_items == {"InputToken": "AlarmIn_2"}
    assert tamper.kind is CameraEventKind.TAMPER and tamper.active is True
    assert tamper.camera_time_ms == 1772330405000 - 7 * 3600 * 1000  # a local time with its offset
    assert cpu.kind is None and cpu.active is None  # read, passed on, never an alert
    assert all(m.received_ms == 1_000 and m.camera_id == "C01" for m in _messages())


def test_a_reply_that_is_not_soap_is_refused() -> None:
    with pytest.raises(BadReplyError):
        notifications_in(b"<html><body>login</body></html>")
    with pytest.raises(BadReplyError):
        notifications_in(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')


@pytest.mark.parametrize(("topic", "kind"), [
    ("tns1:VideoSource/MotionAlarm", CameraEventKind.MOTION),
    ("tns1:RuleEngine/CellMotionDetector/Motion", CameraEventKind.MOTION),
    ("tns1:RuleEngine/MotionRegionDetector/Motion", CameraEventKind.MOTION),
    ("tnshik:RuleEngine/MotionDetector/Motion", CameraEventKind.MOTION),
    ("tns1:RuleEngine/TamperDetector/Tamper", CameraEventKind.TAMPER),
    ("tns1:VideoSource/GlobalSceneChange/ImagingService", CameraEventKind.TAMPER),
    ("tns1:Device/Trigger/DigitalInput", CameraEventKind.ALARM_INPUT),
    ("tns1:Device/tnsvendor:IO/DigitalInput", CameraEventKind.ALARM_INPUT),
    ("tns1:Device/Trigger/Relay", None),
    ("tns1:RuleEngine/LineDetector/Crossed", None),
    ("", None),
])
def test_onvif_topics_map_to_the_consoles_kinds(topic: str, kind: CameraEventKind | None) -> None:
    assert kind_of_topic(topic) is kind


def test_topic_prefixes_are_dropped_step_by_step() -> None:
    assert topic_path(" tns1:Device/tnsvendor:IO/DigitalInput ") == "Device/IO/DigitalInput"


def test_the_kinds_have_the_vietnamese_names_of_the_issue() -> None:
    assert LABELS_VI[CameraEventKind.MOTION] == "Chuyển động (camera)"
    assert LABELS_VI[CameraEventKind.ALARM_INPUT] == "Đầu vào báo động"


@pytest.mark.parametrize(("data", "state"), [
    ({"IsMotion": "true"}, True), ({"State": "false"}, False), ({"LogicalState": "1"}, True),
    ({"IsTamper": "0"}, False), ({"Value": "42.5"}, None), ({}, None), ({"State": " TRUE "}, True),
])
def test_the_state_item_is_found_whatever_its_name(data: dict[str, str], state: bool | None) -> None:
    assert read_state(data) is state


def _message(kind: CameraEventKind, active: bool, at_ms: int, topic: str = "",
             source: tuple[tuple[str, str], ...] = ()) -> CameraEventMessage:
    topics = {CameraEventKind.MOTION: "tns1:VideoSource/MotionAlarm",
              CameraEventKind.TAMPER: "tns1:RuleEngine/TamperDetector/Tamper",
              CameraEventKind.ALARM_INPUT: "tns1:Device/Trigger/DigitalInput"}
    return CameraEventMessage("C01", topic or topics[kind], kind, active, None, at_ms, source)


def _episodes(**options: int) -> CameraEpisodes:
    counter = itertools.count(1)
    return CameraEpisodes("C01", "S01", lambda: next(counter), heartbeat_ms=0, **options)


def test_a_start_and_its_stop_make_one_alert() -> None:
    episodes = _episodes()
    start = episodes.feed(_message(CameraEventKind.MOTION, True, 1_000))
    end = episodes.feed(_message(CameraEventKind.MOTION, False, 4_000))
    assert [(e.alert_id, e.phase, e.at_ms) for e in start + end] == [(1, "start", 1_000), (1, "end", 4_000)]
    assert start[0].label_vi == "Chuyển động (camera)" and start[0].site_id == "S01"


def test_motion_sent_under_two_topics_is_one_episode_until_both_stop() -> None:
    episodes = _episodes()
    cell = "tns1:RuleEngine/CellMotionDetector/Motion"
    events = episodes.feed(_message(CameraEventKind.MOTION, True, 1_000))
    events += episodes.feed(_message(CameraEventKind.MOTION, True, 1_010, topic=cell))
    events += episodes.feed(_message(CameraEventKind.MOTION, False, 3_000))
    assert [e.phase for e in events] == ["start"]
    events += episodes.feed(_message(CameraEventKind.MOTION, False, 3_100, topic=cell))
    assert [(e.phase, e.at_ms) for e in events] == [("start", 1_000), ("end", 3_100)]


def test_motion_again_within_the_cooldown_continues_the_same_alert_and_after_it_a_new_one() -> None:
    episodes = _episodes(cooldown_ms=60_000)
    events = []
    for start, stop in ((0, 2_000), (30_000, 32_000), (100_000, 101_000)):
        events += episodes.feed(_message(CameraEventKind.MOTION, True, start))
        events += episodes.feed(_message(CameraEventKind.MOTION, False, stop))
    assert [(e.alert_id, e.phase) for e in events] == [(1, "start"), (1, "end"), (1, "active"), (1, "end"),
                                                      (2, "start"), (2, "end")]


def test_two_alarm_inputs_are_two_alarms() -> None:
    episodes = _episodes()
    one = episodes.feed(_message(CameraEventKind.ALARM_INPUT, True, 0, source=(("InputToken", "1"),)))
    two = episodes.feed(_message(CameraEventKind.ALARM_INPUT, True, 5, source=(("InputToken", "2"),)))
    assert [(e.alert_id, e.key) for e in one + two] == [(1, "1"), (2, "2")]


def test_kinds_not_opted_in_raise_nothing_and_repeated_states_are_not_new_episodes() -> None:
    counter = itertools.count(1)
    episodes = CameraEpisodes("C01", None, lambda: next(counter), kinds=frozenset({CameraEventKind.TAMPER}))
    assert episodes.feed(_message(CameraEventKind.MOTION, True, 0)) == []
    assert [e.phase for e in episodes.feed(_message(CameraEventKind.TAMPER, True, 0))] == ["start"]
    assert episodes.feed(_message(CameraEventKind.TAMPER, True, 500)) == []
    assert episodes.feed(_message(CameraEventKind.ALARM_INPUT, True, 0)) == []


def test_a_long_episode_has_heartbeats_and_closing_the_channel_ends_it() -> None:
    counter = itertools.count(1)
    episodes = CameraEpisodes("C01", None, lambda: next(counter), heartbeat_ms=1_000)
    episodes.feed(_message(CameraEventKind.TAMPER, True, 0))
    beats = [e.phase for t in range(200, 3_000, 200) for e in episodes.tick(t)]
    assert beats == ["active", "active"]
    assert [(e.phase, e.at_ms) for e in episodes.close_all(5_000)] == [("end", 5_000)]
    assert episodes.close_all(6_000) == []


def test_channel_states_from_the_last_successful_pull() -> None:
    assert channel_state(10.0, 0.0, None) is ChannelState.STARTING
    assert channel_state(61.0, 0.0, None) is ChannelState.LOST
    assert channel_state(100.0, 0.0, 95.0) is ChannelState.LIVE
    assert channel_state(100.0, 0.0, 80.0) is ChannelState.STALE
    assert channel_state(100.0, 0.0, 39.0) is ChannelState.LOST
    assert channel_state(100.0, 0.0, 97.0, stale_after_s=2.0, lost_after_s=4.0) is ChannelState.STALE


def test_the_librarys_reading_of_a_pull_answer_gives_the_same_messages() -> None:
    """zeep turns tt:Message into typed objects (the library's schema knows it): read the same as our XML."""
    import asyncio

    from console.onvif.events import PULLPOINT_NAMESPACE, _zeep_notifications
    from console.onvif.library import load, new_camera

    async def through_zeep() -> list[CameraEventMessage]:
        camera = new_camera(load(), "127.0.0.1", 9, None, None, adjust_time=False)
        try:
            camera.xaddrs[PULLPOINT_NAMESPACE] = "http://127.0.0.1:9/onvif/pull/1"
            service = await camera.create_pullpoint_service()
            from zeep.loader import parse_xml  # only to feed the reply to zeep without a network

            operation = service.document.bindings[service.binding_name].get("PullMessages")
            answer = operation.process_reply(parse_xml(PULL_RESPONSE, service.transport))
            return [read_notification("C01", t, m, 1_000) for t, m in _zeep_notifications(answer)]
        finally:
            await camera.close()

    assert asyncio.run(through_zeep()) == _messages()
