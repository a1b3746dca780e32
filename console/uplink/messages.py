"""Vietnamese and English wording of the uplink's state and problems (no Qt: the status bar and the admin page
show the Vietnamese sentence, logs the English one)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class UplinkProblem(StrEnum):
    """Why the last attempt to reach the province failed; the value names its template below."""

    UNREACHABLE = "unreachable"
    TIMEOUT = "timeout"
    CREDENTIALS_REFUSED = "credentials_refused"
    NOT_AUTHORIZED = "not_authorized"
    CERTIFICATE = "certificate"
    TLS = "tls"
    CA_FILE = "ca_file"
    CLIENT_CERT = "client_cert"
    NO_CREDENTIALS = "no_credentials"
    LOST = "lost"
    REFUSED = "refused"
    DATABASE = "database"


class LinkNote(StrEnum):
    """The status line: connected or not, and the messages waiting."""

    OFF = "off"
    CONNECTING = "connecting"
    CONNECTED = "connected"
    CONNECTED_BACKLOG = "connected_backlog"
    LOST_SINCE = "lost_since"
    LOST_SINCE_BACKLOG = "lost_since_backlog"


_PROBLEMS: dict[UplinkProblem, tuple[str, str]] = {
    UplinkProblem.UNREACHABLE: (
        "Không kết nối được máy chủ tỉnh {broker}",
        "Cannot reach the province broker {broker}",
    ),
    UplinkProblem.TIMEOUT: (
        "Máy chủ tỉnh {broker} không trả lời trong {seconds} giây",
        "The province broker {broker} did not answer within {seconds} s",
    ),
    UplinkProblem.CREDENTIALS_REFUSED: (
        "Máy chủ tỉnh từ chối tên đăng nhập hoặc mật khẩu của xã",
        "The province broker refused the commune's user name or password",
    ),
    UplinkProblem.NOT_AUTHORIZED: (
        # mosquitto 2.0.11 answers a wrong password over MQTT 3.1.1 with this code, not with "bad password".
        "Máy chủ tỉnh từ chối tài khoản của xã: sai tên đăng nhập, mật khẩu, hoặc tài khoản không được phép",
        "The province broker refused the commune's account: wrong user name or password, or not allowed",
    ),
    UplinkProblem.CERTIFICATE: (
        "Không xác thực được chứng chỉ của máy chủ tỉnh: kiểm tra tệp CA {ca_file} và địa chỉ máy chủ",
        "The province broker's certificate could not be verified: check the CA file {ca_file} and the address",
    ),
    UplinkProblem.TLS: (
        "Không thiết lập được kết nối mã hoá với máy chủ tỉnh",
        "No encrypted connection could be set up with the province broker",
    ),
    UplinkProblem.CA_FILE: (
        "Không đọc được tệp CA của tỉnh {ca_file}",
        "Cannot read the province CA file {ca_file}",
    ),
    UplinkProblem.CLIENT_CERT: (
        "Không đọc được chứng chỉ hoặc khoá của xã {client_cert}",
        "Cannot read the commune's certificate or key {client_cert}",
    ),
    UplinkProblem.NO_CREDENTIALS: (
        "Kho mật khẩu không có tài khoản \"{ref}\" để kết nối về tỉnh",
        "The credentials store has no \"{ref}\" entry for the province uplink",
    ),
    UplinkProblem.LOST: (
        "Mất kết nối với máy chủ tỉnh",
        "The connection to the province broker was lost",
    ),
    UplinkProblem.DATABASE: (
        "Không mở được cơ sở dữ liệu {path}: tin chờ gửi về tỉnh chưa gửi được",
        "Cannot open the database {path}: the messages waiting for the province cannot be sent",
    ),
    UplinkProblem.REFUSED: (
        "Máy chủ tỉnh từ chối kết nối (mã {code})",
        "The province broker refused the connection (code {code})",
    ),
}

_NOTES: dict[LinkNote, tuple[str, str]] = {
    LinkNote.OFF: ("Kết nối tỉnh: chưa bật", "Province link: off"),
    LinkNote.CONNECTING: ("Kết nối tỉnh: đang kết nối…", "Province link: connecting…"),
    LinkNote.CONNECTED: ("Kết nối tỉnh: đã kết nối", "Province link: connected"),
    LinkNote.CONNECTED_BACKLOG: ("Kết nối tỉnh: đã kết nối, {count} tin chờ gửi",
                                 "Province link: connected, {count} messages waiting"),
    LinkNote.LOST_SINCE: ("Kết nối tỉnh: mất kết nối từ {time}", "Province link: disconnected since {time}"),
    LinkNote.LOST_SINCE_BACKLOG: ("Kết nối tỉnh: mất kết nối từ {time}, {count} tin chờ gửi",
                                  "Province link: disconnected since {time}, {count} messages waiting"),
}


def render(what: UplinkProblem | LinkNote, lang: str, params: Mapping[str, str]) -> str:
    vi, en = _PROBLEMS[what] if isinstance(what, UplinkProblem) else _NOTES[what]
    return (en if lang == "en" else vi).format(**params)


def templates() -> dict[UplinkProblem | LinkNote, tuple[str, str]]:
    """Every template, for the test that both languages carry the same placeholders."""
    both: dict[UplinkProblem | LinkNote, tuple[str, str]] = {}
    both.update(_PROBLEMS.items())
    both.update(_NOTES.items())
    return both


def count_text(count: int, lang: str) -> str:
    """1234 → "1.234" in Vietnamese, "1,234" in English."""
    text = f"{count:,}"
    return text if lang == "en" else text.replace(",", ".")
