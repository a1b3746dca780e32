"""The alarm list as CSV, up to a million rows, on a worker: the query on its own connection, progress and
cancel through a dialog, the GUI thread never waits (a million rows took seconds on it)."""

from __future__ import annotations

import contextlib
import logging
import threading
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from console.core.config import SiteConfig
from console.store.alerts import AlertQuery, AlertStore
from console.store.database import open_database
from console.ui.alerts.reports import CancelledError, write_csv

log = logging.getLogger(__name__)


class CsvExport(QObject):
    progressed = Signal(int)  # rows written so far
    finished = Signal(object)  # the row count, None when cancelled, or the exception

    def __init__(self, database: Path, query: AlertQuery, limit: int, target: Path, config: SiteConfig,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._database, self._query, self._target, self._config = database, replace(query, limit=limit), target, config
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._run, name="csv export", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    def wait(self, timeout_s: float | None = None) -> bool:
        self._thread.join(timeout_s)
        return not self._thread.is_alive()

    def _run(self) -> None:
        outcome: object
        db = open_database(self._database)
        try:
            rows = AlertStore(db).query(self._query)
            outcome = write_csv(self._target, rows, self._config, self.progressed.emit, self._cancel.is_set)
        except CancelledError:
            with contextlib.suppress(FileNotFoundError):
                self._target.unlink()
            outcome = None
        except Exception as exc:  # said to the officer in a sentence; the trace goes to the log
            log.exception("CSV export to %s failed", self._target)
            outcome = exc
        finally:
            db.close()
        self.finished.emit(outcome)


def progress_dialog(parent: QWidget, export: CsvExport) -> QProgressDialog:
    """A busy bar that counts the rows written, with Hủy to stop."""
    dialog = QProgressDialog(QCoreApplication.translate("CsvExport", "Exporting alerts…"),
                             QCoreApplication.translate("CsvExport", "Cancel"), 0, 0, parent)
    dialog.setObjectName("csvProgress")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.canceled.connect(export.cancel)
    export.progressed.connect(lambda count: dialog.setLabelText(
        QCoreApplication.translate("CsvExport", "Exporting alerts… {count} written").format(count=count)))
    export.finished.connect(lambda _outcome: dialog.reset())
    return dialog
