"""What a bookmark (*đánh dấu*) is: a named range of one camera's recordings, with tags and a note, and how the
officer searches them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from console.core.recording import TimeRange
from console.incidents.fold import fold


@dataclass(frozen=True)
class Bookmark:
    id: int
    camera_id: str
    from_ms: int  # the range of the recording (epoch ms UTC), from < to
    to_ms: int
    name: str
    tags: tuple[str, ...]  # as the officer wrote them, one per folded spelling, in the order written
    note: str
    created_by: str  # the officer's login
    created_ms: int
    alert_id: int | None = None  # made from this alert
    incident_id: int | None = None  # added to this incident (its recording link holds the same range)

    @property
    def span(self) -> TimeRange:
        return TimeRange(self.from_ms, self.to_ms)

    @property
    def duration_ms(self) -> int:
        return self.to_ms - self.from_ms


@dataclass(frozen=True)
class BookmarkDraft:
    """What the bookmark dialog hands over: the fields the officer writes."""

    camera_id: str
    from_ms: int
    to_ms: int
    name: str
    tags: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class BookmarkQuery:
    """The bookmarks list's search; every field optional, the newest range first.

    `text` matches words without diacritics in the name, tags and note (each word as a prefix: "cong tru" finds
    "Cổng trường"); `tag` one tag, compared without diacritics or case; since/until the bookmark's range overlapping
    [since, until)."""

    text: str = ""
    tag: str = ""
    camera_id: str | None = None
    since_ms: int | None = None
    until_ms: int | None = None
    limit: int = 500


TAG_SEPARATORS = (",", ";")  # "cổng trường, xe máy; đêm": three tags


def tag_key(tag: str) -> str:
    """A tag as compared: folded ("Xe máy" and "xe may" are one tag)."""
    return fold(tag)


def clean_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Each tag trimmed, inner spaces collapsed; empty ones dropped, a second spelling of the same tag too."""
    kept: dict[str, str] = {}
    for written in tags:
        tag = " ".join(written.split())
        if tag and tag_key(tag) not in kept:
            kept[tag_key(tag)] = tag
    return tuple(kept.values())


def parse_tags(text: str) -> tuple[str, ...]:
    """The tags of a line the officer typed, separated by commas or semicolons."""
    for separator in TAG_SEPARATORS[1:]:
        text = text.replace(separator, TAG_SEPARATORS[0])
    return clean_tags(text.split(TAG_SEPARATORS[0]))


def tags_text(tags: Iterable[str]) -> str:
    return f"{TAG_SEPARATORS[0]} ".join(tags)
