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
