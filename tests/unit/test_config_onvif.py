"""The site file's ONVIF tables: a camera's `onvif` (port, host, opted-in events, PTZ, home) and the commune's
`[onvif]` clock policy; each wrong value named with its place."""

from __future__ import annotations

import tomllib
from typing import Any

from console.core.config import parse_config
from console.core.onvif_settings import CameraOnvif, EventKindName, OnvifSiteSettings
from console.core.paths import demo_config_path


def demo(**camera_onvif: Any) -> dict[str, Any]:
    data = tomllib.loads(demo_config_path().read_text("utf-8"))
    data.pop("credentials_file", None)
    data.pop("map", None)
    data["cameras"][0]["onvif"] = camera_onvif
    return data


def errors(data: dict[str, Any]) -> list[str]:
    _, issues = parse_config(data)
    return [i.describe("en") for i in issues if i.severity.value == "error"]


def test_a_camera_without_an_onvif_table_is_rtsp_only() -> None:
    data = demo()
    del data["cameras"][0]["onvif"]
    config, _ = parse_config(data)
    assert config is not None and config.cameras[0].onvif is None
    assert [c.id for c in config.cameras if c.onvif is not None] == ["C05", "C12"]  # the demo's ONVIF cameras
    assert config.onvif == OnvifSiteSettings()


def test_the_onvif_table_is_read() -> None:
    data = demo(port=8080, host="10.0.0.5", events=["motion", "input"], ptz=False, home_preset="1",
                home_after_min=5)
    data["onvif"] = {"clock_threshold_s": 2.5, "clock_check_min": 30, "ntp_server": "ntp.bn.gov.vn"}
    config, _ = parse_config(data)
    assert config is not None
    assert config.cameras[0].onvif == CameraOnvif(8080, "10.0.0.5", frozenset({EventKindName.MOTION,
                                                                               EventKindName.INPUT}), False, "1", 5.0)
    assert config.onvif == OnvifSiteSettings(2.5, 30.0, "ntp.bn.gov.vn")


def test_defaults_port_80_no_events_ptz_asked() -> None:
    config, _ = parse_config(demo())
    assert config is not None and config.cameras[0].onvif == CameraOnvif()


def test_wrong_values_are_named_with_their_place() -> None:
    found = errors(demo(port=70000, events=["motion", "smoke"], ptz="yes", colour="red"))
    assert any("cameras[0] (C01).onvif.port" in e for e in found)
    assert any("cameras[0] (C01).onvif.events[1]" in e and "smoke" in e for e in found)
    assert any("cameras[0] (C01).onvif.ptz" in e for e in found)
    assert any("cameras[0] (C01).onvif.colour" in e for e in found)
    assert errors(demo(port=80.5)) and errors(demo(events="motion"))
    data = demo()
    data["onvif"] = {"clock_threshold_s": 0}
    assert any("onvif.clock_threshold_s" in e for e in errors(data))
