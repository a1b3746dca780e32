"""Words for alert kinds, states and priorities, translated (glossary: Cảnh báo, Mới / Đã xác nhận / Đã đóng)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from console.core.alerts import AlertKind, AlertState, Priority


def kind_text(kind: AlertKind) -> str:
    return {
        AlertKind.MOTION: QCoreApplication.translate("Alerts", "Motion detected"),
        AlertKind.TAMPER_COVERED: QCoreApplication.translate("Alerts", "Camera covered"),
        AlertKind.TAMPER_DEFOCUSED: QCoreApplication.translate("Alerts", "Camera out of focus"),
        AlertKind.TAMPER_MOVED: QCoreApplication.translate("Alerts", "Camera moved"),
        AlertKind.FROZEN: QCoreApplication.translate("Alerts", "Frozen picture"),
        AlertKind.CAMERA_OFFLINE: QCoreApplication.translate("Alerts", "Camera offline"),
        AlertKind.SITE_OFFLINE: QCoreApplication.translate("Alerts", "Whole site offline"),
        AlertKind.MANUAL: QCoreApplication.translate("Alerts", "Manual incident"),
        AlertKind.RECORDING_FAILED: QCoreApplication.translate("Alerts", "Recording stopped"),
        AlertKind.SYSTEM_ERROR: QCoreApplication.translate("Alerts", "System error"),
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
