"""PTZ control of one camera over its ONVIF PTZ service: a held joystick move that always ends, click-to-centre,
absolute moves, presets and home, every command under a timeout and every gesture summarised for the audit.

**A move always ends.** While a move is held, ContinuousMove is repeated every `repeat_every_s` (≤ 0.5 s) with
Timeout=PT1S, so a console that dies or freezes leaves the camera stopped a second later by the camera itself.
Release, `stop_all` (focus loss, tile closed, exit), an error or a cancelled task send Stop; a camera that
refuses Stop (a real firmware bug) gets ContinuousMove(0, 0, 0), and is remembered as refusing so its next
release goes straight to that. Some cameras ignore the Timeout (one turned for 84 s): for them the explicit stop
is what ends a move, so it is never skipped, and it is sent only after the last ContinuousMove was answered —
a move still on its way could otherwise arrive after the Stop and start the camera again. A held move also ends
when its holder stops renewing it (`lease_s`): a frozen GUI thread does not leave the camera turning either.

Commands to one camera go one at a time (a lock), in the order they were asked.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import math
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from console.onvif.errors import OnvifError, OnvifErrorKind
from console.onvif.failures import to_onvif_error
from console.onvif.messages import Say
from console.onvif.session import CameraSession, unsupported

log = logging.getLogger(__name__)

REPEAT_EVERY_S = 0.4  # ≤ 0.5 s (issue 18): one lost repeat still leaves the next inside the 1 s Timeout
MOVE_TIMEOUT_S = 1.0  # the Timeout each ContinuousMove carries: how long a lost console's move lasts
PTZ_CALL_TIMEOUT_S = 3.0  # a PTZ command answered later than this is of no use to a joystick
LEASE_S = 2.0  # a held move whose holder has not renewed it for this long is released
SETTLE_TIMEOUT_S = 15.0  # a preset goto before a rename: the longest a dome takes across its range
SETTLE_POLL_S = 0.3
# Pan/tilt speed at full zoom, as a share of the speed at the widest view (a 30× dome at full speed and full
# zoom sweeps the picture away in a blink); in between it falls linearly with the normalised zoom.
MIN_SPEED_FACTOR = 0.2

FOV_SPACE = "http://www.onvif.org/ver10/tptz/PanTiltSpaces/TranslationSpaceFov"
GENERIC_PAN_TILT_POSITION = "http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace"
GENERIC_ZOOM_POSITION = "http://www.onvif.org/ver10/tptz/ZoomSpaces/PositionGenericSpace"
# Default names some firmwares give empty preset slots ("Preset 12", "preset_012", "12").
_DEFAULT_PRESET_NAME = re.compile(r"^(preset)?[\s_-]*0*\d+$", re.IGNORECASE)


def _clamp(value: float, low: float = -1.0, high: float = 1.0) -> float:
    return float(max(low, min(high, value)))


@dataclass(frozen=True)
class PtzVector:
    """Speeds in -1..1: pan (+ right), tilt (+ up), zoom (+ in)."""

    pan: float = 0.0
    tilt: float = 0.0
    zoom: float = 0.0

    def clamped(self) -> PtzVector:
        return PtzVector(_clamp(self.pan), _clamp(self.tilt), _clamp(self.zoom))

    @property
    def is_zero(self) -> bool:
        return self.pan == 0 and self.tilt == 0 and self.zoom == 0


@dataclass(frozen=True)
class Span:
    low: float
    high: float

    @property
    def width(self) -> float:
        return self.high - self.low

    def normalised(self, value: float) -> float:
        """`value` as 0..1 of the span."""
        return 0.0 if self.width <= 0 else _clamp((value - self.low) / self.width, 0.0, 1.0)


GENERIC = Span(-1.0, 1.0)
ZOOM_GENERIC = Span(0.0, 1.0)


@dataclass(frozen=True)
class PtzSpace:
    uri: str
    x: Span
    y: Span | None = None


@dataclass(frozen=True)
class PtzCapabilities:
    """What the camera's PTZ node offers (GetNodes)."""

    node_token: str | None = None
    continuous_zoom: bool = True
    relative_fov: PtzSpace | None = None  # RelativeMove in the field of view's translation space
    absolute: PtzSpace | None = None  # AbsoluteMove pan/tilt position space
    absolute_zoom: Span | None = None
    home: bool = True
    max_presets: int | None = None


@dataclass(frozen=True)
class PtzStatus:
    pan: float | None
    tilt: float | None
    zoom: float | None
    moving: bool | None  # MoveStatus (None: the camera does not tell; Hikvision never updates it)

    @property
    def has_position(self) -> bool:
        return self.pan is not None and self.tilt is not None


