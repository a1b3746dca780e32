"""FTS5 queries over folded words (console.incidents.fold), shared by the searches that index folded text: the
incidents and the bookmarks."""

from __future__ import annotations

from console.incidents.fold import words


def prefix_match(text: str) -> str | None:
    """An FTS5 query: every folded word, each as a prefix (quoted: no word is read as an FTS operator); None when
    the text holds no word."""
    found = words(text)
    return " AND ".join(f'"{w}"*' for w in found) if found else None
