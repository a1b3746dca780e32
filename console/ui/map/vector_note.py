"""The lines a map's note gives to its vector map's faults: a heading, the first few in full, the rest counted."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication

from console.core.config import ConfigIssue

NOTE_ISSUES = 3  # vector map faults listed in the note; the rest are counted (all are in the log)


def issue_lines(heading: str, issues: Sequence[ConfigIssue], lang: str) -> list[str]:
    """Nothing when all was drawn; else `heading` (a sentence in the interface language) and the faults."""
    if not issues:
        return []
    lines = [heading, *(issue.describe(lang) for issue in issues[:NOTE_ISSUES])]
    if len(issues) > NOTE_ISSUES:
        lines.append(QCoreApplication.translate("MapView", "… and {count} more problems").format(
            count=len(issues) - NOTE_ISSUES))
    return lines
