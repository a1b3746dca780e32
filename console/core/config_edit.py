"""Edits of a site file from the map's admin mode and the *Thêm camera* wizard: a camera's position, bearing,
angle and range, whole `[[cameras]]`/`[[sites]]` entries added, changed or removed, written back into the
department's TOML changing only those lines (comments, order and everything else stay), checked by the same
validation as at start, written atomically (the wizard's with a backup copy beside the file), and undoable."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import stat
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from console.core import toml_file
from console.core.atomic import write_durably
from console.core.config import ConfigError, ConfigIssue, Severity, SiteConfig, parse_config

_TABLE = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.]+)\s*\]\]?\s*(#.*)?$")
_ID = re.compile(r'^\s*id\s*=\s*"([^"]*)"')
EDITABLE = ("lat", "lon", "bearing_deg", "fov_deg", "range_m")
_MAP_SUBTABLE = re.compile(r"^\s*\[\s*map\.", re.MULTILINE)
MAP_KEYS = ("mbtiles", "image", "image_bounds", "vector")  # what "Add a map…" writes into [map]
# A [map] value: a path, the image's corners { west, south, east, north }, a list of GeoJSON files; None removes.
MapValue = str | Mapping[str, float] | list[str] | None
DECIMALS = {"lat": 6, "lon": 6, "bearing_deg": 1, "fov_deg": 1, "range_m": 1}
ENTRY_KINDS = ("sites", "cameras")  # the arrays of tables whose entries are added, changed and removed whole
# A value of an entry or a top-level key; None removes the key.
TomlValue = str | bool | int | float | Sequence[str] | Mapping[str, float]
BACKUP_MARK = ".bak-"  # site.toml.bak-20261203-075513: the file as it was before a wizard's save
KEEP_BACKUPS = 20  # older backups of the same file are removed (a technician adding 25 cameras one by one)
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")


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


def literal(value: TomlValue) -> str:
    """A TOML literal: strings as basic strings (a JSON string is one, DEL escaped too), numbers, booleans,
    lists of strings and inline tables of numbers."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("TOML numbers here are finite")
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{k} = {literal(float(v))}" for k, v in value.items()) + " }"
    return "[" + ", ".join(literal(v) for v in value) + "]"


@dataclass(frozen=True)
class _Block:
    """One top-level table of the file, as lines: [start, end) with the comment lines right above its header,
    its own keys in (header, body_end), then its sub-tables (`[cameras.onvif]`) up to `end`."""

    name: str
    array: bool
    start: int
    header: int
    body_end: int
    end: int
    ident: str | None


def _is_comment(line: str) -> bool:
    return line.strip().startswith("#")


def _blocks(lines: Sequence[str]) -> list[_Block]:
    headers: list[tuple[int, str, bool]] = []
    for index, line in enumerate(lines):
        found = _TABLE.match(line)
        if found:
            headers.append((index, found.group(1), line.strip().startswith("[[")))
    tops: list[tuple[int, str, bool, int]] = []  # header, name, array, first sub-table header
    for index, name, array in headers:
        parent = tops[-1][1] if tops else None
        if parent is not None and name.startswith(parent + "."):
            if tops[-1][3] < 0:
                tops[-1] = (*tops[-1][:3], index)
            continue
        tops.append((index, name, array, -1))
    starts = []
    for index, *_ in tops:
        start = index
        while start > 0 and _is_comment(lines[start - 1]):
            start -= 1
        starts.append(start)
    blocks = []
    for number, (index, name, array, first_sub) in enumerate(tops):
        end = starts[number + 1] if number + 1 < len(tops) else len(lines)
        body_end = first_sub if first_sub >= 0 else end
        ident = next((m.group(1) for m in (_ID.match(line) for line in lines[index + 1:body_end]) if m), None)
        blocks.append(_Block(name, array, starts[number], index, body_end, end, ident))
    return blocks


