"""Reads the messages (context, source text, disambiguation) out of Qt's compiled .qm catalogues.

Qt ships no qtbase_vi.qm, so translations/qtbase_vi.ts translates Qt's own strings, and Qt looks each one up
by its exact (context, source text, comment). Those exact sources are in the other languages' catalogues that
the PySide6 wheel carries (PySide6/Qt/translations/qtbase_*.qm). The wheel has no `lconvert` to turn them
back into .ts and Debian's would be a second Qt of another version, so this reads the .qm format directly, as
qtbase/src/corelib/kernel/qtranslator.cpp and qttools/src/linguist/shared/qm.cpp define it: a 16-byte magic,
then sections (tag byte, big-endian uint32 length, data); the Messages section is a run of records, each a list
of tagged fields ended by Tag_End. Source, context and comment are UTF-8; translations are UTF-16BE and a
numerus message carries one translation per plural form.
"""

from __future__ import annotations

import struct
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

MAGIC = bytes((0x3C, 0xB8, 0x64, 0x18, 0xCA, 0xEF, 0x9C, 0x95, 0xCD, 0x21, 0x1C, 0xBF, 0x60, 0xA1, 0xBD, 0xDD))

# Section tags.
CONTEXTS, HASHES, MESSAGES, NUMERUS_RULES, DEPENDENCIES, LANGUAGE = 0x2F, 0x42, 0x69, 0x88, 0x96, 0xA7
SECTIONS = {CONTEXTS, HASHES, MESSAGES, NUMERUS_RULES, DEPENDENCIES, LANGUAGE}
# Message field tags.
END, SOURCE_TEXT16, TRANSLATION, CONTEXT16, OBSOLETE1, SOURCE_TEXT, CONTEXT, COMMENT, OBSOLETE2 = range(1, 10)
_NULL_LENGTH = 0xFFFFFFFF  # a null QString/QByteArray: no bytes follow


class CatalogueError(ValueError):
    """The file is not a .qm catalogue this reader understands."""


@dataclass(frozen=True, order=True)
class QtMessage:
    context: str
    source: str
    comment: str = ""
    numerus: bool = False


def _field(data: bytes, at: int) -> tuple[bytes, int]:
    (length,) = struct.unpack_from(">I", data, at)
    at += 4
    if length == _NULL_LENGTH:
        return b"", at
    if at + length > len(data):
        raise CatalogueError(f"field of {length} bytes at offset {at} runs past the end of the section")
    return data[at : at + length], at + length


def _messages(data: bytes) -> Iterable[QtMessage]:
    at = 0
    while at < len(data):
        context = source = comment = ""
        forms = 0
        while True:
            tag = data[at]
            at += 1
            if tag == END:
                break
            if tag in (OBSOLETE1,):
                at += 4
                continue
            if tag == OBSOLETE2:
                continue
            value, at = _field(data, at)
            if tag == TRANSLATION:
                forms += 1
            elif tag == SOURCE_TEXT:
                source = value.decode("utf-8")
            elif tag == CONTEXT:
                context = value.decode("utf-8")
            elif tag == COMMENT:
                comment = value.decode("utf-8")
            elif tag == SOURCE_TEXT16:
                source = value.decode("utf-16-be")
            elif tag == CONTEXT16:
                context = value.decode("utf-16-be")
            else:
                raise CatalogueError(f"unknown message tag {tag:#x} at offset {at - 1}")
        if source:
            yield QtMessage(context, source, comment, numerus=forms > 1)


def read_qm(path: Path) -> list[QtMessage]:
    """Every message of a .qm that carries its source text (files built with `lrelease -compress` may not)."""
    data = path.read_bytes()
    if not data.startswith(MAGIC):
        raise CatalogueError(f"{path} is not a Qt .qm file (wrong magic)")
    at, found = len(MAGIC), list[QtMessage]()
    while at < len(data):
        tag = data[at]
        if tag not in SECTIONS:
            raise CatalogueError(f"{path}: unknown section tag {tag:#x} at offset {at}")
        section, at = _field(data, at + 1)
        if tag == MESSAGES:
            found.extend(_messages(section))
    return found


def wheel_catalogues() -> list[Path]:
    """The qtbase catalogues of every language the Qt of this venv ships (PySide6/Qt/translations on Linux)."""
    from PySide6.QtCore import QLibraryInfo  # imported here: the reader itself needs no Qt

    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    return sorted(folder.glob("qtbase_*.qm"))


def catalogue(contexts: Iterable[str], files: Iterable[Path] | None = None) -> list[QtMessage]:
    """The union of the messages of these contexts over the catalogues: a language leaves out what its
    translators did not finish, so no single one is complete. A message is numerus if any language says so."""
    wanted, merged = set(contexts), dict[tuple[str, str, str], QtMessage]()
    for path in wheel_catalogues() if files is None else files:
        for message in read_qm(path):
            if message.context in wanted:
                key = (message.context, message.source, message.comment)
                known = merged.get(key)
                if known is None or (message.numerus and not known.numerus):
                    merged[key] = message
    return sorted(merged.values())


def main() -> int:
    """`python scripts/qt_catalogue.py QFileDialog QMessageBox …` lists those contexts' messages."""
    for message in catalogue(sys.argv[1:]):
        note = f"  [{message.comment}]" if message.comment else ""
        plural = "  (numerus)" if message.numerus else ""
        print(f"{message.context}\t{message.source!r}{note}{plural}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
