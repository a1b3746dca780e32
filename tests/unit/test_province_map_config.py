"""The province file's `[map]`: an MBTiles pack and GeoJSON files named relative to the file (their content is
checked when drawn: a missing one never stops the window), and every wrong value located in Vietnamese."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.core.config import MapConfig
from console.core.credentials import Credentials, CredentialStore
from console.province.config import ProvinceConfigError, load_province

HEAD = """
broker = { url = "mqtts://mqtt.example.vn", ca_file = "ca.pem", credentials = "province" }
communes = [{ id = "gia-dong", name = "Gia Đông", lat = 21.06, lon = 106.07 }]
"""


def province_file(folder: Path, map_table: str) -> Path:
    (folder / "ca.pem").write_text("x", "utf-8")
    CredentialStore({"province": Credentials("province", "hunter22")}).save(folder / "credentials.toml")
    path = folder / "province.toml"
    path.write_text(HEAD + map_table, "utf-8")
    return path


def test_map_files_are_named_relative_to_the_province_file_and_need_not_exist_yet(tmp_path: Path) -> None:
    config = load_province(province_file(tmp_path, '[map]\nmbtiles = "ban-do/bac-ninh.mbtiles"\n'
                                                   'vector = "ban-do/ranh-gioi.geojson"\n'))
    assert config.map == MapConfig(mbtiles=tmp_path / "ban-do" / "bac-ninh.mbtiles",
                                   vector=(tmp_path / "ban-do" / "ranh-gioi.geojson",))
    several = load_province(province_file(tmp_path, f'[map]\nvector = ["a.geojson", "{tmp_path / "b.geojson"}"]\n'))
    assert several.map == MapConfig(vector=(tmp_path / "a.geojson", tmp_path / "b.geojson"))
    assert load_province(province_file(tmp_path, "")).map == MapConfig()


@pytest.mark.parametrize(("table", "place", "words"), [
    ('[map]\nmbtiles = 5\n', "map.mbtiles", "cần văn bản"),
    ('[map]\nmbtiles = " "\n', "map.mbtiles", "trống"),
    ('[map]\nvector = ["a.geojson", ""]\n', "map.vector[2]", "trống"),
    ('[map]\nvector = 3\n', "map.vector", "mảng tên tệp"),
    ('[map]\nimage = "quet.jpg"\n', "map.image", "mbtiles, vector"),
    ('map = "bac-ninh.mbtiles"\n', "map", "bảng [map]"),
])
def test_a_wrong_map_value_is_located_in_vietnamese(tmp_path: Path, table: str, place: str, words: str) -> None:
    with pytest.raises(ProvinceConfigError) as raised:
        load_province(province_file(tmp_path, table))
    vi = raised.value.describe("vi")
    assert place in vi and words in vi, vi
