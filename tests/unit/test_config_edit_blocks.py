"""Whole entries of a site file added, changed and removed as the *Thêm camera* wizard does it: only their own
lines change (the department's comments, order and other entries stay), the result is checked by the start-up
validator before anything is written, a backup of the old file is kept beside it, and credentials reach the
store before the file names them."""

from __future__ import annotations

import difflib
import os
import stat
from pathlib import Path

import pytest

from console.core.config import ConfigError, load_config, load_config_with_credentials
from console.core.config_edit import (
    BACKUP_MARK,
    KEEP_BACKUPS,
    SiteFileEditor,
    add_entry,
    backups_of,
    entry_ids,
    entry_lines,
    remove_entry,
    set_entry_fields,
    set_top_fields,
)
from console.core.config_messages import Problem
from console.core.credentials import Credentials, CredentialStore
from console.core.geo import GeoPoint
from console.core.paths import demo_config_path
from console.onboarding import saving
from console.onboarding.drafts import CameraDraft, OnvifOrigin, SiteDraft, next_ids

SITE = '''# Xã Thử: the department's file, comments everywhere.
schema_version = 1

[commune]
name = "Xã Thử"
center = { lat = 21.05, lon = 106.06 }

# Cổng làng, the first site
[[sites]]
id = "S01"
name = "Cổng làng"  # as the villagers say it
lat = 21.051
lon = 106.061

# North camera
[[cameras]]
id = "C01"
name = "Cổng # Bắc"  # a hash inside the name
site = "S01"
bearing_deg = 10
main_url = "rtsp://192.168.1.64:554/Streaming/Channels/101"
sub_url = "rtsp://192.168.1.64:554/Streaming/Channels/102"

# South camera
[[cameras]]
id = "C02"
name = "Cổng – Nam"
site = "S01"
bearing_deg = 190
main_url = "rtsp://192.168.1.65:554/Streaming/Channels/101"

[recording]
retention_days = 30
'''
PASSWORD = "Bi-Mat#2026"
# The same file with a sub-table in the first camera (what `[cameras.onvif]` looks like): text edits only.
WITH_SUB_TABLE = SITE.replace('''Channels/102"

# South camera''', '''Channels/102"

[cameras.extra]
note = "a sub-table of C01"

# South camera''')


def added_lines(before: str, after: str) -> list[str]:
    diff = list(difflib.ndiff(before.splitlines(), after.splitlines()))
    assert not [line for line in diff if line.startswith("- ")], "an existing line changed"
    return [line[2:] for line in diff if line.startswith("+ ")]


def draft(camera_id: str, port: int = 554) -> CameraDraft:
    return CameraDraft(camera_id, f"Camera {camera_id}", "S01", GeoPoint(21.0512345678, 106.0611), 45.0, 60.0, 80.0,
                       f"rtsp://192.168.1.70:{port}/Streaming/Channels/101",
                       f"rtsp://192.168.1.70:{port}/Streaming/Channels/102", f"cam-{camera_id.lower()}",
                       OnvifOrigin("192.168.1.70", 80))


def test_sub_tables_of_a_new_entry_follow_its_keys() -> None:
    after = add_entry(SITE, "cameras", {"id": "C03"}, tables={"onvif": {"port": 8000, "host": "10.0.0.9"}})
    assert added_lines(SITE, after) == ["[[cameras]]", 'id = "C03"', "[cameras.onvif]", "port = 8000",
                                        'host = "10.0.0.9"', ""]
    assert [line for line in entry_lines(after, "cameras", "C03") if line.strip()][-2:] == [
        "port = 8000\n", 'host = "10.0.0.9"\n']


def test_a_camera_is_added_after_the_last_camera_and_nothing_else_moves() -> None:
    after = add_entry(SITE, "cameras", {"id": "C03", "name": 'Chợ "mới"', "site": "S01", "bearing_deg": 90.5,
                                        "main_url": "rtsp://192.168.1.66/1"}, ["onvif_port = 80"])
    assert added_lines(SITE, after) == ["[[cameras]]", 'id = "C03"', 'name = "Chợ \\"mới\\""', 'site = "S01"',
                                        "bearing_deg = 90.5", 'main_url = "rtsp://192.168.1.66/1"',
                                        "# onvif_port = 80", ""]
    assert after.index('id = "C03"') > after.index('id = "C02"') and after.index("[recording]") > after.index("C03")
    assert entry_ids(after, "cameras") == ["C01", "C02", "C03"]
    assert load_config_text(after).camera("C03").name == 'Chợ "mới"'


