"""Whatever a site file holds, validation names the place and never crashes; messages are whole sentences in
each language; invisible characters, copied streams and pasted blocks are pointed out."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from console.core.config import MAX_CAMERAS_PER_FILE, ConfigIssue, parse_config, read_toml
from console.core.config_messages import Problem
from tests.unit.test_config import GOOD, write

CAMERA = GOOD.split("[[cameras]]")[1]
NESTED_ARRAYS = "x = " + "[" * 2500 + "]" * 2500 + "\n"
NESTED_TABLES = "x = " + "{a=" * 2500 + "1" + "}" * 2500 + "\n"
HOSTILE_FILES = {
    "sites is a number": ("sites = 5\n" + GOOD.split("[[sites]]")[0], "sites: "),
    "cameras is a number": (GOOD.split("[[cameras]]")[0].replace("[commune]", "cameras = 5\n[commune]"),
                            "cameras: "),
    "commune is text": ('commune = "x"\n' + GOOD.split("[commune]")[1].split("\n", 3)[3], "commune.commune: "),
    "400-digit bearing": (GOOD.replace("bearing_deg = 10", "bearing_deg = " + "9" * 400),
                          "cameras[0] (C01).bearing_deg: "),
    "5000-digit number": (GOOD.replace("bearing_deg = 10", "bearing_deg = " + "9" * 5000), "dòng 17, cột 15"),
    "2500 nested arrays": (NESTED_ARRAYS + GOOD, "dòng 1, cột 37"),
    "2500 nested inline tables": (NESTED_TABLES + GOOD, "dòng 1, cột 101"),
    "list as recording mode": (GOOD.replace("bearing_deg = 10", "bearing_deg = 10\nrecording = [1]"),
                               "cameras[0] (C01).recording: "),
    "table as main_url": (GOOD.replace('main_url = "rtsp://192.168.1.64:554/Streaming/Channels/101"',
                                       "main_url = { a = 1 }"), "cameras[0] (C01).main_url: "),
    "schema_version true": (GOOD.replace("schema_version = 1", "schema_version = true"), "schema_version: "),
    "ports out of range": (GOOD.replace(":554/Streaming/Channels/101", ":99999/x"), "cameras[0] (C01).main_url: "),
}


def _check(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "console.config", "check", str(path)],
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(("text", "place"), HOSTILE_FILES.values(), ids=HOSTILE_FILES.keys())
def test_check_names_the_place_of_a_malformed_file_and_never_crashes(tmp_path: Path, text: str, place: str) -> None:
    result = _check(write(tmp_path, text))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and result.stderr == ""
    assert place in result.stdout


_HOSTILE_VALUES: list[Any] = [5, -1, 10**400, 1.5e308, float("nan"), True, "x", "", "\u200b", [], [[[]]], {},
                              {"a": {"b": 1}}, [1, "a"], [{}]]


def _leaves(data: dict[str, Any], path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if path else []
    for key, value in data.items():
        if isinstance(value, dict):
            found += _leaves(value, (*path, key))
        elif isinstance(value, list):
            found.append((*path, key))
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    found += _leaves(item, (*path, key, index))
        else:
            found.append((*path, key))
    return found


def _replaced(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = _replaced(data[path[0]], path[1:], value)
    return copy


def test_every_field_replaced_by_any_kind_of_value_gives_issues_not_exceptions(tmp_path: Path) -> None:
    data, _ = read_toml(write(tmp_path, GOOD))
    assert data is not None
    tried = 0
    for path in _leaves(data):
        for value in _HOSTILE_VALUES:
            _, issues = parse_config(_replaced(data, path, value), tmp_path / "site.toml")
            for issue in issues:
                issue.describe("vi"), issue.describe("en")
            tried += 1
    assert tried >= 300


_ENGLISH = re.compile(r"\b(a|the|is|not|number|text|tables?|expected|got|scheme|host|port|integer|invalid|"
                      r"contains|spaces|array|statement|missing)\b", re.IGNORECASE)
WHOLE_CASES = {
    "missing number": GOOD.replace("bearing_deg = 10\n", ""),
    "text for a number": GOOD.replace("bearing_deg = 10", 'bearing_deg = "bắc"'),
    "http scheme": GOOD.replace("rtsp://192.168.1.64:554/Streaming/Channels/101", "http://192.168.1.64/x"),
    "bad port": GOOD.replace(":554/Streaming/Channels/101", ":abc/x"),
    "port 0": GOOD.replace(":554/Streaming/Channels/101", ":0/x"),
    "space in path": GOOD.replace("Channels/101", "Channels /101"),
    "no host": GOOD.replace("rtsp://192.168.1.64:554/Streaming/Channels/101", "rtsp:///x"),
    "no commune table": GOOD.replace("[commune]", "[communes]"),
    "sites a number": "sites = 5\n" + GOOD.split("[[sites]]")[0],
    "flag as text": GOOD.replace("center =", 'coordinates_approximate = "yes"\ncenter ='),
    "toml syntax": GOOD.replace('name = "Xã Thử"', "name = Xã Thử"),
    "unclosed string": GOOD + 'x = "abc\n',
    "unclosed array at the end": GOOD + "x = [1, 2",
    "nested arrays": NESTED_ARRAYS + GOOD,
}


def _issues(tmp_path: Path, text: str) -> list[ConfigIssue]:
    data, issues = read_toml(write(tmp_path, text))
    return issues if data is None else parse_config(data, tmp_path / "site.toml")[1]


@pytest.mark.parametrize("text", WHOLE_CASES.values(), ids=WHOLE_CASES.keys())
def test_vietnamese_messages_carry_no_english_words(tmp_path: Path, text: str) -> None:
    issues = _issues(tmp_path, text)
    assert issues
    for issue in issues:
        assert not _ENGLISH.search(issue.message("vi")), issue.message("vi")


def test_toml_error_at_the_end_of_the_file_still_gives_its_line(tmp_path: Path) -> None:
    issues = _issues(tmp_path, GOOD + "x = [1, 2")
    assert issues[0].problem is Problem.TOML_SYNTAX and issues[0].line == GOOD.count("\n") + 1
    assert "mảng chưa có dấu đóng ']'" in issues[0].message("vi")


def test_file_saved_by_notepad_with_a_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "site.toml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
    result = _check(path)
    assert result.returncode == 0, result.stdout


def test_utf16_and_ansi_files_say_which_encoding_is_expected_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "site.toml"
    path.write_text(GOOD, "utf-16")
    assert "UTF-16; cần UTF-8" in _check(path).stdout
    path.write_bytes(GOOD.encode("cp1252", errors="replace"))  # Notepad's ANSI on a Western Windows
    output = _check(path).stdout
    assert "không phải mã UTF-8" in output and "dòng 4, cột 10" in output  # the "ã" of "Xã Thử"


def test_invisible_characters_in_ids_are_shown_visibly(tmp_path: Path) -> None:
    issues = _issues(tmp_path, GOOD.replace('id = "C01"', 'id = "C\u200b01"'))
    bad = next(i for i in issues if i.problem is Problem.BAD_ID)
    assert bad.where == "cameras[0] (C\\u200b01)" and 'Mã "C\\u200b01"' in bad.message("vi")
    assert "\u200b" not in bad.describe("vi")


def test_two_cameras_on_the_same_stream_address_are_a_warning(tmp_path: Path) -> None:
    second = CAMERA.replace('id = "C01"', 'id = "C02"').replace("192.168.1.64:554", "192.168.1.64")
    second = second.replace("Channels/102", "Channels/202")
    issues = _issues(tmp_path, GOOD + "[[cameras]]" + second)
    same = [i for i in issues if i.problem is Problem.DUPLICATE_STREAM]
    assert [(i.where, i.field, i.severity.value) for i in same] == [("cameras[1] (C02)", "main_url", "warning")]
    assert same[0].params["other"] == "cameras[0] (C01).main_url"


def test_more_cameras_than_a_commune_can_have_is_an_error_stating_the_limit(tmp_path: Path) -> None:
    blocks = "".join("[[cameras]]" + CAMERA.replace('"C01"', f'"C{n:04d}"').replace("101", f"{n}")
                     for n in range(MAX_CAMERAS_PER_FILE + 1))
    issues = _issues(tmp_path, GOOD.split("[[cameras]]")[0] + blocks)
    limit = next(i for i in issues if i.problem is Problem.TOO_MANY_CAMERAS_IN_FILE)
    assert f"{MAX_CAMERAS_PER_FILE + 1} camera, quá giới hạn {MAX_CAMERAS_PER_FILE}" in limit.message("vi")


def test_map_edit_of_a_notepad_file_with_a_bom_is_accepted(tmp_path: Path) -> None:
    from console.core.config_edit import SiteFileEditor

    path = tmp_path / "site.toml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
    SiteFileEditor(path).update_camera("C01", {"bearing_deg": 20})
    assert "bearing_deg = 20" in path.read_text("utf-8") and not path.read_bytes().startswith(b"\xef\xbb\xbf")
