"""Watching a simulated PTZ camera from outside: PTZ requests written out by hand, its sub stream decoded by
PyAV in the background, the position read back from each frame's stamp, and how far the content moved."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import av
import numpy as np
import numpy.typing as npt

from console.core.credentials import Credentials, with_credentials
from console.core.stamp import read_stamp
from console.simulator.panorama import position_from_code
from console.simulator.ptz_head import PtzPosition
from tests.support.clients import OPEN_OPTIONS
from tests.support.onvif_soap import Reply, call

Luma = npt.NDArray[np.uint8]
PROFILE = "Profile_2"


def ptz_op(name: str, inner: str = "", profile: str = PROFILE) -> str:
    return f"<tptz:{name}><tptz:ProfileToken>{profile}</tptz:ProfileToken>{inner}</tptz:{name}>"


def continuous_move(pan: float, tilt: float = 0.0, zoom: float | None = None, timeout: str | None = "PT1S") -> str:
    zoom_part = f'<tt:Zoom x="{zoom}"/>' if zoom is not None else ""
    timeout_part = f"<tptz:Timeout>{timeout}</tptz:Timeout>" if timeout else ""
    return ptz_op("ContinuousMove", f'<tptz:Velocity><tt:PanTilt x="{pan}" y="{tilt}"/>{zoom_part}</tptz:Velocity>'
                                    f"{timeout_part}")


def absolute_move(pan: float, tilt: float, zoom: float, space: str = "") -> str:
    space_attr = f' space="{space}"' if space else ""
    return ptz_op("AbsoluteMove", f'<tptz:Position><tt:PanTilt x="{pan}" y="{tilt}"{space_attr}/>'
                                  f'<tt:Zoom x="{zoom}"/></tptz:Position>')


def relative_move(pan: float, tilt: float, zoom: float = 0.0, space: str = "") -> str:
    space_attr = f' space="{space}"' if space else ""
    return ptz_op("RelativeMove", f'<tptz:Translation><tt:PanTilt x="{pan}" y="{tilt}"{space_attr}/>'
                                  f'<tt:Zoom x="{zoom}"/></tptz:Translation>')


@dataclass(frozen=True)
class Status:
    position: PtzPosition
    pan_tilt: str
    zoom: str

    @property
    def moving(self) -> bool:
        return "MOVING" in (self.pan_tilt, self.zoom)


def status(url: str, credentials: Credentials | None) -> Status:
    reply = call(url, ptz_op("GetStatus"), credentials)
    assert reply.status == 200, reply.body
    pan_tilt, zoom = reply.find(".//tt:Position/tt:PanTilt"), reply.find(".//tt:Position/tt:Zoom")
    return Status(PtzPosition(float(pan_tilt.get("x") or "nan"), float(pan_tilt.get("y") or "nan"),
                              float(zoom.get("x") or "nan")),
                  reply.text(".//tt:MoveStatus/tt:PanTilt"), reply.text(".//tt:MoveStatus/tt:Zoom"))


def wait_idle(url: str, credentials: Credentials | None, limit_s: float = 10.0) -> Status:
    deadline = time.monotonic() + limit_s
    while True:
        now = status(url, credentials)
        if not now.moving:
            return now
        assert time.monotonic() < deadline, f"still moving after {limit_s} s: {now}"
        time.sleep(0.05)


def ok(reply: Reply) -> Reply:
    assert reply.status == 200, reply.body[-600:]
    return reply


def triple(position: PtzPosition | None) -> tuple[float, float, float] | None:
    """(pan, tilt, zoom), for comparing with pytest.approx."""
    return None if position is None else (position.pan, position.tilt, position.zoom)


def stamped_position(luma: Luma) -> PtzPosition | None:
    code = read_stamp(luma)
    return None if code is None else position_from_code(code)


@dataclass(frozen=True)
class Frame:
    received: float  # monotonic
    luma: Luma

    @property
    def position(self) -> PtzPosition | None:
        return stamped_position(self.luma)


class FrameRecorder:
    """Decodes an RTSP stream in a thread and keeps every frame with the time it was decoded."""

    def __init__(self, url: str, credentials: Credentials | None = None) -> None:
        self._url = with_credentials(url, credentials) if credentials else url
        self.frames: list[Frame] = []
        self._stop = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="test-frame-recorder", daemon=True)

    def __enter__(self) -> FrameRecorder:
        self._thread.start()
        self.wait_frames(3, 20)
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        try:
            with av.open(self._url, options=OPEN_OPTIONS, timeout=5.0) as container:
                stream = container.streams.video[0]
                stream.thread_count = 1
                for frame in container.decode(stream):
                    self.frames.append(Frame(time.monotonic(), np.asarray(frame.to_ndarray(format="gray"), np.uint8)))
                    if self._stop.is_set():
                        return
        except BaseException as exc:  # reported by the waits, not lost in the thread
            self._error = exc

    def wait_frames(self, count: int, limit_s: float = 10.0) -> None:
        deadline = time.monotonic() + limit_s
        while len(self.frames) < count:
            assert self._error is None, f"the stream failed: {self._error!r}"
            assert time.monotonic() < deadline, f"{len(self.frames)} frames in {limit_s} s"
            time.sleep(0.02)

    def frame_after(self, moment: float, limit_s: float = 5.0) -> Frame:
        """The first frame decoded after `moment` (monotonic)."""
        deadline = time.monotonic() + limit_s
        while True:
            found = next((f for f in self.frames if f.received > moment), None)
            if found is not None:
                return found
            assert self._error is None, f"the stream failed: {self._error!r}"
            assert time.monotonic() < deadline, "no frame came"
            time.sleep(0.02)

    def settled_at(self, position: PtzPosition, limit_s: float = 2.0) -> Frame:
        """The first frame from now on stamped with `position` (frames in flight may still show the way there)."""
        deadline = time.monotonic() + limit_s
        start = time.monotonic()
        while True:
            found = next((f for f in self.frames if f.received > start and f.position is not None
                          and max(abs(a - b) for a, b in zip(triple(f.position) or (), triple(position) or (),
                                                              strict=True)) < 1e-3), None)
            if found is not None:
                return found
            assert self._error is None, f"the stream failed: {self._error!r}"
            latest = self.frames[-1].position if self.frames else None
            assert time.monotonic() < deadline, f"the picture shows {latest}, not {position}"
            time.sleep(0.02)

    def latest(self) -> Frame:
        return self.frame_after(time.monotonic())


def content_shift(before: Luma, after: Luma, max_shift: int = 240) -> int:
    """How many pixels the picture's content moved to the LEFT from `before` to `after` (negative: right), by the
    best match of the band between the on-screen text and the road (rows 20–70 % of the height)."""
    height, width = before.shape
    rows = slice(int(height * 0.2), int(height * 0.7), 2)
    a, b = before[rows].astype(np.float32), after[rows].astype(np.float32)
    best, best_cost = 0, float("inf")
    for shift in range(-max_shift, max_shift + 1):
        # after[:, x] ≈ before[:, x + shift]
        if shift >= 0:
            cost = float(np.abs(b[:, : width - shift] - a[:, shift:]).mean())
        else:
            cost = float(np.abs(b[:, -shift:] - a[:, : width + shift]).mean())
        if cost < best_cost:
            best, best_cost = shift, cost
    return best

