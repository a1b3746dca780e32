"""The site file's `[[recorders]]` and a camera's `recorder` + `recorder_channel`: a good file read with its defaults,
each wrong value named with its table and field in Vietnamese, an `onvif` recorder accepted with a warning."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest

from console.core.config import SiteConfig, parse_config
from console.core.config_messages import Problem, templates
from console.core.paths import demo_config_path
from console.core.recorder_settings import RecorderSettings, RecorderTimeMode, RecorderVendor, parse_zone, zone_text

HIK: dict[str, Any] = {"id": "nvr-hik", "vendor": "hikvision", "host": "192.168.1.250", "credentials": "nvr"}
DAHUA: dict[str, Any] = {"id": "nvr-dh", "vendor": "dahua", "host": "192.168.1.251", "http_port": 8080,
                         "rtsp_port": 5554, "credentials": "nvr", "time_zone_mode": "local", "time_zone": "+08:00",
                         "events": False}


def demo(*recorders: dict[str, Any], **on_channels: tuple[str, int]) -> dict[str, Any]:
    """The demo site with these recorders, and cameras (by id) on (recorder, channel)."""
    data = tomllib.loads(demo_config_path().read_text("utf-8"))
    data.pop("credentials_file", None)
    data.pop("map", None)
    data["recorders"] = [dict(r) for r in recorders]
    for camera in data["cameras"]:
        if camera["id"] in on_channels:
            camera["recorder"], camera["recorder_channel"] = on_channels[camera["id"]]
    return data


def parsed(data: dict[str, Any], refs: set[str] | None = None) -> tuple[SiteConfig | None, list[str], list[str]]:
    config, issues = parse_config(data, credential_refs=(lambda: refs) if refs is not None else None)
    errors = [i.describe("vi") for i in issues if i.severity.value == "error"]
    warnings = [i.describe("vi") for i in issues if i.severity.value == "warning"]
    return config, errors, warnings


def only_error(data: dict[str, Any], refs: set[str] | None = None) -> str:
    _, errors, _ = parsed(data, refs)
    assert len(errors) == 1, errors
    return errors[0]


def test_a_site_with_two_recorders_and_cameras_on_their_channels_is_read() -> None:
    data = demo(HIK, DAHUA, C01=("nvr-hik", 1), C02=("nvr-hik", 2), C03=("nvr-dh", 1))
    config, errors, _ = parsed(data, {"nvr", "demo"})
    assert errors == [] and config is not None
    assert config.recorders == (
        RecorderSettings("nvr-hik", RecorderVendor.HIKVISION, "192.168.1.250", 80, 554, "nvr", None, None, True),
        RecorderSettings("nvr-dh", RecorderVendor.DAHUA, "192.168.1.251", 8080, 5554, "nvr", RecorderTimeMode.LOCAL,
                         8 * 3600, False))
    assert (config.camera("C01").recorder, config.camera("C01").recorder_channel) == ("nvr-hik", 1)
    assert config.cameras_on("nvr-hik") == {1: "C01", 2: "C02"} and config.cameras_on("nvr-dh") == {1: "C03"}
    assert (config.camera("C04").recorder, config.camera("C04").recorder_channel) == (None, None)
    assert config.recorder("nvr-dh").time_zone_s == 8 * 3600


def test_a_site_file_without_recorders_has_none() -> None:
    data = demo()
    del data["recorders"]
    config, errors, _ = parsed(data)
    assert errors == [] and config is not None and config.recorders == ()
    assert all(c.recorder is None and c.recorder_channel is None for c in config.cameras)


def test_an_onvif_recorder_is_accepted_without_a_warning() -> None:
    config, errors, warnings = parsed(demo({"id": "nvr-o", "vendor": "onvif", "host": "10.0.0.9"},
                                           C01=("nvr-o", 1)))
    assert errors == [] and config is not None and config.recorders[0].vendor is RecorderVendor.ONVIF
    assert not any(w.startswith("recorders[0] (nvr-o).vendor") for w in warnings)


def test_a_camera_on_an_unknown_recorder_is_named() -> None:
    error = only_error(demo(HIK, C01=("nvr-hikk", 1)))
    assert error.startswith("cameras[0] (C01).recorder: Đầu ghi \"nvr-hikk\" không có trong danh sách [[recorders]]")
    assert "nvr-hik" in error.split("đã khai báo:")[1]


@pytest.mark.parametrize("channel", [0, -3, 1.5, 513, "2"])
def test_a_channel_that_is_no_channel_number_is_refused(channel: object) -> None:
    data = demo(HIK)
    data["cameras"][0].update(recorder="nvr-hik", recorder_channel=channel)
    error = only_error(data)
    assert error.startswith("cameras[0] (C01).recorder_channel: ")
    assert "ngoài khoảng cho phép 1 … 512" in error or "Sai kiểu dữ liệu: cần số" in error


def test_two_cameras_on_one_channel_of_a_recorder_are_refused() -> None:
    error = only_error(demo(HIK, C01=("nvr-hik", 4), C02=("nvr-hik", 4)))
    assert error == ("cameras[1] (C02).recorder_channel: Kênh 4 của đầu ghi \"nvr-hik\" đã dùng cho cameras[0] (C01): "
                     "mỗi kênh của đầu ghi chỉ là một camera")
    assert parsed(demo(HIK, DAHUA, C01=("nvr-hik", 4), C02=("nvr-dh", 4)))[1] == []  # two recorders' channel 4


def test_a_recorder_without_its_channel_or_a_channel_without_its_recorder_is_refused() -> None:
    data = demo(HIK)
    data["cameras"][0]["recorder"] = "nvr-hik"
    data["cameras"][1]["recorder_channel"] = 2
    _, errors, _ = parsed(data)
    assert any(e.startswith("cameras[0] (C01).recorder_channel: Thiếu trường bắt buộc") for e in errors)
    assert any(e.startswith("cameras[1] (C02).recorder: Thiếu trường bắt buộc; cần mã một đầu ghi") for e in errors)


def test_an_unknown_credentials_reference_is_named_when_the_store_is_known() -> None:
    error = only_error(demo(HIK), refs={"demo"})
    assert error.startswith("recorders[0] (nvr-hik).credentials: Không tìm thấy tài khoản \"nvr\" trong kho mật khẩu")
    assert parsed(demo(HIK))[1] == []  # no store known (a file checked on its own): not judged


@pytest.mark.parametrize("zone", ["+25:00", "7 giờ", "+07:10", "+07:99", "ICT"])
def test_a_bad_zone_is_refused_with_the_form_expected(zone: str) -> None:
    error = only_error(demo(dict(HIK, time_zone=zone)))
    assert error.startswith(f"recorders[0] (nvr-hik).time_zone: Múi giờ \"{zone}\" không hợp lệ: cần dạng +07:00")


def test_a_bad_vendor_mode_host_or_port_is_named() -> None:
    assert only_error(demo(dict(HIK, vendor="hik"))).startswith(
        "recorders[0] (nvr-hik).vendor: Giá trị \"hik\" không hợp lệ; chọn một trong: hikvision, dahua, onvif")
    assert only_error(demo(dict(HIK, time_zone_mode="vn"))).startswith(
        "recorders[0] (nvr-hik).time_zone_mode: Giá trị \"vn\" không hợp lệ; chọn một trong: utc, local-as-utc, local")
    assert only_error(demo(dict(HIK, host="http://192.168.1.250:80/"))).startswith(
        "recorders[0] (nvr-hik).host: Địa chỉ đầu ghi \"http://192.168.1.250:80/\" không hợp lệ")
    assert only_error(demo(dict(HIK, http_port=70000))).startswith("recorders[0] (nvr-hik).http_port: Giá trị 70000")
    assert only_error(demo(dict(HIK, rtsp_port=554.5))).startswith("recorders[0] (nvr-hik).rtsp_port: ")
    assert only_error(demo(dict(HIK, events="yes"))).startswith("recorders[0] (nvr-hik).events: Sai kiểu dữ liệu")
    assert only_error(demo(dict(HIK, colour="red"))).startswith("recorders[0] (nvr-hik).colour: Trường không được")
    missing = dict(HIK)
    del missing["vendor"]
    assert only_error(demo(missing)).startswith("recorders[0] (nvr-hik).vendor: Thiếu trường bắt buộc")


def test_recorder_ids_are_checked_like_every_other_id() -> None:
    _, errors, _ = parsed(demo(HIK, dict(DAHUA, id="nvr-hik")))
    assert any(e.startswith("recorders[1] (nvr-hik).id: Mã \"nvr-hik\" bị trùng (đã dùng ở recorders[0] (nvr-hik))")
               for e in errors)
    _, errors, _ = parsed(demo(dict(HIK, id="đầu ghi")))
    assert any(e.startswith("recorders[0] (đầu ghi).id: Mã \"đầu ghi\" không hợp lệ") for e in errors)


def test_a_camera_on_a_recorder_with_its_own_error_is_not_also_told_it_is_unknown() -> None:
    error = only_error(demo(dict(HIK, time_zone="+99:00"), C01=("nvr-hik", 1)))
    assert error.startswith("recorders[0] (nvr-hik).time_zone")


def test_zones_are_read_in_the_usual_forms() -> None:
    assert [parse_zone(t) for t in ("+07:00", "+7", "+0700", "UTC+7", "-03:30", "+05:45", "+00:00")] == \
        [25200, 25200, 25200, 25200, -12600, 20700, 0]
    assert zone_text(25200) == "+07:00" and zone_text(-12600) == "-03:30"


def test_the_new_problems_keep_their_placeholders_in_both_languages() -> None:
    import string

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for problem in (Problem.UNKNOWN_RECORDER, Problem.DUPLICATE_RECORDER_CHANNEL, Problem.BAD_RECORDER_ZONE,
                    Problem.BAD_RECORDER_HOST):
        vi, en = templates()[problem]
        assert fields(vi) == fields(en)
