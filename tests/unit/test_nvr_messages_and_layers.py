"""What the recorder adapters tell a person: every sentence in both languages with the same placeholders, every
error kind with a message that holds the address and never the detail (where a password could hide); and the
recorder code stays below the UI (no Qt in the adapters or the recorder simulator)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from console.nvr.errors import NvrError, NvrErrorKind
from console.nvr.messages import CHANNEL_LABELS, Operation, operation_name, templates
from tests.support.source_imports import imports

PACKAGE = Path(__file__).resolve().parents[2] / "console"
_FIELD = re.compile(r"{(\w+)}")


def test_every_sentence_keeps_its_placeholders_in_both_languages() -> None:
    for say, (vi, en) in templates().items():
        assert set(_FIELD.findall(vi)) == set(_FIELD.findall(en)), say


def test_every_operation_and_channel_state_has_both_languages() -> None:
    for operation in Operation:
        assert operation_name(operation, "vi") and operation_name(operation, "en")
    assert all(vi and en for vi, en in CHANNEL_LABELS.values())


@pytest.mark.parametrize("kind", list(NvrErrorKind))
def test_each_error_kind_names_the_recorder_and_hides_the_detail(kind: NvrErrorKind) -> None:
    error = NvrError(kind, "192.168.1.250:80", Operation.SEARCH, vendor="hikvision", status=500, seconds=10,
                     detail="user=admin password=Pw-One")
    for message in (error.message_vi, error.message_en):
        assert "192.168.1.250:80" in message and "Pw-One" not in message and "{" not in message
    assert error.message_vi != error.message_en


def test_the_vietnamese_for_the_failures_an_officer_meets_most() -> None:
    def vi(kind: NvrErrorKind, operation: Operation = Operation.SEARCH) -> str:
        return NvrError(kind, "10.0.0.5:80", operation, vendor="dahua", status=403, seconds=10).message_vi

    assert vi(NvrErrorKind.AUTH) == "Đầu ghi 10.0.0.5:80 từ chối đăng nhập: sai tên đăng nhập hoặc mật khẩu."
    assert "không cho phép tìm kiếm bản ghi" in vi(NvrErrorKind.FORBIDDEN)
    assert "không trả lời khi tải đoạn video trong 10 giây" in vi(NvrErrorKind.TIMEOUT, Operation.DOWNLOAD)
    assert "dữ liệu hỏng" in vi(NvrErrorKind.MALFORMED)
    assert "không phải đầu ghi Dahua" in vi(NvrErrorKind.NOT_FOUND)


@pytest.mark.parametrize("layer", ["nvr", "simulator/nvr"])
def test_the_recorder_code_never_imports_qt(layer: str) -> None:
    offenders = [str(p) for p in sorted((PACKAGE / layer).rglob("*.py"))
                 if any(name.startswith("PySide6") for name in imports(p))]
    assert offenders == []


def test_the_adapters_import_nothing_of_the_ui_store_or_simulator() -> None:
    offenders = {str(p): sorted(n for n in imports(p) if n.startswith(("console.ui", "console.store",
                                                                        "console.simulator", "console.media")))
                 for p in sorted((PACKAGE / "nvr").rglob("*.py"))}
    assert {k: v for k, v in offenders.items() if v} == {}
