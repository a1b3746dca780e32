"""Site configuration: the demo loads, and every kind of mistake is named precisely (vi and en)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from console.core.config import ConfigError, Severity, load_config
from console.core.config_messages import Problem
from console.core.credentials import Credentials, CredentialStore
from console.core.paths import demo_config_path

GOOD = '''
schema_version = 1
[commune]
name = "Xã Thử"
center = { lat = 21.05, lon = 106.06 }

[[sites]]
id = "S01"
name = "Cổng làng"
lat = 21.051
lon = 106.061

[[cameras]]
id = "C01"
name = "Cổng làng – hướng Bắc"
site = "S01"
bearing_deg = 10
main_url = "rtsp://192.168.1.64:554/Streaming/Channels/101"
sub_url = "rtsp://192.168.1.64:554/Streaming/Channels/102"
'''


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "site.toml"
    path.write_text(text, "utf-8")
    return path


def errors_of(tmp_path: Path, text: str) -> list[tuple[str, str, Problem]]:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    return [(i.where, i.field, i.problem) for i in caught.value.errors]


def test_demo_config_has_11_sites_and_25_cameras_around_gia_dong() -> None:
    config = load_config(demo_config_path())
    assert config.commune.name == "Xã Gia Đông"
    assert len(config.sites) == 11 and len(config.cameras) == 25
    assert config.commune.coordinates_approximate
    assert all(1 <= len(config.cameras_of(s.id)) <= 4 for s in config.sites)
    assert all(c.sub_url and c.credentials == "demo" for c in config.cameras)
    assert all(c.position.distance_km(config.commune.centre) < 3 for c in config.cameras)


def test_minimal_config_loads_with_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    camera = config.camera("C01")
    assert camera.position == config.site("S01").position  # no lat/lon: the site's
    assert (camera.fov_deg, camera.range_m, camera.recording.value, camera.transport.value) == (90, 50, "off", "tcp")


BAD_CASES = [
    ("duplicate camera id", GOOD + GOOD.split("[[cameras]]")[1].join(["[[cameras]]", ""]),
     ("cameras[1] (C01)", "id", Problem.DUPLICATE_ID)),
    ("unknown site", GOOD.replace('site = "S01"', 'site = "S99"'),
     ("cameras[0] (C01)", "site", Problem.UNKNOWN_SITE)),
    ("bad url scheme", GOOD.replace("rtsp://192.168.1.64:554/Streaming/Channels/101", "http://192.168.1.64/live"),
     ("cameras[0] (C01)", "main_url", Problem.BAD_URL)),
    ("missing main stream", GOOD.replace('main_url = "rtsp://192.168.1.64:554/Streaming/Channels/101"\n', ""),
     ("cameras[0] (C01)", "main_url", Problem.MISSING)),
    ("latitude out of range", GOOD.replace("lat = 21.051", "lat = 121.051"),
     ("sites[0] (S01)", "lat", Problem.OUT_OF_RANGE)),
    ("lat and lon swapped", GOOD.replace("lat = 21.051\nlon = 106.061", "lat = 106.061\nlon = 21.051"),
     ("sites[0] (S01)", "lat", Problem.OUT_OF_RANGE)),
    ("far from the commune", GOOD.replace("lon = 106.061", "lon = 105.80"),
     ("sites[0] (S01)", "lat", Problem.FAR_FROM_CENTRE)),
    ("bearing 360", GOOD.replace("bearing_deg = 10", "bearing_deg = 360"),
     ("cameras[0] (C01)", "bearing_deg", Problem.OUT_OF_RANGE)),
    ("bearing as text", GOOD.replace("bearing_deg = 10", 'bearing_deg = "bắc"'),
     ("cameras[0] (C01)", "bearing_deg", Problem.WRONG_TYPE)),
    ("password in url", GOOD.replace("rtsp://192.168.1.64", "rtsp://admin:abc12345@192.168.1.64", 1),
     ("cameras[0] (C01)", "main_url", Problem.PASSWORD_IN_URL)),
    ("typo in field name", GOOD.replace("bearing_deg = 10", "bearing_deg = 10\nbaering = 5"),
     ("cameras[0] (C01)", "baering", Problem.UNKNOWN_FIELD)),
    ("bad id", GOOD.replace('id = "C01"', 'id = "Cam 01"'),
     ("cameras[0] (Cam 01)", "id", Problem.BAD_ID)),
    ("bad recording mode", GOOD.replace('bearing_deg = 10', 'bearing_deg = 10\nrecording = "always"'),
     ("cameras[0] (C01)", "recording", Problem.BAD_CHOICE)),
    ("wrong time zone", GOOD.replace("center =", 'timezone = "Europe/Paris"\ncenter ='),
     ("commune", "timezone", Problem.BAD_TIMEZONE)),
    ("no commune", GOOD.replace("[commune]", "[communes]"),
     ("commune", "", Problem.MISSING)),
    ("newer schema", GOOD.replace("schema_version = 1", "schema_version = 2"),
     ("(file)", "schema_version", Problem.BAD_SCHEMA_VERSION)),
    ("no cameras", GOOD.split("[[cameras]]", maxsplit=1)[0], ("cameras", "", Problem.NO_CAMERAS)),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in BAD_CASES], ids=[c[0] for c in BAD_CASES])
def test_bad_config_is_rejected_naming_place_and_field(tmp_path: Path, text: str,
                                                       expected: tuple[str, str, Problem]) -> None:
    assert expected in errors_of(tmp_path, text)


def test_toml_syntax_error_gives_line_and_column(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, GOOD.replace('name = "Xã Thử"', 'name = "Xã Thử')))
    issue = caught.value.errors[0]
    assert issue.problem is Problem.TOML_SYNTAX and issue.line == 4
    assert "dòng 4" in issue.message("vi") and "line 4" in issue.message("en")


def test_all_errors_are_reported_at_once(tmp_path: Path) -> None:
    text = GOOD.replace('site = "S01"', 'site = "S99"').replace("bearing_deg = 10", "bearing_deg = -5")
    found = {(f, p) for _, f, p in errors_of(tmp_path, text)}
    assert {("site", Problem.UNKNOWN_SITE), ("bearing_deg", Problem.OUT_OF_RANGE)} <= found


def test_password_never_appears_in_the_error(tmp_path: Path) -> None:
    text = GOOD.replace("rtsp://192.168.1.64", "rtsp://admin:Secr3t!@192.168.1.64", 1)
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    rendered = str(caught.value) + "".join(i.describe("vi") for i in caught.value.issues)
    assert "Secr3t" not in rendered and "admin:***@" in rendered


def test_missing_sub_stream_is_a_warning_not_an_error(tmp_path: Path) -> None:
    from console.core.config import parse_config, read_toml

    data, _ = read_toml(write(tmp_path, GOOD.replace('sub_url = "rtsp://192.168.1.64:554/Streaming/Channels/102"\n',
                                                      "")))
    assert data is not None
    config, issues = parse_config(data)
    assert config is not None
    assert [(i.field, i.problem, i.severity) for i in issues] == [("sub_url", Problem.NO_SUB_STREAM,
                                                                   Severity.WARNING)]


def _check(path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "console.config", "check", str(path), *extra],
                          capture_output=True, text=True, timeout=60)


def test_check_command_exits_1_and_prints_vietnamese_and_english(tmp_path: Path) -> None:
    result = _check(write(tmp_path, GOOD.replace('site = "S01"', 'site = "S99"')))
    assert result.returncode == 1
    assert "cameras[0] (C01).site" in result.stdout
    assert "Điểm \"S99\" không có trong danh sách điểm" in result.stdout
    assert "Site \"S99\" is not declared" in result.stdout


def test_check_command_accepts_the_demo_next_to_its_credentials_store(tmp_path: Path) -> None:
    site = tmp_path / "gia_dong.toml"
    site.write_text(demo_config_path().read_text("utf-8"), "utf-8")  # names credentials_file = "credentials.toml"
    CredentialStore({"demo": Credentials("admin", "Demo-Store#2026")}).save(tmp_path / "credentials.toml")
    result = _check(site)
    assert result.returncode == 0, result.stdout
    assert "hợp lệ" in result.stdout


def test_check_reports_a_missing_credentials_store_and_each_camera_like_the_console(tmp_path: Path) -> None:
    from console.core.config import load_config_with_credentials

    text = GOOD.replace("schema_version = 1", 'schema_version = 1\ncredentials_file = "mat-khau.toml"')
    site = write(tmp_path, text.replace("bearing_deg = 10", 'bearing_deg = 10\ncredentials = "cam-c01"'))
    result = _check(site, "--lang", "en")
    assert result.returncode == 1, result.stdout
    assert f"The credentials store {tmp_path / 'mat-khau.toml'} does not exist" in result.stdout
    assert 'cameras[0] (C01).credentials: Credentials "cam-c01" are not in the credentials store' in result.stdout
    with pytest.raises(ConfigError) as caught:  # the console refuses the file for the same reasons
        load_config_with_credentials(site)
    assert {(i.field, i.problem) for i in caught.value.errors} == {
        ("credentials_file", Problem.CREDENTIALS_FILE_MISSING), ("credentials", Problem.UNKNOWN_CREDENTIALS)}


def test_check_command_reports_unknown_credentials_ref(tmp_path: Path) -> None:
    creds = tmp_path / "credentials.toml"
    creds.write_text('[other]\nusername = "admin"\npassword = "x"\n', "utf-8")
    creds.chmod(0o600)
    text = GOOD.replace("schema_version = 1", 'schema_version = 1\ncredentials_file = "credentials.toml"')
    text = text.replace("bearing_deg = 10", 'bearing_deg = 10\ncredentials = "cam-c01"')
    result = _check(write(tmp_path, text), "--lang", "en")
    assert result.returncode == 1
    assert 'Credentials "cam-c01" are not in the credentials store' in result.stdout


def test_config_with_credentials_loads_its_store_and_checks_references(tmp_path: Path) -> None:
    from console.core.config import load_config_with_credentials

    creds = tmp_path / "credentials.toml"
    creds.write_text('[cam-c01]\nusername = "admin"\npassword = "x"\n', "utf-8")
    creds.chmod(0o600)
    text = GOOD.replace("schema_version = 1", 'schema_version = 1\ncredentials_file = "credentials.toml"')
    config, store = load_config_with_credentials(write(tmp_path, text.replace(
        "bearing_deg = 10", 'bearing_deg = 10\ncredentials = "cam-c01"')))
    assert config.credentials_file == creds and store.get("cam-c01") is not None
    with pytest.raises(ConfigError) as caught:
        load_config_with_credentials(write(tmp_path, text.replace(
            "bearing_deg = 10", 'bearing_deg = 10\ncredentials = "cam-c02"')))
    assert [(i.field, i.problem) for i in caught.value.errors] == [("credentials", Problem.UNKNOWN_CREDENTIALS)]


def test_camera_edit_changes_only_its_lines_and_refuses_an_invalid_result(tmp_path: Path) -> None:
    from console.core.config import ConfigError
    from console.core.config_edit import SiteFileEditor, set_camera_fields
    from console.core.paths import demo_config_path

    text = demo_config_path().read_text("utf-8")
    edited = set_camera_fields(text, "C05", {"bearing_deg": 135.25, "range_m": 80})
    changed = [(a, b) for a, b in zip(text.splitlines(), edited.splitlines(), strict=False) if a != b]
    assert changed == [("bearing_deg = 120", "bearing_deg = 135.2"), ("range_m = 100", "range_m = 80")]
    small = '[[cameras]]\nid = "C01"\nname = "a" # cổng\n\n[[cameras]]\nid = "C02"\nbearing_deg = 10\n'
    expected = small.replace('id = "C01"\n', 'id = "C01"\nfov_deg = 60\n')  # absent: added after the id
    assert set_camera_fields(small, "C01", {"fov_deg": 60}) == expected
    path = tmp_path / "site.toml"
    path.write_text(text, "utf-8")
    editor = SiteFileEditor(path)
    with pytest.raises(ConfigError):  # 50 km away from the commune: refused, the file untouched
        editor.update_camera("C05", {"lat": 21.5})
    assert path.read_text("utf-8") == text and not editor.history
    editor.update_camera("C05", {"lat": 21.0655})
    assert editor.undo() and path.read_text("utf-8") == text


def test_a_site_file_edit_keeps_the_files_mode_and_owner_and_leaves_no_temporary(tmp_path: Path) -> None:
    """The technician set the site file 0640 with a group; an edit from the map replaced it with a 0644 file."""
    import os
    import stat

    from console.core.config_edit import SiteFileEditor
    from console.core.paths import demo_config_path

    path = tmp_path / "site.toml"
    path.write_text(demo_config_path().read_text("utf-8"), "utf-8")
    os.chmod(path, 0o640)
    group = 100 if os.geteuid() == 0 else os.getgid()  # "users": root may give the file away
    os.chown(path, os.getuid(), group)
    SiteFileEditor(path).update_camera("C05", {"range_m": 90})
    info = path.stat()
    assert stat.S_IMODE(info.st_mode) == 0o640 and info.st_gid == group
    assert "range_m = 90" in path.read_text("utf-8") and sorted(p.name for p in tmp_path.iterdir()) == ["site.toml"]


def test_recording_settings_come_from_the_site_file(tmp_path: Path) -> None:
    default = load_config(write(tmp_path, GOOD))
    assert default.recording.segment_s == 60 and default.recordings_folder is None
    config = load_config(write(tmp_path, GOOD + """
