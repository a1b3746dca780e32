"""The role table: what an officer may do and what only an admin may (issue 19, point 2).

Every action that changes something or lets evidence leave the station names its `Permission`; the layer that
performs it asks `Guard.require` (console/officers/guard.py), so a hidden menu is a convenience, not the lock.
"""

from __future__ import annotations

from enum import StrEnum

from console.core.login_settings import DEFAULT_LOGIN, LoginSettings
from console.core.users import Role


class Permission(StrEnum):
    VIEW_LIVE = "view_live"
    VIEW_PLAYBACK = "view_playback"
    ACK_ALERT = "ack_alert"  # acknowledge and close
    MANUAL_INCIDENT = "manual_incident"
    BOOKMARK = "bookmark"  # *Đánh dấu*: create, edit and delete one's own bookmarks
    OTHERS_BOOKMARKS = "others_bookmarks"  # edit or delete a bookmark another officer made
    PTZ = "ptz"
    SNAPSHOT = "snapshot"
    EXPORT_EVIDENCE = "export_evidence"  # officers too unless the site file says `officer_may_export = false`
    HANDOVER_REPORT = "handover_report"
    MUTE_BELL = "mute_bell"
    EDIT_SITE = "edit_site"  # site/camera settings, the camera wizard, the site dialog
    EDIT_MAP = "edit_map"  # camera positions and bearings, map packs
    EDIT_RECORDING = "edit_recording"
    EDIT_ANALYTICS = "edit_analytics"  # motion zones and sensitivity
    MANAGE_USERS = "manage_users"
    DELETE_RECORDINGS = "delete_recordings"
    VIEW_AUDIT = "view_audit"
    EXPORT_AUDIT = "export_audit"


OFFICER_PERMISSIONS = frozenset({
    Permission.VIEW_LIVE, Permission.VIEW_PLAYBACK, Permission.ACK_ALERT, Permission.MANUAL_INCIDENT,
    Permission.PTZ, Permission.SNAPSHOT, Permission.EXPORT_EVIDENCE, Permission.HANDOVER_REPORT,
    Permission.MUTE_BELL, Permission.BOOKMARK,
})
ADMIN_PERMISSIONS = frozenset(Permission)


def allowed(role: Role, permission: Permission, settings: LoginSettings = DEFAULT_LOGIN) -> bool:
    if role is Role.ADMIN:
        return permission in ADMIN_PERMISSIONS
    if permission is Permission.EXPORT_EVIDENCE and not settings.officer_may_export:
        return False
    return permission in OFFICER_PERMISSIONS


def needed_role(permission: Permission, settings: LoginSettings = DEFAULT_LOGIN) -> Role:
    return Role.OFFICER if allowed(Role.OFFICER, permission, settings) else Role.ADMIN


# What the refusal names (Vietnamese first): "Chỉ quản trị viên được <this>."
ACTION_NAMES: dict[Permission, tuple[str, str]] = {
    Permission.VIEW_LIVE: ("xem trực tiếp", "view live pictures"),
    Permission.VIEW_PLAYBACK: ("xem lại ghi hình", "view recordings"),
    Permission.ACK_ALERT: ("xác nhận và đóng cảnh báo", "acknowledge and close alerts"),
    Permission.MANUAL_INCIDENT: ("ghi vụ việc thủ công", "record a manual incident"),
    Permission.BOOKMARK: ("đánh dấu ghi hình", "bookmark recordings"),
    Permission.OTHERS_BOOKMARKS: ("sửa hoặc xóa đánh dấu của cán bộ khác", "edit or delete other officers' bookmarks"),
    Permission.PTZ: ("điều khiển PTZ", "control PTZ"),
    Permission.SNAPSHOT: ("chụp ảnh", "take snapshots"),
    Permission.EXPORT_EVIDENCE: ("trích xuất chứng cứ", "export evidence"),
    Permission.HANDOVER_REPORT: ("lập báo cáo giao ca", "write the handover report"),
    Permission.MUTE_BELL: ("tắt chuông", "silence the bell"),
    Permission.EDIT_SITE: ("thay đổi cài đặt điểm và camera", "change site and camera settings"),
    Permission.EDIT_MAP: ("sửa bản đồ và vị trí camera", "edit the map and camera positions"),
    Permission.EDIT_RECORDING: ("thay đổi cài đặt ghi hình", "change recording settings"),
    Permission.EDIT_ANALYTICS: ("thay đổi vùng phát hiện", "change detection zones"),
    Permission.MANAGE_USERS: ("quản lý người dùng", "manage users"),
    Permission.DELETE_RECORDINGS: ("xóa ghi hình", "delete recordings"),
    Permission.VIEW_AUDIT: ("xem nhật ký thao tác", "view the audit trail"),
    Permission.EXPORT_AUDIT: ("xuất nhật ký thao tác", "export the audit trail"),
}
