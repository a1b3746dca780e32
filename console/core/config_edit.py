"""Edits of a site file from the map's admin mode: a camera's position, bearing, angle and range written back
into the department's TOML, changing only those lines (comments, order and everything else stay), checked
by the same validation as at start, written atomically, and undoable."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from console.core import toml_file
from console.core.atomic import write_durably
from console.core.config import ConfigError, ConfigIssue, Severity, parse_config

_TABLE = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.]+)\s*\]\]?\s*(#.*)?$")
_ID = re.compile(r'^\s*id\s*=\s*"([^"]*)"')
EDITABLE = ("lat", "lon", "bearing_deg", "fov_deg", "range_m")
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


@dataclass
class SiteFileEditor:
    """Writes camera changes into one site file; remembers the text before the last change for undo."""

    path: Path
    history: list[str] = field(default_factory=list)

    def update_camera(self, camera_id: str, values: Mapping[str, float]) -> None:
        before = toml_file.decode(self.path.read_bytes())  # a Notepad BOM is dropped when written back
        if isinstance(before, toml_file.TomlFault):
            raise ConfigError(self.path, [ConfigIssue(str(self.path), "", before.site_problem(), before.params,
                                                      line=before.line)])
        after = set_camera_fields(before, camera_id, values)
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

