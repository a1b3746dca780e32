"""The export dialog of a range partly the console's own recording and partly only the recorder's: the export dialog
itself, running a `MixedExport`, whose signed manifest also lists each part of the file and its source (the
console's recording, or which recorder), so whoever checks the evidence knows which pictures came from where.

The manifest is the export dialog's own (`write_manifest`'s fields, the same signature and files), with `parts`
added.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from console.core.config import SiteConfig
from console.core.recording import TimeRange
from console.evidence.manifest import moment_about
from console.media.export import ExportResult
from console.nvr.playback_source import Source
from console.nvr_export.mixed_export import ExportPart, MixedExport
from console.officers.guard import Officers
from console.ui.playback.export_dialog import ExportDialog

# (range, target, actor, progress, finished) -> the job, not started
MixedJobMaker = Callable[[TimeRange, Path, str, Callable[[float], None], Callable[[ExportResult], None]], MixedExport]


def parts_about(parts: list[ExportPart]) -> list[dict[str, Any]]:
    """The manifest's `parts`: each stretch of the file, its source and, for the recorder's, which recorder."""
    return [{"source": "console" if part.source is Source.OWN else "recorder",
             "recorder": part.recorder_id or None, "start": moment_about(part.start_ms),
             "end": moment_about(part.end_ms)}
            for part in parts]


class MixedExportDialog(ExportDialog):
    def __init__(self, config: SiteConfig, camera_id: str, span: TimeRange, recordings: Path, db_path: Path,
                 actor: str, make_mixed: MixedJobMaker, parent: QWidget | None = None,
                 officers: Officers | None = None) -> None:
        self._make_mixed = make_mixed
        self.mixed: MixedExport | None = None  # the job last started (its parts once exported)
        super().__init__(config, camera_id, span, recordings, db_path, actor, parent, officers, make_job=self._job)
        self.setWindowTitle(self.tr("Export evidence (console and recorder)"))

    def _job(self, span: TimeRange, target: Path, actor: str, progress: Callable[[float], None],
             finished: Callable[[ExportResult], None]) -> MixedExport:
        self.mixed = self._make_mixed(span, target, actor, progress, finished)
        return self.mixed

    def _manifest_extra(self) -> dict[str, object]:
        return {"parts": parts_about(self.mixed.parts if self.mixed is not None else [])}

    @property
    def span_exported(self) -> TimeRange:
        """The range the export began with (the dialog's own note of it)."""
        return self._span
