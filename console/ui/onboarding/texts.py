"""What the wizard says about devices, streams and failures, in the interface's language."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication

from console.core.config import ConfigError
from console.core.credentials import CredentialStoreError
from console.core.vntime import format_offset_en, format_offset_vi
from console.nvr.errors import NvrError
from console.officers.guard import ActionRefusedError
from console.onboarding.devices import DeviceRow
from console.onboarding.nvr_import import EmptyRecorderError
from console.onboarding.stream_check import StreamCheck, StreamCheckError
from console.onvif.errors import OnvifError
from console.onvif.media import MediaProfile
from console.ui.live.status_text import failure_text
from console.ui.map.view import interface_language

log = logging.getLogger(__name__)


def onvif_error_text(error: OnvifError) -> str:
    return error.message_en if interface_language() == "en" else error.message_vi


def recorder_error_text(error: BaseException) -> str:
    """Why a recorder's channels could not be read, naming the recorder (its login is never in the text)."""
    lang = interface_language()
    if isinstance(error, NvrError):
        return error.message_en if lang == "en" else error.message_vi
    if isinstance(error, EmptyRecorderError):
        return error.message(lang)
    log.error("reading a recorder failed: %s", type(error).__name__)
    return QCoreApplication.translate("Onboarding", "The recorder could not be read: {reason}").format(
        reason=type(error).__name__)


def config_error_text(error: ConfigError) -> str:
    lang = interface_language()
    return "\n".join(issue.describe(lang) for issue in error.errors)


def offset_text(seconds: float | None) -> str:
    if seconds is None:
        return ""
    return format_offset_en(seconds) if interface_language() == "en" else format_offset_vi(seconds)


def profile_text(profile: MediaProfile) -> str:
    size = f"{profile.width}×{profile.height}" if profile.width and profile.height else "?"
    return f"{profile.name} {size} {profile.encoding or ''}".strip()


def row_state(row: DeviceRow, saved_as: str | None) -> str:
    if row.error is not None and row.needs_login:
        return QCoreApplication.translate("Onboarding", "Needs the user name and password")
    if row.error is not None:
        return onvif_error_text(row.error)
    if saved_as is not None:
        return QCoreApplication.translate("Onboarding", "Already in the site file as {camera}").format(
            camera=saved_as)
    if not row.readable:
        return QCoreApplication.translate("Onboarding", "The camera offers no stream")
    return QCoreApplication.translate("Onboarding", "Ready")


def stream_check_text(check: StreamCheck) -> tuple[str, str, str, str, str]:
    """Codec, resolution, frame rate, bit rate and first picture, as the results table shows them."""
    fps = QCoreApplication.translate("Onboarding", "{fps} fps").format(fps=f"{check.fps:g}") if check.fps else "?"
    bitrate = "?"
    if check.bitrate_kbps:
        bitrate = QCoreApplication.translate("Onboarding", "{kbps} kbit/s").format(kbps=f"{check.bitrate_kbps:.0f}")
    first = QCoreApplication.translate("Onboarding", "{ms} ms").format(ms=f"{check.first_frame_ms:.0f}")
    return check.codec.upper(), f"{check.width}×{check.height}", fps, bitrate, first


def stream_error_text(error: BaseException) -> str:
    if isinstance(error, StreamCheckError):
        return failure_text(error.failure)
    return QCoreApplication.translate("Onboarding", "The stream could not be tested")


def save_error_text(error: BaseException) -> str:
    """Why a save wrote nothing, naming the field or the file."""
    if isinstance(error, ConfigError):
        return QCoreApplication.translate("Onboarding", "Nothing was saved: the site file would not be valid.") + \
            "\n" + config_error_text(error)
    if isinstance(error, CredentialStoreError):
        return QCoreApplication.translate("Onboarding", "Nothing was saved: {reason}").format(
            reason=error.message(interface_language()))
    if isinstance(error, ActionRefusedError):
        return QCoreApplication.translate("Onboarding", "Nothing was saved: {reason}").format(
            reason=error.message(interface_language()))
    if isinstance(error, OSError):
        text = QCoreApplication.translate("Onboarding", "Nothing was saved: {file} cannot be written ({reason}).")
        return text.format(file=str(error.filename or ""), reason=error.strerror or type(error).__name__)
    log.error("saving failed", exc_info=(type(error), error, error.__traceback__))
    return QCoreApplication.translate("Onboarding", "Nothing was saved: {reason}").format(reason=type(error).__name__)
