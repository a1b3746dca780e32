"""`@qt_override`: Qt's virtual methods reimplemented in Python never let an exception back into Qt.

PySide6 6.11 crashes the process (SIGSEGV in shiboken's `storePythonOverrideErrorOrPrint`) when two Python
overrides raise within one call from Python into Qt — e.g. two tiles' `showEvent` during `window.show()`
(reproduced in tests/ui/test_qt_overrides.py). A bug in one handler must cost that handler, not the console:
the exception goes to `sys.excepthook` (the console's hook logs it and raises *Lỗi hệ thống*; pytest-qt fails
the test that caused it) and the override returns what Qt expects when nothing was done.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar, cast

P = ParamSpec("P")
R = TypeVar("R")
S = TypeVar("S")
_BOOLEAN = frozenset({"event", "eventFilter", "nativeEvent", "focusNextPrevChild"})


def qt_override(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    fallback = False if method.__name__ in _BOOLEAN else None

    def guarded(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(self, *args, **kwargs)
        except Exception:
            sys.excepthook(*sys.exc_info())
            return cast(R, fallback)

    functools.update_wrapper(guarded, method)
    return guarded
