"""What the incidents and the intake say: every sentence in Vietnamese and English with the same placeholders,
the intake's refusals naming the file, the labels of statuses, kinds, channels and the new audit actions."""

from __future__ import annotations

import re

import pytest

from console.audit.actions import AuditAction, action_label
from console.incidents.messages import IntakeRefusedError, Say, render, templates
from console.incidents.model import IncidentKind, IncidentStatus, kind_label, status_label
from console.incidents.video_record import Channel, channel_label, original_preferred_notice

_FIELD = re.compile(r"{(\w+)}")
_FILE_SENTENCES = {Say.NOT_FOUND, Say.IS_DIRECTORY, Say.NOT_A_FILE, Say.UNREADABLE, Say.EMPTY_FILE, Say.NOT_VIDEO,
                   Say.AUDIO_ONLY, Say.DAMAGED, Say.TRUNCATED, Say.CHANGED_WHILE_COPYING, Say.NO_SPACE,
                   Say.CANNOT_WRITE, Say.ALREADY_RECEIVED, Say.WORKING_COPY_FAILED, Say.CANCELLED, Say.PHASE_COPY,
                   Say.PHASE_VERIFY, Say.PHASE_PROBE, Say.PHASE_WORKING_COPY, Say.PHASE_SAVE}


def test_every_sentence_has_both_languages_with_the_same_placeholders() -> None:
    assert set(templates()) == set(Say)
    for say, (vi, en) in templates().items():
        assert sorted(_FIELD.findall(vi)) == sorted(_FIELD.findall(en)), say
        assert vi != en or not vi.strip(), say


@pytest.mark.parametrize("say", sorted(_FILE_SENTENCES))
def test_what_the_intake_says_about_a_file_names_it(say: Say) -> None:
    vi, en = templates()[say]
    assert "{name}" in vi and "{name}" in en
    params = {field: "x" for field in _FIELD.findall(vi)} | {"name": "VID_20260101_0700.mp4"}
    refused = IntakeRefusedError(say, **params)
    assert "VID_20260101_0700.mp4" in refused.message() and "VID_20260101_0700.mp4" in refused.message("en")
    assert "VID_20260101_0700.mp4" in str(refused)


def test_the_changed_file_refusal_reads_well_in_vietnamese() -> None:
    assert render(Say.CHANGED_WHILE_COPYING, params={"name": "clip.mov"}) == (
        "Tệp clip.mov đã thay đổi trong lúc sao chép (mã SHA-256 không khớp): bản sao đã bị xóa. Đóng mọi chương "
        "trình đang mở tệp này rồi tiếp nhận lại.")


def test_labels_of_statuses_kinds_and_channels() -> None:
    assert [status_label(s) for s in IncidentStatus] == ["Đang xử lý", "Đã chuyển", "Đã đóng"]
    assert [status_label(s, "en") for s in IncidentStatus] == ["Open", "Forwarded", "Closed"]
    assert all(kind_label(k) and kind_label(k, "en") for k in IncidentKind)
    assert channel_label(Channel.ZALO) == "Zalo" and channel_label(Channel.EMAIL) == "Thư điện tử"


def test_a_video_forwarded_through_zalo_asks_for_the_original_file() -> None:
    notice = original_preferred_notice(Channel.ZALO)
    assert notice is not None and notice.startswith("Video gửi qua Zalo đã bị ứng dụng nén lại")
    assert "tệp gốc" in notice
    assert original_preferred_notice(Channel.USB) is None and original_preferred_notice(Channel.EMAIL) is None


def test_the_audit_window_names_the_incident_actions() -> None:
    names = {action: action_label(action) for action in (
        AuditAction.INCIDENT_CREATED, AuditAction.INCIDENT_EDITED, AuditAction.INCIDENT_NOTE,
        AuditAction.INCIDENT_STATUS, AuditAction.INCIDENT_LINKED, AuditAction.INCIDENT_UNLINKED,
        AuditAction.VIDEO_RECEIVED)}
    assert names[AuditAction.VIDEO_RECEIVED] == "Tiếp nhận video từ người dân"
    assert all(label != action.value for action, label in names.items())
    assert action_label(AuditAction.INCIDENT_CREATED, "en") == "Incident created"
