"""Words of the province window that several of its parts say: an alert's kind, state and priority as the
commune's list says them (a commune may send a kind this version does not know: shown as sent), and a commune's
state in one line ("Mất kết nối từ 14:02", "2 camera mất kết nối · 3 cảnh báo chưa xác nhận")."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from console.core.alerts import AlertKind, AlertState, Priority
from console.province.overview import CommuneStatus, Standing
from console.ui.alerts.text import kind_text, priority_text, state_text
from console.uplink.status import moment_text


def kind_words(kind: str) -> str:
    try:
        return kind_text(AlertKind(kind))
    except ValueError:
        return kind


def state_words(state: str) -> str:
    try:
        return state_text(AlertState(state))
    except ValueError:
        return state


def priority_words(priority: int) -> str:
    try:
        return priority_text(Priority(priority))
    except ValueError:
        return str(priority)


def standing_words(standing: Standing) -> str:
    """The legend's words for a marker's colour."""
    return {
        Standing.OFFLINE: QCoreApplication.translate("ProvinceWords", "Offline"),
        Standing.ALERTING: QCoreApplication.translate("ProvinceWords", "Unacknowledged alerts"),
        Standing.DEGRADED: QCoreApplication.translate("ProvinceWords", "Cameras down"),
        Standing.NORMAL: QCoreApplication.translate("ProvinceWords", "Online"),
        Standing.UNKNOWN: QCoreApplication.translate("ProvinceWords", "No news yet"),
    }[standing]


def link_words(status: CommuneStatus, at_ms: int) -> str:
    """Online, offline since when, or nothing heard yet."""
    state = status.state
    if status.standing is Standing.UNKNOWN:
        return QCoreApplication.translate("ProvinceWords", "No news yet")
    if status.standing is Standing.OFFLINE:
        if state.since_ms is None:
            return QCoreApplication.translate("ProvinceWords", "Offline")
        return QCoreApplication.translate("ProvinceWords", "Offline since {time}").format(
            time=moment_text(state.since_ms, at_ms))
    return QCoreApplication.translate("ProvinceWords", "Online")


def commune_line(status: CommuneStatus, at_ms: int) -> str:
    """The marker's second line: its link, then what is wrong there, if anything."""
    parts = [link_words(status, at_ms)]
    if status.state.cameras_down:
        parts.append(QCoreApplication.translate("ProvinceWords", "{count} cameras down").format(
            count=status.state.cameras_down))
    if status.state.unacknowledged:
        parts.append(QCoreApplication.translate("ProvinceWords", "{count} unacknowledged alerts").format(
            count=status.state.unacknowledged))
    return " · ".join(parts)


def commune_tooltip(status: CommuneStatus, at_ms: int) -> str:
    lines = [status.name, commune_line(status, at_ms)]
    if status.state.backlog:
        waiting = QCoreApplication.translate("ProvinceWords", "{count} messages still to send to the province")
        lines.append(waiting.format(count=status.state.backlog))
    if not status.state.configured:
        lines.append(QCoreApplication.translate("ProvinceWords", "Not listed in the province file"))
    return "\n".join(lines)
