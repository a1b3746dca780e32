"""Edits of a site file from the map's admin mode: a camera's position, bearing, angle and range written back
into the department's TOML, changing only those lines (comments, order and everything else stay), checked
by the same validation as at start, written atomically, and undoable."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from console.core import toml_file
from console.core.atomic import write_durably
from console.core.config import ConfigError, ConfigIssue, Severity, parse_config

_TABLE = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.]+)\s*\]\]?\s*(#.*)?$")
_ID = re.compile(r'^\s*id\s*=\s*"([^"]*)"')
EDITABLE = ("lat", "lon", "bearing_deg", "fov_deg", "range_m")
_MAP_SUBTABLE = re.compile(r"^\s*\[\s*map\.", re.MULTILINE)
MAP_KEYS = ("mbtiles", "image", "image_bounds", "vector")  # what "Add a map…" writes into [map]
# A [map] value: a path, the image's corners { west, south, east, north }, a list of GeoJSON files; None removes.
MapValue = str | Mapping[str, float] | list[str] | None
DECIMALS = {"lat": 6, "lon": 6, "bearing_deg": 1, "fov_deg": 1, "range_m": 1}


def _format(key: str, value: float) -> str:
    return str(round(value, DECIMALS[key]))


def set_camera_fields(text: str, camera_id: str, values: Mapping[str, float]) -> str:
    """The file's text with the camera's fields set (replaced in place, or added after its `id` line)."""
    lines = text.splitlines(keepends=True)
    start = end = None
    in_camera = False
    for index, line in enumerate(lines):
        header = _TABLE.match(line)
        if header:
            if start is not None and end is None:
                end = index
            in_camera = line.strip().startswith("[[cameras]]")
            continue
        match = _ID.match(line)
        if in_camera and match and match.group(1) == camera_id and start is None:
            block_start = next(i for i in range(index, -1, -1) if lines[i].strip().startswith("[[cameras]]"))
            start = block_start
    if start is None:
        raise KeyError(camera_id)
    end = end if end is not None else len(lines)
    block = lines[start:end]
    for key, value in values.items():
        if key not in EDITABLE:
            raise ValueError(f"{key} cannot be edited from the map")
        rendered = f"{key} = {_format(key, value)}"
        pattern = re.compile(rf"^(\s*){re.escape(key)}\s*=\s*[^#\n]*?(\s*#.*)?$")
        for i, line in enumerate(block):
            found = pattern.match(line.rstrip("\n"))
            if found:
                newline = "\n" if line.endswith("\n") else ""
                block[i] = f"{found.group(1)}{rendered}{found.group(2) or ''}{newline}"
                break
        else:
            at = next(i for i, line in enumerate(block) if _ID.match(line))
            block.insert(at + 1, rendered + "\n")
    return "".join(lines[:start] + block + lines[end:])


def _toml_value(value: str | Mapping[str, float] | list[str]) -> str:
    """A TOML literal for a [map] value (a JSON string is a valid TOML basic string)."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in value) + "]"
    return "{ " + ", ".join(f"{k} = {round(float(v), 7)}" for k, v in value.items()) + " }"


def _map_block(lines: list[str]) -> tuple[int, int] | None:
    """[start, end) of the [map] table's lines (header included), or None when the file has none."""
    start = None
    for index, line in enumerate(lines):
        header = _TABLE.match(line)
        if header is None:
            continue
        if start is not None:
            return start, index
        if header.group(1) == "map" and not line.strip().startswith("[["):
            start = index
    return (start, len(lines)) if start is not None else None


def set_map_fields(text: str, values: Mapping[str, MapValue]) -> str:
    """The file's text with [map] keys set, replaced in place or added (a missing [map] table is appended);
    None removes a key. Everything else in the file stays as the department wrote it."""
    if _MAP_SUBTABLE.search(text):  # [map.image_bounds] as its own table: rewriting it is not worth the risk
        raise ValueError("[map] sub-tables cannot be edited here")
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    block = _map_block(lines)
    if block is None:
        lines += ["\n", "[map]\n"]
        block = (len(lines) - 1, len(lines))
    start, end = block
    body = lines[start + 1:end]
    for key, value in values.items():
        if key not in MAP_KEYS:
            raise ValueError(f"{key} cannot be set from the map")
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        at = next((i for i, line in enumerate(body) if pattern.match(line)), None)
        rendered = None if value is None else f"{key} = {_toml_value(value)}\n"
        if at is not None:
            # An array written over several lines ends at the line closing it.
            last = at
            if body[at].split("=", 1)[1].strip().startswith("[") and "]" not in body[at]:
                last = next((i for i in range(at + 1, len(body)) if "]" in body[i]), at)
            body[at:last + 1] = [] if rendered is None else [rendered]
        elif rendered is not None:
            last = max((i + 1 for i, line in enumerate(body) if line.strip()), default=0)
            body.insert(last, rendered)
    return "".join(lines[:start + 1] + body + lines[end:])


@dataclass
class SiteFileEditor:
    """Writes camera changes into one site file; remembers the text before the last change for undo."""

    path: Path
    history: list[str] = field(default_factory=list)

    def update_camera(self, camera_id: str, values: Mapping[str, float]) -> None:
        self._change(lambda text: set_camera_fields(text, camera_id, values))

    def update_map(self, values: Mapping[str, MapValue]) -> None:
        """Set [map] keys (the base map "Add a map…" installed), checked and written like a camera's change."""
        self._change(lambda text: set_map_fields(text, values))

    def _change(self, edit: Callable[[str], str]) -> None:
        before = toml_file.decode(self.path.read_bytes())  # a Notepad BOM is dropped when written back
        if isinstance(before, toml_file.TomlFault):
            raise ConfigError(self.path, [ConfigIssue(str(self.path), "", before.site_problem(), before.params,
                                                      line=before.line)])
        after = edit(before)
        self._check(after)
        self._write(after)
        self.history.append(before)

    def undo(self) -> bool:
        if not self.history:
            return False
        self._write(self.history.pop())
        return True

    def _check(self, text: str) -> None:
        data = toml_file.parse(text)
        if isinstance(data, toml_file.TomlFault):  # cannot happen with our own edits; never write it anyway
            issue = ConfigIssue(str(self.path), "", data.site_problem(), data.params, line=data.line)
            raise ConfigError(self.path, [issue])
        _, issues = parse_config(data, self.path)
        errors = [i for i in issues if i.severity is Severity.ERROR]
        if errors:
            raise ConfigError(self.path, errors)

    def _write(self, text: str) -> None:
        """Whole or not at all after a power cut, with the file's own mode and owner (core/atomic)."""
        write_durably(self.path, text.encode("utf-8"))

