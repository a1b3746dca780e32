"""The vector map without Qt: the demo's schematic, GeoJSON faults located by file, feature and field in both
languages, the [map] keys of the site file, georeferencing a scan from clicked sites, installing a map."""

from __future__ import annotations

import itertools
import json
import math
import threading
from pathlib import Path

import pytest

from console.core.config import ConfigError, load_config, parse_config, read_toml
from console.core.config_edit import SiteFileEditor, set_map_fields
from console.core.geo import GeoPoint, GeoreferenceError, GeoreferenceProblem, distance_m, georeference, to_pixel
from console.core.map_import import MapKind, install_map
from console.core.paths import demo_config_path
from console.core.vector_map import MAX_FILE_BYTES, Kind, load_vector_map, parse_geojson, read_geojson
from tests.support.siteconfig import write_demo_config

DEMO_MAP = demo_config_path().parent / "gia_dong_map.geojson"


def _distance_to_line(point: GeoPoint, line: tuple[GeoPoint, ...]) -> float:
    """Metres from a point to a polyline (flat approximation, fine over a commune)."""
    k = 111_320.0
    px, py = point.lon * k * math.cos(math.radians(point.lat)), point.lat * k
    best = math.inf
    for a, b in itertools.pairwise(line):
        ax, ay = a.lon * k * math.cos(math.radians(a.lat)), a.lat * k
        bx, by = b.lon * k * math.cos(math.radians(b.lat)), b.lat * k
        dx, dy = bx - ax, by - ay
        t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
        best = min(best, math.hypot(px - ax - t * dx, py - ay - t * dy))
    return best


def test_demo_ships_an_approximate_schematic_of_gia_dong_roads_villages_and_boundary() -> None:
    site = load_config(demo_config_path())
    assert site.map.vector == (DEMO_MAP,)
    assert DEMO_MAP.stat().st_size < 50_000
    vector, issues = load_vector_map(site.map.vector)
    assert issues == [] and vector.approximate
    roads = {f.name: f for f in vector.of_kind(Kind.ROAD)}
    assert {"QL38", "QL282"} <= set(roads) and roads["QL38"].cls == roads["QL282"].cls == "national"
    for neighbour in ("Đại Đồng Thành", "Ninh Xá", "Nguyệt Đức", "Thanh Khương"):
        assert roads[f"Đường liên xã đi {neighbour}"].cls == "inter_commune"
    assert {f.name for f in vector.of_kind(Kind.VILLAGE)} == {"Tam Á", "Ngọc Khám", "Yên Định"}
    assert len(vector.of_kind(Kind.BOUNDARY)) == 1 and {f.cls for f in vector.of_kind(Kind.LANDMARK)} == {
        "office", "school"}
    # Drawn from the demo's own coordinates: every site is on one of its roads.
    lines = [part for road in roads.values() for part in road.parts]
    for s in site.sites:
        assert min(_distance_to_line(s.position, line) for line in lines) < 60, s.name


def _collection(*features: object) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def _feature(cls: object, geometry: object, name: str = "X") -> dict[str, object]:
    return {"type": "Feature", "properties": {"class": cls, "name": name}, "geometry": geometry}


def test_each_bad_feature_is_named_by_file_feature_and_field_and_the_good_ones_are_kept() -> None:
    road = {"type": "LineString", "coordinates": [[106.06, 21.05], [106.07, 21.05]]}
    text = _collection(
        _feature("national", road, "QL38"),
        _feature("national", {"type": "Circle", "coordinates": [106.06, 21.05]}, "Vòng xuyến"),
        _feature("highway", road, "Cao tốc"),
        _feature("local", {"type": "LineString", "coordinates": [[106.06, 121.05], [106.07, 21.05]]}, "Ngõ 3"),
        _feature("village", {"type": "Polygon", "coordinates": [[[106.0, 21.0], [106.1, 21.0], [106.1, 21.1]]]},
                 "Thôn Mới"),
        _feature("office", road, "UBND"),
        {"type": "Feature", "properties": "x", "geometry": road},
    )
    vector, issues = parse_geojson(text, Path("/x/duong.geojson"))
    assert [f.name for f in vector.features] == ["QL38"]
    assert [(i.where, i.field) for i in issues] == [
        ("duong.geojson features[1] (Vòng xuyến)", "geometry.type"),
        ("duong.geojson features[2] (Cao tốc)", "properties.class"),
        ("duong.geojson features[3] (Ngõ 3)", "geometry.coordinates"),
        ("duong.geojson features[4] (Thôn Mới)", "geometry.coordinates"),
        ("duong.geojson features[5] (UBND)", "geometry.type"),
        ("duong.geojson features[6]", "properties"),
    ]
    vi = [i.describe("vi") for i in issues]
    en = [i.describe("en") for i in issues]
    assert "Kiểu hình học \"Circle\" không được hỗ trợ" in vi[0] and "Geometry type \"Circle\"" in en[0]
    assert "\"highway\"" in vi[1] and "national" in vi[1]
    assert "vĩ độ từ -90 đến 90" in vi[2] and "latitude within -90…90" in en[2]
    assert "điểm cuối trùng điểm đầu" in vi[3]
    assert "Lớp \"office\" cần hình học điểm (Point)" in vi[4] and "needs a point (Point) geometry" in en[4]
    for message in vi:  # whole Vietnamese sentences: no English words of ours inside
        assert not any(word in message for word in ("expected", "Invalid", "must", "line", "needs"))


