"""Vietnamese and English wording of what the station key, the manifest writer and the evidence verifier tell
a person (no Qt here: the verifier runs on a prosecutor's PC)."""

from __future__ import annotations

from enum import StrEnum

from console.core.sentences import SaidError, Sentences


class Say(StrEnum):
    """One sentence; the value names its template below."""

    KEY_READABLE_BY_OTHERS = "key_readable_by_others"
    KEY_UNREADABLE = "key_unreadable"
    KEY_MISMATCH = "key_mismatch"
    PUBLIC_KEY_UNREADABLE = "public_key_unreadable"
    MANIFEST_EXISTS = "manifest_exists"
    FILE_OUTSIDE_FOLDER = "file_outside_folder"
    NO_MANIFEST = "no_manifest"
    MANIFEST_UNREADABLE = "manifest_unreadable"
    NO_SIGNATURE = "no_signature"
    BAD_SIGNATURE = "bad_signature"
    WRONG_KEY = "wrong_key"
    ENCLOSED_KEY_DIFFERS = "enclosed_key_differs"
    FILE_MISSING = "file_missing"
    FILE_CHANGED = "file_changed"
    FILE_SIZE_CHANGED = "file_size_changed"
    BAD_FILE_NAME = "bad_file_name"
    NOT_IN_MANIFEST = "not_in_manifest"
    VERIFIED = "verified"
    VERIFIED_ENCLOSED_KEY = "verified_enclosed_key"


_TEMPLATES: dict[Say, tuple[str, str]] = {
    Say.KEY_READABLE_BY_OTHERS: (
        "Khóa riêng của trạm {path} đang để người khác đọc được (quyền {mode}). Khóa này có thể đã bị sao chép: "
        "chỉ chủ tài khoản được đọc nó. Hãy chạy `chmod 600 {path}` và báo cán bộ kỹ thuật kiểm tra.",
        "The station's private key {path} is readable by others (mode {mode}). It may have been copied: only its "
        "owner may read it. Run `chmod 600 {path}` and have the technician check the station.",
    ),
    Say.KEY_UNREADABLE: (
        "Không đọc được khóa riêng của trạm {path}: {reason}.",
        "The station's private key {path} cannot be read: {reason}.",
    ),
    Say.KEY_MISMATCH: (
        "Khóa công khai {public} không khớp với khóa riêng {private} của trạm: một trong hai tệp đã bị thay.",
        "The public key {public} does not match the station's private key {private}: one of them was replaced.",
    ),
    Say.PUBLIC_KEY_UNREADABLE: (
        "Không đọc được khóa công khai {path}: {reason}.",
        "The public key {path} cannot be read: {reason}.",
    ),
    Say.MANIFEST_EXISTS: (
        "Thư mục {folder} đã có tệp kê khai của một lần trích xuất khác: hãy chọn thư mục khác.",
        "The folder {folder} already holds the manifest of another export: choose another folder.",
    ),
    Say.FILE_OUTSIDE_FOLDER: (
        "Tệp {path} không nằm trong thư mục trích xuất {folder}.",
        "The file {path} is not inside the export folder {folder}.",
    ),
    Say.NO_MANIFEST: (
        "Không tìm thấy tệp kê khai {path}: đây không phải thư mục chứng cứ do máy trạm xuất ra, hoặc tệp kê khai "
        "đã bị xóa.",
        "No manifest at {path}: this is not an evidence folder exported by the station, or its manifest was "
        "deleted.",
    ),
    Say.MANIFEST_UNREADABLE: (
        "Tệp kê khai {path} bị hỏng, không đọc được.",
        "The manifest {path} is damaged and cannot be read.",
    ),
    Say.NO_SIGNATURE: (
        "Thiếu chữ ký {path} của tệp kê khai (hoặc chữ ký không đúng dạng).",
        "The manifest's signature {path} is missing (or not a signature).",
    ),
    Say.BAD_SIGNATURE: (
        "Chữ ký không khớp với tệp kê khai: tệp kê khai đã bị sửa sau khi máy trạm ký.",
        "The signature does not match the manifest: the manifest was changed after the station signed it.",
    ),
    Say.WRONG_KEY: (
        "Chứng cứ không được ký bằng khóa {expected}: khóa đã ký có dấu vân tay {found}.",
        "The evidence was not signed with the key {expected}: it was signed by the key {found}.",
    ),
    Say.ENCLOSED_KEY_DIFFERS: (
        "Tệp khóa công khai {path} đi kèm không khớp với khóa ghi trong tệp kê khai.",
        "The enclosed public key file {path} does not match the key written in the manifest.",
    ),
    Say.FILE_MISSING: (
        "Thiếu tệp {name} có trong tệp kê khai.",
        "The file {name} listed in the manifest is missing.",
    ),
    Say.FILE_CHANGED: (
        "Tệp {name} đã bị thay đổi: mã SHA-256 không khớp với tệp kê khai.",
        "The file {name} was changed: its SHA-256 does not match the manifest.",
    ),
    Say.FILE_SIZE_CHANGED: (
        "Tệp {name} đã bị thay đổi: dung lượng {found} byte, tệp kê khai ghi {expected} byte.",
        "The file {name} was changed: it has {found} bytes, the manifest says {expected}.",
    ),
    Say.BAD_FILE_NAME: (
        "Tệp kê khai ghi một tên tệp không hợp lệ ({name}): nó chỉ được nêu các tệp trong thư mục của nó.",
        "The manifest names an invalid file ({name}): it may only list files inside its own folder.",
    ),
    Say.NOT_IN_MANIFEST: (
        "Tệp {name} không có trong tệp kê khai của thư mục này.",
        "The file {name} is not listed in this folder's manifest.",
    ),
    Say.VERIFIED: (
        "Chứng cứ nguyên vẹn: {count} tệp khớp từng byte, ký bằng khóa {fingerprint}.",
        "The evidence is intact: every listed file ({count}) matches byte for byte, signed with the key "
        "{fingerprint}.",
    ),
    Say.VERIFIED_ENCLOSED_KEY: (
        "Chứng cứ nguyên vẹn so với khóa đi kèm: {count} tệp khớp từng byte, ký bằng khóa {fingerprint}. Hãy đối "
        "chiếu dấu vân tay này với dấu vân tay in trên biên bản (hoặc chạy lại với --public-key).",
        "The evidence is intact against its enclosed key: every listed file ({count}) matches byte for byte, "
        "signed with the key {fingerprint}. Compare this fingerprint with the one printed on the record sheet (or "
        "run again with --public-key).",
    ),
}


SENTENCES: Sentences[Say] = Sentences(_TEMPLATES)
render = SENTENCES.render
templates = SENTENCES.templates


class EvidenceError(SaidError):
    """A station key or an export that cannot be used; the message names files, never key bytes."""

    sentences = SENTENCES
