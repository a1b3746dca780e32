"""Reads a TOML file as UTF-8 into data, or into one located fault: encoding, syntax, nesting, huge numbers.

Windows Notepad starts UTF-8 files with a byte-order mark: it is accepted. UTF-16 ("Unicode" in old Notepad)
and ANSI code pages are named with the place of the first wrong byte. The parser's own sentence is never
shown (it can quote the file, and a credentials store holds passwords): only its position and our words.
"""

from __future__ import annotations

import codecs
import re
import sys
import tomllib
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from console.core.config_messages import Param, Phrase, Problem, os_reason, toml_reason

MAX_NESTING = 32  # a site file nests 2 levels; tomllib itself overflows Python's stack at a few hundred
_AT = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")
_ANSI = Phrase("ANSI (Windows-1252/1258)", "ANSI (Windows-1252/1258)")


class Fault(StrEnum):
    UNREADABLE = "unreadable"
    UTF16 = "utf16"
    NOT_UTF8 = "not_utf8"
    SYNTAX = "syntax"
    TOO_DEEP = "too_deep"
    NUMBER_TOO_LONG = "number_too_long"


_SITE_PROBLEMS = {Fault.UNREADABLE: Problem.FILE_UNREADABLE, Fault.UTF16: Problem.UTF16,
                  Fault.NOT_UTF8: Problem.NOT_UTF8, Fault.SYNTAX: Problem.TOML_SYNTAX,
                  Fault.TOO_DEEP: Problem.TOO_DEEP, Fault.NUMBER_TOO_LONG: Problem.NUMBER_TOO_LONG}
_STORE_PROBLEMS = {Fault.UNREADABLE: Problem.CREDENTIALS_UNREADABLE, Fault.UTF16: Problem.CREDENTIALS_UTF16,
                   Fault.NOT_UTF8: Problem.CREDENTIALS_NOT_UTF8, Fault.SYNTAX: Problem.CREDENTIALS_SYNTAX,
                   Fault.TOO_DEEP: Problem.CREDENTIALS_TOO_DEEP, Fault.NUMBER_TOO_LONG: Problem.CREDENTIALS_SYNTAX}
_NUMBER_TOO_LONG = Phrase("số quá dài", "a number is too long")


@dataclass(frozen=True)
class TomlFault:
    """Why a file could not be read as TOML, with its line when one is known."""

    fault: Fault
    params: dict[str, Param] = field(default_factory=dict)
    line: int | None = None

    def site_problem(self) -> Problem:
        return _SITE_PROBLEMS[self.fault]

    def store_problem(self) -> Problem:
        return _STORE_PROBLEMS[self.fault]

    def store_params(self) -> dict[str, Param]:
        if self.fault is Fault.NUMBER_TOO_LONG:  # a store has no such sentence of its own: say it as syntax
            return {"line": self.params["line"], "column": self.params["column"], "reason": _NUMBER_TOO_LONG}
        return dict(self.params)


def _place(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _located(fault: Fault, text: str, index: int, **params: Param) -> TomlFault:
    line, column = _place(text, index)
    return TomlFault(fault, {"line": str(line), "column": str(column), **params}, line)


def decode(raw: bytes) -> str | TomlFault:
    """The file's text: UTF-8 with or without a BOM; UTF-16 and other encodings are a fault."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in raw[:64]:
        return TomlFault(Fault.UTF16)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[:exc.start].decode("utf-8", errors="replace")
        return _located(Fault.NOT_UTF8, before, len(before), guess=_ANSI)


def _string_end(text: str, index: int) -> int:
    """Index just past the string that starts at `index` (basic, literal or multi-line)."""
    quote = text[index]
    if text.startswith(quote * 3, index):
        end = index + 3
        while True:
            found = text.find(quote * 3, end)
            if found < 0:
                return len(text)
            if quote == "'" or (found - len(text[:found].rstrip("\\"))) % 2 == 0:
                return found + 3
            end = found + 1
    end = index + 1
    while end < len(text) and text[end] not in (quote, "\n"):
        end += 2 if quote == '"' and text[end] == "\\" else 1
    return end + 1


def _deepest(text: str) -> int:
    """Where nesting first goes past MAX_NESTING (else the deepest point), skipping strings and comments."""
    depth = deepest = at = 0
    index = 0
    while index < len(text):
        char = text[index]
        if char == "#":
            newline = text.find("\n", index)
            index = len(text) if newline < 0 else newline
            continue
        if char in "\"'":
            index = _string_end(text, index)
            continue
        if char in "[{":
            depth += 1
            if depth > deepest:
                deepest, at = depth, index
            if depth > MAX_NESTING:
                return index
        elif char in "]}":
            depth = max(0, depth - 1)
        index += 1
    return at


def _syntax(text: str, exc: tomllib.TOMLDecodeError) -> TomlFault:
    message = str(exc)
    match = _AT.search(message)
    reason = toml_reason(message[:match.start()] if match else message)
    if match is None or match.group(1) is None:  # "end of document": the last character
        return _located(Fault.SYNTAX, text, len(text), reason=reason)
    line, column = match.group(1), match.group(2)
    return TomlFault(Fault.SYNTAX, {"line": line, "column": column, "reason": reason}, int(line))


def parse(text: str) -> dict[str, Any] | TomlFault:
    """Parsed TOML, or the fault with its line and column."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return _syntax(text, exc)
    except RecursionError:
        return _located(Fault.TOO_DEEP, text, _deepest(text), limit=str(MAX_NESTING))
    except ValueError:  # int() refuses more than sys.get_int_max_str_digits() digits
        limit = sys.get_int_max_str_digits()
        found = re.search(rf"[0-9][0-9_]{{{limit},}}", text)
        return _located(Fault.NUMBER_TOO_LONG, text, found.start() if found else len(text), limit=str(limit))


def read(path: Path) -> dict[str, Any] | TomlFault:
    """A TOML file's data, or why it cannot be used."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return TomlFault(Fault.UNREADABLE, {"reason": os_reason(exc)})
    text = decode(raw)
    return text if isinstance(text, TomlFault) else parse(text)
