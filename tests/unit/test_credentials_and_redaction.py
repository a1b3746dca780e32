"""Camera passwords stay in the 0600 store and never reach logs, reprs or messages."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest

from console.core.credentials import Credentials, CredentialStore, CredentialStoreError, with_credentials
from console.core.redact import RedactingFilter, redact


def test_redact_masks_password_keeps_user_and_host() -> None:
    text = "open rtsp://admin:p@ss:w0rd@10.0.0.5:554/Streaming/Channels/101 failed"
    assert redact(text) == "open rtsp://admin:***@10.0.0.5:554/Streaming/Channels/101 failed"
    assert redact("rtsp://10.0.0.5/live") == "rtsp://10.0.0.5/live"


def test_log_records_and_tracebacks_are_redacted(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.redact")
    logger.addFilter(RedactingFilter())
    with caplog.at_level(logging.INFO, logger="test.redact"):
        logger.info("connecting %s", "rtsp://admin:hunter22@127.0.0.1:554/x")
        try:
            raise ConnectionError("rtsp://admin:hunter22@127.0.0.1:554/x refused")
        except ConnectionError:
            logger.exception("camera failed")
    text = caplog.text + "".join(r.exc_text or "" for r in caplog.records)
    assert "hunter22" not in text and "admin:***@127.0.0.1" in text


def test_store_is_written_0600_and_read_back(tmp_path: Path) -> None:
    store = CredentialStore({"cam": Credentials("admin", 'p"w\\d')})
    path = store.save(tmp_path / "sub" / "credentials.toml")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert CredentialStore.load(path).get("cam") == Credentials("admin", 'p"w\\d')


def test_store_readable_by_others_is_refused(tmp_path: Path) -> None:
    path = CredentialStore({"cam": Credentials("admin", "x")}).save(tmp_path / "c.toml")
    path.chmod(0o644)
    with pytest.raises(CredentialStoreError) as caught:
        CredentialStore.load(path)
    assert "chmod 600" in caught.value.message("vi") and "644" in str(caught.value)


def test_credentials_repr_hides_password() -> None:
    assert "secret" not in repr(Credentials("admin", "secret")) + str(Credentials("admin", "secret"))


def test_with_credentials_quotes_special_characters() -> None:
    url = with_credentials("rtsp://10.0.0.5:554/Streaming/Channels/101", Credentials("ad min", "a@b:c/d"))
    assert url == "rtsp://ad%20min:a%40b%3Ac%2Fd@10.0.0.5:554/Streaming/Channels/101"
    assert "a%40b" not in redact(url)


MALFORMED_USERINFO = {
    "slash in password": "rtsp://alice:Sl4sh/Pw-2026@192.168.1.64:554/Streaming/Channels/101",
    "hash in password": "rtsp://alice:H4sh#Pw-2026@192.168.1.64:554/Streaming/Channels/101",
    "space in password": "rtsp://alice:Sp4ce Pw-2026@192.168.1.64:554/Streaming/Channels/101",
    "at and colon": "rtsp://alice:At@Col:Pw-2026@192.168.1.64/live",
    "question mark": "rtsp://alice:Qu?Pw-2026@192.168.1.64/live",
}


@pytest.mark.parametrize("url", MALFORMED_USERINFO.values(), ids=MALFORMED_USERINFO.keys())
def test_redact_masks_passwords_no_url_parser_reads_right(url: str) -> None:
    assert redact(f"open {url} failed") == "open rtsp://alice:***@" + url.rsplit("@", 1)[1] + " failed"


def test_redact_masks_each_address_of_a_line_and_keeps_plain_ones() -> None:
    text = "rtsp://a:Pw-One@10.0.0.1/x then rtsp://10.0.0.2:554/y then rtsp://b:Pw-Two@[fe80::1]:554/z"
    assert redact(text) == "rtsp://a:***@10.0.0.1/x then rtsp://10.0.0.2:554/y then rtsp://b:***@[fe80::1]:554/z"


@pytest.mark.parametrize("name", ["password", "pwd", "pass", "passwd", "PassWord"])
def test_redact_masks_password_parameters_in_query_and_path(name: str) -> None:
    query = f"rtsp://192.168.1.70:554/live?user=alice&{name}=Qu3ry-Pw&channel=1"
    dvr = f"[rtsp @ 0x55] method DESCRIBE failed: rtsp://192.168.1.70/user=alice&{name}=Qu3ry-Pw&channel=1&stream=0.sdp"
    assert redact(query) == f"rtsp://192.168.1.70:554/live?user=alice&{name}=***&channel=1"
    assert "Qu3ry-Pw" not in redact(dvr) and f"&{name}=***&channel=1&stream=0.sdp" in redact(dvr)


def test_with_credentials_fills_the_dvr_placeholders_and_adds_no_userinfo() -> None:
    url = "rtsp://192.168.1.70:554/user={user}&password={password}&channel=1&stream=0.sdp"
    opened = with_credentials(url, Credentials("ad min", "a&b=c/d"))
    assert opened == "rtsp://192.168.1.70:554/user=ad%20min&password=a%26b%3Dc%2Fd&channel=1&stream=0.sdp"
    assert "a%26b" not in redact(opened) and "password=***&channel=1" in redact(opened)


def test_store_with_a_syntax_error_names_file_line_and_column_but_no_password(tmp_path: Path) -> None:
    path = tmp_path / "credentials.toml"
    path.write_text('[cam]\nusername = "admin"\npassword = "Unclosed-Pw-2026\n', "utf-8")
    path.chmod(0o600)
    with pytest.raises(CredentialStoreError) as caught:
        CredentialStore.load(path)
    vi, en = caught.value.message("vi"), caught.value.message("en")
    assert f"Kho mật khẩu {path} có lỗi cú pháp TOML ở dòng 3, cột 29: chuỗi chưa có dấu ngoặc kép đóng" in vi
    assert f"The credentials store {path} has a TOML syntax error at line 3, column 29" in en
    assert "Unclosed-Pw" not in vi + en + str(caught.value)


def test_store_saved_with_a_bom_is_read_and_a_utf16_one_is_named(tmp_path: Path) -> None:
    path = tmp_path / "usb.toml"
    path.write_bytes(b'\xef\xbb\xbf[cam]\nusername = "admin"\npassword = "B0m-Pw"\n')
    assert CredentialStore.read(path).get("cam") == Credentials("admin", "B0m-Pw")
    path.write_text('[cam]\nusername = "admin"\npassword = "B0m-Pw"\n', "utf-16")
    with pytest.raises(CredentialStoreError) as caught:
        CredentialStore.read(path)
    assert f"Kho mật khẩu {path} được lưu dạng UTF-16; cần UTF-8" in caught.value.message("vi")


_LOGGING_CHILD = """
import logging, sys
from pathlib import Path
from console.logsetup import configure_logging
configure_logging(Path(sys.argv[1]))
log = logging.getLogger("console.test")
log.error("cannot open %s", sys.argv[2])
try:
    raise ValueError("Port could not be cast to integer value as " + sys.argv[3])
except ValueError:
    log.exception("parse failed")
"""


def test_log_file_and_stderr_never_hold_a_malformed_url_password(tmp_path: Path) -> None:
    import subprocess
    import sys

    # In a child: pytest's own capture handler on the root logger would keep the raw record.
    urls = [MALFORMED_USERINFO["slash in password"], MALFORMED_USERINFO["space in password"]]
    result = subprocess.run([sys.executable, "-c", _LOGGING_CHILD, str(tmp_path), *urls], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "logs" / "console.log").read_text("utf-8")
    assert "Pw-2026" not in text + result.stderr and text.count("alice:***@192.168.1.64") == 2
    assert result.stderr.count("alice:***@192.168.1.64") == 2
