"""Vietnamese and English wording of what the bookmarks tell an officer (no Qt: the UI shows `message("vi")`)."""

from __future__ import annotations

from enum import StrEnum

from console.core.sentences import SaidError, Sentences


class Say(StrEnum):
    """One sentence; the value names its template below."""

    NO_BOOKMARK = "no_bookmark"
    EMPTY_NAME = "empty_name"
    BAD_RANGE = "bad_range"
    NO_CAMERA = "no_camera"
    OTHER_INCIDENT = "other_incident"


_TEMPLATES: dict[Say, tuple[str, str]] = {
    Say.NO_BOOKMARK: (
        "Không tìm thấy đánh dấu số {bookmark}: có thể đã bị xóa.",
        "Bookmark {bookmark} was not found: it may have been deleted.",
    ),
    Say.EMPTY_NAME: (
        "Đánh dấu cần có tên.",
        "A bookmark needs a name.",
    ),
    Say.BAD_RANGE: (
        "Thời điểm kết thúc phải sau thời điểm bắt đầu.",
        "The end must be after the start.",
    ),
    Say.NO_CAMERA: (
        "Cảnh báo số {alert} không gắn với camera nào: không có ghi hình để đánh dấu.",
        "Alert {alert} belongs to no camera: there is no recording to bookmark.",
    ),
    Say.OTHER_INCIDENT: (
        "Đánh dấu số {bookmark} đã thuộc vụ việc số {incident}.",
        "Bookmark {bookmark} already belongs to incident {incident}.",
    ),
}


SENTENCES: Sentences[Say] = Sentences(_TEMPLATES)
render = SENTENCES.render
templates = SENTENCES.templates


class BookmarkError(SaidError):
    """A bookmark change refused; `message(lang)` says why to the officer."""

    sentences = SENTENCES
