"""Vietnamese text folded for search: "Cổng trường" and "cong truong" meet, "Đường" finds "duong".

Hand-written because SQLite's `unicode61 remove_diacritics` (the alert log's FTS) strips combining marks only:
đ/Đ is a letter of its own, not d with a mark, so "duong" would never find "Đường" there. Text is folded here,
the same way when stored and when searched, and the FTS table indexes the folded form.
"""

from __future__ import annotations

import re
import unicodedata

_D = str.maketrans({"đ": "d", "Đ": "D"})
_WORD = re.compile(r"[^\W_]+")  # what FTS5's unicode61 tokenizer calls a token: letters and digits
_PLATE = re.compile(r"[^0-9A-Z]")


def fold(text: str) -> str:
    """Lower case, without diacritics (NFD, combining marks dropped, đ → d), whitespace collapsed."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(unicodedata.normalize("NFC", bare).casefold().split())


def words(text: str) -> list[str]:
    """The folded words of `text`, as the search index splits them."""
    return _WORD.findall(fold(text))


def plate_key(text: str) -> str:
    """A plate as compared: folded, upper case, letters and digits only ("29A-123.45" → "29A12345")."""
    return _PLATE.sub("", fold(text).upper())
