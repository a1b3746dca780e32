"""An incident change as the officer asked it, or why it was refused, in the interface's language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from console.incidents.messages import IncidentError
from console.officers.guard import ActionRefusedError
from console.ui.shell.i18n import ui_lang

T = TypeVar("T")


@dataclass(frozen=True)
class Refused:
    message: str


def attempt(call: Callable[[], T]) -> T | Refused:
    """`call()`, or the sentence of its refusal: the incident is closed or missing, nobody on duty may, …"""
    try:
        return call()
    except (IncidentError, ActionRefusedError) as exc:
        return Refused(exc.message(ui_lang()))
