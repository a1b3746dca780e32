"""Third page, *Kiểm tra*: each new camera's main and sub streams opened as the wall would open them; what
they really are (codec, size, frame rate, bit rate) and how long the first picture took."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from functools import partial

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from console.core.config import StreamKind
from console.core.credentials import Credentials
from console.onboarding.limits import STREAM_TESTS_AT_ONCE
from console.onboarding.stream_check import StreamCheck
from console.ui.onboarding.device_table import ERROR_COLOR
from console.ui.onboarding.discover_page import busy_bar
from console.ui.onboarding.session import WizardSession
from console.ui.onboarding.texts import stream_check_text, stream_error_text

COLUMNS = 8  # camera, stream, codec, resolution, frame rate, bit rate, first picture, result


@dataclass(frozen=True)
class StreamToTest:
    camera_id: str
    kind: StreamKind
    url: str
    login: Credentials | None


class StreamTestPage(QWizardPage):
    def __init__(self, session: WizardSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setTitle(self.tr("Test the streams"))
        self.setSubTitle(self.tr("Each stream is opened as the live view opens it. A stream that fails can still "
                                 "be saved (a camera switched off today), but check its address first."))
        self.test_button = QPushButton(self.tr("Test"), self)
        self.test_button.setObjectName("testStreams")
        self.test_button.clicked.connect(self.test)
        self.busy = busy_bar(self)
        self.status = QLabel(self)
        self.table = QTableWidget(0, COLUMNS, self)
        self.table.setObjectName("streamResults")
        self.table.setHorizontalHeaderLabels([
            self.tr("Camera"), self.tr("Stream"), self.tr("Codec"), self.tr("Resolution"), self.tr("Frame rate"),
            self.tr("Bit rate"), self.tr("First picture"), self.tr("Result")])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.streams: list[StreamToTest] = []
        self.results: dict[int, StreamCheck | BaseException] = {}
        self._gate: asyncio.Semaphore | None = None
        actions = QHBoxLayout()
        actions.addWidget(self.test_button)
        actions.addWidget(self.busy)
        actions.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)

    def initializePage(self) -> None:
        self.streams = []
        for draft in self.session.drafts:
            login = self.session.logins.get(draft.id)
            self.streams.append(StreamToTest(draft.id, StreamKind.MAIN, draft.main_url, login))
            if draft.sub_url:
                self.streams.append(StreamToTest(draft.id, StreamKind.SUB, draft.sub_url, login))
        self.results = {}
        self.table.setRowCount(len(self.streams))
        kinds = {StreamKind.MAIN: self.tr("Main stream"), StreamKind.SUB: self.tr("Sub stream")}
        for row, stream in enumerate(self.streams):
            self._set_row(row, [stream.camera_id, kinds[stream.kind], "", "", "", "", "", ""])
        self.status.setText("")

    def isComplete(self) -> bool:
        return not self.session.tasks.busy

    def test(self) -> None:
        if self.session.tasks.busy or not self.streams:
            return
        self._gate = asyncio.Semaphore(STREAM_TESTS_AT_ONCE)
        self.results = {}
        self.busy.setVisible(True)
        self.test_button.setEnabled(False)
        self.status.setText(self.tr("Testing {count} streams…").format(count=len(self.streams)))
        for row, stream in enumerate(self.streams):
            self._cell(row, COLUMNS - 1).setText(self.tr("Testing…"))
            self.session.tasks.run(self._one(stream), partial(self._tested, row), partial(self._tested, row))
        self.completeChanged.emit()

    async def _one(self, stream: StreamToTest) -> StreamCheck:
        assert self._gate is not None
        async with self._gate:
            return await self.session.controller.test_stream(stream.url, stream.login)

    def _tested(self, row: int, outcome: StreamCheck | BaseException) -> None:
        self.results[row] = outcome
        stream = self.streams[row]
        if isinstance(outcome, StreamCheck):
            self._set_row(row, [stream.camera_id, self._cell(row, 1).text(), *stream_check_text(outcome),
                                self.tr("Works")])
        else:
            self._cell(row, COLUMNS - 1).setText(stream_error_text(outcome))
            self._cell(row, COLUMNS - 1).setForeground(QColor(ERROR_COLOR))
        if len(self.results) == len(self.streams):
            failed = sum(1 for r in self.results.values() if not isinstance(r, StreamCheck))
            self.status.setText(self.tr("{ok} of {count} streams work.").format(
                ok=len(self.streams) - failed, count=len(self.streams)))
            self.busy.setVisible(False)
            self.test_button.setEnabled(True)
        self.completeChanged.emit()

    def _cell(self, row: int, column: int) -> QTableWidgetItem:
        item = self.table.item(row, column)
        if item is None:
            item = QTableWidgetItem()
            self.table.setItem(row, column, item)
        return item

    def _set_row(self, row: int, texts: list[str]) -> None:
        for column, text in enumerate(texts):
            self.table.setItem(row, column, QTableWidgetItem(text))
