"""Pre-seeded commune defaults (never over the officer's changes), initial users, build info."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from console.core.buildinfo import BUILD_INFO_FILE, BuildInfo, git_commit, load_build_info
from console.core.seed import ASIDE_DIR, STATE_FILE, sync_seed
from console.core.users import Role, UsersFileError, hash_password, load_users, verify_password
from console.store.database import open_database
from console.store.seeding import import_seed
from console.store.users import UserStore

ROOT = Path(__file__).resolve().parents[2]
FAST_HASH = hash_password("Matkhau@2026", iterations=1000)


def make_seed(folder: Path, site: str = "name = 'v1'\n", users: str | None = None) -> Path:
    (folder / "map").mkdir(parents=True, exist_ok=True)
    (folder / "site.toml").write_text(site, "utf-8")
    (folder / "map" / "xa.mbtiles").write_bytes(b"tiles-v1")
    if users is not None:
        (folder / "users.toml").write_text(users, "utf-8")
    return folder


def test_first_start_copies_everything(tmp_path: Path) -> None:
    seed, target = make_seed(tmp_path / "seed"), tmp_path / "data" / "site"
    report = sync_seed(seed, target)
    assert report.added == ["site.toml", "map/xa.mbtiles"] and not report.updated and not report.kept
    assert (target / "site.toml").read_text("utf-8") == "name = 'v1'\n"
    assert (target / "map" / "xa.mbtiles").read_bytes() == b"tiles-v1"
    assert json.loads((target / STATE_FILE).read_text("utf-8"))["files"].keys() == {"site.toml", "map/xa.mbtiles"}
    again = sync_seed(seed, target)
    assert again.changed == [] and again.kept == []


def test_officer_changes_survive_an_update_and_untouched_files_follow_it(tmp_path: Path) -> None:
    seed, target = make_seed(tmp_path / "seed"), tmp_path / "site"
    sync_seed(seed, target)
    (target / "site.toml").write_text("name = 'officer edit'\n", "utf-8")  # the officer moved a camera
    # The department ships an update with a new site.toml and a new map pack.
    (seed / "site.toml").write_text("name = 'v2'\n", "utf-8")
    (seed / "map" / "xa.mbtiles").write_bytes(b"tiles-v2")
    os.utime(seed / "site.toml", ns=(1, 1))  # a different mtime, whatever the file system's resolution
    report = sync_seed(seed, target)
    assert report.kept == ["site.toml"] and report.updated == ["map/xa.mbtiles"]
    assert (target / "site.toml").read_text("utf-8") == "name = 'officer edit'\n"
    assert (target / ASIDE_DIR / "site.toml").read_text("utf-8") == "name = 'v2'\n"
    assert (target / "map" / "xa.mbtiles").read_bytes() == b"tiles-v2"
    # Restarting changes nothing more; the officer's file is still theirs.
    assert sync_seed(seed, target).changed == []
    assert (target / "site.toml").read_text("utf-8") == "name = 'officer edit'\n"


def test_a_file_the_officer_deleted_is_not_brought_back(tmp_path: Path) -> None:
    seed, target = make_seed(tmp_path / "seed"), tmp_path / "site"
    sync_seed(seed, target)
    (target / "map" / "xa.mbtiles").unlink()
    (seed / "map" / "xa.mbtiles").write_bytes(b"tiles-v2")
    report = sync_seed(seed, target)
    assert report.kept == ["map/xa.mbtiles"] and not (target / "map" / "xa.mbtiles").exists()


def test_an_existing_site_is_never_overwritten_by_a_first_seed(tmp_path: Path) -> None:
    seed, target = make_seed(tmp_path / "seed"), tmp_path / "site"
    target.mkdir()
    (target / "site.toml").write_text("name = 'set up by hand'\n", "utf-8")
    assert sync_seed(seed, target).kept == ["site.toml"]
    assert (target / "site.toml").read_text("utf-8") == "name = 'set up by hand'\n"


def test_no_seed_is_no_change(tmp_path: Path) -> None:
    assert sync_seed(tmp_path / "missing", tmp_path / "site").changed == []
    assert not (tmp_path / "site").exists()


USERS = f"""
[[users]]
login = "trucban1"
full_name = "Nguyễn Văn An"
role = "officer"
password_hash = "{FAST_HASH}"

