"""How far one video intake is, for the progress bar: its phase, how far into it, and overall.

The phases are weighted by what they are expected to take on the 2-core box (measured): copying with the hash
~400 MB/s, reading the medium again ~600 MB/s, the working copy ~2.5× real time. Until the file is probed its
length is guessed from its size at a phone's 16 Mbit/s; the overall share never goes back when the guess is
corrected. Reports are throttled (a bar moves ~10 times a second, not once per buffer or picture).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from console.incidents.messages import Say, render

PROGRESS_EVERY_S = 0.1
COPY_BYTES_PER_S = 400e6
VERIFY_BYTES_PER_S = 600e6
WORKING_COPY_REALTIME = 2.5
GUESSED_BYTES_PER_S = 2e6
FIXED_PHASE_S = 0.05  # probing and saving


class Phase(StrEnum):
    COPY = "copy"
    VERIFY = "verify"
    PROBE = "probe"
    WORKING_COPY = "working_copy"
    SAVE = "save"


_PHASE_SAY = {Phase.COPY: Say.PHASE_COPY, Phase.VERIFY: Say.PHASE_VERIFY, Phase.PROBE: Say.PHASE_PROBE,
              Phase.WORKING_COPY: Say.PHASE_WORKING_COPY, Phase.SAVE: Say.PHASE_SAVE}


@dataclass(frozen=True)
class IntakeProgress:
    """`phase_done` and `overall` in 0..1; `message()` is the line under the bar."""

    name: str
    phase: Phase
    phase_done: float
    overall: float

    def message(self, lang: str = "vi") -> str:
        return render(_PHASE_SAY[self.phase], lang, {"name": self.name})


ProgressHook = Callable[[IntakeProgress], None]


class ProgressReport:
    """Called by the intake's steps on its worker thread; calls `hook` there (the UI queues it to the GUI)."""

    def __init__(self, hook: ProgressHook | None, name: str, size: int) -> None:
        self._hook = hook
        self._name = name
        self._size = size
        self._expected = self._expect(size / GUESSED_BYTES_PER_S * 1000)
        self._current = Phase.COPY
        self._done = 0.0
        self._overall = 0.0
        self._sent_at = 0.0

    def _expect(self, duration_ms: float) -> dict[Phase, float]:
        return {Phase.COPY: self._size / COPY_BYTES_PER_S, Phase.VERIFY: self._size / VERIFY_BYTES_PER_S,
                Phase.PROBE: FIXED_PHASE_S, Phase.WORKING_COPY: duration_ms / 1000 / WORKING_COPY_REALTIME,
                Phase.SAVE: FIXED_PHASE_S}

    def length_known(self, duration_ms: int | None) -> None:
        if duration_ms:
            self._expected = self._expect(duration_ms)

    def phase(self, phase: Phase) -> None:
        """The previous phase is finished, this one starts (both reported)."""
        self.finished()
        self._current, self._done = phase, 0.0
        self._send(force=True)

    def finished(self) -> None:
        self._done = 1.0
        self._send(force=True)

    def update(self, done: float) -> None:
        self._done = done
        self._send(force=False)

    def _send(self, force: bool) -> None:
        if self._hook is None:
            return
        now = time.monotonic()
        if not force and now - self._sent_at < PROGRESS_EVERY_S:
            return
        order = list(Phase)
        before = sum(self._expected[p] for p in order[:order.index(self._current)])
        total = sum(self._expected.values()) or 1.0
        self._overall = max(self._overall, min(1.0, (before + self._expected[self._current] * self._done) / total))
        self._sent_at = now
        self._hook(IntakeProgress(self._name, self._current, self._done, self._overall))
