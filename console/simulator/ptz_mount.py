"""A PTZ camera's RTSP path: the window over its wide scene at the head's current position, encoded live.

Each frame reads the head's position at its capture instant, so the picture follows a move within one frame.
The encoder thread runs only while somebody watches (and until the parameter sets are known), as the live hub's
does; a new receiver gets a keyframe at once. Measured per frame: 640×360 ~5 ms to draw and ~1.5 ms to encode
(0.09 core at 15 fps); 1920×1080 ~15 + 7.5 ms (0.56 core at 25 fps, only while somebody watches the main stream).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from console.core.stamp import draw_stamp, strip_rows
from console.core.vntime import VN_TZ
from console.simulator.encoding import EncodedFrame, StreamProfile
from console.simulator.live_encoder import LiveEncoder, Planes
from console.simulator.mounts import FrameSink
from console.simulator.panorama import Panorama, Traffic, position_code
from console.simulator.ptz_head import PtzHead, PtzPosition
from console.simulator.scene import Plane, TextPatch, blend_text, render_text

log = logging.getLogger(__name__)

BADGE = "MÔ PHỎNG · PTZ"


class PtzScene:
    """What a PTZ camera shows: its head, its scene (built on first use) and the on-screen text."""

    def __init__(self, title: str, subtitle: str, head: PtzHead, traffic: Traffic) -> None:
        self.title, self.subtitle = title, subtitle
        self.head, self.traffic = head, traffic
        self._panorama: Panorama | None = None
        self._lock = threading.Lock()
        self._texts: dict[tuple[str, int], TextPatch] = {}

    @property
    def panorama(self) -> Panorama:
        with self._lock:
            if self._panorama is None:
                self._panorama = Panorama(self.title, self.traffic)
            return self._panorama

    def render(self, width: int, height: int, epoch_s: float,
               position: PtzPosition | None = None) -> tuple[Plane, Plane, Plane]:
        """The picture at `epoch_s` with the head where it is now (or at `position`)."""
        where = position or self.head.position()
        y, u, v = self.panorama.view(where, width, height, epoch_s)
        scale = height / 360
        margin = max(4, width // 80)
        title = self._text(self.title, round(20 * scale))
        blend_text(y, u, v, title, margin, margin)
        blend_text(y, u, v, self._text(self.subtitle, round(14 * scale)), margin, margin + title.luma.shape[0] + 2)
        badge = self._text(BADGE, round(13 * scale))
        blend_text(y, u, v, badge, margin, height - badge.luma.shape[0] - margin)
        clock = self._text(datetime.fromtimestamp(epoch_s, VN_TZ).strftime("%H:%M:%S"), round(16 * scale))
        blend_text(y, u, v, clock, width - clock.luma.shape[1] - margin, margin)
        place = self._text(f"P {where.pan:+.3f}  T {where.tilt:+.3f}  Z {where.zoom:.2f}", round(13 * scale))
        blend_text(y, u, v, place, width - place.luma.shape[1] - margin, height - place.luma.shape[0] - margin)
        draw_stamp(y, position_code(where))
        top, bottom = strip_rows(height)
        u[top // 2: bottom // 2 + 1] = 128
        v[top // 2: bottom // 2 + 1] = 128
        return y, u, v

    def _text(self, text: str, size: int) -> TextPatch:
        key = (text, max(10, size))
        patch = self._texts.get(key)
        if patch is None:
            if len(self._texts) > 64:  # the clock and the position change: keep only what is recent
                self._texts.clear()
            patch = self._texts[key] = render_text(*key)
        return patch


class PtzMount(LiveEncoder[FrameSink]):
    """One stream (main or sub) of a PTZ camera, encoded live from its scene while someone watches."""

    def __init__(self, scene: PtzScene, profile: StreamProfile, stalled: Callable[[], bool]) -> None:
        super().__init__(profile, f"sim-ptz-{profile.height}p")
        self.title = scene.title
        self._scene = scene
        self._stalled = stalled

    async def ready(self) -> dict[str, bytes]:
        return await self.params()

    def add(self, sink: FrameSink) -> None:
        self.attach(sink)

    def remove(self, sink: FrameSink) -> None:
        self.detach(sink)

    def picture(self, index: int, capture: float) -> Planes:
        return self._scene.render(self.profile.width, self.profile.height, capture)

    def deliver_to(self, receiver: FrameSink, frame: EncodedFrame, timestamp: int) -> None:
        if not self._stalled():
            receiver.send_frame(frame, timestamp)

