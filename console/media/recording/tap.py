"""The tap on a camera's ingest: copies packets to the writer (continuous), or keeps the pre-roll and copies
only while an alert holds it open (on alert)."""

from __future__ import annotations

import os
import threading
import time
from fractions import Fraction
from typing import Protocol

import av
from av.packet import Packet
from av.video.stream import VideoStream

from console.core.config import Camera, RecordingMode
from console.core.recording import GopRing, RecordingSettings
from console.core.vntime import now_ms
from console.media.ingest import StreamInfo
from console.media.recording.items import DEFAULT_FRAME_TICKS, Cut, Item, RecPacket, Session


class TapTarget(Protocol):
    """What a tap hands its packets to (the writer)."""

    settings: RecordingSettings

    def room_for(self, camera_id: str, size: int) -> bool: ...

    def put(self, camera_id: str, item: Item, size: int = 0) -> None: ...


class RecordTap:
    """A PacketSink on one camera's ingest: copies packets to the writer (continuous), or keeps the pre-roll
    ring and copies only while an alert holds it open (on alert)."""

    def __init__(self, camera: Camera, recorder: TapTarget) -> None:
        self.camera_id = camera.id
        self.mode = camera.recording
        self._recorder = recorder
        self._lock = threading.Lock()
        self._ring: GopRing[RecPacket] = GopRing(recorder.settings.preroll_s)
        self._armed_until_ms = 0
        self._info: StreamInfo | None = None
        self._session: Session | None = None
        self._sent_session = False
        self._waiting: list[tuple[Packet[VideoStream], int]] = []  # leading packets without a timestamp
        self._last: tuple[int, int] | None = None  # last (pts, dts)
        self._frame_ticks = DEFAULT_FRAME_TICKS
        self._need_key = True
        self.received = 0
        self.sent = 0  # to the writer (from the first keyframe on)
        self.dropped = 0

    # -- PacketSink --------------------------------------------------------------------------------
    def stream_opened(self, info: StreamInfo) -> None:
        with self._lock:
            self._info = info
            self._session = None
            self._sent_session = False
            self._waiting = []
            self._last = None
            self._need_key = True
            self._ring.clear()

    def packet(self, packet: Packet[VideoStream], received: float) -> None:
        wall_ms = int((time.time() - (time.monotonic() - received)) * 1000)
        with self._lock:
            session = self._session = self._session or self._new_session(packet)
            if session is None:
                return
            if packet.pts is None and self._last is None:
                self._waiting.append((packet, wall_ms))
                return
            for early, early_ms in self._waiting:
                self._take(session, early, early_ms, packet.pts)
            self._waiting = []
            self._take(session, packet, wall_ms, None)

    def stream_closed(self) -> None:
        with self._lock:
            if self._session is not None and not self._sent_session:
                self._session.holder.close()
            self._session = None
            self._ring.clear()
            if self._sent_session:
                self._recorder.put(self.camera_id, Cut())
            self._sent_session = False

    # -- alerts ----------------------------------------------------------------------------------
    def trigger(self, until_ms: int) -> None:
        """Record (with the pre-roll) until `until_ms` at least; later alerts extend it."""
        with self._lock:
            if until_ms <= self._armed_until_ms:
                return
            was_armed = self._armed_until_ms > now_ms()
            self._armed_until_ms = until_ms
            if not was_armed:
                for item in self._ring.drain():
                    self._send(item)

    # -- inside the lock -------------------------------------------------------------------------
    def _new_session(self, packet: Packet[VideoStream]) -> Session | None:
        if self._info is None or packet.time_base is None:
            return None
        # A file-backed holder (never written): PyAV containers over Python file objects must not be left
        # to the garbage collector at interpreter exit.
        holder = av.open(os.devnull, "w", format="mpegts")
        template = holder.add_stream_from_template(packet.stream)
        return Session(self.camera_id, self._info, template, holder, Fraction(packet.time_base))

    def _take(self, session: Session, packet: Packet[VideoStream], wall_ms: int, next_pts: int | None) -> None:
        pts, dts = packet.pts, packet.dts
        if pts is None:
            # The first packet of an RTSP session may come before the stream's clock is known: one frame
            # before the next packet (leading ones) or after the last one.
            if next_pts is not None:
                pts = next_pts - self._frame_ticks
            elif self._last is not None:
                pts = self._last[0] + self._frame_ticks
            else:
                return
            dts = pts
        if dts is None:
            dts = pts
        if self._last is not None and 0 < pts - self._last[0] < 10 * self._frame_ticks:
            self._frame_ticks = pts - self._last[0]
        self._last = (pts, dts)
        self.received += 1
        item = RecPacket(bytes(packet), pts, dts, packet.is_keyframe, wall_ms)
        if self.mode is RecordingMode.CONTINUOUS or wall_ms <= self._armed_until_ms:
            self._send(item)
        else:
            if self._sent_session:  # post-roll over
                self._recorder.put(self.camera_id, Cut())
                self._sent_session = False
            self._ring.push(item, item.key, dts * float(session.time_base))

    def _send(self, item: RecPacket) -> None:
        if self._need_key and not item.key:
            return
        if not self._recorder.room_for(self.camera_id, len(item.data)):
            self.dropped += 1
            if not self._need_key:
                self._need_key = True
                self._recorder.put(self.camera_id, Cut())
            return
        self._need_key = False
        self.sent += 1
        if not self._sent_session and self._session is not None:
            self._recorder.put(self.camera_id, self._session)
            self._sent_session = True
        self._recorder.put(self.camera_id, item, len(item.data))