def _lines(text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    return lines


def _entry(blocks: Iterable[_Block], kind: str, ident: str) -> _Block:
    if kind not in ENTRY_KINDS:
        raise ValueError(f"[[{kind}]] entries are not edited here")
    found = next((b for b in blocks if b.array and b.name == kind and b.ident == ident), None)
    if found is None:
        raise KeyError(ident)
    return found


def _value_end(line: str) -> int:
    """Where the value of a `key = value  # comment` line ends (a '#' inside a string is not a comment)."""
    equals = line.index("=")
    for index in (i for i, ch in enumerate(line) if ch == "#" and i > equals):
        try:
            tomllib.loads("k =" + line[equals + 1:index])
        except tomllib.TOMLDecodeError:
            continue
        return index
    try:
        tomllib.loads("k =" + line[equals + 1:])
    except tomllib.TOMLDecodeError:  # an array or string over several lines: not written by us, left alone
        raise ValueError(f"{line.strip()!r} spans several lines") from None
    return len(line.rstrip("\r\n"))


def _set_keys(lines: list[str], first: int, end: int, values: Mapping[str, TomlValue | None]) -> list[str]:
    """lines[first:end] (key lines of one table) with `values` set in place, added after the last key, or
    removed (None); a replaced line keeps its indentation and its comment."""
    body = lines[first:end]
    for key, value in values.items():
        at = next((i for i, line in enumerate(body) if (m := _KEY.match(line)) and m.group(1) == key), None)
        if at is None:
            if value is not None:
                last = max((i + 1 for i, line in enumerate(body) if _KEY.match(line)), default=0)
                body.insert(last, f"{key} = {literal(value)}\n")
            continue
        if value is None:
            del body[at]
            continue
        line = body[at]
        cut = _value_end(line)
        indent = line[:len(line) - len(line.lstrip())]
        comment = line[cut:].rstrip("\r\n")
        body[at] = f"{indent}{key} = {literal(value)}{'  ' + comment.lstrip() if comment.strip() else ''}\n"
    return lines[:first] + body + lines[end:]


def _key_lines(values: Mapping[str, TomlValue | None]) -> list[str]:
    return [f"{key} = {literal(value)}\n" for key, value in values.items() if value is not None]


def add_entry(text: str, kind: str, values: Mapping[str, TomlValue], comments: Sequence[str] = (),
              tables: Mapping[str, Mapping[str, TomlValue]] | None = None) -> str:
    """The file's text with a new `[[kind]]` entry ("sites" or "cameras") after the last one of its kind (a
    first site goes before the cameras; a first camera at the end). `comments` become `# …` lines in it,
    `tables` its sub-tables (`{"onvif": {"port": 80}}` → `[cameras.onvif]` / `port = 80`)."""
    if kind not in ENTRY_KINDS:
        raise ValueError(f"[[{kind}]] entries are not added here")
    lines = _lines(text)
    blocks = _blocks(lines)
    same = [b for b in blocks if b.array and b.name == kind]
    cameras = [b for b in blocks if b.array and b.name == "cameras"]
    if same:
        at = same[-1].end
    elif kind == "sites" and cameras:
        at = cameras[0].start
    else:
        at = len(lines)
    while at > 0 and not lines[at - 1].strip():  # the new entry follows the previous one after one blank line
        at -= 1
    entry = [f"[[{kind}]]\n", *_key_lines(values), *(f"# {line}\n" for line in comments)]
    for name, table in (tables or {}).items():
        entry += [f"[{kind}.{name}]\n", *_key_lines(table)]
    before = ["\n"] if at > 0 else []
    after = ["\n"] if at < len(lines) and lines[at].strip() else []
    return "".join(lines[:at] + before + entry + after + lines[at:])


def remove_entry(text: str, kind: str, ident: str) -> str:
    """The file's text without the `[[kind]]` entry whose id is `ident`: its lines, its sub-tables and the
    comment lines right above it. KeyError when there is none."""
    lines = _lines(text)
    block = _entry(_blocks(lines), kind, ident)
    start = block.start
    if block.end == len(lines):  # the last one: the blank lines that set it apart go with it
        while start > 0 and not lines[start - 1].strip():
            start -= 1
    return "".join(lines[:start] + lines[block.end:])


def set_entry_fields(text: str, kind: str, ident: str, values: Mapping[str, TomlValue | None]) -> str:
    """The file's text with keys of the `[[kind]]` entry `ident` set (in place, keeping the line's comment, or
    added after its last key; None removes one). Its sub-tables stay as they are. KeyError when absent."""
    lines = _lines(text)
    block = _entry(_blocks(lines), kind, ident)
    return "".join(_set_keys(lines, block.header + 1, block.body_end, values))


def set_top_fields(text: str, values: Mapping[str, TomlValue | None]) -> str:
    """The file's text with top-level keys (before the first table) set, added or removed."""
    lines = _lines(text)
    blocks = _blocks(lines)
    first = blocks[0].start if blocks else len(lines)
    if any(_KEY.match(line) for line in lines[:first]):
        return "".join(_set_keys(lines, 0, first, values))
    added = _key_lines(values)
    at = 0
    while at < first and _is_comment(lines[at]):  # after the file's opening comment
        at += 1
    return "".join(lines[:at] + added + (["\n"] if at < len(lines) and lines[at].strip() else []) + lines[at:])


def entry_lines(text: str, kind: str, ident: str) -> list[str]:
    """The lines of the `[[kind]]` entry `ident` (its comments and sub-tables included). KeyError if absent."""
    lines = _lines(text)
    block = _entry(_blocks(lines), kind, ident)
    return lines[block.start:block.end]


def entry_ids(text: str, kind: str) -> list[str]:
    """The ids of the file's `[[kind]]` entries, in file order."""
    return [b.ident for b in _blocks(_lines(text)) if b.array and b.name == kind and b.ident is not None]


def backup_path(path: Path, now: dt.datetime | None = None) -> Path:
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.name}{BACKUP_MARK}{stamp}")
    number = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.name}{BACKUP_MARK}{stamp}-{number}")
        number += 1
    return candidate


