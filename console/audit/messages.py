"""Vietnamese and English wording of what the audit verifier finds (no Qt: the command line and the store use
it; the *Nhật ký thao tác* window shows the Vietnamese sentence)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class Finding(StrEnum):
    """What is wrong with a trail, or why it cannot be checked; the value names its template below."""

    MISSING_ROWS = "missing_rows"
    BROKEN_LINK = "broken_link"
    CHANGED_ROW = "changed_row"
    BAD_SIGNATURE = "bad_signature"
    OTHER_KEY = "other_key"
    TRUNCATED = "truncated"
    HEAD_MISMATCH = "head_mismatch"
    HEAD_BAD_SIGNATURE = "head_bad_signature"
    HEAD_UNREADABLE = "head_unreadable"
    HEAD_MISSING = "head_missing"
    UNSIGNED_TAIL = "unsigned_tail"
    NOT_SIGNED = "not_signed"
    ANOMALY_RECORDED = "anomaly_recorded"
    NO_DATABASE = "no_database"
    DATABASE_UNREADABLE = "database_unreadable"
    NO_AUDIT_TABLE = "no_audit_table"
    NO_PUBLIC_KEY = "no_public_key"


# Not tampering: the trail could not be read or checked at all (exit status 2, not 1).
CANNOT_CHECK = frozenset({Finding.NO_DATABASE, Finding.DATABASE_UNREADABLE, Finding.NO_AUDIT_TABLE,
                          Finding.NO_PUBLIC_KEY})

_TEMPLATES: dict[Finding, tuple[str, str]] = {
    Finding.MISSING_ROWS: (
        "Thiếu dòng {rows} của nhật ký: đã bị xóa.",
        "Missing from the trail: row {rows} (deleted).",
    ),
    Finding.BROKEN_LINK: (
        "Dòng {row} không nối tiếp dòng {previous}: có dòng đã bị xóa, chèn thêm hoặc đổi chỗ ngay trước nó.",
        "Row {row} does not follow row {previous}: a row just before it was deleted, inserted or moved.",
    ),
    Finding.CHANGED_ROW: (
        "Dòng {row} đã bị sửa sau khi ghi: nội dung không còn khớp với mã băm của nó.",
        "Row {row} was changed after it was written: its content no longer matches its hash.",
    ),
    Finding.BAD_SIGNATURE: (
        "Điểm ký ở dòng {row} không mang chữ ký của trạm: các dòng từ {first} đến {row} đã bị viết lại (chuỗi "
        "băm được tính lại mà không có khóa của trạm).",
        "The checkpoint at row {row} does not carry the station's signature: rows {first} to {row} were "
        "rewritten (the hash chain was recomputed without the station's key).",
    ),
    Finding.OTHER_KEY: (
        "Điểm ký ở dòng {row} được ký bằng một khóa khác ({found}), không phải khóa của trạm ({expected}).",
        "The checkpoint at row {row} was signed with another key ({found}), not the station's ({expected}).",
    ),
    Finding.TRUNCATED: (
        "Nhật ký dừng ở dòng {last} nhưng trạm đã ghi và ký đến dòng {head}: các dòng sau dòng {last} đã bị xóa.",
        "The trail ends at row {last} but the station wrote and signed up to row {head}: the rows after row "
        "{last} were deleted.",
    ),
    Finding.HEAD_MISMATCH: (
        "Dòng {row} không phải là dòng trạm đã ký là dòng cuối: nhật ký đã bị viết lại.",
        "Row {row} is not the row the station signed as its last: the trail was rewritten.",
    ),
    Finding.HEAD_BAD_SIGNATURE: (
        "Tệp đầu chuỗi {path} không mang chữ ký của trạm: tệp đã bị thay.",
        "The head file {path} does not carry the station's signature: it was replaced.",
    ),
    Finding.HEAD_UNREADABLE: (
        "Tệp đầu chuỗi {path} bị hỏng, không đọc được.",
        "The head file {path} is damaged and cannot be read.",
    ),
    Finding.HEAD_MISSING: (
        "Thiếu tệp đầu chuỗi {path} dù nhật ký đã có điểm ký: tệp đã bị xóa, hoặc đây là bản sao cơ sở dữ liệu "
        "không kèm tệp đó.",
        "The head file {path} is missing although the trail has signed checkpoints: it was deleted, or this is "
        "a copy of the database without it.",
    ),
    Finding.UNSIGNED_TAIL: (
        "Dòng {rows} nằm sau điểm cuối cùng trạm đã ký (dòng {signed}): do người khác thêm vào, hoặc phần mềm bị "
        "dừng đột ngột đúng lúc đang ghi.",
        "Row {rows} comes after the last point the station signed (row {signed}): someone else added it, or the "
        "console stopped abruptly while writing it.",
    ),
    Finding.NOT_SIGNED: (
        "Nhật ký có {rows} dòng nhưng chưa có chữ ký nào: phần mềm chưa chạy lại từ khi cập nhật (hãy khởi động "
        "một lần), hoặc chữ ký đã bị gỡ bỏ.",
        "The trail has {rows} rows but no signature yet: the console has not run since the update (start it "
        "once), or the signatures were removed.",
    ),
    Finding.ANOMALY_RECORDED: (
        "Ở dòng {row}, phần mềm đã ghi lại rằng khi khởi động nó thấy nhật ký bị can thiệp: {finding}",
        "At row {row} the console recorded that it found the trail tampered with when it started: {finding}",
    ),
    Finding.NO_DATABASE: (
        "Không có cơ sở dữ liệu {path}.",
        "There is no database {path}.",
    ),
    Finding.DATABASE_UNREADABLE: (
        "Không đọc được cơ sở dữ liệu {path}: {reason}.",
        "The database {path} cannot be read: {reason}.",
    ),
    Finding.NO_AUDIT_TABLE: (
        "Cơ sở dữ liệu {path} chưa có nhật ký thao tác (do phiên bản cũ của phần mềm ghi).",
        "The database {path} has no audit trail yet (an older console wrote it).",
    ),
    Finding.NO_PUBLIC_KEY: (
        "Không tìm thấy khóa công khai của trạm {path}: hãy chỉ ra bằng --public-key.",
        "The station's public key {path} is not there: name it with --public-key.",
    ),
}

VERIFIED = (
    "Nhật ký thao tác nguyên vẹn: {rows} dòng, điểm ký cuối ở dòng {checkpoint}, khóa {fingerprint}.",
    "The audit trail is intact: {rows} rows, last signed checkpoint at row {checkpoint}, key {fingerprint}.",
)


def row_span(first: int, last: int) -> str:
    """`4321`, or `4321–4330` for several rows (the same in both languages)."""
    return str(first) if first == last else f"{first}–{last}"


def render(finding: Finding, lang: str = "vi", params: Mapping[str, object] | None = None) -> str:
    vi, en = _TEMPLATES[finding]
    return (en if lang == "en" else vi).format(**(params or {}))


def render_verified(lang: str, params: Mapping[str, object]) -> str:
    vi, en = VERIFIED
    return (en if lang == "en" else vi).format(**params)


def templates() -> dict[Finding, tuple[str, str]]:
    return dict(_TEMPLATES)
