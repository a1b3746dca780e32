"""Validates a commune's seed folder before it goes into an installer: every problem named, nothing shipped
that must not be (camera passwords, plain user passwords, unreadable map packs)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from console.core.config import Severity, parse_config, read_toml
from console.core.seed import FORBIDDEN_NAMES, MAP_DIR, SITE_FILE, USERS_FILE, seed_files
from console.core.users import UsersFileError, load_users

MAP_SUFFIXES = {".mbtiles", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".json", ".toml", ".txt"}


def _check_mbtiles(path: Path) -> str | None:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
            if not {"tiles", "metadata"} <= tables:
                return f"{path.name}: not an MBTiles pack (no tiles/metadata table)"
            conn.execute("SELECT zoom_level, tile_column, tile_row FROM tiles LIMIT 1").fetchall()
    except sqlite3.DatabaseError as exc:
        return f"{path.name}: not a readable SQLite file ({exc})"
    return None


def check_seed(seed: Path) -> list[str]:
    """Every problem of the seed folder (empty list: ready to ship)."""
    if not (seed / SITE_FILE).is_file():
        return [f"{seed}: {SITE_FILE} is missing (the commune's site configuration)"]
    problems = []
    allowed = {SITE_FILE, USERS_FILE, MAP_DIR}
    for entry in sorted(seed.iterdir()):
        if entry.name in FORBIDDEN_NAMES:
            problems.append(f"{entry.name}: camera passwords are never shipped in an installer; bring them to the "
                            "station and run `camera-console --import-credentials FILE`")
        elif entry.name not in allowed and not entry.name.startswith("."):
            problems.append(f"{entry.name}: unexpected (a seed holds {SITE_FILE}, {USERS_FILE} and {MAP_DIR}/)")
    data, issues = read_toml(seed / SITE_FILE)
    if data is not None:
        _, issues = parse_config(data, seed / SITE_FILE)
    problems += [f"{SITE_FILE}: {i.describe('en')}" for i in issues if i.severity is Severity.ERROR]
    if (seed / USERS_FILE).is_file():
        try:
            load_users(seed / USERS_FILE)
        except UsersFileError as exc:
            problems += [f"{USERS_FILE}: {p}" for p in exc.problems]
    for name in seed_files(seed):
        path = seed / name
        if not name.startswith(MAP_DIR + "/"):
            continue
        if path.suffix.lower() not in MAP_SUFFIXES:
            problems.append(f"{name}: not a map file ({', '.join(sorted(MAP_SUFFIXES))})")
        elif path.suffix.lower() == ".mbtiles" and (problem := _check_mbtiles(path)):
            problems.append(f"{MAP_DIR}/{problem}")
    return problems
