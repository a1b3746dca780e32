"""A bookmark change as the officer asked it, or why it was refused, in the interface's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from console.bookmarks.messages import BookmarkError
from console.incidents.messages import IncidentError
from console.officers.guard import ActionRefusedError
from console.ui.incidents.attempt import Refused
from console.ui.shell.i18n import ui_lang

T = TypeVar("T")


def attempt(call: Callable[[], T]) -> T | Refused:
    """`call()`, or the sentence of its refusal: no name, nobody on duty may, the incident is closed, …"""
    try:
        return call()
    except (BookmarkError, IncidentError, ActionRefusedError) as exc:
        return Refused(exc.message(ui_lang()))