def test_unreadable_files_say_where(tmp_path: Path) -> None:
    broken = tmp_path / "hong.geojson"
    broken.write_text('{"type": "FeatureCollection",\n  "features": [ {"type": } ]}', "utf-8")
    _, issues = read_geojson(broken)
    assert issues[0].describe("vi") == "hong.geojson: Tệp sơ đồ có lỗi cú pháp JSON ở dòng 2, cột 26"
    legacy = tmp_path / "cu.geojson"
    legacy.write_bytes(b'{"type": "FeatureCollection", "features": [],\n "name": "' + "Gia Đông".encode("cp1258")
                       + b'"}')
    _, issues = read_geojson(legacy)
    assert "dòng 2" in issues[0].describe("vi")
    huge = tmp_path / "lon.geojson"
    with huge.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    _, issues = read_geojson(huge)
    assert "quá lớn (5.0 MB, tối đa 5.0 MB)" in issues[0].describe("vi")
    _, issues = read_geojson(tmp_path / "khong-co.geojson")
    assert issues[0].describe("vi") == f"{tmp_path / 'khong-co.geojson'}: Không đọc được tệp sơ đồ: tệp không tồn tại"
    _, issues = parse_geojson('{"type": "Feature"}', tmp_path / "mot.geojson")
    assert "không phải GeoJSON FeatureCollection" in issues[0].describe("vi")
    _, issues = parse_geojson("[" * 100_000, tmp_path / "sau.geojson")
    assert issues  # nested thousands deep: refused, not a crash


def _site_text(extra: str) -> str:
    return demo_config_path().read_text("utf-8").replace('credentials_file = "credentials.toml"\n', "") + extra


def test_map_section_names_vector_files_and_refuses_wrong_values(tmp_path: Path) -> None:
    path = tmp_path / "site.toml"
    path.write_text(_site_text(""), "utf-8")
    data, _ = read_toml(path)
    assert data is not None
    data["map"] = {"vector": ["a.geojson", "sub/b.geojson"]}
    config, _ = parse_config(data, path)
    assert config is not None and config.map.vector == (tmp_path / "a.geojson", tmp_path / "sub" / "b.geojson")
    data["map"] = {"vector": "a.geojson"}
    _, issues = parse_config(data, path)
    assert any(i.field == "vector" and "mảng tên tệp" in i.message("vi") for i in issues)
    data["map"] = {"vector": ["a.geojson", 3, " "]}
    _, issues = parse_config(data, path)
    assert {i.field for i in issues if i.where == "map"} == {"vector[1]", "vector[2]"}
    data["map"] = {"image": "q.png", "image_bounds": {"west": 106.07, "south": 21.03, "east": 106.04,
                                                       "north": 21.07}}
    _, issues = parse_config(data, path)
    bad = [i for i in issues if i.field == "image_bounds"]
    assert len(bad) == 1 and "west nhỏ hơn east" in bad[0].message("vi")


def test_two_clicked_sites_place_a_north_up_scan_exactly_and_three_fit_a_turned_one() -> None:
    a, b, c = GeoPoint(21.0652, 106.0452), GeoPoint(21.0328, 106.0598), GeoPoint(21.0541, 106.0803)
    k = 2.0e-5  # zoom-0 Mercator pixels per picture pixel (≈ 3 m)

    def north_up(p: GeoPoint) -> tuple[float, float]:
        x, y = to_pixel(p, 0)
        origin = to_pixel(GeoPoint(21.075, 106.04), 0)
        return (x - origin[0]) / k, (y - origin[1]) / k

    fit = georeference([(north_up(a), a), (north_up(b), b)])
    assert max(fit.errors_m()) < 0.01 and distance_m(fit.to_geo(*north_up(c)), c) < 0.01
    west, south, east, north = fit.bounds(2000, 2000)
    assert abs(west - 106.04) < 1e-9 and abs(north - 21.075) < 1e-6 and west < east and south < north
    # A scan turned by 4°: three points recover it; two points (north-up only) would be tens of metres off.
    turn = math.radians(4)

    def turned(p: GeoPoint) -> tuple[float, float]:
        u, v = north_up(p)
        return u * math.cos(turn) - v * math.sin(turn), u * math.sin(turn) + v * math.cos(turn)

    fit3 = georeference([(turned(a), a), (turned(b), b), (turned(c), c)])
    assert max(fit3.errors_m()) < 0.01
    far = GeoPoint(21.0412, 106.0652)
    assert distance_m(fit3.to_geo(*turned(far)), far) < 0.5
    assert distance_m(georeference([(turned(a), a), (turned(b), b)]).to_geo(*turned(far)), far) > 20
    # Three points on one line fall back to scale and shift instead of failing.
    middle = GeoPoint((a.lat + b.lat) / 2, (a.lon + b.lon) / 2)
    assert max(georeference([(north_up(a), a), (north_up(b), b), (north_up(middle), middle)]).errors_m()) < 1
    for points, problem in (([(north_up(a), a)], GeoreferenceProblem.TOO_FEW),
                            ([((5.0, 5.0), a), ((5.0, 5.0), b)], GeoreferenceProblem.SAME_PLACE),
                            ([(north_up(a), b), (north_up(b), a)], GeoreferenceProblem.NOT_NORTH_UP)):
        with pytest.raises(GeoreferenceError) as caught:
            georeference(points)
        assert caught.value.problem is problem


