"""Commune defaults pre-seeded by the installer, copied into the officer's data folder without ever
overwriting what the officer changed.

The department's seed folder holds `site.toml` (the site configuration), optionally `users.toml` (initial
users) and `map/` (MBTiles packs, georeferenced images). On every start `sync_seed` compares it with what
was imported before (`.seed-state.json` in the target): a new file is copied; a file the officer has not
touched is replaced by a newer seed version (an update of the installer); a file the officer changed or
deleted is left alone, and the newer default is put aside in `.seed-new/` for the technician.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from console.core.atomic import part_path, replace_durably, write_durably

SITE_DIR = "site"  # in the data folder: the imported site config, map packs and credentials store
STATE_FILE = ".seed-state.json"
ASIDE_DIR = ".seed-new"
SITE_FILE = "site.toml"
USERS_FILE = "users.toml"
MAP_DIR = "map"
# Passwords are never shipped in an installer (its files are readable by every user of the machine).
FORBIDDEN_NAMES = ("credentials.toml",)
_CHUNK = 1 << 20


def installed_site(data: Path) -> Path:
    """The site configuration the console uses when started without --demo or --config."""
    return data / SITE_DIR / SITE_FILE


@dataclass
class SeedReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # changed or deleted by the officer; new default put aside

    @property
    def changed(self) -> list[str]:
        return self.added + self.updated


@dataclass(frozen=True)
class _Seen:
    sha256: str
    size: int
    mtime_ns: int


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def seed_files(seed: Path) -> list[str]:
    """Relative paths (with /) of the seed's files: site.toml, users.toml and everything under map/."""
    if not seed.is_dir():
        return []
    names = [n for n in (SITE_FILE, USERS_FILE) if (seed / n).is_file()]
    maps = seed / MAP_DIR
    if maps.is_dir():
        names += sorted(p.relative_to(seed).as_posix() for p in maps.rglob("*")
                        if p.is_file() and not p.name.startswith("."))
    return names


def _load_state(target: Path) -> dict[str, _Seen]:
    try:
        raw = json.loads((target / STATE_FILE).read_text("utf-8"))
        return {name: _Seen(**entry) for name, entry in raw.get("files", {}).items()}
    except (OSError, ValueError, TypeError):
        return {}


def _save_state(target: Path, state: dict[str, _Seen]) -> None:
    data = {"imported_utc": datetime.now(UTC).isoformat(timespec="seconds"),
            "files": {name: seen.__dict__ for name, seen in sorted(state.items())}}
    write_durably(target / STATE_FILE, json.dumps(data, indent=1).encode("utf-8"))


def _copy(source: Path, destination: Path) -> None:
    """Copy through a temporary file and rename, so a power cut never leaves half a site config."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    temporary = part_path(destination)
    shutil.copyfile(source, temporary)
    replace_durably(temporary, destination)


def _seen(path: Path, previous: _Seen | None) -> _Seen:
    """Hash a seed file, reusing the last hash when size and mtime are unchanged (map packs are large)."""
    stat = path.stat()
    if previous and previous.size == stat.st_size and previous.mtime_ns == stat.st_mtime_ns:
        return previous
    return _Seen(file_sha256(path), stat.st_size, stat.st_mtime_ns)


def sync_seed(seed: Path, target: Path) -> SeedReport:
    """Bring the seed's defaults into `target` (the officer's site folder); see the module docstring."""
    report = SeedReport()
    names = seed_files(seed)
    if not names:
        return report
    target.mkdir(parents=True, exist_ok=True)
    state = _load_state(target)
    for name in names:
        source, destination = seed / name, target / name
        before = state.get(name)
        now = _seen(source, before)
        if before is not None and before.sha256 == now.sha256:
            state[name] = now
            continue
        if not destination.exists() and before is None:
            _copy(source, destination)
            report.added.append(name)
        elif destination.is_file() and before is not None and file_sha256(destination) == before.sha256:
            _copy(source, destination)
            report.updated.append(name)
        else:  # the officer's own version (changed, deleted, or there before the seed): keep it
            _copy(source, target / ASIDE_DIR / name)
            report.kept.append(name)
        state[name] = now
    _save_state(target, state)
    return report
