"""The one exception the recorder adapters raise: what went wrong (a kind), with which recorder and operation, and
what to tell a person in Vietnamese and English. Its text never holds a password: the messages are made of the
address and our own words, and `detail` is redacted by whoever raises it."""

from __future__ import annotations

from enum import StrEnum

from console.nvr.messages import Operation, Say, operation_name, render


class NvrErrorKind(StrEnum):
    AUTH = "auth"  # 401 after a signed request: wrong user name or password
    FORBIDDEN = "forbidden"  # 403: the account may not do this (or the method is refused)
    UNREACHABLE = "unreachable"  # connection refused, no route, reset before any answer
    TIMEOUT = "timeout"  # no answer within the call's timeout
    MALFORMED = "malformed"  # an answer that is not the XML/JSON/text the operation returns
    NOT_FOUND = "not_found"  # 404, or something that is not this vendor's API answers there
    NO_DATA = "no_data"  # a listed recording with no video behind it (a phantom span)
    CANCELLED = "cancelled"  # the officer cancelled a download
    DEVICE = "device"  # any other HTTP error the recorder answered


_SAY = {NvrErrorKind.AUTH: Say.AUTH, NvrErrorKind.FORBIDDEN: Say.FORBIDDEN, NvrErrorKind.UNREACHABLE: Say.UNREACHABLE,
        NvrErrorKind.TIMEOUT: Say.TIMEOUT, NvrErrorKind.MALFORMED: Say.MALFORMED, NvrErrorKind.NOT_FOUND: Say.NOT_FOUND,
        NvrErrorKind.NO_DATA: Say.NO_DATA, NvrErrorKind.CANCELLED: Say.CANCELLED, NvrErrorKind.DEVICE: Say.DEVICE}
_VENDOR_NAMES = {"hikvision": "Hikvision", "dahua": "Dahua"}


def host_port(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class NvrError(Exception):
    def __init__(self, kind: NvrErrorKind, address: str, operation: Operation, *, vendor: str = "",
                 status: int | None = None, seconds: float | None = None, detail: str = "") -> None:
        self.kind = kind
        self.address = address
        self.operation = operation
        self.status = status
        self.detail = detail
        self._vendor = _VENDOR_NAMES.get(vendor, vendor)
        self._seconds = "" if seconds is None else f"{seconds:g}"
        super().__init__(self.message_en)

    def _params(self, lang: str) -> dict[str, str]:
        return {"address": self.address, "operation": operation_name(self.operation, lang),
                "vendor": self._vendor, "status": "" if self.status is None else str(self.status),
                "seconds": self._seconds}

    @property
    def message_vi(self) -> str:
        return render(_SAY[self.kind], "vi", self._params("vi"))

    @property
    def message_en(self) -> str:
        return render(_SAY[self.kind], "en", self._params("en"))

    def __repr__(self) -> str:
        return f"NvrError({self.kind.value}, {self.address!r}, {self.operation.value}, detail={self.detail!r})"