def test_map_keys_are_written_in_place_keeping_the_rest_of_the_file() -> None:
    text = "# the department's file\nschema_version = 1\n[map]\n# keep me\nvector = [\n  \"a.geojson\",\n]\n" \
           "online_osm = false  # no internet\n\n[[sites]]\nid = \"S01\"\n"
    after = set_map_fields(text, {"vector": ["a.geojson", "b.geojson"], "mbtiles": "map/x.mbtiles", "image": None})
    assert after == ("# the department's file\nschema_version = 1\n[map]\n# keep me\n"
                     "vector = [\"a.geojson\", \"b.geojson\"]\nonline_osm = false  # no internet\n"
                     "mbtiles = \"map/x.mbtiles\"\n\n[[sites]]\nid = \"S01\"\n")
    added = set_map_fields("schema_version = 1\n[[sites]]\nid = \"S01\"", {
        "image": "map/Bản đồ xã.png", "image_bounds": {"west": 106.04, "south": 21.03, "east": 106.08,
                                                         "north": 21.07}})
    assert added.endswith("\n[map]\nimage = \"map/Bản đồ xã.png\"\n"
                          "image_bounds = { west = 106.04, south = 21.03, east = 106.08, north = 21.07 }\n")
    with pytest.raises(ValueError, match="sub-tables"):
        set_map_fields("[map.image_bounds]\nwest = 1\n", {"image": "x.png"})


def test_install_copies_into_the_site_map_folder_names_it_in_the_site_file_and_never_overwrites(
        tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "site").mkdir(parents=True)
    (tmp_path / "other").mkdir()
    site = write_demo_config(data / "site" / "site.toml", cameras=4)
    site.write_text(set_map_fields(site.read_text("utf-8"), {"vector": None}), "utf-8")  # the demo's own map
    editor = SiteFileEditor(site)
    workers: list[str] = []
    installed = install_map(DEMO_MAP, MapKind.GEOJSON, editor, data)
    assert installed.vector == (data / "site" / "map" / "gia_dong_map.geojson",)
    assert 'vector = ["map/gia_dong_map.geojson"]' in site.read_text("utf-8")
    again = install_map(DEMO_MAP, MapKind.GEOJSON, editor, data)
    assert [p.name for p in again.vector] == ["gia_dong_map.geojson", "gia_dong_map-2.geojson"]
    assert (data / "site" / "map" / "gia_dong_map-2.geojson").read_bytes() == DEMO_MAP.read_bytes()
    assert editor.undo() and load_config(site).map.vector == installed.vector
    thread = threading.Thread(target=lambda: workers.append(str(install_map(
        DEMO_MAP, MapKind.IMAGE, editor, data, (106.04, 21.03, 106.08, 21.07)).image)))
    thread.start()
    thread.join()
    assert workers and load_config(site).map.image_bounds == (106.04, 21.03, 106.08, 21.07)
    # A site file the editor will not rewrite: the copy is removed again, nothing is left half installed.
    other = write_demo_config(tmp_path / "other" / "site.toml", cameras=4)
    other.write_text(set_map_fields(other.read_text("utf-8"), {"vector": None, "image": "q.png"})
                     + "\n[map.image_bounds]\nwest = 106.04\nsouth = 21.03\neast = 106.08\nnorth = 21.07\n", "utf-8")
    before = sorted(p.name for p in (data / "site" / "map").iterdir())
    with pytest.raises(ValueError, match="sub-tables"):
        install_map(DEMO_MAP, MapKind.GEOJSON, SiteFileEditor(other), data)
    assert sorted(p.name for p in (data / "site" / "map").iterdir()) == before
    with pytest.raises(ConfigError):  # a file that is not a valid site file is not touched at all
        install_map(DEMO_MAP, MapKind.GEOJSON, SiteFileEditor(tmp_path / "missing.toml"), data)