@dataclass(frozen=True)
class Preset:
    token: str
    name: str
    position: PtzStatus | None = None


@dataclass(frozen=True)
class FovAssumptions:
    """What click-to-centre assumes of a camera that offers only absolute moves (no FOV translation space):
    the generic position space spans these angles, and the horizontal field of view narrows geometrically from
    `wide_hfov_deg` at zoom 0 to `tele_hfov_deg` at full zoom. Typical 4 MP commune domes (Hikvision/Dahua
    25–32×); a camera set up otherwise centres roughly, which a second click corrects."""

    pan_span_deg: float = 360.0  # generic pan -1..1 is a full turn
    tilt_span_deg: float = 90.0  # generic tilt -1..1: horizon to straight down (domes)
    wide_hfov_deg: float = 60.0
    tele_hfov_deg: float = 2.3
    aspect: float = 16 / 9
    tilt_up_positive: bool = True  # ONVIF's generic space: + is up

    def hfov_deg(self, zoom01: float) -> float:
        ratio = self.tele_hfov_deg / self.wide_hfov_deg
        return float(self.wide_hfov_deg * math.pow(ratio, _clamp(zoom01, 0.0, 1.0)))


class CentreMode(StrEnum):
    RELATIVE_FOV = "relative_fov"
    ABSOLUTE_COMPUTED = "absolute_computed"
    UNSUPPORTED = "unsupported"


@dataclass(frozen=True)
class CentreSupport:
    """How click-to-centre works on this camera; `error` says why not (the tooltip), None when it does."""

    mode: CentreMode
    error: OnvifError | None = None

    @property
    def reason_vi(self) -> str:
        return self.error.message_vi if self.error else ""


class GestureKind(StrEnum):
    MOVE = "move"  # held joystick / keys / wheel: continuous move
    CENTRE = "centre"
    RELATIVE = "relative"
    ABSOLUTE = "absolute"
    PRESET_GOTO = "preset_goto"
    PRESET_SET = "preset_set"
    PRESET_RENAME = "preset_rename"
    PRESET_REMOVE = "preset_remove"
    HOME_GOTO = "home_goto"
    HOME_SET = "home_set"
    STOP = "stop"


class GestureEnd(StrEnum):
    RELEASED = "released"
    STOP_ALL = "stop_all"  # focus loss, tile closed, exit
    LEASE_EXPIRED = "lease_expired"  # the holder stopped renewing the move (a frozen GUI)
    SUPERSEDED = "superseded"  # another command (a preset, a centre click) took over
    CANCELLED = "cancelled"
    ERROR = "error"
    DONE = "done"  # a one-shot command answered


@dataclass(frozen=True)
class PtzGesture:
    """One gesture for the audit log: reported when it starts (`ended_ms` None) and once when it ends —
    never per repeat."""

    camera_id: str
    kind: GestureKind
    started_ms: int  # station wall clock
    ended_ms: int | None = None
    duration_s: float | None = None
    end: GestureEnd | None = None
    commands: int = 0  # requests sent for it (repeats included)
    stop: str | None = None  # how the move was ended: "stop", "zero_move" (Stop refused), None
    detail: str = ""  # preset token and name, the clicked point, the largest speed …
    actor: str | None = None
    error_kind: str | None = None
    error_vi: str | None = None

    @property
    def ended(self) -> bool:
        return self.ended_ms is not None


GestureCallback = Callable[[PtzGesture], None]
ErrorCallback = Callable[[OnvifError], None]


@dataclass
class _Hold:
    vector: PtzVector
    record: PtzGesture
    started: float
    renewed: float
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    end: GestureEnd | None = None  # set: the loop sends no more moves and ends with a stop
    peak: float = 0.0
    task: asyncio.Task[PtzGesture] | None = None


def _field(node: Any, *path: str) -> Any:
    for name in path:
        if node is None:
            return None
        node = node.get(name) if isinstance(node, dict) else getattr(node, name, None)
    return node


