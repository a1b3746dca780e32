"""Vietnamese and English wording of the province side: why a message was dropped, what is wrong in the
province file (no Qt: a window shows the Vietnamese sentence, logs the English one)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class DropReason(StrEnum):
    """Why the receiver dropped a message; the value names its template below."""

    OVERSIZED = "oversized"
    MALFORMED = "malformed"
    UNKNOWN_VERSION = "unknown_version"
    UNKNOWN_TOPIC = "unknown_topic"
    WRONG_TYPE = "wrong_type"
    FOREIGN_COMMUNE = "foreign_commune"
    BAD_FIELD = "bad_field"


class ProvinceProblem(StrEnum):
    """What is wrong in the province file beyond the site file's own problems."""

    NO_COMMUNES = "no_communes"
    NO_PASSWORD = "no_password"
    BOTH_PASSWORDS = "both_passwords"
    PASSWORD_FILE_UNREADABLE = "password_file_unreadable"
    PASSWORD_FILE_EMPTY = "password_file_empty"
    CREDENTIALS_NOT_IN_STORE = "credentials_not_in_store"
    CREDENTIALS_STORE_UNUSABLE = "credentials_store_unusable"
    FILE_MISSING = "file_missing"


class ReceiverProblem(StrEnum):
    """Why the receiver is not connected (the province window's status line)."""

    UNREACHABLE = "unreachable"
    REFUSED = "refused"
    TLS = "tls"
    LOST = "lost"
    DATABASE = "database"


_DROPS: dict[DropReason, tuple[str, str]] = {
    DropReason.OVERSIZED: (
        "Bỏ tin {size} byte trên {topic}: lớn hơn giới hạn {limit} byte",
        "Dropped a {size}-byte message on {topic}: over the {limit}-byte limit",
    ),
    DropReason.MALFORMED: (
        "Bỏ tin {size} byte trên {topic}: không phải JSON hợp lệ",
        "Dropped a {size}-byte message on {topic}: not valid JSON",
    ),
    DropReason.UNKNOWN_VERSION: (
        "Bỏ tin trên {topic}: phiên bản lược đồ {version} không được hỗ trợ",
        "Dropped a message on {topic}: schema version {version} is not supported",
    ),
    DropReason.UNKNOWN_TOPIC: (
        "Bỏ tin trên chủ đề không được hỗ trợ {topic}",
        "Dropped a message on the unknown topic {topic}",
    ),
    DropReason.WRONG_TYPE: (
        "Bỏ tin trên {topic}: loại \"{type}\" không đúng với chủ đề",
        "Dropped a message on {topic}: its type \"{type}\" does not match the topic",
    ),
    DropReason.FOREIGN_COMMUNE: (
        "Bỏ tin trên {topic}: nội dung ghi xã \"{claimed}\", không phải xã của chủ đề",
        "Dropped a message on {topic}: it claims the commune \"{claimed}\", not the topic's",
    ),
    DropReason.BAD_FIELD: (
        "Bỏ tin trên {topic}: trường \"{field}\" thiếu hoặc sai kiểu",
        "Dropped a message on {topic}: the field \"{field}\" is missing or of the wrong type",
    ),
}

_PROVINCE: dict[ProvinceProblem, tuple[str, str]] = {
    ProvinceProblem.NO_COMMUNES: (
        "Chưa khai báo xã nào: cần ít nhất một bảng [[communes]]",
        "No commune is declared: at least one [[communes]] table is needed",
    ),
    ProvinceProblem.NO_PASSWORD: (
        "Thiếu mật khẩu: khai báo password_file hoặc credentials (kho mật khẩu)",
        "The password is missing: set password_file or credentials (the credentials store)",
    ),
    ProvinceProblem.BOTH_PASSWORDS: (
        "Chỉ khai báo một trong hai: password_file hoặc credentials",
        "Set only one of password_file and credentials",
    ),
    ProvinceProblem.PASSWORD_FILE_UNREADABLE: (
        "Không đọc được tệp mật khẩu {value}",
        "Cannot read the password file {value}",
    ),
    ProvinceProblem.PASSWORD_FILE_EMPTY: (
        "Tệp mật khẩu {value} trống",
        "The password file {value} is empty",
    ),
    ProvinceProblem.CREDENTIALS_NOT_IN_STORE: (
        "Kho mật khẩu {store} không có tài khoản \"{value}\"",
        "The credentials store {store} has no \"{value}\" entry",
    ),
    ProvinceProblem.CREDENTIALS_STORE_UNUSABLE: (
        "Không dùng được kho mật khẩu: {reason}",
        "The credentials store cannot be used: {reason}",
    ),
    ProvinceProblem.FILE_MISSING: (
        "Không có tệp {value}",
        "The file {value} does not exist",
    ),
}

_RECEIVER: dict[ReceiverProblem, tuple[str, str]] = {
    ReceiverProblem.UNREACHABLE: ("Không kết nối được máy chủ MQTT {broker}", "Cannot reach the MQTT broker {broker}"),
    ReceiverProblem.REFUSED: (
        "Máy chủ MQTT từ chối tài khoản của tỉnh (mã {code})",
        "The MQTT broker refused the province's account (code {code})",
    ),
    ReceiverProblem.TLS: (
        "Không thiết lập được kết nối mã hoá với máy chủ MQTT: kiểm tra tệp CA {ca_file}",
        "No encrypted connection with the MQTT broker: check the CA file {ca_file}",
    ),
    ReceiverProblem.LOST: ("Mất kết nối với máy chủ MQTT", "The connection to the MQTT broker was lost"),
    ReceiverProblem.DATABASE: (
        "Không ghi được cơ sở dữ liệu của tỉnh {path}",
        "Cannot write the province database {path}",
    ),
}


def render(what: DropReason | ProvinceProblem | ReceiverProblem, lang: str, params: Mapping[str, str]) -> str:
    if isinstance(what, DropReason):
        vi, en = _DROPS[what]
    elif isinstance(what, ProvinceProblem):
        vi, en = _PROVINCE[what]
    else:
        vi, en = _RECEIVER[what]
    return (en if lang == "en" else vi).format(**params)


def templates() -> dict[DropReason | ProvinceProblem | ReceiverProblem, tuple[str, str]]:
    """Every template, for the test that both languages carry the same placeholders."""
    both: dict[DropReason | ProvinceProblem | ReceiverProblem, tuple[str, str]] = {}
    both.update(_DROPS.items())
    both.update(_PROVINCE.items())
    both.update(_RECEIVER.items())
    return both
