"""The role table of issue 19 exercised for both roles through the layers that perform the actions, and the time
of a login; part of `python -m benchmarks.audit` (role_checks, role_refusals_correct, login_ms_p95).

The expected outcome of each action is written here from the issue's text, not read from console/officers/roles.py,
so a wrong entry in the console's table is found. An action with a service of its own (the site file, the map,
the users, alerts acknowledged, detection zones, the audit trail read and exported, recordings deleted, evidence
exported) is performed through it and its effect read back (the file unchanged, no user added, nothing handed to
the writer…); the others are asked of the guard every service calls. Each refusal must also be one
`action.refused` row in the audit.
"""

from __future__ import annotations

import contextlib
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from console.audit.actions import AuditAction, AuditEntry
from console.core.users import Role, User
from console.officers.accounts import Accounts
from console.officers.guard import ActionRefusedError, Guard
from console.officers.roles import Permission
from console.officers.site_edits import guarded_editor
from console.store.database import open_database

OFFICER_MAY = frozenset({"view_live", "view_playback", "ack_alert", "manual_incident", "ptz", "snapshot",
                         "export_evidence", "handover_report", "mute_bell",  # issue 19, point 2
                         "bookmark"})  # Đánh dấu: one's own; another officer's bookmarks are an admin's
LOGINS = 20
PASSWORD = "Bench-Pw-2026"  # the benchmark's own throwaway user


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _site_action(site: Path, permission: Permission) -> Callable[[Guard, list[AuditEntry]], bool]:
    def act(guard: Guard, audit: list[AuditEntry]) -> bool:
        before = site.read_bytes()
        editor = guarded_editor(site, guard, audit.append, permission)
        try:
            editor.update_camera("C01", {"bearing_deg": 123.0})  # the map's drag, the camera dialog's field
        except ActionRefusedError:
            return site.read_bytes() != before  # True would be a write despite the refusal
        changed = site.read_bytes() != before
        site.write_bytes(before)
        return changed
    return act


def measure_roles(folder: Path, site_file: Path) -> dict[str, Any]:
    db = folder / "console.db"
    open_database(db).close()
    accounts = Accounts(db)
    admin = accounts.create_first_admin("quantri", "Quản trị", PASSWORD)
    site = folder / "site.toml"
    shutil.copyfile(site_file, site)
    services: dict[Permission, Callable[[Guard, list[AuditEntry]], bool]] = {
        Permission.EDIT_SITE: _site_action(site, Permission.EDIT_SITE),
        Permission.EDIT_MAP: _site_action(site, Permission.EDIT_MAP),
    }
    counter = [0]

    def add_user(guard: Guard, audit: list[AuditEntry]) -> bool:
        counter[0] += 1
        login = f"bench{counter[0]}"
        with contextlib.suppress(ActionRefusedError):
            Accounts(db, audit.append).add(guard, login, "Cán bộ thử", Role.OFFICER, PASSWORD)
        return any(a.login == login for a in accounts.accounts())
    services[Permission.MANAGE_USERS] = add_user

    services.update(_service_actions(folder, db, site_file))

    def ask(permission: Permission) -> Callable[[Guard, list[AuditEntry]], bool]:
        def act(guard: Guard, _audit: list[AuditEntry]) -> bool:
            try:
                guard.require(permission)
            except ActionRefusedError:
                return False
            return True
        return act

    checks, correct, wrong = 0, 0, []
    for role, user in ((Role.OFFICER, User("trucban", "Cán bộ", Role.OFFICER)), (Role.ADMIN, admin)):
        for permission in Permission:
            audit: list[AuditEntry] = []
            guard = Guard(lambda u=user: u, audit=audit.append)  # type: ignore[misc]
            done = services.get(permission, ask(permission))(guard, audit)
            expected = role is Role.ADMIN or permission.value in OFFICER_MAY
            refusals = [e for e in audit if e.action is AuditAction.ACTION_REFUSED]
            checks += 1
            if done == expected and len(refusals) == (0 if expected else 1):
                correct += 1
            else:
                wrong.append(f"{role.value}:{permission.value}")
    # Nobody logged in (the lock screen): every action refused.
    for permission in Permission:
        audit = []
        done = services.get(permission, ask(permission))(Guard(lambda: None, audit=audit.append), audit)
        checks += 1
        if not done and len([e for e in audit if e.action is AuditAction.ACTION_REFUSED]) == 1:
            correct += 1
        else:
            wrong.append(f"locked:{permission.value}")
    times = []
    for _ in range(LOGINS):
        started = time.perf_counter()
        result = accounts.authenticate("quantri", PASSWORD)
        times.append((time.perf_counter() - started) * 1000)
        assert result.user is not None
    return {"role_checks": checks, "role_refusals_correct": correct, "role_wrong": wrong,
            "login_ms_p95": round(_percentile(times, 0.95), 1), "login_ms_p50": round(_percentile(times, 0.5), 1),
            "logins": LOGINS}