def _float(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def _span(node: Any) -> Span | None:
    low, high = _float(_field(node, "Min")), _float(_field(node, "Max"))
    return None if low is None or high is None or high <= low else Span(low, high)


def _spaces(node: Any, name: str) -> list[PtzSpace]:
    found = []
    raw = _field(node, "SupportedPTZSpaces", name)
    for space in raw if isinstance(raw, list) else ([raw] if raw is not None else []):
        uri = _field(space, "URI")
        x = _span(_field(space, "XRange"))
        if uri and x is not None:
            found.append(PtzSpace(str(uri), x, _span(_field(space, "YRange"))))
    return found


def read_capabilities(node: Any) -> PtzCapabilities:
    """A PTZ node (GetNodes' element) read into what the controller needs."""
    fov = next((s for s in _spaces(node, "RelativePanTiltTranslationSpace") if s.uri == FOV_SPACE), None)
    absolute_spaces = _spaces(node, "AbsolutePanTiltPositionSpace")
    absolute = next((s for s in absolute_spaces if s.uri == GENERIC_PAN_TILT_POSITION),
                    absolute_spaces[0] if absolute_spaces else None)
    zoom_spaces = _spaces(node, "AbsoluteZoomPositionSpace")
    zoom = next((s for s in zoom_spaces if s.uri == GENERIC_ZOOM_POSITION), zoom_spaces[0] if zoom_spaces else None)
    presets = _field(node, "MaximumNumberOfPresets")
    home = _field(node, "HomeSupported")
    return PtzCapabilities(
        node_token=str(_field(node, "token")) if _field(node, "token") is not None else None,
        continuous_zoom=bool(_spaces(node, "ContinuousZoomVelocitySpace")),
        relative_fov=fov, absolute=absolute, absolute_zoom=zoom.x if zoom else None,
        home=home is not False, max_presets=int(presets) if presets is not None else None)


def read_status(answer: Any) -> PtzStatus:
    move = _field(answer, "MoveStatus")
    states = [str(s).upper() for s in (_field(move, "PanTilt"), _field(move, "Zoom")) if s is not None]
    moving = None if not states or all(s == "UNKNOWN" for s in states) else any(s == "MOVING" for s in states)
    return PtzStatus(pan=_float(_field(answer, "Position", "PanTilt", "x")),
                     tilt=_float(_field(answer, "Position", "PanTilt", "y")),
                     zoom=_float(_field(answer, "Position", "Zoom", "x")), moving=moving)


def is_unnamed(token: str, name: str | None, position: PtzStatus | None) -> bool:
    """An empty preset slot: no name, its name is its token, or a default "Preset 12" with no position saved.
    Hikvision lists all 300 of its slots, set or not."""
    text = (name or "").strip()
    if not text or text == token.strip():
        return True
    return _DEFAULT_PRESET_NAME.match(text) is not None and (position is None or not position.has_position)


def read_presets(answer: Any) -> list[Preset]:
    presets = []
    for item in answer or []:
        token = _field(item, "token")
        if token is None:
            continue
        pan = _float(_field(item, "PTZPosition", "PanTilt", "x"))
        tilt = _float(_field(item, "PTZPosition", "PanTilt", "y"))
        zoom = _float(_field(item, "PTZPosition", "Zoom", "x"))
        position = None if pan is None and zoom is None else PtzStatus(pan, tilt, zoom, None)
        presets.append(Preset(str(token), str(_field(item, "Name") or "").strip(), position))
    return presets


def speed_factor(zoom01: float | None) -> float:
    """The share of the asked pan/tilt speed sent at a zoom (0 wide … 1 full zoom)."""
    if zoom01 is None:
        return 1.0
    return 1.0 - (1.0 - MIN_SPEED_FACTOR) * _clamp(zoom01, 0.0, 1.0)


def centre_translation(x: float, y: float, space: PtzSpace) -> tuple[float, float]:
    """RelativeMove in the FOV space that brings picture point (x, y) (0..1, origin top left) to the centre:
    the picture's edge is the space's maximum (±100 in ONVIF's definition: half the field of view)."""
    y_span = space.y or space.x
    return (_clamp((x - 0.5) * 2, -1, 1) * space.x.high, _clamp((0.5 - y) * 2, -1, 1) * y_span.high)


def centre_position(x: float, y: float, status: PtzStatus, capabilities: PtzCapabilities,
                    assume: FovAssumptions) -> tuple[float, float]:
    """The absolute pan/tilt that puts picture point (x, y) at the centre, from the current position and the
    field-of-view assumptions (for cameras without the FOV translation space)."""
    if status.pan is None or status.tilt is None:
        raise ValueError("no current position")
    space = capabilities.absolute or PtzSpace(GENERIC_PAN_TILT_POSITION, GENERIC, GENERIC)
    zoom01 = (capabilities.absolute_zoom or ZOOM_GENERIC).normalised(status.zoom or 0.0)
    half_h = math.radians(assume.hfov_deg(zoom01)) / 2
    half_v = math.atan(math.tan(half_h) / assume.aspect)
    pan_deg = math.degrees(math.atan((x - 0.5) * 2 * math.tan(half_h)))
    down_deg = math.degrees(math.atan((y - 0.5) * 2 * math.tan(half_v)))
    x_span, y_span = space.x, space.y or space.x
    pan = status.pan + pan_deg / assume.pan_span_deg * x_span.width
    if assume.pan_span_deg >= 360:  # a full turn: wrap around instead of stopping at the end
        pan = x_span.low + (pan - x_span.low) % x_span.width
    tilt_step = down_deg / assume.tilt_span_deg * y_span.width
    tilt = status.tilt - tilt_step if assume.tilt_up_positive else status.tilt + tilt_step
    return _clamp(pan, x_span.low, x_span.high), _clamp(tilt, y_span.low, y_span.high)


def pan_for_bearing(target_deg: float, camera_bearing_deg: float, capabilities: PtzCapabilities,
                    assume: FovAssumptions) -> float:
    """The absolute pan that looks toward compass bearing `target_deg`, for a camera whose site-file bearing is
    where it looks at the middle of its pan range (the technician sets the wedge with the camera at pan 0)."""
    space = capabilities.absolute or PtzSpace(GENERIC_PAN_TILT_POSITION, GENERIC, GENERIC)
    x_span = space.x
    delta = (target_deg - camera_bearing_deg + 540.0) % 360.0 - 180.0  # -180 … 180, 0 = straight ahead
    middle = (x_span.low + x_span.high) / 2
    return _clamp(middle + delta / assume.pan_span_deg * x_span.width, x_span.low, x_span.high)


class PtzController:
    """PTZ of one camera; every method runs on the network loop. `on_gesture` gets each gesture's start and end
    (the audit), `on_error` failures of a held move that no caller awaits."""

    def __init__(self, camera_id: str, service: Any, profile_token: str, *, address: str, password: str = "",
                 capabilities: PtzCapabilities | None = None, on_gesture: GestureCallback | None = None,
                 on_error: ErrorCallback | None = None, call_timeout_s: float = PTZ_CALL_TIMEOUT_S,
                 repeat_every_s: float = REPEAT_EVERY_S, move_timeout_s: float = MOVE_TIMEOUT_S,
                 lease_s: float | None = LEASE_S, assume: FovAssumptions | None = None,
                 session: CameraSession | None = None) -> None:
        if not 0 < repeat_every_s <= 0.5:
            raise ValueError("a held move is repeated at most every 0.5 s")
        self.camera_id = camera_id
        self.address = address
        self.profile_token = profile_token
        self.capabilities = capabilities or PtzCapabilities()
        self.assume = assume or FovAssumptions()
        self.actor: str | None = None  # who is at the controls: copied into every gesture for the audit
        self._service = service
        self._password = password
        self._on_gesture = on_gesture
        self._on_error = on_error
        self._call_timeout_s = call_timeout_s
        self._repeat_every_s = repeat_every_s
        self._move_timeout = dt.timedelta(seconds=move_timeout_s)
        self._lease_s = lease_s
        self._session = session
        self._lock = asyncio.Lock()
        self._hold: _Hold | None = None
        self._stop_refused = False
        self._zoom01: float | None = None
        self._closed = False

    # -- building ------------------------------------------------------------------------------------------
    @classmethod
    async def open(cls, session: CameraSession, camera_id: str, *, profile_token: str | None = None,
                   **options: Any) -> PtzController:
        """A controller over `session`'s PTZ service, its node's capabilities and current zoom read."""
        service = await session.service("ptz")
        token = profile_token or await session.ptz_profile_token()
        controller = cls(camera_id, service, token, address=session.address, password=session.secret_to_redact,
                         session=session, **options)
        await controller.load()
        return controller

    async def load(self) -> PtzCapabilities:
        """Read the node's capabilities (GetNodes) and the zoom (GetStatus); a camera that refuses GetNodes keeps
        the defaults (continuous moves only)."""
        try:
            nodes = await self._call("GetNodes", {})
        except OnvifError as exc:
            if exc.kind is not OnvifErrorKind.FAULT:
                raise
            log.info("%s: GetNodes refused (%s): continuous moves only", self.address, exc.detail)
            nodes = []
        nodes = list(nodes or [])
        if nodes:
            wanted = self.capabilities.node_token
            node = next((n for n in nodes if wanted and str(_field(n, "token")) == wanted), nodes[0])
            self.capabilities = read_capabilities(node)
        await self._refresh_zoom()
        return self.capabilities

    # -- requests ------------------------------------------------------------------------------------------
    async def _call(self, operation: str, params: dict[str, Any]) -> Any:
        try:
            async with asyncio.timeout(self._call_timeout_s):
                return await getattr(self._service, operation)(params)
        except OnvifError:
            raise
        except Exception as exc:
            raise to_onvif_error(exc, self.address, password=self._password, timeout_s=self._call_timeout_s,
                                 operation=operation) from None

    def _velocity(self, vector: PtzVector) -> dict[str, Any]:
        factor = speed_factor(self._zoom01)
        pan_tilt = {"x": round(vector.pan * factor, 4), "y": round(vector.tilt * factor, 4)}
        velocity: dict[str, Any] = {"PanTilt": pan_tilt}
        if self.capabilities.continuous_zoom:
            velocity["Zoom"] = {"x": round(vector.zoom, 4)}
        return velocity

    async def _continuous(self, vector: PtzVector) -> None:
        await self._call("ContinuousMove", {"ProfileToken": self.profile_token, "Velocity": self._velocity(vector),
                                            "Timeout": self._move_timeout})

    async def _stop_camera(self) -> str:
        """Stop, or ContinuousMove(0, 0, 0) when Stop is refused (or fails): which one ended the move."""
        if not self._stop_refused:
            try:
                await self._call("Stop", {"ProfileToken": self.profile_token, "PanTilt": True,
                                          "Zoom": self.capabilities.continuous_zoom})
                return "stop"
            except OnvifError as exc:
                if exc.kind is OnvifErrorKind.FAULT:
                    self._stop_refused = True
                    log.warning("%s refused Stop (%s): moves end with ContinuousMove(0, 0, 0) from now on",
                                self.address, exc.detail)
                else:
                    log.warning("%s: Stop failed (%s): trying ContinuousMove(0, 0, 0)", self.address, exc.kind.value)
        await self._continuous(PtzVector())
        return "zero_move"

    async def _refresh_zoom(self) -> None:
        try:
            status = await self._call("GetStatus", {"ProfileToken": self.profile_token})
        except OnvifError as exc:
            log.debug("%s: GetStatus failed (%s): speed not scaled by zoom", self.address, exc.kind.value)
            return
        zoom = read_status(status).zoom
        if zoom is not None:
            self._zoom01 = (self.capabilities.absolute_zoom or ZOOM_GENERIC).normalised(zoom)

    # -- audit ---------------------------------------------------------------------------------------------
    def _started(self, kind: GestureKind, detail: str = "") -> PtzGesture:
        record = PtzGesture(self.camera_id, kind, int(time.time() * 1000), detail=detail, actor=self.actor)
        self._tell(record)
        return record

    def _ended(self, record: PtzGesture, started: float, end: GestureEnd, *, commands: int, stop: str | None = None,
               error: OnvifError | None = None, detail: str | None = None) -> PtzGesture:
        done = replace(record, ended_ms=int(time.time() * 1000), duration_s=round(time.monotonic() - started, 3),
                       end=end, commands=commands, stop=stop, detail=record.detail if detail is None else detail,
                       error_kind=error.kind.value if error else None, error_vi=error.message_vi if error else None)
        self._tell(done)
        return done

    def _tell(self, record: PtzGesture) -> None:
        if self._on_gesture is None:
            return
        try:
            self._on_gesture(record)
        except Exception:  # the audit writer's failure must not keep a camera turning
            log.exception("%s: the gesture callback failed", self.camera_id)

    def _report(self, error: OnvifError) -> None:
        if self._on_error is None:
            return
        try:
            self._on_error(error)
        except Exception:
            log.exception("%s: the error callback failed", self.camera_id)

    # -- held moves ----------------------------------------------------------------------------------------
    @property
    def moving(self) -> bool:
        """A held move is going on (not yet released)."""
        return self._hold is not None and self._hold.end is None

    async def press(self, vector: PtzVector) -> None:
        """Start a held move (or steer the one going on). The first ContinuousMove leaves at once; the move is
        repeated until `release`, `stop_all`, an error, or `lease_s` without `steer`/`keep`."""
        if self._closed:
            return
        vector = vector.clamped()
        hold = self._hold
        if hold is not None and hold.end is None:
            self._steer(hold, vector)
            return
        if hold is not None and hold.task is not None:  # the previous one is still stopping: after it
            await _outcome(hold.task)
        now = time.monotonic()
        hold = _Hold(vector, self._started(GestureKind.MOVE), now, now, peak=_peak(vector))
        self._hold = hold
        hold.task = asyncio.get_running_loop().create_task(self._run_hold(hold), name=f"ptz-hold-{self.camera_id}")

    def _steer(self, hold: _Hold, vector: PtzVector) -> None:
        hold.renewed = time.monotonic()
        if vector != hold.vector:
            hold.vector = vector
            hold.peak = max(hold.peak, _peak(vector))
            hold.wake.set()

    async def steer(self, vector: PtzVector) -> None:
        """A new direction/speed for the held move (sent at once); a zero vector keeps holding, stopped."""
        hold = self._hold
        if hold is None or hold.end is not None:
            await self.press(vector)
            return
        self._steer(hold, vector.clamped())

    def keep(self) -> None:
        """Renew the held move's lease (the UI's timer while the button is down)."""
        if self._hold is not None and self._hold.end is None:
            self._hold.renewed = time.monotonic()

    async def release(self) -> PtzGesture | None:
        """End the held move: no more repeats, then Stop. Returns the gesture's summary once the camera was told."""
        return await self._finish(GestureEnd.RELEASED)

    async def stop_all(self) -> PtzGesture | None:
        """Focus loss, tile closed, exit: end whatever move is held and stop the camera."""
        return await self._finish(GestureEnd.STOP_ALL)

    async def _finish(self, end: GestureEnd) -> PtzGesture | None:
        hold = self._hold
        if hold is None or hold.task is None:
            return None
        if hold.end is None:
            hold.end = end
            hold.wake.set()
        return await _outcome(hold.task)

    @asynccontextmanager
    async def holding(self, vector: PtzVector) -> AsyncIterator[PtzController]:
        """`async with controller.holding(v): ...` — the move ends when the block does, however it ends."""
        await self.press(vector)
        try:
            yield self
        finally:
            hold = self._hold
            if hold is not None and hold.end is None:
                hold.end = GestureEnd.RELEASED
                hold.wake.set()
            if hold is not None and hold.task is not None:
                await _outcome(hold.task)

    async def _run_hold(self, hold: _Hold) -> PtzGesture:
        commands, error, end = 0, None, GestureEnd.ERROR
        try:
            while hold.end is None:
                vector = hold.vector
                sent = time.monotonic()
                async with self._lock:
                    await self._continuous(vector)
                commands += 1
                if hold.vector != vector:
                    continue  # steered while the request was on its way: the newest vector goes now
                hold.wake.clear()
                await self._wait_for_next(hold, sent)
            end = hold.end
        except OnvifError as exc:
            error = exc
            self._report(exc)
            log.warning("%s: a held move failed (%s): stopping", self.address, exc.kind.value)
        except asyncio.CancelledError:
            end = GestureEnd.CANCELLED
            raise
        finally:
            hold.end = hold.end or end
            record = await asyncio.shield(self._end_hold(hold, hold.end, commands, error))
        return record

    async def _wait_for_next(self, hold: _Hold, sent: float) -> None:
        """Until the next repeat is due, the vector changes, or the move is released; a lapsed lease ends it."""
        due = sent + self._repeat_every_s
        while hold.end is None and not hold.wake.is_set():
            now = time.monotonic()
            if self._lease_s is not None and now - hold.renewed > self._lease_s:
                hold.end = GestureEnd.LEASE_EXPIRED
                log.warning("%s: a held move was not renewed for %.1f s: stopping", self.address, self._lease_s)
                return
            if now >= due:
                return
            try:
                async with asyncio.timeout(due - now):
                    await hold.wake.wait()
            except TimeoutError:
                return

    async def _end_hold(self, hold: _Hold, end: GestureEnd, commands: int, error: OnvifError | None) -> PtzGesture:
        stop: str | None = None
        try:
            async with self._lock:
                stop = await self._stop_camera()
            commands += 1
        except OnvifError as exc:
            error = error or exc
            self._report(exc)
            log.warning("%s: could not stop a move (%s): the camera's Timeout ends it", self.address, exc.kind.value)
        if self._hold is hold:
            self._hold = None
        record = self._ended(hold.record, hold.started, GestureEnd.ERROR if error and end is not GestureEnd.CANCELLED
                             else end, commands=commands, stop=stop, error=error,
                             detail=f"peak speed {hold.peak:.2f}")
        if not self._closed:
            await self._refresh_zoom()
        return record

    # -- one-shot moves ------------------------------------------------------------------------------------
    async def _one_shot(self, kind: GestureKind, detail: str, action: Callable[[], Awaitable[Any]]) -> Any:
        if self.moving:
            await self._finish(GestureEnd.SUPERSEDED)
        record, started = self._started(kind, detail), time.monotonic()
        try:
            async with self._lock:
                result = await action()
        except OnvifError as exc:
            self._ended(record, started, GestureEnd.ERROR, commands=1, error=exc)
            raise
        except asyncio.CancelledError:
            self._ended(record, started, GestureEnd.CANCELLED, commands=1)
            raise
        self._ended(record, started, GestureEnd.DONE, commands=1)
        return result

    def centre_support(self) -> CentreSupport:
        """How a click on the picture will be centred (from the node's capabilities; the position is only known
        when the click comes)."""
        if self.capabilities.relative_fov is not None:
            return CentreSupport(CentreMode.RELATIVE_FOV)
        if self.capabilities.absolute is not None:
            return CentreSupport(CentreMode.ABSOLUTE_COMPUTED)
        return CentreSupport(CentreMode.UNSUPPORTED, unsupported(self.address, Say.PTZ_CENTRE_NO_SPACE, "centre"))

    async def centre_on(self, x: float, y: float) -> CentreMode:
        """Turn so that picture point (x, y) (0..1, origin top left) comes to the centre. Raises `OnvifError`
        (kind UNSUPPORTED with the reason when the camera cannot)."""
        x, y = _clamp(x, 0.0, 1.0), _clamp(y, 0.0, 1.0)
        support = self.centre_support()
        detail = f"point {x:.3f},{y:.3f} by {support.mode.value}"
        if support.error is not None:
            raise support.error
        fov = self.capabilities.relative_fov
        if fov is not None:
            dx, dy = centre_translation(x, y, fov)
            await self._one_shot(GestureKind.CENTRE, detail, lambda: self._call("RelativeMove", {
                "ProfileToken": self.profile_token,
                "Translation": {"PanTilt": {"x": round(dx, 4), "y": round(dy, 4), "space": FOV_SPACE}}}))
            return CentreMode.RELATIVE_FOV
        status = read_status(await self._call("GetStatus", {"ProfileToken": self.profile_token}))
        if not status.has_position:
            raise unsupported(self.address, Say.PTZ_CENTRE_NO_POSITION, "centre")
        pan, tilt = centre_position(x, y, status, self.capabilities, self.assume)
        await self._one_shot(GestureKind.CENTRE, detail, lambda: self._call("AbsoluteMove", {
            "ProfileToken": self.profile_token, "Position": {"PanTilt": {"x": round(pan, 5), "y": round(tilt, 5)}}}))
        return CentreMode.ABSOLUTE_COMPUTED

    async def relative_move(self, pan: float, tilt: float, zoom: float = 0.0) -> None:
        """RelativeMove in the camera's default translation spaces (generic: -1..1)."""
        translation: dict[str, Any] = {"PanTilt": {"x": pan, "y": tilt}}
        if zoom:
            translation["Zoom"] = {"x": zoom}
        await self._one_shot(GestureKind.RELATIVE, f"by {pan:.3f},{tilt:.3f},{zoom:.3f}", lambda: self._call(
            "RelativeMove", {"ProfileToken": self.profile_token, "Translation": translation}))

    async def absolute_move(self, pan: float, tilt: float, zoom: float | None = None) -> None:
        """AbsoluteMove in the camera's default position spaces (generic: pan/tilt -1..1, zoom 0..1)."""
        position: dict[str, Any] = {"PanTilt": {"x": pan, "y": tilt}}
        if zoom is not None:
            position["Zoom"] = {"x": zoom}
        await self._one_shot(GestureKind.ABSOLUTE, f"to {pan:.3f},{tilt:.3f},{zoom}", lambda: self._call(
            "AbsoluteMove", {"ProfileToken": self.profile_token, "Position": position}))
        await self._refresh_zoom()

    async def turn_to_bearing(self, target_deg: float, camera_bearing_deg: float) -> float:
        """*Quay camera về đây* from the map: pan toward a compass bearing, tilt and zoom kept; the pan sent."""
        if self.capabilities.absolute is None:
            raise unsupported(self.address, Say.PTZ_CENTRE_NO_SPACE, "turn")
        status = read_status(await self._call("GetStatus", {"ProfileToken": self.profile_token}))
        pan = pan_for_bearing(target_deg, camera_bearing_deg, self.capabilities, self.assume)
        tilt = status.tilt if status.tilt is not None else 0.0
        await self._one_shot(GestureKind.ABSOLUTE, f"bearing {target_deg:.1f} (pan {pan:.4f})", lambda: self._call(
            "AbsoluteMove", {"ProfileToken": self.profile_token,
                             "Position": {"PanTilt": {"x": round(pan, 5), "y": round(tilt, 5)}}}))
        return pan

    async def status(self) -> PtzStatus:
        return read_status(await self._call("GetStatus", {"ProfileToken": self.profile_token}))

    # -- presets and home ----------------------------------------------------------------------------------
    async def presets(self, *, include_unnamed: bool = False) -> list[Preset]:
        """The camera's presets, empty slots left out (Hikvision lists 300 of them)."""
        found = read_presets(await self._call("GetPresets", {"ProfileToken": self.profile_token}))
        return found if include_unnamed else [p for p in found if not is_unnamed(p.token, p.name, p.position)]

    async def goto_preset(self, token: str) -> None:
        await self._one_shot(GestureKind.PRESET_GOTO, f"preset {token}", lambda: self._call(
            "GotoPreset", {"ProfileToken": self.profile_token, "PresetToken": token}))

    async def set_preset(self, name: str, token: str | None = None) -> str:
        """Save the current position as a preset called `name` (a new one, or over `token`); its token."""
        name = _preset_name(name)
        params: dict[str, Any] = {"ProfileToken": self.profile_token, "PresetName": name}
        if token is not None:
            params["PresetToken"] = token
        answer = await self._one_shot(GestureKind.PRESET_SET, f"preset {token or 'new'} {name!r}",
                                      lambda: self._call("SetPreset", params))
        made = answer if isinstance(answer, str) else _field(answer, "PresetToken")
        return str(made if made is not None else token or "")

    async def rename_preset(self, token: str, name: str) -> None:
        """Rename a preset. ONVIF has no rename: SetPreset saves the current position with the name, so the
        camera first goes to the preset and settles there, and the preset is saved again where it is."""
        name = _preset_name(name)
        await self.goto_preset(token)
        await self._settle()
        await self._one_shot(GestureKind.PRESET_RENAME, f"preset {token} {name!r}", lambda: self._call(
            "SetPreset", {"ProfileToken": self.profile_token, "PresetToken": token, "PresetName": name}))

    async def remove_preset(self, token: str) -> None:
        await self._one_shot(GestureKind.PRESET_REMOVE, f"preset {token}", lambda: self._call(
            "RemovePreset", {"ProfileToken": self.profile_token, "PresetToken": token}))

    async def goto_home(self) -> None:
        await self._one_shot(GestureKind.HOME_GOTO, "home", lambda: self._call(
            "GotoHomePosition", {"ProfileToken": self.profile_token}))

    async def set_home(self) -> None:
        await self._one_shot(GestureKind.HOME_SET, "home", lambda: self._call(
            "SetHomePosition", {"ProfileToken": self.profile_token}))

    async def _settle(self, timeout_s: float = SETTLE_TIMEOUT_S) -> None:
        """Until the camera stands still: MoveStatus IDLE, or (cameras that never update it) the same position
        twice in a row."""
        deadline = time.monotonic() + timeout_s
        previous: PtzStatus | None = None
        while time.monotonic() < deadline:
            await asyncio.sleep(SETTLE_POLL_S)
            status = await self.status()
            if status.moving is False:
                return
            if status.moving is None and previous is not None and status.has_position and \
                    (status.pan, status.tilt, status.zoom) == (previous.pan, previous.tilt, previous.zoom):
                return
            previous = status
        log.info("%s: still moving after %.0f s; saving the preset where it is", self.address, timeout_s)

    async def close(self) -> None:
        """End any move (stopping the camera) and refuse further commands; the session is closed if it is ours."""
        self._closed = True
        await self.stop_all()
        if self._session is not None:
            await self._session.close()


async def _outcome(task: asyncio.Task[PtzGesture]) -> PtzGesture | None:
    """A hold task's summary, awaited without cancelling it; None when the task itself was cancelled (its
    summary went to the audit callback)."""
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        current = asyncio.current_task()
        if task.cancelled() and (current is None or not current.cancelling()):
            return None
        raise


def _peak(vector: PtzVector) -> float:
    return max(abs(vector.pan), abs(vector.tilt), abs(vector.zoom))


def _preset_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValueError("a preset needs a name")
    return cleaned


async def stop_every(controllers: Iterable[PtzController]) -> list[PtzGesture | None]:
    """Exit: every camera stopped at once (one slow camera does not hold back the others)."""
    return list(await asyncio.gather(*(c.stop_all() for c in controllers), return_exceptions=False))