[[users]]
login = "quantri"
full_name = "Trần Thị Bình"
role = "admin"
"""


def test_users_are_imported_once_and_never_overwritten(tmp_path: Path) -> None:
    seed = make_seed(tmp_path / "seed", users=USERS)
    db = open_database(tmp_path / "console.db")
    import_seed(seed, tmp_path / "site", db)
    users = {u.login: u for u in UserStore(db).all()}
    assert users["trucban1"].full_name == "Nguyễn Văn An" and users["quantri"].role is Role.ADMIN
    assert verify_password("Matkhau@2026", users["trucban1"].password_hash or "")
    assert not verify_password("sai", users["trucban1"].password_hash or "")
    # The administrator renames an officer on the station; an updated seed renames him too and adds a user.
    db.execute("UPDATE users SET full_name = 'Nguyễn Văn An (ca đêm)' WHERE login = 'trucban1'")
    db.conn.commit()
    (seed / "users.toml").write_text(USERS.replace("Nguyễn Văn An", "Nguyễn V. An") +
                                     '\n[[users]]\nlogin = "trucban2"\nfull_name = "Lê Văn Cường"\n', "utf-8")
    import_seed(seed, tmp_path / "site", db)
    users = {u.login: u for u in UserStore(db).all()}
    assert users["trucban1"].full_name == "Nguyễn Văn An (ca đêm)"
    assert users["trucban2"].role is Role.OFFICER
    db.close()


@pytest.mark.parametrize(("entry", "expected"), [
    ('login = "A B"\nfull_name = "x"', "users[0].login"),
    ('login = "ab"', "users[0].full_name: required"),
    ('login = "ab"\nfull_name = "x"\nrole = "chief"', "users[0].role"),
    ('login = "ab"\nfull_name = "x"\npassword = "123456"', "plain passwords are not allowed"),
    ('login = "ab"\nfull_name = "x"\npassword_hash = "md5$abc"', "users[0].password_hash"),
])
def test_bad_users_file_names_the_entry_and_field(tmp_path: Path, entry: str, expected: str) -> None:
    path = tmp_path / "users.toml"
    path.write_text(f"[[users]]\n{entry}\n", "utf-8")
    with pytest.raises(UsersFileError) as caught:
        load_users(path)
    assert any(expected in p for p in caught.value.problems), caught.value.problems


def test_duplicate_login_refused(tmp_path: Path) -> None:
    path = tmp_path / "users.toml"
    path.write_text('[[users]]\nlogin = "ab"\nfull_name = "x"\n[[users]]\nlogin = "ab"\nfull_name = "y"\n', "utf-8")
    with pytest.raises(UsersFileError, match="appears twice"):
        load_users(path)


def test_build_info_from_bundle_file_and_from_checkout(tmp_path: Path) -> None:
    built = BuildInfo("0.1.0", "3ad9b4b", datetime(2026, 11, 24, 8, 30, tzinfo=UTC))
    (tmp_path / BUILD_INFO_FILE).write_text(built.to_json(), "utf-8")
    assert load_build_info(tmp_path, None) == built
    assert built.one_line() == "0.1.0 (commit 3ad9b4b, built 2026-11-24 08:30 UTC)"
    (tmp_path / BUILD_INFO_FILE).write_text("{broken", "utf-8")
    fallback = load_build_info(tmp_path, ROOT)
    assert fallback.built_utc is None and fallback.commit == git_commit(ROOT)
    assert "source checkout" in fallback.one_line()