Action = Callable[[Guard, list[AuditEntry]], bool]


def _service_actions(folder: Path, db: Path, site_file: Path) -> dict[Permission, Action]:
    """The guarded services of issue 19 performed for real, each returning whether its effect happened."""
    from console.core.alerts import AlertState
    from console.core.analytics import AnalyticsSettings
    from console.core.config import load_config
    from console.core.motion import MotionSettings
    from console.core.recording import TimeRange
    from console.media.analytics import AnalyticsWorker
    from console.media.export import EvidenceExport
    from console.officers.alert_actions import AlertActions
    from console.officers.audit_access import AuditAccess
    from console.officers.detection_edits import DetectionEdits
    from console.officers.guard import Officers
    from console.officers.recording_deletion import RecordingDeletion
    from console.store.alerts import Transitions
    from console.store.recordings import index_opener

    camera = load_config(site_file).cameras[0]
    opener = index_opener(db)
    counter = [0]

    def acknowledge(guard: Guard, audit: list[AuditEntry]) -> bool:
        jobs: list[Transitions] = []
        with contextlib.suppress(ActionRefusedError):
            AlertActions(Officers(guard, audit.append), jobs.append).change([1], AlertState.ACKNOWLEDGED, "ghi chú",
                                                                           "bench", lambda _outcomes: None)
        return bool(jobs)

    def zones(guard: Guard, audit: list[AuditEntry]) -> bool:
        worker = AnalyticsWorker([camera], {}, lambda _event: None, lambda: 1)
        chosen = AnalyticsSettings(MotionSettings(sensitivity=90))
        with contextlib.suppress(ActionRefusedError):
            DetectionEdits(Officers(guard, audit.append), worker, None).save(camera.id, chosen)
        return worker.settings(camera.id) == chosen

    def view_audit(guard: Guard, audit: list[AuditEntry]) -> bool:
        try:
            AuditAccess(Officers(guard, audit.append)).check_view()
        except ActionRefusedError:
            return False
        return True

    def export_audit(guard: Guard, audit: list[AuditEntry]) -> bool:
        counter[0] += 1
        target = folder / f"audit-{counter[0]}.csv"
        with contextlib.suppress(ActionRefusedError):
            AuditAccess(Officers(guard, audit.append)).export([], target)
        return target.exists()

    def delete_recordings(guard: Guard, audit: list[AuditEntry]) -> bool:
        index = opener()
        try:  # one closed segment row (its file need not exist: a deletion tolerates a file already gone)
            segment = index.open_segment(camera.id, 1_000_000, f"{camera.id}/bench.ts", "h264", 0, 0)
            index.update_segment(segment, 2_000_000, 1, 1, 1000, closed=True)
            with contextlib.suppress(ActionRefusedError):
                RecordingDeletion(Officers(guard, audit.append), folder / "rec", opener).delete(
                    camera.id, TimeRange(0, 3_000_000), "bench")
            gone = not index.segments(camera.id, 0, 3_000_000)
            index.delete_segments([segment])
        finally:
            index.close()
        return gone

    def export_evidence(guard: Guard, audit: list[AuditEntry]) -> bool:
        counter[0] += 1
        job = EvidenceExport(folder / "rec", opener, camera.id, TimeRange(0, 1000), folder / f"e{counter[0]}.mp4",
                             "bench", authorize=lambda: Officers(guard, audit.append).require(
                                 Permission.EXPORT_EVIDENCE, camera=camera.id))
        try:
            job.start()
        except ActionRefusedError:
            return False
        job.wait(30)  # nothing is recorded there: it ends at once, as failed; it did start
        return job.result is not None

    return {Permission.ACK_ALERT: acknowledge, Permission.EDIT_ANALYTICS: zones, Permission.VIEW_AUDIT: view_audit,
            Permission.EXPORT_AUDIT: export_audit, Permission.DELETE_RECORDINGS: delete_recordings,
            Permission.EXPORT_EVIDENCE: export_evidence}