def test_a_site_is_added_after_the_last_site_and_a_first_site_before_the_cameras() -> None:
    after = add_entry(SITE, "sites", {"id": "S02", "name": "Chợ", "lat": 21.052, "lon": 106.062})
    assert after.index('id = "S02"') < after.index("# North camera") < after.index('id = "C01"')
    assert [line for line in added_lines(SITE, after) if line][:2] == ["[[sites]]", 'id = "S02"']
    no_sites = remove_entry(SITE, "sites", "S01")
    first = add_entry(no_sites, "sites", {"id": "S09", "name": "Mới", "lat": 21.05, "lon": 106.06})
    assert first.index('id = "S09"') < first.index("[[cameras]]")


def test_removing_a_camera_takes_its_comment_and_sub_tables_and_leaves_the_rest() -> None:
    assert "a sub-table of C01" in WITH_SUB_TABLE
    after = remove_entry(WITH_SUB_TABLE, "cameras", "C01")
    assert "North camera" not in after and "a sub-table of C01" not in after and "Cổng # Bắc" not in after
    assert "# South camera" in after and "# Cổng làng, the first site" in after and "[recording]" in after
    assert entry_ids(after, "cameras") == ["C02"]
    assert remove_entry(add_entry(SITE, "cameras", {"id": "C03"}), "cameras", "C03") == SITE
    with pytest.raises(KeyError):
        remove_entry(SITE, "cameras", "C09")


def test_fields_are_set_in_place_keeping_comments_and_never_land_in_a_sub_table() -> None:
    after = set_entry_fields(WITH_SUB_TABLE, "cameras", "C01",
                             {"name": "Cổng # Bắc mới", "fov_deg": 70, "sub_url": None})
    lines = entry_lines(after, "cameras", "C01")
    assert 'name = "Cổng # Bắc mới"  # a hash inside the name\n' in lines
    assert not any(line.startswith("sub_url") for line in lines)
    assert lines.index("fov_deg = 70\n") < lines.index("[cameras.extra]\n")
    assert after.replace('name = "Cổng # Bắc mới"', 'name = "Cổng # Bắc"').replace("fov_deg = 70\n", "") == \
        WITH_SUB_TABLE.replace('sub_url = "rtsp://192.168.1.64:554/Streaming/Channels/102"\n', "")
    site = set_entry_fields(SITE, "sites", "S01", {"name": "Cổng làng cũ"})
    assert 'name = "Cổng làng cũ"  # as the villagers say it' in site


def test_a_top_level_key_goes_with_the_others_or_after_the_opening_comment() -> None:
    after = set_top_fields(SITE, {"credentials_file": "credentials.toml"})
    assert added_lines(SITE, after) == ['credentials_file = "credentials.toml"']
    assert after.index("schema_version") < after.index("credentials_file") < after.index("[commune]")
    bare = set_top_fields("# only a comment\n\n[commune]\nname = 'x'\n", {"credentials_file": "c.toml"})
    assert bare == '# only a comment\ncredentials_file = "c.toml"\n\n[commune]\nname = \'x\'\n'


def load_config_text(text: str) -> object:
    import tomllib

    from console.core.config import parse_config

    config, issues = parse_config(tomllib.loads(text))
    assert config is not None, [i.describe("en") for i in issues]
    return config


@pytest.fixture()
def site_file(tmp_path: Path) -> Path:
    path = tmp_path / "site.toml"
    path.write_text(SITE, "utf-8")
    os.chmod(path, 0o640)
    return path


def test_a_wizard_change_keeps_a_backup_and_is_undone(site_file: Path) -> None:
    editor = SiteFileEditor(site_file)
    config = editor.change(lambda text: remove_entry(text, "cameras", "C02"), backup=True)
    assert [c.id for c in config.cameras] == ["C01"] and [c.id for c in load_config(site_file).cameras] == ["C01"]
    [backup] = backups_of(site_file)
    assert backup.name.startswith(f"site.toml{BACKUP_MARK}") and backup.read_text("utf-8") == SITE
    assert stat.S_IMODE(backup.stat().st_mode) == 0o640 == stat.S_IMODE(site_file.stat().st_mode)
    assert editor.undo() and site_file.read_text("utf-8") == SITE


