"""What the audit trail records: the security-relevant actions (issue 19), one entry per gesture, and the
names the *Nhật ký thao tác* window shows for them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from console.audit.chain import ANOMALY_ACTION, CHECKPOINT_ACTION


class AuditAction(StrEnum):
    """The stored `action`; the comment says what `target` and `details` hold."""

    LOGIN = "login"  # details: {"workstation"}
    LOGIN_FAILED = "login.failed"  # user: the login typed; details: {"delay_s"}; never the password
    LOGOUT = "logout"
    LOCK = "lock"  # details: {"idle": true} when locked by the idle timer
    UNLOCK = "unlock"
    SHIFT_CHANGE = "shift.change"  # user: who takes over; details: {"handed_over_by"}
    ALERT_ACKNOWLEDGED = "alert.acknowledged"  # target: "alert:<id>"; details: {"note", "from", "to"}
    ALERT_CLOSED = "alert.closed"  # the same
    ALERT_STATE_CHANGED = "alert.state_changed"  # any other transition the old alert audit kept
    INCIDENT_MANUAL = "incident.manual"  # target: "alert:<id>"; details: {"note"}
    # Vụ việc (issue 21): target "incident:<id>"; camera: the incident's camera, or the linked item's
    INCIDENT_CREATED = "incident.created"  # details: {"title", "kind", "origin", "origin_ref"}
    INCIDENT_EDITED = "incident.edited"  # details: {"changes": {field: [before, after]}}
    INCIDENT_NOTE = "incident.note"  # details: {"note_id", "text"}
    INCIDENT_STATUS = "incident.status"  # details: {"from", "to", "note_id"}
    INCIDENT_LINKED = "incident.linked"  # details: {"link_id", "kind", and the item: "alert_id", "start_ms", …}
    INCIDENT_UNLINKED = "incident.unlinked"  # details: {"link_id", "kind", "reason"}
    # Đánh dấu: target "bookmark:<id>"; camera: the bookmark's
    BOOKMARK_CREATED = "bookmark.created"  # details: {"name", "from_ms", "to_ms", "tags", "note", "alert_id"}
    BOOKMARK_EDITED = "bookmark.edited"  # details: {"changes": {field: [before, after]}} (incident_id when linked)
    BOOKMARK_DELETED = "bookmark.deleted"  # details: the bookmark as it was
    VIDEO_RECEIVED = "video.received"  # details: {"video_id", "file", "sha256", "size_bytes", "channel"}
    EVIDENCE_EXPORTED = "evidence.exported"  # target: the folder; details: {"start_ms", "end_ms", "manifest_sha256"}
    PLAYBACK_VIEWED = "playback.viewed"  # camera; details: {"start_ms", "end_ms"}
    SNAPSHOT = "snapshot"  # camera; target: the file
    PTZ = "ptz"  # camera; details: {"gesture", "preset"}
    SETTINGS_CHANGED = "settings.changed"  # target: what; details: {"before", "after"}
    USER_CHANGED = "user.changed"  # target: the login; details: {"change", "before", "after"}
    RECORDING_DELETED = "recording.deleted"  # camera; details: {"start_ms", "end_ms", "files"}
    BELL_MUTED = "bell.muted"
    ACTION_REFUSED = "action.refused"  # details: {"action", "needs_role"}
    AUDIT_EXPORTED = "audit.exported"  # target: the CSV file
    PROVINCE_COMMAND = "province.command"  # user: who asked at the province; camera; target: "request:<id>";
    # details: {"command", "outcome": "done"|"refused", "reason"}
    CHECKPOINT = CHECKPOINT_ACTION  # written by the writer only: signed
    ANOMALY = ANOMALY_ACTION  # written by the writer only: what it found wrong at start (details: {"finding"})


_LABELS: dict[AuditAction, tuple[str, str]] = {
    AuditAction.LOGIN: ("Đăng nhập", "Login"),
    AuditAction.LOGIN_FAILED: ("Đăng nhập sai", "Failed login"),
    AuditAction.LOGOUT: ("Đăng xuất", "Logout"),
    AuditAction.LOCK: ("Khóa màn hình", "Screen locked"),
    AuditAction.UNLOCK: ("Mở khóa màn hình", "Screen unlocked"),
    AuditAction.SHIFT_CHANGE: ("Giao ca", "Shift change"),
    AuditAction.ALERT_ACKNOWLEDGED: ("Xác nhận cảnh báo", "Alert acknowledged"),
    AuditAction.ALERT_CLOSED: ("Đóng cảnh báo", "Alert closed"),
    AuditAction.ALERT_STATE_CHANGED: ("Đổi trạng thái cảnh báo", "Alert state changed"),
    AuditAction.INCIDENT_MANUAL: ("Ghi vụ việc thủ công", "Manual incident"),
    AuditAction.INCIDENT_CREATED: ("Tạo vụ việc", "Incident created"),
    AuditAction.INCIDENT_EDITED: ("Sửa thông tin vụ việc", "Incident edited"),
    AuditAction.INCIDENT_NOTE: ("Ghi chú vụ việc", "Incident note"),
    AuditAction.INCIDENT_STATUS: ("Đổi trạng thái vụ việc", "Incident status changed"),
    AuditAction.INCIDENT_LINKED: ("Liên kết vào vụ việc", "Linked to an incident"),
    AuditAction.INCIDENT_UNLINKED: ("Gỡ liên kết khỏi vụ việc", "Unlinked from an incident"),
    AuditAction.BOOKMARK_CREATED: ("Tạo đánh dấu", "Bookmark created"),
    AuditAction.BOOKMARK_EDITED: ("Sửa đánh dấu", "Bookmark edited"),
    AuditAction.BOOKMARK_DELETED: ("Xóa đánh dấu", "Bookmark deleted"),
    AuditAction.VIDEO_RECEIVED: ("Tiếp nhận video từ người dân", "Citizen's video received"),
    AuditAction.EVIDENCE_EXPORTED: ("Trích xuất chứng cứ", "Evidence exported"),
    AuditAction.PLAYBACK_VIEWED: ("Xem lại ghi hình", "Playback viewed"),
    AuditAction.SNAPSHOT: ("Chụp ảnh", "Snapshot"),
    AuditAction.PTZ: ("Điều khiển PTZ", "PTZ control"),
    AuditAction.SETTINGS_CHANGED: ("Thay đổi cài đặt", "Settings changed"),
    AuditAction.USER_CHANGED: ("Thay đổi người dùng", "User changed"),
    AuditAction.RECORDING_DELETED: ("Xóa ghi hình", "Recording deleted"),
    AuditAction.BELL_MUTED: ("Tắt chuông", "Bell muted"),
    AuditAction.ACTION_REFUSED: ("Thao tác bị từ chối", "Action refused"),
    AuditAction.AUDIT_EXPORTED: ("Xuất nhật ký thao tác", "Audit trail exported"),
    AuditAction.PROVINCE_COMMAND: ("Lệnh từ Trung tâm tỉnh", "Command from the province centre"),
    AuditAction.CHECKPOINT: ("Điểm ký xác thực", "Signed checkpoint"),
    AuditAction.ANOMALY: ("Phát hiện nhật ký bị can thiệp", "Audit trail tampering found"),
}


def action_label(action: str, lang: str = "vi") -> str:
    """The window's name for a stored action (an unknown one, from a newer console, as stored)."""
    try:
        vi, en = _LABELS[AuditAction(action)]
    except ValueError:
        return action
    return en if lang == "en" else vi


def action_labels() -> dict[AuditAction, tuple[str, str]]:
    return dict(_LABELS)


@dataclass(frozen=True)
class AuditEntry:
    """One action to record. `at_ms` (epoch ms UTC) is the moment of the gesture: filled in by `append` when
    left None. `details` must be JSON; a key naming a password is refused (the trail never holds one)."""

    action: AuditAction
    user: str
    role: str | None = None
    camera: str | None = None
    target: str | None = None
    details: Mapping[str, object] = field(default_factory=dict)
    at_ms: int | None = None
