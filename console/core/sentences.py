"""One catalogue of sentences in two languages, and an error that says one of them.

Each concern (incidents, evidence, bookmarks, ONVIF, recorders) keeps its own enum of sentences and their Vietnamese
and English templates; this module renders them (`{name}` fields filled in) and carries one in an exception whose
`message(lang)` the UI shows and whose `str()` is the English for the log. No Qt: the UI passes its language.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, ClassVar, Generic, TypeVar

S = TypeVar("S", bound=StrEnum)


class Sentences(Generic[S]):
    """`templates`: for each sentence, its Vietnamese and its English."""

    def __init__(self, templates: Mapping[S, tuple[str, str]]) -> None:
        self._templates = dict(templates)

    def render(self, say: S, lang: str = "vi", params: Mapping[str, object] | None = None) -> str:
        vi, en = self._templates[say]
        return (en if lang == "en" else vi).format(**(params or {}))

    def templates(self) -> dict[S, tuple[str, str]]:
        return dict(self._templates)


class SaidError(Exception):
    """A refusal that names its sentence; subclasses set `sentences`."""

    sentences: ClassVar[Sentences[Any]]

    def __init__(self, say: StrEnum, **params: object) -> None:
        self.say = say
        self.params = params
        super().__init__(self.sentences.render(say, "en", params))

    def message(self, lang: str = "vi") -> str:
        return self.sentences.render(self.say, lang, self.params)
