"""The one exception the ONVIF adapter raises: what went wrong (a kind), where, and what to tell a person."""

from __future__ import annotations

from enum import StrEnum

from console.onvif.messages import Say, format_offset_en, format_offset_vi, render


class OnvifErrorKind(StrEnum):
    AUTH = "auth"  # the device refused the user name or password (NotAuthorized, HTTP 401)
    UNREACHABLE = "unreachable"  # nothing answers: connection refused, no route, closed before any answer
    NOT_ONVIF = "not_onvif"  # something answers, but not SOAP/ONVIF (a web page, an RTSP port, plain text)
    MALFORMED = "malformed"  # a SOAP answer that is not well-formed XML or lacks what the operation returns
    TIMEOUT = "timeout"  # no answer within the call's timeout
    CLOCK = "clock"  # login refused while the camera's clock is off, even with the time adjusted to its clock
    FAULT = "fault"  # the device answered a SOAP Fault other than NotAuthorized (an operation it refuses)
    UNSUPPORTED = "unsupported"  # the device lacks what was asked (a service, a PTZ space): nothing was sent


_SAY = {
    OnvifErrorKind.AUTH: Say.AUTH,
    OnvifErrorKind.UNREACHABLE: Say.UNREACHABLE,
    OnvifErrorKind.NOT_ONVIF: Say.NOT_ONVIF,
    OnvifErrorKind.MALFORMED: Say.MALFORMED,
    OnvifErrorKind.TIMEOUT: Say.TIMEOUT,
    OnvifErrorKind.CLOCK: Say.CLOCK,
    OnvifErrorKind.FAULT: Say.FAULT,
    OnvifErrorKind.UNSUPPORTED: Say.UNSUPPORTED,
}


def host_port(host: str, port: int) -> str:
    """`192.168.1.64:80`, `[fe80::1]:80`: how a device's address is named in every message."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class OnvifError(Exception):
    """A failed ONVIF exchange with one device. Its text never holds a password: `detail` is redacted by
    whoever raises it, and the messages are made only of the address and our own words."""

    def __init__(self, kind: OnvifErrorKind, address: str, *, detail: str = "", seconds: float | None = None,
                 offset_s: float | None = None, operation: str = "", reason: str = "", reason_vi: str = "") -> None:
        self.kind = kind
        self.address = address
        self.detail = detail
        self.offset_s = offset_s
        self._params = {"address": address, "seconds": _seconds(seconds), "operation": operation, "reason": reason}
        self._reason_vi = reason_vi or reason
        super().__init__(self.message_en)

    @property
    def message_vi(self) -> str:
        offset = format_offset_vi(self.offset_s) if self.offset_s is not None else ""
        return render(_SAY[self.kind], "vi", {**self._params, "offset": offset, "reason": self._reason_vi})

    @property
    def message_en(self) -> str:
        offset = format_offset_en(self.offset_s) if self.offset_s is not None else ""
        return render(_SAY[self.kind], "en", {**self._params, "offset": offset})

    def __repr__(self) -> str:
        return f"OnvifError({self.kind.value}, {self.address!r}, detail={self.detail!r})"


def _seconds(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}"
