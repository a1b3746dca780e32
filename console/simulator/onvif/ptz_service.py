"""The ONVIF PTZ service (tptz, ver20) of a simulated PTZ camera: node, configuration, moves, status, presets, home.

Moves drive the camera's `PtzHead`, which the picture reads every frame. Positions are in the generic spaces
(pan/tilt -1..1, zoom 0..1); RelativeMove also takes the field-of-view translation space, where ±100 is the
picture's edge (half the field of view), so a click on the picture can be centred in one move.

Faults from real cameras: `reject_stop` (Stop answers a SOAP fault; a ContinuousMove with zero velocity still
stops), `unnamed_slots` (Hikvision: GetPresets lists every one of its 300 slots, the unused ones without a name
or a position); ignoring the Timeout is the head's own `ignore_timeout`.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from console.simulator.onvif.addresses import PTZ_PATH
from console.simulator.onvif.soap import (
    TPTZ,
    TT,
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
from console.simulator.onvif.xsd_time import format_date_time, parse_duration
from console.simulator.panorama import ASPECT, PAN_SPAN_DEG, TILT_HALF_DEG, hfov_deg
from console.simulator.ptz_head import DEFAULT_TIMEOUT_S, PtzHead, PtzPosition

NODE_TOKEN = "PTZNodeToken"
CONFIGURATION_TOKEN = "PTZToken"
MAX_PRESETS = 300  # Hikvision's slot count
MAX_PRESET_NAME = 64  # tt:Name
MAX_TIMEOUT_S = 60.0
_SPACES = "http://www.onvif.org/ver10/tptz"
PAN_TILT_POSITION = f"{_SPACES}/PanTiltSpaces/PositionGenericSpace"
ZOOM_POSITION = f"{_SPACES}/ZoomSpaces/PositionGenericSpace"
PAN_TILT_TRANSLATION = f"{_SPACES}/PanTiltSpaces/TranslationGenericSpace"
PAN_TILT_FOV = f"{_SPACES}/PanTiltSpaces/TranslationSpaceFov"
ZOOM_TRANSLATION = f"{_SPACES}/ZoomSpaces/TranslationGenericSpace"
PAN_TILT_VELOCITY = f"{_SPACES}/PanTiltSpaces/VelocityGenericSpace"
ZOOM_VELOCITY = f"{_SPACES}/ZoomSpaces/VelocityGenericSpace"
PAN_TILT_SPEED = f"{_SPACES}/PanTiltSpaces/GenericSpeedSpace"
ZOOM_SPEED = f"{_SPACES}/ZoomSpaces/ZoomGenericSpeedSpace"
FOV_EDGE = 100.0  # the FOV space's value at the picture's edge


@dataclass(frozen=True)
class Preset:
    name: str
    position: PtzPosition


@dataclass
class PtzControl:
    """What the PTZ service keeps besides the head: presets, home, and the injected faults."""

    head: PtzHead
    home: PtzPosition = field(default_factory=PtzPosition)
    presets: dict[str, Preset] = field(default_factory=dict)  # by token, "1".."300"
    reject_stop: bool = False
    unnamed_slots: int = 0  # > 0: GetPresets lists this many slots, used or not


def _no_token(reason: str = "no preset with this token") -> SoapFaultError:
    return invalid_arg("NoToken", reason)


def _float(value: str | None, default: float = 0.0) -> float:
    if value is None:
        return default
    try:
        number = float(value)
    except ValueError:
        raise invalid_arg("InvalidPosition", f"{value!r} is not a number") from None
    if not math.isfinite(number):
        raise invalid_arg("InvalidPosition", "positions and speeds are finite numbers")
    return number


def _number(value: float) -> str:
    return repr(round(value, 6) + 0.0)  # + 0.0: never "-0.0"


class PtzService:
    def __init__(self, state: CameraState, control: PtzControl) -> None:
        self.state, self.control = state, control

    @property
    def head(self) -> PtzHead:
        return self.control.head

    def info(self) -> ServiceInfo:
        return ServiceInfo(TPTZ, PTZ_PATH, self._service_capabilities)

    def operations(self) -> Operations:
        ops = {"GetServiceCapabilities": self.get_service_capabilities, "GetNodes": self.get_nodes,
               "GetNode": self.get_node, "GetConfigurations": self.get_configurations,
               "GetConfiguration": self.get_configuration, "GetConfigurationOptions": self.get_configuration_options,
               "ContinuousMove": self.continuous_move, "RelativeMove": self.relative_move,
               "AbsoluteMove": self.absolute_move, "Stop": self.stop, "GetStatus": self.get_status,
               "GetPresets": self.get_presets, "SetPreset": self.set_preset, "GotoPreset": self.goto_preset,
               "RemovePreset": self.remove_preset, "GotoHomePosition": self.goto_home,
               "SetHomePosition": self.set_home}
        return {tag(TPTZ, name): Operation(handler) for name, handler in ops.items()}

    # -- what it is -------------------------------------------------------------------------------------------
    def get_service_capabilities(self, _: Envelope) -> ET.Element:
        response = element(TPTZ, "GetServiceCapabilitiesResponse")
        response.append(self._service_capabilities())
        return response

    def _service_capabilities(self) -> ET.Element:
        return element(TPTZ, "Capabilities", EFlip="false", Reverse="false", GetCompatibleConfigurations="false")

    def get_nodes(self, _: Envelope) -> ET.Element:
        response = element(TPTZ, "GetNodesResponse")
        self._node(sub(response, TPTZ, "PTZNode", token=NODE_TOKEN, FixedHomePosition="false"))
        return response

    def get_node(self, request: Envelope) -> ET.Element:
        if text_of(request.operation, (TPTZ, "NodeToken")) != NODE_TOKEN:
            raise invalid_arg("NoEntity", "no PTZ node with this token")
        response = element(TPTZ, "GetNodeResponse")
        self._node(sub(response, TPTZ, "PTZNode", token=NODE_TOKEN, FixedHomePosition="false"))
        return response

    def _node(self, node: ET.Element) -> None:
        sub(node, TT, "Name", "PTZ")
        _spaces(sub(node, TT, "SupportedPTZSpaces"))
        sub(node, TT, "MaximumNumberOfPresets", str(MAX_PRESETS))
        sub(node, TT, "HomeSupported", "true")

    def get_configurations(self, _: Envelope) -> ET.Element:
        return self._configuration("GetConfigurationsResponse")

    def get_configuration(self, request: Envelope) -> ET.Element:
        _the_configuration(request, "PTZConfigurationToken")
        return self._configuration("GetConfigurationResponse")

    def _configuration(self, answer: str) -> ET.Element:
        response = element(TPTZ, answer)
        write_configuration(sub(response, TPTZ, "PTZConfiguration", token=CONFIGURATION_TOKEN),
                            len(self.state.spec.streams))
        return response

    def get_configuration_options(self, request: Envelope) -> ET.Element:
        _the_configuration(request, "ConfigurationToken")
        response = element(TPTZ, "GetConfigurationOptionsResponse")
        options = sub(response, TPTZ, "PTZConfigurationOptions")
        _spaces(sub(options, TT, "Spaces"))
        timeout = sub(options, TT, "PTZTimeout")
        sub(timeout, TT, "Min", "PT1S")
        sub(timeout, TT, "Max", f"PT{round(MAX_TIMEOUT_S)}S")
        return response

    # -- moving -----------------------------------------------------------------------------------------------
    def continuous_move(self, request: Envelope) -> ET.Element:
        op = self._profile_op(request)
        velocity = op.find(tag(TPTZ, "Velocity"))
        if velocity is None:
            raise invalid_arg("InvalidVelocity", "ContinuousMove needs a Velocity")
        pan_tilt, zoom = velocity.find(tag(TT, "PanTilt")), velocity.find(tag(TT, "Zoom"))
        _check_space(pan_tilt, PAN_TILT_VELOCITY)
        _check_space(zoom, ZOOM_VELOCITY)
        timeout_text = text_of(op, (TPTZ, "Timeout"))
        timeout_s = None
        if timeout_text:
            timeout_s = parse_duration(timeout_text)
            if timeout_s is None or timeout_s < 0:
                raise invalid_arg("InvalidTimeout", "the Timeout is not a positive xs:duration")
            timeout_s = min(timeout_s, MAX_TIMEOUT_S)
        self.head.continuous(_float(_attr(pan_tilt, "x")), _float(_attr(pan_tilt, "y")), _float(_attr(zoom, "x")),
                             DEFAULT_TIMEOUT_S if timeout_s is None else timeout_s)
        return element(TPTZ, "ContinuousMoveResponse")

    def relative_move(self, request: Envelope) -> ET.Element:
        op = self._profile_op(request)
        translation = op.find(tag(TPTZ, "Translation"))
        if translation is None:
            raise invalid_arg("InvalidTranslation", "RelativeMove needs a Translation")
        pan_tilt, zoom = translation.find(tag(TT, "PanTilt")), translation.find(tag(TT, "Zoom"))
        _check_space(zoom, ZOOM_TRANSLATION)
        dx, dy, dz = _float(_attr(pan_tilt, "x")), _float(_attr(pan_tilt, "y")), _float(_attr(zoom, "x"))
        space = _attr(pan_tilt, "space") or PAN_TILT_TRANSLATION
        if space == PAN_TILT_FOV:
            half_h = hfov_deg(self.head.position().zoom) / 2
            dx = max(-FOV_EDGE, min(FOV_EDGE, dx)) / FOV_EDGE * half_h / (PAN_SPAN_DEG / 2)
            dy = max(-FOV_EDGE, min(FOV_EDGE, dy)) / FOV_EDGE * half_h / ASPECT / TILT_HALF_DEG
        elif space != PAN_TILT_TRANSLATION:
            raise invalid_arg("SpaceNotSupported", f"no pan/tilt translation space {space}")
        pan_tilt_speed, zoom_speed = _speeds(op)
        self.head.move_by(PtzPosition(dx, dy, dz), pan_tilt_speed, zoom_speed)
        return element(TPTZ, "RelativeMoveResponse")

    def absolute_move(self, request: Envelope) -> ET.Element:
        op = self._profile_op(request)
        position = op.find(tag(TPTZ, "Position"))
        if position is None:
            raise invalid_arg("InvalidPosition", "AbsoluteMove needs a Position")
        pan_tilt, zoom = position.find(tag(TT, "PanTilt")), position.find(tag(TT, "Zoom"))
        _check_space(pan_tilt, PAN_TILT_POSITION)
        _check_space(zoom, ZOOM_POSITION)
        here = self.head.position()
        target = PtzPosition(_in_range(_attr(pan_tilt, "x"), here.pan, -1, 1),
                             _in_range(_attr(pan_tilt, "y"), here.tilt, -1, 1),
                             _in_range(_attr(zoom, "x"), here.zoom, 0, 1))
        pan_tilt_speed, zoom_speed = _speeds(op)
        self.head.move_to(target, pan_tilt_speed, zoom_speed, (pan_tilt is not None, zoom is not None))
        return element(TPTZ, "AbsoluteMoveResponse")

    def stop(self, request: Envelope) -> ET.Element:
        op = self._profile_op(request)
        if self.control.reject_stop:
            raise SoapFaultError(FaultCode.RECEIVER, ("ActionNotSupported",), "Stop is not supported")
        self.head.stop(text_of(op, (TPTZ, "PanTilt")) != "false", text_of(op, (TPTZ, "Zoom")) != "false")
        return element(TPTZ, "StopResponse")

    def get_status(self, request: Envelope) -> ET.Element:
        self._profile_op(request)
        position, moving = self.head.position(), self.head.move_state()
        response = element(TPTZ, "GetStatusResponse")
        status = sub(response, TPTZ, "PTZStatus")
        _vector(sub(status, TT, "Position"), position)
        move = sub(status, TT, "MoveStatus")
        sub(move, TT, "PanTilt", "MOVING" if moving.pan_tilt else "IDLE")
        sub(move, TT, "Zoom", "MOVING" if moving.zoom else "IDLE")
        sub(status, TT, "UtcTime", format_date_time(self.state.clock.now()))
        return response

    # -- presets and home -------------------------------------------------------------------------------------
    def get_presets(self, request: Envelope) -> ET.Element:
        self._profile_op(request)
        presets = self.control.presets
        response = element(TPTZ, "GetPresetsResponse")
        slots = self.control.unnamed_slots
        tokens = [str(n) for n in range(1, max(slots, 0) + 1)] if slots else []
        tokens += sorted((t for t in presets if t not in tokens), key=_slot_order)
        for token in tokens:
            entry = sub(response, TPTZ, "Preset", token=token)
            preset = presets.get(token)
            if preset is None:
                sub(entry, TT, "Name", "")  # an empty Hikvision slot: no name, no position
                continue
            sub(entry, TT, "Name", preset.name)
            _vector(sub(entry, TT, "PTZPosition"), preset.position)
        return response

    def set_preset(self, request: Envelope) -> ET.Element:
        op = self._profile_op(request)
        name = text_of(op, (TPTZ, "PresetName"))
        token = text_of(op, (TPTZ, "PresetToken"))
        presets = self.control.presets
        if name is not None and len(name) > MAX_PRESET_NAME:
            raise invalid_arg("InvalidPresetName", f"a preset name has at most {MAX_PRESET_NAME} characters")
        if token:
            if token not in presets and not self._is_slot(token):
                raise _no_token()
        else:
            token = next((str(n) for n in range(1, MAX_PRESETS + 1) if str(n) not in presets), None)
            if token is None:
                raise SoapFaultError(FaultCode.RECEIVER, ("Action", "TooManyPresets"), "every preset slot is used")
        if name and any(p.name == name for t, p in presets.items() if t != token):
            raise invalid_arg("PresetExist", "another preset has this name")
        kept = presets.get(token)
        presets[token] = Preset(name or (kept.name if kept else f"Preset {token}"), self.head.position())
        response = element(TPTZ, "SetPresetResponse")
        sub(response, TPTZ, "PresetToken", token)
        return response

    def goto_preset(self, request: Envelope) -> ET.Element:
        op = self._profile_op(request)
        preset = self.control.presets.get(text_of(op, (TPTZ, "PresetToken")) or "")
        if preset is None:
            raise _no_token()
        self.head.move_to(preset.position, *_speeds(op))
        return element(TPTZ, "GotoPresetResponse")

    def remove_preset(self, request: Envelope) -> ET.Element:
        op = self._profile_op(request)
        if self.control.presets.pop(text_of(op, (TPTZ, "PresetToken")) or "", None) is None:
            raise _no_token()
        return element(TPTZ, "RemovePresetResponse")

    def goto_home(self, request: Envelope) -> ET.Element:
        op = self._profile_op(request)
        self.head.move_to(self.control.home, *_speeds(op))
        return element(TPTZ, "GotoHomePositionResponse")

    def set_home(self, request: Envelope) -> ET.Element:
        self._profile_op(request)
        self.control.home = self.head.position()
        return element(TPTZ, "SetHomePositionResponse")

    # -- helpers ----------------------------------------------------------------------------------------------
    def _profile_op(self, request: Envelope) -> ET.Element:
        token = text_of(request.operation, (TPTZ, "ProfileToken")) or ""
        if self.state.stream(token) is None:
            raise invalid_arg("NoProfile", "no profile with this token")
        return request.operation

    def _is_slot(self, token: str) -> bool:
        return token.isdigit() and 1 <= int(token) <= max(self.control.unnamed_slots, 0)


def _slot_order(token: str) -> tuple[int, str]:
    return (int(token), "") if token.isdigit() else (1 << 30, token)


def _attr(node: ET.Element | None, name: str) -> str | None:
    return None if node is None else node.get(name)


def _check_space(node: ET.Element | None, expected: str) -> None:
    space = _attr(node, "space")
    if space and space != expected:
        raise invalid_arg("SpaceNotSupported", f"only {expected} is offered here")


def _in_range(value: str | None, default: float, low: float, high: float) -> float:
    number = _float(value, default)
    if not low - 1e-6 <= number <= high + 1e-6:
        raise invalid_arg("InvalidPosition", f"{number} is outside {low}..{high}")
    return min(high, max(low, number))


def _speeds(op: ET.Element) -> tuple[float, float]:
    """(pan/tilt, zoom) speeds of a move's optional Speed, 0..1 of the full rate (absent: full speed)."""
    speed = op.find(tag(TPTZ, "Speed"))
    pan_tilt = None if speed is None else speed.find(tag(TT, "PanTilt"))
    zoom = None if speed is None else speed.find(tag(TT, "Zoom"))
    if pan_tilt is None:
        pan_tilt_speed = 1.0
    else:
        pan_tilt_speed = max(abs(_float(pan_tilt.get("x"), 1.0)), abs(_float(pan_tilt.get("y"), 0.0)))
    zoom_speed = 1.0 if zoom is None else abs(_float(zoom.get("x"), 1.0))
    return min(1.0, pan_tilt_speed), min(1.0, zoom_speed)