def backups_of(path: Path) -> list[Path]:
    """The backup copies beside `path`, oldest first."""
    return sorted(path.parent.glob(f"{glob_escape(path.name)}{BACKUP_MARK}*"), key=lambda p: p.stat().st_mtime_ns)


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


@dataclass
class SiteFileEditor:
    """Writes camera changes into one site file; remembers the text before the last change for undo.
    `authorize` is asked before every write (it raises to refuse: only admins edit the site file) and `changed`
    hears the text before and after each one (the audit trail's *Thay đổi cài đặt*)."""

    path: Path
    history: list[str] = field(default_factory=list)
    authorize: Callable[[], None] | None = None
    changed: Callable[[str, str], None] | None = None

    def update_camera(self, camera_id: str, values: Mapping[str, float]) -> None:
        self._change(lambda text: set_camera_fields(text, camera_id, values))

    def update_map(self, values: Mapping[str, MapValue]) -> None:
        """Set [map] keys (the base map "Add a map…" installed), checked and written like a camera's change."""
        self._change(lambda text: set_map_fields(text, values))

    def _change(self, edit: Callable[[str], str]) -> None:
        self.change(edit)

    def read_text(self) -> str:
        """The file's text now (a Notepad BOM dropped); ConfigError when it cannot be read as UTF-8 TOML."""
        before = toml_file.decode(self.path.read_bytes())
        if isinstance(before, toml_file.TomlFault):
            raise ConfigError(self.path, [ConfigIssue(str(self.path), "", before.site_problem(), before.params,
                                                      line=before.line)])
        return before

    def change(self, edit: Callable[[str], str], *, credential_refs: Callable[[], set[str]] | None = None,
               backup: bool = False) -> SiteConfig:
        """Apply `edit` to the file's text, check the result (with every camera's credentials reference when
        `credential_refs` is given), keep a copy of the file as it was beside it when `backup`, write the
        result and remember the old text for `undo`. Nothing is written when the check fails (ConfigError)."""
        if self.authorize is not None:
            self.authorize()
        before = self.read_text()
        after = edit(before)
        config = self.validate(after, credential_refs)
        if backup:
            self._backup()
        self._write(after)
        self.history.append(before)
        if self.changed is not None:
            self.changed(before, after)
        return config

    def validate(self, text: str, credential_refs: Callable[[], set[str]] | None = None) -> SiteConfig:
        """The config `text` would be if it were this file; ConfigError naming every error otherwise."""
        data = toml_file.parse(text)
        if isinstance(data, toml_file.TomlFault):  # cannot happen with our own edits; never write it anyway
            issue = ConfigIssue(str(self.path), "", data.site_problem(), data.params, line=data.line)
            raise ConfigError(self.path, [issue])
        config, issues = parse_config(data, self.path, credential_refs)
        errors = [i for i in issues if i.severity is Severity.ERROR]
        if errors or config is None:
            raise ConfigError(self.path, errors)
        return config

    def _backup(self) -> Path:
        """A copy of the file as it is, beside it with its mode, before a wizard's save (older ones pruned)."""
        target = backup_path(self.path)
        write_durably(target, self.path.read_bytes(), mode=stat.S_IMODE(self.path.stat().st_mode))
        for old in backups_of(self.path)[:-KEEP_BACKUPS]:
            old.unlink(missing_ok=True)
        return target

    def undo(self) -> bool:
        if not self.history:
            return False
        if self.authorize is not None:
            self.authorize()
        now, before = self.read_text(), self.history.pop()
        self._write(before)
        if self.changed is not None:
            self.changed(now, before)
        return True

    def _write(self, text: str) -> None:
        """Whole or not at all after a power cut, with the file's own mode and owner (core/atomic)."""
        write_durably(self.path, text.encode("utf-8"))

