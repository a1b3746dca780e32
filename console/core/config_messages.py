"""Vietnamese and English wording of every site-configuration problem (the core has no Qt translator)."""

from __future__ import annotations

from enum import StrEnum


class Problem(StrEnum):
    """What is wrong with one field; the value names the message template below."""

    FILE_UNREADABLE = "file_unreadable"
    TOML_SYNTAX = "toml_syntax"
    MISSING = "missing"
    WRONG_TYPE = "wrong_type"
    UNKNOWN_FIELD = "unknown_field"
    EMPTY = "empty"
    BAD_ID = "bad_id"
    DUPLICATE_ID = "duplicate_id"
    UNKNOWN_SITE = "unknown_site"
    OUT_OF_RANGE = "out_of_range"
    FAR_FROM_CENTRE = "far_from_centre"
    BAD_TIMEZONE = "bad_timezone"
    BAD_URL = "bad_url"
    PASSWORD_IN_URL = "password_in_url"
    NOT_LOOPBACK_HOST = "not_loopback_host"
    BAD_CHOICE = "bad_choice"
    UNKNOWN_CREDENTIALS = "unknown_credentials"
    NO_CAMERAS = "no_cameras"
    SITE_WITHOUT_CAMERAS = "site_without_cameras"
    TOO_MANY_CAMERAS = "too_many_cameras"
    NO_SUB_STREAM = "no_sub_stream"
    SAME_STREAMS = "same_streams"
    BAD_SCHEMA_VERSION = "bad_schema_version"
    CREDENTIALS_PERMISSIONS = "credentials_permissions"


_TEMPLATES: dict[Problem, tuple[str, str]] = {
    Problem.FILE_UNREADABLE: (
        "Không đọc được tệp: {reason}",
        "Cannot read the file: {reason}",
    ),
    Problem.TOML_SYNTAX: (
        "Lỗi cú pháp TOML ở dòng {line}, cột {column}: {reason}",
        "TOML syntax error at line {line}, column {column}: {reason}",
    ),
    Problem.MISSING: ("Thiếu trường bắt buộc; cần {expected}", "Required field is missing; expected {expected}"),
    Problem.WRONG_TYPE: (
        "Sai kiểu dữ liệu: cần {expected}, nhận được {got}",
        "Wrong type: expected {expected}, got {got}",
    ),
    Problem.UNKNOWN_FIELD: (
        "Trường không được hỗ trợ (gõ sai tên?); các trường hợp lệ: {allowed}",
        "Unknown field (a typo?); valid fields: {allowed}",
    ),
    Problem.EMPTY: ("Không được để trống", "Must not be empty"),
    Problem.BAD_ID: (
        "Mã \"{value}\" không hợp lệ: chỉ dùng chữ không dấu, số, '-' hoặc '_', tối đa 32 ký tự",
        "Id \"{value}\" is invalid: use ASCII letters, digits, '-' or '_', at most 32 characters",
    ),
    Problem.DUPLICATE_ID: (
        "Mã \"{value}\" bị trùng (đã dùng ở {first})",
        "Id \"{value}\" is duplicated (already used at {first})",
    ),
    Problem.UNKNOWN_SITE: (
        "Điểm \"{value}\" không có trong danh sách điểm; các điểm đã khai báo: {known}",
        "Site \"{value}\" is not declared; declared sites: {known}",
    ),
    Problem.OUT_OF_RANGE: (
        "Giá trị {value} nằm ngoài khoảng cho phép {low} … {high}",
        "Value {value} is outside the allowed range {low} … {high}",
    ),
    Problem.FAR_FROM_CENTRE: (
        "Toạ độ cách trung tâm xã {km} km (tối đa {limit} km): có nhầm vĩ độ và kinh độ không?",
        "Position is {km} km from the commune centre (at most {limit} km): are lat and lon swapped?",
    ),
    Problem.BAD_TIMEZONE: (
        "Múi giờ \"{value}\" không được hỗ trợ; dùng một trong: {allowed}",
        "Time zone \"{value}\" is not supported; use one of: {allowed}",
    ),
    Problem.BAD_URL: (
        "Địa chỉ luồng \"{value}\" không hợp lệ: {reason}; cần dạng rtsp://máy:cổng/đường-dẫn",
        "Stream address \"{value}\" is invalid: {reason}; expected rtsp://host:port/path",
    ),
    Problem.PASSWORD_IN_URL: (
        "Địa chỉ luồng \"{value}\" chứa mật khẩu: hãy xoá khỏi tệp cấu hình và khai báo trong kho mật khẩu",
        "Stream address \"{value}\" holds a password: remove it and put it in the credentials store",
    ),
    Problem.NOT_LOOPBACK_HOST: (
        "Chế độ mô phỏng chỉ phục vụ trên 127.0.0.1, địa chỉ \"{value}\" không phải máy này",
        "The simulator serves on 127.0.0.1 only; \"{value}\" is not this machine",
    ),
    Problem.BAD_CHOICE: (
        "Giá trị \"{value}\" không hợp lệ; chọn một trong: {allowed}",
        "Value \"{value}\" is not valid; choose one of: {allowed}",
    ),
    Problem.UNKNOWN_CREDENTIALS: (
        "Không tìm thấy tài khoản \"{value}\" trong kho mật khẩu {store}",
        "Credentials \"{value}\" are not in the credentials store {store}",
    ),
    Problem.NO_CAMERAS: ("Cấu hình chưa có camera nào", "The configuration has no camera"),
    Problem.SITE_WITHOUT_CAMERAS: ("Điểm chưa có camera nào", "The site has no camera"),
    Problem.TOO_MANY_CAMERAS: (
        "Điểm có {count} camera, nhiều hơn {limit} thường gặp: kiểm tra lại mã điểm của các camera",
        "The site has {count} cameras, more than the usual {limit}: check the cameras' site ids",
    ),
    Problem.NO_SUB_STREAM: (
        "Chưa khai báo luồng phụ: ô nhỏ sẽ phải giải mã luồng chính (tốn CPU)",
        "No sub stream: small tiles will decode the main stream (costly)",
    ),
    Problem.SAME_STREAMS: (
        "Luồng phụ trùng luồng chính",
        "The sub stream is the same as the main stream",
    ),
    Problem.BAD_SCHEMA_VERSION: (
        "Phiên bản cấu hình {value} không được hỗ trợ; phần mềm này đọc phiên bản {supported}",
        "Configuration version {value} is not supported; this software reads version {supported}",
    ),
    Problem.CREDENTIALS_PERMISSIONS: (
        "Kho mật khẩu {store} có quyền {mode}: người khác đọc được; chạy: chmod 600 {store}",
        "Credentials store {store} has mode {mode}: readable by others; run: chmod 600 {store}",
    ),
}


def render(problem: Problem, lang: str, params: dict[str, str]) -> str:
    """The sentence for a problem in 'vi' or 'en' with its named fields filled in."""
    vi, en = _TEMPLATES[problem]
    return (en if lang == "en" else vi).format(**params)


def templates() -> dict[Problem, tuple[str, str]]:
    """All templates, for the test that both languages carry the same placeholders."""
    return dict(_TEMPLATES)