def _vector(parent: ET.Element, position: PtzPosition) -> None:
    sub(parent, TT, "PanTilt", x=_number(position.pan), y=_number(position.tilt), space=PAN_TILT_POSITION)
    sub(parent, TT, "Zoom", x=_number(position.zoom), space=ZOOM_POSITION)


def _range(parent: ET.Element, name: str, low: float, high: float) -> None:
    span = sub(parent, TT, name)
    sub(span, TT, "Min", _number(low))
    sub(span, TT, "Max", _number(high))


def _space_2d(parent: ET.Element, name: str, uri: str, low: float, high: float) -> None:
    space = sub(parent, TT, name)
    sub(space, TT, "URI", uri)
    _range(space, "XRange", low, high)
    _range(space, "YRange", low, high)


def _space_1d(parent: ET.Element, name: str, uri: str, low: float, high: float) -> None:
    space = sub(parent, TT, name)
    sub(space, TT, "URI", uri)
    _range(space, "XRange", low, high)


def _spaces(spaces: ET.Element) -> None:
    """tt:PTZSpaces in the schema's order."""
    _space_2d(spaces, "AbsolutePanTiltPositionSpace", PAN_TILT_POSITION, -1, 1)
    _space_1d(spaces, "AbsoluteZoomPositionSpace", ZOOM_POSITION, 0, 1)
    _space_2d(spaces, "RelativePanTiltTranslationSpace", PAN_TILT_TRANSLATION, -1, 1)
    _space_2d(spaces, "RelativePanTiltTranslationSpace", PAN_TILT_FOV, -FOV_EDGE, FOV_EDGE)
    _space_1d(spaces, "RelativeZoomTranslationSpace", ZOOM_TRANSLATION, -1, 1)
    _space_2d(spaces, "ContinuousPanTiltVelocitySpace", PAN_TILT_VELOCITY, -1, 1)
    _space_1d(spaces, "ContinuousZoomVelocitySpace", ZOOM_VELOCITY, -1, 1)
    _space_1d(spaces, "PanTiltSpeedSpace", PAN_TILT_SPEED, 0, 1)
    _space_1d(spaces, "ZoomSpeedSpace", ZOOM_SPEED, 0, 1)


