"""The [commune] keys of official forms (police_unit, superior_unit, place): optional, never empty when given,
named precisely when wrong, and the demo commune's written out."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.core.config import ConfigError, load_config
from console.core.config_messages import Problem
from console.core.paths import demo_config_path
from tests.unit.test_config import GOOD, errors_of, write

UNIT_KEYS = 'police_unit = "Công an xã Thử"\nsuperior_unit = "Công an thị xã Thuận Thành"\nplace = "Thử"\n'


def with_commune(extra: str) -> str:
    return GOOD.replace('name = "Xã Thử"\n', 'name = "Xã Thử"\n' + extra, 1)


def test_unit_keys_are_read_and_absent_keys_are_left_to_the_interface(tmp_path: Path) -> None:
    commune = load_config(write(tmp_path, with_commune(UNIT_KEYS))).commune
    assert (commune.police_unit, commune.superior_unit, commune.place) == (
        "Công an xã Thử", "Công an thị xã Thuận Thành", "Thử")
    bare = load_config(write(tmp_path, GOOD)).commune
    assert (bare.police_unit, bare.superior_unit, bare.place) == (None, None, None)


@pytest.mark.parametrize("key", ["police_unit", "superior_unit", "place"])
def test_an_empty_or_wrongly_typed_unit_key_is_named_in_both_languages(tmp_path: Path, key: str) -> None:
    assert errors_of(tmp_path, with_commune(f'{key} = "  "\n')) == [("commune", key, Problem.EMPTY)]
    assert errors_of(tmp_path, with_commune(f"{key} = 5\n")) == [("commune", key, Problem.WRONG_TYPE)]
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, with_commune(f'{key} = ""\n')))
    [issue] = caught.value.errors
    assert issue.describe("vi") == f"commune.{key}: Không được để trống"
    assert issue.describe("en") == f"commune.{key}: Must not be empty"


def test_the_demo_commune_names_its_superior_unit_a_town() -> None:
    commune = load_config(demo_config_path()).commune
    assert commune.superior_unit == "Công an thị xã Thuận Thành"  # Thuận Thành is a thị xã, not a huyện
    assert (commune.police_unit, commune.place) == ("Công an xã Gia Đông", "Gia Đông")
