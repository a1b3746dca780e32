"""The province's checks of a commune's message and of its own file, without a broker."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

from console.core.credentials import Credentials, CredentialStore
from console.province.config import ProvinceConfigError, load_province
from console.province.messages import DropReason, templates
from console.province.validate import CameraHealthReport, Dropped, Echo, Sequenced, StatusReport, parse_message
from console.uplink.schema import MAX_SNAPSHOT_BYTES, LinkState, camera_health_payload, status_payload

ALERT = {"id": 3, "kind": "motion", "camera": "C01", "site": "S01", "priority": 2, "score": 0.5, "state": "new",
         "started_ms": 1, "note": "", "has_snapshot": False}


def message(**fields: object) -> bytes:
    return json.dumps({"v": 1, "commune": "gia-dong", "seq": 5, "at_ms": 10, **fields}).encode()


def test_every_template_keeps_its_placeholders_in_both_languages() -> None:
    for what, (vi, en) in templates().items():
        assert set(re.findall(r"{(\w+)}", vi)) == set(re.findall(r"{(\w+)}", en)), what


def test_reports_of_the_schema_are_read() -> None:
    parsed = parse_message("bn/v1/gia-dong/alerts/new", message(type="alert_new", alert=ALERT), 99)
    assert isinstance(parsed, Sequenced) and (parsed.seq, parsed.type, parsed.received_ms) == (5, "alert_new", 99)
    status = parse_message("bn/v1/gia-dong/status", status_payload("gia-dong", LinkState.OFFLINE, "s", None,
                                                                   reason="lost"), 1)
    assert isinstance(status, StatusReport) and status.state is LinkState.OFFLINE and status.at_ms is None
    health = parse_message("bn/v1/gia-dong/cameras/C01/health", camera_health_payload("gia-dong", "C01", "ok", 4), 1)
    assert isinstance(health, CameraHealthReport) and health.camera == "C01"
    assert isinstance(parse_message("bn/v1/gia-dong/receipts", b'{"v":1}', 1), Echo)
    jpeg = base64.b64encode(b"\xff\xd8" + b"0" * 100).decode()
    snap = parse_message("bn/v1/gia-dong/snapshots", message(type="snapshot", alert=3, camera="C01", jpeg=jpeg), 1)
    assert isinstance(snap, Sequenced)
    oversized = parse_message("bn/v1/gia-dong/snapshots", message(type="oversized"), 1)
    assert isinstance(oversized, Sequenced)  # stored and confirmed, or the commune would repeat it for ever


@pytest.mark.parametrize(("topic", "payload", "reason"), [
    ("bn/v1/gia-dong/alerts/new", b"x" * (96 * 1024 + 1), DropReason.OVERSIZED),
    ("bn/v1/gia-dong/alerts/new", b"\xff\xfe", DropReason.MALFORMED),
    ("bn/v1/gia-dong/alerts/new", b"[" * 50_000, DropReason.MALFORMED),
    ("bn/v1/gia-dong/alerts/new", b'"text"', DropReason.MALFORMED),
    ("bn/v1/gia-dong/alerts/new", message(v=2, type="alert_new", alert=ALERT), DropReason.UNKNOWN_VERSION),
    ("bn/v1/gia-dong/alerts/new", message(commune="dai-dong", type="alert_new", alert=ALERT),
     DropReason.FOREIGN_COMMUNE),
    ("bn/v1/gia-dong/alerts/new", message(type="alert_end", alert=ALERT), DropReason.WRONG_TYPE),
    ("bn/v1/gia-dong/alerts/new", message(type="alert_new", alert={**ALERT, "id": "3"}), DropReason.BAD_FIELD),
    ("bn/v1/gia-dong/alerts/new", message(type="alert_new", alert=ALERT, seq=True), DropReason.BAD_FIELD),
    ("bn/v1/gia-dong/alerts/new", message(type="alert_new", alert=ALERT, seq=0), DropReason.BAD_FIELD),
    ("bn/v1/gia-dong/health", message(type="health_change", alert=ALERT, state="sideways", kind="frozen"),
     DropReason.BAD_FIELD),
    ("bn/v1/gia-dong/snapshots", message(type="snapshot", alert=3, jpeg="!!"), DropReason.BAD_FIELD),
    ("bn/v1/gia-dong/snapshots", message(type="snapshot", alert=3,
                                         jpeg=base64.b64encode(b"0" * (MAX_SNAPSHOT_BYTES + 1)).decode()),
     DropReason.BAD_FIELD),  # a picture over the 48 KiB cap in a message under the 96 KiB one
    ("bn/v1/gia-dong/cameras/C02/health", camera_health_payload("gia-dong", "C01", "ok", 1), DropReason.BAD_FIELD),
    ("bn/v1/gia-dong/whatever", message(type="alert_new"), DropReason.UNKNOWN_TOPIC),
    ("bn/v2/gia-dong/alerts/new", message(type="alert_new", alert=ALERT), DropReason.UNKNOWN_TOPIC),
])
def test_a_bad_message_is_dropped_with_its_reason(topic: str, payload: bytes, reason: DropReason) -> None:
    parsed = parse_message(topic, payload, 1)
    assert isinstance(parsed, Dropped) and parsed.reason is reason


def write(path: Path, text: str) -> Path:
    path.write_text(text, "utf-8")
    return path


def test_a_province_file_loads_with_its_credentials_from_the_store(tmp_path: Path) -> None:
    write(tmp_path / "ca.pem", "x")
    CredentialStore({"province": Credentials("province", "hunter22")}).save(tmp_path / "credentials.toml")
    config = load_province(write(tmp_path / "province.toml", """
[broker]
url = "mqtts://mqtt.example.vn"
ca_file = "ca.pem"
credentials = "province"

[[communes]]
id = "gia-dong"
name = "Gia Đông"
lat = 21.06
lon = 106.07
"""))
    assert config.port == 8883 and config.credentials.password == "hunter22" and config.communes[0].name == "Gia Đông"
    assert "hunter22" not in repr(config)


def test_every_problem_of_a_province_file_is_located_in_vietnamese(tmp_path: Path) -> None:
    path = write(tmp_path / "province.toml", """
[broker]
url = "mqtt://user:hunter22@mqtt.example.vn"
ca_file = "missing.pem"
username = "province"
colour = "blue"

[[communes]]
id = "gia dong"
name = "Gia Đông"
lat = 121.0
lon = 106.0

[[communes]]
id = "dai-dong"
lon = 106.0
""")
    with pytest.raises(ProvinceConfigError) as raised:
        load_province(path)
    vi, en = raised.value.describe("vi"), str(raised.value)
    assert "hunter22" not in vi and "hunter22" not in en
    for place in ("broker.url", "broker.ca_file", "broker.password_file", "broker.colour",
                  "communes[1] (gia dong).id", "communes[1] (gia dong).lat", "communes[2] (dai-dong).name",
                  "communes[2] (dai-dong).lat"):
        assert place in vi, place
    assert "Thiếu mật khẩu" in vi and "Không có tệp" in vi