[recording]
segment_seconds = 300
preroll_seconds = 8
postroll_seconds = 30
retention_days = 90
quota_gb = 1.5
min_free_gb = 5
folder = "ghi_hinh"
"""))
    settings = config.recording
    assert (settings.segment_s, settings.preroll_s, settings.postroll_s, settings.retention_days) == (300, 8, 30, 90)
    assert settings.quota_bytes == 1536 * 1024**2 and settings.min_free_bytes == 5 * 1024**3
    assert config.recordings_folder == tmp_path / "ghi_hinh"
    assert load_config(demo_config_path()).recording == settings.__class__()  # the demo writes the defaults


def test_bad_recording_settings_are_named(tmp_path: Path) -> None:
    found = errors_of(tmp_path, GOOD + """
[recording]
segment_seconds = 2
retention_days = "30"
preroll = 5
""")
    assert ("recording", "segment_seconds", Problem.OUT_OF_RANGE) in found
    assert ("recording", "retention_days", Problem.WRONG_TYPE) in found
    assert ("recording", "preroll", Problem.UNKNOWN_FIELD) in found


PASSWORD_URLS = {
    "slash": ("rtsp://alice:s3cret/x-Pw26@192.168.1.64:554/a", Problem.PASSWORD_IN_URL),
    "hash": ("rtsp://alice:s3cret#x-Pw26@192.168.1.64:554/a", Problem.PASSWORD_IN_URL),
    "space": ("rtsp://alice:s3cret x-Pw26@192.168.1.64:554/a", Problem.PASSWORD_IN_URL),
    "query": ("rtsp://192.168.1.64:554/a?user=alice&password=s3cret-x-Pw26", Problem.PASSWORD_IN_QUERY),
    "dvr path": ("rtsp://192.168.1.64:554/user=alice&password=s3cret-x-Pw26&channel=1&stream=0.sdp",
                 Problem.PASSWORD_IN_QUERY),
    "pwd": ("rtsp://192.168.1.64/live?pwd=s3cret-x-Pw26", Problem.PASSWORD_IN_QUERY),
}


@pytest.mark.parametrize(("url", "problem"), PASSWORD_URLS.values(), ids=PASSWORD_URLS.keys())
def test_password_anywhere_in_a_stream_address_is_refused_and_never_printed(tmp_path: Path, url: str,
                                                                             problem: Problem) -> None:
    path = write(tmp_path, GOOD.replace("rtsp://192.168.1.64:554/Streaming/Channels/101", url))
    assert ("cameras[0] (C01)", "main_url", problem) in errors_of(tmp_path, path.read_text("utf-8"))
    result = _check(path)
    assert result.returncode == 1
    assert "s3cret" not in result.stdout + result.stderr and "***" in result.stdout


def test_dvr_address_with_placeholders_is_filled_from_the_store(tmp_path: Path) -> None:
    from console.core.config import load_config_with_credentials
    from console.core.credentials import with_credentials

    dvr = "rtsp://192.168.1.70:554/user={user}&password={password}&channel=1&stream=0.sdp"
    text = GOOD.replace("rtsp://192.168.1.64:554/Streaming/Channels/101", dvr)
    assert ("cameras[0] (C01)", "main_url", Problem.PLACEHOLDER_WITHOUT_CREDENTIALS) in errors_of(tmp_path, text)
    text = text.replace("schema_version = 1", 'schema_version = 1\ncredentials_file = "credentials.toml"')
    text = text.replace("bearing_deg = 10", 'bearing_deg = 10\ncredentials = "dvr"')
    CredentialStore({"dvr": Credentials("admin", "Dvr&Pw=2026")}).save(tmp_path / "credentials.toml")
    config, store = load_config_with_credentials(write(tmp_path, text))
    camera = config.camera("C01")
    assert with_credentials(camera.main_url, store.get(camera.credentials)) == (
        "rtsp://192.168.1.70:554/user=admin&password=Dvr%26Pw%3D2026&channel=1&stream=0.sdp")
