"""The department's side of the package tests: a commune seed, and reading the console's bench report."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from console.core.users import hash_password
from tests.support.siteconfig import write_demo_config

SEEDED_COMMUNE = "Xã Gia Đông (bản cài thử)"


def write_seed(folder: Path) -> Path:
    folder.mkdir(parents=True)
    site = write_demo_config(folder / "site.toml", cameras=4)
    site.write_text(site.read_text("utf-8").replace('name = "Xã Gia Đông"', f'name = "{SEEDED_COMMUNE}"'), "utf-8")
    (folder / "users.toml").write_text(
        '[[users]]\nlogin = "trucban1"\nfull_name = "Nguyễn Văn An"\n'
        f'password_hash = "{hash_password("Ca-dem-2026", iterations=1000)}"\n\n'
        '[[users]]\nlogin = "quantri"\nfull_name = "Trần Thị Bình"\nrole = "admin"\n', "utf-8")
    (folder / "map").mkdir()
    with sqlite3.connect(folder / "map" / "gia_dong.mbtiles") as pack:
        pack.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
        pack.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
        pack.execute("INSERT INTO metadata VALUES ('name', 'Gia Đông'), ('format', 'png')")
    return folder


def bench_frames(report: Path) -> int:
    try:
        data = json.loads(report.read_text("utf-8"))
    except (OSError, ValueError):
        return 0
    return sum(1 for tile in data["tiles"] if tile["camera"] and tile["frames"] > 0)
