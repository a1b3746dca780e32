"""Roles are enforced where the action is performed, not only by hiding menus: an officer (or nobody, at the lock
screen) calling the service itself is refused, the refusal is one audit row and a Vietnamese sentence, and nothing
changes; an admin's settings change is audited with the lines before and after."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from benchmarks.roles import measure_roles
from console.audit.actions import AuditAction, AuditEntry
from console.core.analytics import AnalyticsSettings
from console.core.config import SiteConfig
from console.core.login_settings import DEFAULT_LOGIN, LoginSettings
from console.core.motion import MotionSettings
from console.core.recording import ExportIndex, TimeRange
from console.core.users import Role, User
from console.media.analytics import AnalyticsWorker
from console.media.export import EvidenceExport
from console.media.pool import StreamPool
from console.officers.detection_edits import DetectionEdits
from console.officers.guard import ActionRefusedError, Guard, Officers
from console.officers.roles import Permission
from console.officers.site_edits import guarded_editor
from console.simulator.scene import ROAD_ZONE
from console.store.analytics_settings import AnalyticsSettingsStore
from console.ui.live.snapshot import SnapshotTaker
from console.ui.onboarding.menu import CameraSetup
from console.ui.shell.main_window import MainWindow
from tests.support.databases import OpenDb

OFFICER = User("trucban1", "Nguyễn Văn An", Role.OFFICER)
ADMIN = User("quantri", "Trần Văn Kỹ", Role.ADMIN)


def officers_for(user: User | None, settings: LoginSettings = DEFAULT_LOGIN) -> tuple[Officers, list[AuditEntry]]:
    audit: list[AuditEntry] = []
    return Officers(Guard(lambda: user, settings, audit.append), audit.append), audit


def test_the_role_table_holds_for_both_roles_and_the_lock_screen(tmp_path: Path) -> None:
    from console.core.paths import demo_config_path

    result = measure_roles(tmp_path, demo_config_path())
    assert result["role_wrong"] == []
    assert result["role_checks"] == result["role_refusals_correct"] == 3 * len(Permission)


def test_an_officer_cannot_write_the_site_file_even_through_the_service(demo_site: SiteConfig,
                                                                       tmp_path: Path) -> None:
    assert demo_site.source is not None
    site = tmp_path / "site.toml"
    shutil.copyfile(demo_site.source, site)
    before = site.read_bytes()
    officers, audit = officers_for(OFFICER)
    editor = guarded_editor(site, officers.guard, officers.audit, Permission.EDIT_MAP)
    with pytest.raises(ActionRefusedError) as refused:
        editor.update_camera("C01", {"bearing_deg": 123.0})
    assert refused.value.message() == ("Chỉ quản trị viên được sửa bản đồ và vị trí camera. Tài khoản trucban1 là "
                                       "cán bộ trực ban.")
    assert site.read_bytes() == before
    assert [(e.action, e.user, e.details["action"]) for e in audit] == [
        (AuditAction.ACTION_REFUSED, "trucban1", "edit_map")]
    admins, admin_audit = officers_for(ADMIN)
    guarded_editor(site, admins.guard, admins.audit, Permission.EDIT_MAP).update_camera("C01", {"bearing_deg": 123.0})
    assert site.read_bytes() != before
    [change] = admin_audit
    assert change.action is AuditAction.SETTINGS_CHANGED and change.user == "quantri"
    assert any("bearing_deg = 123" in line for line in change.details["after"])  # type: ignore[union-attr]
    assert change.details["before"] and change.details["truncated"] is False


def test_the_camera_menu_snapshot_and_bell_refuse_at_the_service(qtbot: QtBot, demo_site: SiteConfig,
                                                                 tmp_path: Path, vietnamese: object,
                                                                 pools: list[StreamPool]) -> None:
    officers, audit = officers_for(OFFICER)
    window = MainWindow(demo_site, demo=True, pool=StreamPool(demo_site), officers=officers)
    pools.append(window.pool)
    qtbot.addWidget(window)
    setup = CameraSetup(window, demo_site, None, editable=False, officers=officers)
    assert demo_site.source is not None
    with pytest.raises(ActionRefusedError):
        setup._editor().update_camera("C01", {"bearing_deg": 10.0})  # the wizard's and dialogs' writer
    setup.add_cameras()  # the menu entry itself: no wizard for an officer
    assert setup.last_dialog is None
    assert window.statusBar().currentMessage().startswith("Chỉ quản trị viên được thay đổi cài đặt điểm và camera.")
    # Nobody at the desk (the lock screen): not even an officer's action passes.
    locked, locked_audit = officers_for(None)
    snapshots = SnapshotTaker(window.pool, window, tmp_path / "snapshots", officers=locked)
    with pytest.raises(ActionRefusedError) as refused:
        snapshots.take("C01", demo_site.cameras[0].record_stream)
    assert refused.value.message() == "Cần đăng nhập để chụp ảnh."
    assert [e.action for e in locked_audit] == [AuditAction.ACTION_REFUSED]
    assert [e.details["action"] for e in audit] == ["edit_site", "edit_site"]
    window.close()


def test_evidence_export_can_be_kept_for_admins_by_the_site_file(tmp_path: Path) -> None:
    strict = LoginSettings(officer_may_export=False)
    officers, audit = officers_for(OFFICER, strict)
    assert not officers.may(Permission.EXPORT_EVIDENCE) and officers.may(Permission.SNAPSHOT)
    with pytest.raises(ActionRefusedError):
        officers.require(Permission.EXPORT_EVIDENCE, camera="C01")
    assert audit[0].details == {"action": "export_evidence", "needs_role": "admin"}
    assert officers_for(OFFICER)[0].may(Permission.EXPORT_EVIDENCE)  # the default: officers export


def test_detection_zones_are_refused_to_an_officer_where_they_are_kept(demo_site: SiteConfig, open_db: OpenDb,
                                                                        tmp_path: Path) -> None:
    camera = demo_site.cameras[0]
    worker = AnalyticsWorker([camera], {}, lambda _event: None, lambda: 1)
    store = AnalyticsSettingsStore(open_db(tmp_path / "console.db"))
    before = worker.settings(camera.id)
    chosen = AnalyticsSettings(MotionSettings(zones=ROAD_ZONE))
    officers, audit = officers_for(OFFICER)
    with pytest.raises(ActionRefusedError):
        DetectionEdits(officers, worker, store).save(camera.id, chosen)
    assert worker.settings(camera.id) == before and store.all() == {}
    assert [(e.action, e.camera, e.details["action"]) for e in audit] == [
        (AuditAction.ACTION_REFUSED, camera.id, "edit_analytics")]
    admins, admin_audit = officers_for(ADMIN)
    DetectionEdits(admins, worker, store).save(camera.id, chosen)
    assert worker.settings(camera.id) == chosen and store.all() == {camera.id: chosen}
    assert [(e.action, e.user, e.target) for e in admin_audit] == [(AuditAction.SETTINGS_CHANGED, "quantri",
                                                                     "analytics")]


def test_an_evidence_export_refused_by_the_site_file_reads_and_writes_nothing(tmp_path: Path) -> None:
    officers, audit = officers_for(OFFICER, LoginSettings(officer_may_export=False))
    opened: list[int] = []

    def index() -> ExportIndex:
        opened.append(1)
        raise AssertionError("the index must not be opened")

    target = tmp_path / "chung-cu" / "C01.mp4"
    job = EvidenceExport(tmp_path / "rec", index, "C01", TimeRange(0, 10_000), target, "trucban1",
                         authorize=lambda: officers.require(Permission.EXPORT_EVIDENCE, camera="C01",
                                                            target=str(target)))
    with pytest.raises(ActionRefusedError):
        job.start()
    assert job.result is None and opened == [] and not target.parent.exists()
    assert [(e.action, e.details["action"]) for e in audit] == [(AuditAction.ACTION_REFUSED, "export_evidence")]


def test_a_cameras_recording_mode_is_a_recording_setting_only_an_admin_writes(
        qtbot: QtBot, tmp_path: Path, vietnamese: object) -> None:
    """The camera dialog's *Ghi hình* field goes through an editor asking for `edit_recording`: an admin's change
    is written and audited with the line before and after; refused, nothing at all is written (not even the name
    changed beside it)."""
    from console.core.config import RecordingMode, load_config
    from console.core.config_edit import SiteFileEditor
    from console.core.credentials import CredentialStore
    from console.ui.onboarding.camera_dialog import open_camera_dialog
    from tests.support.siteconfig import write_demo_config

    path = write_demo_config(tmp_path / "site.toml", cameras=2)
    for user, writes in ((OFFICER, False), (ADMIN, True)):
        officers, audit = officers_for(user)
        before = path.read_bytes()
        recording = guarded_editor(path, officers.guard, officers.audit, Permission.EDIT_RECORDING)
        dialog = open_camera_dialog(None, load_config(path), SiteFileEditor(path), CredentialStore({}), "C02",
                                    recording_editor=recording)
        qtbot.addWidget(dialog)
        assert dialog.recording.isEnabled() and dialog.recording.currentData() == "continuous"
        dialog.name.setText("Cổng trường")
        dialog.recording.setCurrentIndex(dialog.recording.findData("on_alert"))
        if writes:
            with qtbot.waitSignal(dialog.saved, timeout=10_000):
                dialog.save_button.click()
            camera = load_config(path).camera("C02")
            assert (camera.recording, camera.name) == (RecordingMode.ON_ALERT, "Cổng trường")
            [row] = audit
            assert row.action is AuditAction.SETTINGS_CHANGED and row.details["permission"] == "edit_recording"
            assert row.details["after"] == ['recording = "on_alert"']
        else:
            dialog.save_button.click()
            qtbot.waitUntil(lambda d=dialog: d.error.text() != "", timeout=10_000)
            assert dialog.error.text() == ("Chưa lưu gì: Chỉ quản trị viên được thay đổi cài đặt ghi hình. Tài khoản "
                                           "trucban1 là cán bộ trực ban.")
            assert path.read_bytes() == before
            assert [(e.action, e.details["action"]) for e in audit] == [(AuditAction.ACTION_REFUSED,
                                                                          "edit_recording")]
            dialog.reject()