def write_configuration(configuration: ET.Element, use_count: int) -> None:
    """tt:PTZConfiguration (also inside each Media profile of a PTZ camera), in the schema's order."""
    sub(configuration, TT, "Name", "PTZ")
    sub(configuration, TT, "UseCount", str(use_count))
    sub(configuration, TT, "NodeToken", NODE_TOKEN)
    for name, uri in (("DefaultAbsolutePantTiltPositionSpace", PAN_TILT_POSITION),  # sic: the schema's spelling
                      ("DefaultAbsoluteZoomPositionSpace", ZOOM_POSITION),
                      ("DefaultRelativePanTiltTranslationSpace", PAN_TILT_TRANSLATION),
                      ("DefaultRelativeZoomTranslationSpace", ZOOM_TRANSLATION),
                      ("DefaultContinuousPanTiltVelocitySpace", PAN_TILT_VELOCITY),
                      ("DefaultContinuousZoomVelocitySpace", ZOOM_VELOCITY)):
        sub(configuration, TT, name, uri)
    speed = sub(configuration, TT, "DefaultPTZSpeed")
    sub(speed, TT, "PanTilt", x="1.0", y="1.0", space=PAN_TILT_SPEED)
    sub(speed, TT, "Zoom", x="1.0", space=ZOOM_SPEED)
    sub(configuration, TT, "DefaultPTZTimeout", f"PT{round(DEFAULT_TIMEOUT_S)}S")
    _space_2d(sub(configuration, TT, "PanTiltLimits"), "Range", PAN_TILT_POSITION, -1, 1)
    _space_1d(sub(configuration, TT, "ZoomLimits"), "Range", ZOOM_POSITION, 0, 1)


def _the_configuration(request: Envelope, field: str) -> None:
    """The request names the camera's one PTZ configuration (in `field`), or it is refused."""
    if text_of(request.operation, (TPTZ, field)) != CONFIGURATION_TOKEN:
        raise invalid_arg("NoConfig", "no PTZ configuration with this token")