def test_an_invalid_result_is_refused_with_nothing_written_and_no_backup(site_file: Path) -> None:
    editor = SiteFileEditor(site_file)
    with pytest.raises(ConfigError) as caught:  # the same id twice
        editor.change(lambda text: add_entry(text, "cameras", {"id": "C01", "name": "x", "site": "S01",
                                                               "bearing_deg": 1, "main_url": "rtsp://h/1"}),
                      backup=True)
    assert Problem.DUPLICATE_ID in [i.problem for i in caught.value.errors]
    with pytest.raises(ConfigError) as caught:  # the file's last cameras removed
        editor.change(lambda text: remove_entry(remove_entry(text, "cameras", "C01"), "cameras", "C02"), backup=True)
    assert [i.problem for i in caught.value.errors] == [Problem.NO_CAMERAS]
    assert site_file.read_text("utf-8") == SITE and backups_of(site_file) == [] and not editor.history


def test_backups_are_pruned_to_the_newest(site_file: Path) -> None:
    editor = SiteFileEditor(site_file)
    for number in range(KEEP_BACKUPS + 3):
        editor.change(lambda text, n=number: set_entry_fields(text, "cameras", "C01", {"fov_deg": 10 + n}),
                      backup=True)
    assert len(backups_of(site_file)) == KEEP_BACKUPS


def test_saving_new_cameras_writes_the_store_first_and_names_it_in_the_file(site_file: Path) -> None:
    store = CredentialStore({})
    drafts = [draft(camera_id, 554 + n) for n, camera_id in enumerate(next_ids(["C01", "C02"], "C", 2))]
    site = SiteDraft("S02", "Chợ", GeoPoint(21.052, 106.062))
    drafts = [CameraDraft(**{**d.__dict__, "site_id": "S02"}) for d in drafts]
    login = Credentials("admin", PASSWORD)
    config = saving.add_cameras(SiteFileEditor(site_file), store, drafts, {d.credentials_ref or "": login
                                                                           for d in drafts}, site)
    assert [c.id for c in config.cameras] == ["C01", "C02", "C03", "C04"]
    loaded, disk = load_config_with_credentials(site_file)
    assert loaded.site("S02").name == "Chợ" and loaded.camera("C03").position.lat == 21.051235
    assert disk.get("cam-c03") == login and stat.S_IMODE((site_file.parent / "credentials.toml").stat().st_mode) \
        == 0o600
    text = site_file.read_text("utf-8")
    assert PASSWORD not in text and 'credentials_file = "credentials.toml"' in text
    assert "[cameras.onvif]\nport = 80\n" in text  # the ONVIF port the camera answered at, host as its stream's
    assert loaded.camera("C01").onvif is None


def test_a_refused_save_writes_neither_the_store_nor_the_file(site_file: Path) -> None:
    store_path = site_file.parent / "credentials.toml"
    bad = CameraDraft(**{**draft("C03").__dict__, "site_id": "S77"})  # no such site
    with pytest.raises(ConfigError) as caught:
        saving.add_cameras(SiteFileEditor(site_file), CredentialStore({}, store_path), [bad],
                           {"cam-c03": Credentials("admin", PASSWORD)})
    assert [i.problem for i in caught.value.errors] == [Problem.UNKNOWN_SITE]
    assert site_file.read_text("utf-8") == SITE and not store_path.exists() and backups_of(site_file) == []


def test_a_camera_is_edited_and_removed_and_a_site_changed(site_file: Path) -> None:
    editor, store = SiteFileEditor(site_file), CredentialStore({})
    camera = load_config(site_file).camera("C02")
    from console.onboarding.drafts import draft_of

    changed = CameraDraft(**{**draft_of(camera).__dict__, "name": "Cổng – Nam mới", "bearing_deg": 200.0})
    config = saving.update_camera(editor, store, changed)
    assert config.camera("C02").name == "Cổng – Nam mới" and config.camera("C02").bearing_deg == 200.0
    assert "# South camera" in site_file.read_text("utf-8")
    config = saving.update_site(editor, store, SiteDraft("S01", "Cổng làng cũ", GeoPoint(21.0511, 106.0611)))
    assert config.site("S01").name == "Cổng làng cũ"
    config = saving.remove_camera(editor, store, "C01")
    assert [c.id for c in config.cameras] == ["C02"] and "North camera" not in site_file.read_text("utf-8")


def test_the_demo_file_takes_a_camera_and_gives_it_back_unchanged(tmp_path: Path) -> None:
    text = demo_config_path().read_text("utf-8")
    added = add_entry(text, "cameras", {"id": "C26", "name": "Mới", "site": "S01", "bearing_deg": 0.0,
                                        "main_url": "rtsp://127.0.0.1:1/x"})
    assert remove_entry(added, "cameras", "C26") == text
    assert remove_entry(text, "cameras", "C25").startswith(text[:2000])
