"""Words for alert kinds, states, priorities and an episode's end, translated (glossary: Cảnh báo, Mới /
Đã xác nhận / Đã đóng)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from console.core.alerts import HEALTH_KINDS, AlertKind, AlertState, Priority
from console.core.vntime import format_vn_ms
from console.store.alerts import AlertRow
from console.ui.live.status_text import duration


def kind_text(kind: AlertKind) -> str:
    return {
        AlertKind.MOTION: QCoreApplication.translate("Alerts", "Motion detected"),
        AlertKind.TAMPER_COVERED: QCoreApplication.translate("Alerts", "Camera covered"),
        AlertKind.TAMPER_DEFOCUSED: QCoreApplication.translate("Alerts", "Camera out of focus"),
        AlertKind.TAMPER_MOVED: QCoreApplication.translate("Alerts", "Camera moved"),
        AlertKind.FROZEN: QCoreApplication.translate("Alerts", "Frozen picture"),
        AlertKind.CAMERA_OFFLINE: QCoreApplication.translate("Alerts", "Camera offline"),
        AlertKind.SITE_OFFLINE: QCoreApplication.translate("Alerts", "Whole site offline"),
        AlertKind.NETWORK_OFFLINE: QCoreApplication.translate("Alerts", "Every site offline (network link)"),
        AlertKind.MANUAL: QCoreApplication.translate("Alerts", "Manual incident"),
        AlertKind.RECORDING_FAILED: QCoreApplication.translate("Alerts", "Recording stopped"),
        AlertKind.SYSTEM_ERROR: QCoreApplication.translate("Alerts", "System error"),
        AlertKind.CAMERA_MOTION: QCoreApplication.translate("Alerts", "Motion (camera)"),
        AlertKind.CAMERA_TAMPER: QCoreApplication.translate("Alerts", "Tamper (camera)"),
        AlertKind.ALARM_INPUT: QCoreApplication.translate("Alerts", "Alarm input"),
        AlertKind.EVENTS_LOST: QCoreApplication.translate("Alerts", "Camera events lost"),
        AlertKind.CLOCK_OFFSET: QCoreApplication.translate("Alerts", "Camera clock off"),
    }[kind]


def state_text(state: AlertState) -> str:
    return {
        AlertState.NEW: QCoreApplication.translate("Alerts", "New"),
        AlertState.ACKNOWLEDGED: QCoreApplication.translate("Alerts", "Acknowledged"),
        AlertState.CLOSED: QCoreApplication.translate("Alerts", "Closed"),
    }[state]


def priority_text(priority: Priority) -> str:
    return {
        Priority.LOW: QCoreApplication.translate("Alerts", "Low"),
        Priority.MEDIUM: QCoreApplication.translate("Alerts", "Medium"),
        Priority.HIGH: QCoreApplication.translate("Alerts", "High"),
    }[priority]


def end_text(row: AlertRow, now_ms: int) -> str:
    """The list's end column: when the episode ended, else how long it has gone on and its last activity."""
    if row.kind is AlertKind.MANUAL:
        return ""  # the officer's record, not an episode
    if row.ended_ms is not None:
        return QCoreApplication.translate("Alerts", "Ended at {time}").format(time=format_vn_ms(row.ended_ms))
    running = duration(max(0, now_ms - row.started_ms) / 1000)
    last = row.last_ms
    if row.kind in HEALTH_KINDS or last is None or last <= row.started_ms:
        return QCoreApplication.translate("Alerts", "Going on for {duration}").format(duration=running)
    return QCoreApplication.translate("Alerts", "Going on for {duration}, last activity {time}").format(
        duration=running, time=format_vn_ms(last)[-8:])
