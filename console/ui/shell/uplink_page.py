"""*Kết nối tỉnh* for admins (a click on the status bar's indicator): the link's state and what is wrong, how many
messages wait per topic, and the oldest of them — read on a worker from a read-only connection, so a backlog of
days never holds the GUI."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QMainWindow,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.core.vntime import format_vn_ms
from console.officers.guard import ActionRefusedError, Officers
from console.officers.roles import Permission
from console.store import outbox
from console.store.readonly import open_read_only
from console.ui.shell.i18n import ui_lang
from console.ui.widgets.background import BackgroundCall
from console.uplink.status import UplinkStatus

OLDEST_SHOWN = 200
REFUSAL_MS = 10_000


@dataclass(frozen=True)
class Waiting:
    counts: list[tuple[str, int]]
    oldest: list[outbox.OutboxRow]


def read_waiting(db_path: Path) -> Waiting:
    conn = open_read_only(db_path)
    try:
        return Waiting(outbox.counts_by_topic(conn), outbox.oldest(conn, OLDEST_SHOWN))
    finally:
        conn.close()


class UplinkPage(QDialog):
    def __init__(self, status: Callable[[], UplinkStatus], db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("uplinkPage")
        self.setWindowTitle(self.tr("Province link"))
        self.resize(760, 520)
        self._status, self._db_path = status, db_path
        self.state = QLabel(self)
        self.state.setObjectName("uplinkState")
        self.state.setWordWrap(True)
        self.counts = QLabel(self)
        self.counts.setObjectName("uplinkCounts")
        self.counts.setWordWrap(True)
        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("uplinkOldest")
        self.table.setHorizontalHeaderLabels([self.tr("No."), self.tr("Written (UTC+7)"), self.tr("Topic")])
        self.table.horizontalHeader().setStretchLastSection(True)
        refresh = QPushButton(self.tr("Refresh"), self)
        refresh.clicked.connect(self.refresh)
        layout = QVBoxLayout(self)
        for widget in (self.state, self.counts, self.table, refresh):
            layout.addWidget(widget)
        self._reader = BackgroundCall(self)
        self._reader.done.connect(self._shown)
        self.refresh()

    def refresh(self) -> None:
        status, lang = self._status(), ui_lang()
        problem = status.problem_text(lang)
        self.state.setText(status.line(lang) + (f"\n{problem}" if problem else ""))
        self.counts.setText(self.tr("Reading the messages waiting…"))
        db_path = self._db_path
        self._reader.start(lambda: read_waiting(db_path), "uplink backlog")

    def _shown(self, outcome: object) -> None:
        if not isinstance(outcome, Waiting):
            self.counts.setText(self.tr("The messages waiting could not be read: {reason}").format(
                reason=str(outcome)))
            return
        total = sum(count for _topic, count in outcome.counts)
        parts = ", ".join(f"{topic}: {count}" for topic, count in outcome.counts)
        self.counts.setText(self.tr("{count} messages wait for the province's receipt.").format(count=total) +
                            (f" ({parts})" if parts else ""))
        self.table.setRowCount(len(outcome.oldest))
        for row, message in enumerate(outcome.oldest):
            for column, text in enumerate((str(message.seq), format_vn_ms(message.created_ms), message.topic)):
                self.table.setItem(row, column, QTableWidgetItem(text))


def open_uplink_page(window: QMainWindow, officers: Officers, status: Callable[[], UplinkStatus],
                     db_path: Path) -> UplinkPage | None:
    """For admins (the backlog's topics are the station's business); an officer is told why not."""
    try:
        officers.require(Permission.VIEW_AUDIT, target="uplink")
    except ActionRefusedError as exc:
        window.statusBar().showMessage(exc.message(ui_lang()), REFUSAL_MS)
        return None
    page = UplinkPage(status, db_path, window)
    page.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    page.show()
    return page
