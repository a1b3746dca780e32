"""The foot of a sheet that works on a worker thread (an intake, a case export): its progress bar, the line under
it saying what is being done, and the outcome (selectable: officers copy a folder or a hash from it)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QWidget


def progress_lines(parent: QWidget, name: str, steps: int) -> tuple[QProgressBar, QLabel, QLabel]:
    """The bar (0…`steps`), the line and the outcome, named `{name}Progress`, `{name}Line`, `{name}Outcome`."""
    progress = QProgressBar(parent)
    progress.setObjectName(f"{name}Progress")
    progress.setRange(0, steps)
    line = QLabel(parent)
    line.setObjectName(f"{name}Line")
    line.setWordWrap(True)
    outcome = QLabel(parent)
    outcome.setObjectName(f"{name}Outcome")
    outcome.setWordWrap(True)
    outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return progress, line, outcome
