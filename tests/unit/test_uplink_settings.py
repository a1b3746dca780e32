"""The site file's `[uplink]` table: read into UplinkSettings, absent means no uplink, and every wrong value named
with its place in Vietnamese (the console still opens when only the CA file is missing)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from console.core.config import Severity, parse_config
from console.core.config_messages import Problem
from console.core.paths import demo_config_path
from console.core.uplink_settings import MqttProtocol, UplinkSettings, parse_broker
from console.uplink.messages import templates

_FIELD = re.compile(r"\{(\w+)\}")


def demo(**uplink: Any) -> dict[str, Any]:
    data = tomllib.loads(demo_config_path().read_text("utf-8"))
    data.pop("credentials_file", None)
    data.pop("map", None)
    if uplink:
        data["uplink"] = uplink
    return data


GOOD = {"broker": "mqtts://mqtt.bacninh.example:8883", "commune": "gia-dong", "ca_file": "/nonexistent/ca.pem",
        "credentials": "uplink"}


def issues(data: dict[str, Any], source: Path | None = None) -> list[tuple[str, str, Problem, Severity]]:
    _, found = parse_config(data, source)
    return [(i.where, i.field, i.problem, i.severity) for i in found if i.where == "uplink"]


def test_no_uplink_table_means_no_uplink() -> None:
    config, _ = parse_config(demo())
    assert config is not None and config.uplink is None


def test_the_uplink_table_is_read(tmp_path: Path) -> None:
    (tmp_path / "ca.pem").write_text("x")
    data = demo(**GOOD | {"ca_file": "ca.pem", "protocol": "5", "backlog_per_s": 20})
    config, found = parse_config(data, tmp_path / "site.toml")
    assert config is not None, [i.describe("en") for i in found]
    assert config.uplink == UplinkSettings("mqtt.bacninh.example", 8883, "gia-dong", tmp_path / "ca.pem", "uplink",
                                           MqttProtocol.V5, None, None, 20.0, True)
    assert config.uplink.broker == "mqtts://mqtt.bacninh.example:8883"
    assert not [i for i in found if i.where == "uplink"]


def test_defaults_port_8883_protocol_311_enabled() -> None:
    config, _ = parse_config(demo(**GOOD | {"broker": "mqtts://10.0.0.5"}))
    assert config is not None and config.uplink is not None
    assert (config.uplink.port, config.uplink.protocol, config.uplink.enabled) == (8883, MqttProtocol.V311, True)
    config, _ = parse_config(demo(**GOOD | {"enabled": False}))
    assert config is not None and config.uplink is not None and not config.uplink.enabled


@pytest.mark.parametrize(("broker", "words"), [
    ("mqtt://mqtt.bacninh.example:1883", "mqtts://"),
    ("mqtts://mqtt.bacninh.example:99999", "cổng không hợp lệ"),
    ("mqtts://gia-dong:Bi-Mat#2026@mqtt.bacninh.example", "kho mật khẩu"),
    ("mqtts://:8883", "thiếu tên máy"),
    ("mqtts://host:8883/bn", "đường dẫn"),
    ("mqtts://host name", "dấu cách"),
])
def test_a_bad_broker_address_is_named_in_vietnamese(broker: str, words: str) -> None:
    _, found = parse_config(demo(**GOOD | {"broker": broker}))
    messages = [i.describe("vi") for i in found if i.where == "uplink" and i.field == "broker"]
    assert len(messages) == 1 and words in messages[0] and "máy chủ tỉnh" in messages[0], messages
    assert "Bi-Mat#2026" not in messages[0]


def test_wrong_values_are_named_with_their_place() -> None:
    found = issues(demo(commune="gia dong/", ca_file=3, protocol="4", backlog_per_s=0, colour="red",
                        broker="mqtts://h"))
    fields = {(fld, problem) for _, fld, problem, _ in found}
    assert ("commune", Problem.BAD_ID) in fields
    assert ("ca_file", Problem.WRONG_TYPE) in fields
    assert ("protocol", Problem.BAD_CHOICE) in fields
    assert ("backlog_per_s", Problem.OUT_OF_RANGE) in fields
    assert ("colour", Problem.UNKNOWN_FIELD) in fields
    assert ("credentials", Problem.MISSING) in fields  # neither a password reference nor a certificate
    config, _ = parse_config(demo(commune="gia dong/", broker="mqtts://h"))
    assert config is None


def test_a_certificate_needs_its_key_and_replaces_the_password() -> None:
    found = issues(demo(**{k: v for k, v in GOOD.items() if k != "credentials"} | {"client_cert": "/x/c.pem"}))
    assert ("uplink", "client_key", Problem.MISSING, Severity.ERROR) in found
    data = demo(**{k: v for k, v in GOOD.items() if k != "credentials"} | {"client_cert": "/x/c.pem",
                                                                          "client_key": "/x/c.key"})
    config, _ = parse_config(data)
    assert config is not None and config.uplink is not None
    assert (config.uplink.credentials, config.uplink.client_cert) == (None, Path("/x/c.pem"))


def test_a_missing_ca_file_is_a_warning_the_console_still_opens(tmp_path: Path) -> None:
    config, found = parse_config(demo(**GOOD | {"ca_file": "province-ca.pem"}), tmp_path / "site.toml")
    assert config is not None
    warnings = [i for i in found if i.where == "uplink" and i.field == "ca_file"]
    assert [(i.problem, i.severity) for i in warnings] == [(Problem.UPLINK_FILE_MISSING, Severity.WARNING)]
    assert "province-ca.pem" in warnings[0].describe("vi") and "tỉnh" in warnings[0].describe("vi")


def test_the_credentials_reference_must_be_in_the_store() -> None:
    cameras = {c["credentials"] for c in demo()["cameras"] if c.get("credentials")}
    _, found = parse_config(demo(**GOOD), credential_refs=lambda: cameras)
    assert [i.problem for i in found if i.where == "uplink" and i.field == "credentials"] == [
        Problem.UNKNOWN_CREDENTIALS]
    config, _ = parse_config(demo(**GOOD), credential_refs=lambda: cameras | {"uplink"})
    assert config is not None


def test_parse_broker() -> None:
    assert parse_broker("mqtts://[::1]:8884") == ("::1", 8884)
    assert parse_broker("MQTTS://Host") == ("host", 8883)


def test_uplink_messages_keep_placeholders_in_both_languages() -> None:
    for what, (vi, en) in templates().items():
        assert sorted(_FIELD.findall(vi)) == sorted(_FIELD.findall(en)), what
