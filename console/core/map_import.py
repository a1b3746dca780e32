"""Installing a base map the administrator chose ("Add a map…"): the file copied whole into the site's map
folder under a name that overwrites nothing, then named in the site file's [map] table (no Qt: runs on a
worker thread; a pack of hundreds of MB takes seconds to copy)."""

from __future__ import annotations

import shutil
from enum import StrEnum
from pathlib import Path

from console.core.atomic import part_path, replace_durably
from console.core.config import ConfigError, MapConfig, load_config
from console.core.config_edit import MapValue, SiteFileEditor
from console.core.seed import MAP_DIR, SITE_DIR

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff")
_COPY_CHUNK = 1 << 20


class MapKind(StrEnum):
    MBTILES = "mbtiles"
    GEOJSON = "geojson"
    IMAGE = "image"


def kind_of(path: Path) -> MapKind | None:
    suffix = path.suffix.lower()
    if suffix == ".mbtiles":
        return MapKind.MBTILES
    if suffix in (".geojson", ".json"):
        return MapKind.GEOJSON
    return MapKind.IMAGE if suffix in IMAGE_SUFFIXES else None


def map_folder(site_file: Path, data: Path | None) -> Path:
    """The data folder's site/map (where the seed's packs go too), else a map folder beside the site file."""
    return data / SITE_DIR / MAP_DIR if data is not None else site_file.parent / MAP_DIR


def free_name(folder: Path, name: str) -> Path:
    """`name` in `folder`, or name-2, name-3 … when taken (an earlier map or a seed file is never replaced)."""
    target = folder / name
    stem, suffix = target.stem, target.suffix
    number = 2
    while target.exists():
        target = folder / f"{stem}-{number}{suffix}"
        number += 1
    return target


def copy_whole(source: Path, target: Path) -> None:
    """Copy beside the target and rename: a power cut mid-copy leaves no half pack under the real name."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = part_path(target)
    try:
        with source.open("rb") as reader, temporary.open("wb") as writer:
            shutil.copyfileobj(reader, writer, _COPY_CHUNK)
        replace_durably(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def written_path(path: Path, site_file: Path) -> str:
    """How the site file names a map file: relative to the site file's folder when inside it (the folder can
    move to another machine), else absolute; always with '/' (TOML strings need no escaping then)."""
    try:
        return path.resolve().relative_to(site_file.resolve().parent).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def map_values(kind: MapKind, written: str, current: MapConfig, site_file: Path,
               bounds: tuple[float, float, float, float] | None = None) -> dict[str, MapValue]:
    """The [map] keys for a newly installed file: a raster replaces the other raster (one base at a time);
    a GeoJSON file is added to the vector files already drawn."""
    if kind is MapKind.GEOJSON:
        names = [written_path(p, site_file) for p in current.vector]
        return {"vector": [*[n for n in names if n != written], written]}
    if kind is MapKind.MBTILES:
        return {"mbtiles": written, "image": None, "image_bounds": None}
    if bounds is None:
        raise ValueError("a scanned map needs its bounds")
    west, south, east, north = bounds
    return {"mbtiles": None, "image": written,
            "image_bounds": {"west": west, "south": south, "east": east, "north": north}}


def install_map(source: Path, kind: MapKind, editor: SiteFileEditor, data: Path | None,
                bounds: tuple[float, float, float, float] | None = None) -> MapConfig:
    """Copy `source` into the map folder and name it in the site file; returns the site's new [map].

    Raises OSError when the copy fails and ConfigError when the site file refuses the change (the copy is
    removed again then: nothing is left half installed)."""
    site_file = editor.path
    current = load_config(site_file).map
    target = free_name(map_folder(site_file, data), source.name)
    copy_whole(source, target)
    try:
        editor.update_map(map_values(kind, written_path(target, site_file), current, site_file, bounds))
    except (ConfigError, ValueError, OSError):
        target.unlink(missing_ok=True)
        raise
    return load_config(site_file).map
