"""The province alert list's filters: the commune's own (period, kind, state, priority, words of the note) with
the commune added. `changed` says the officer chose something else; `alert_filter()` is the choice."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QWidget

from console.core.alerts import AlertKind, AlertState, Priority
from console.core.vntime import now_ms
from console.province.config import ProvinceCommune
from console.province.queries import AlertFilter
from console.ui.alerts.text import kind_text, priority_text, state_text
from console.ui.widgets.time_edit import VnTimeEdit

PERIODS_H = (1, 24, 24 * 7, 24 * 30, 0)  # 0: everything
CUSTOM_PERIOD = -1
DEFAULT_PERIOD = 1  # the last 24 hours
HOUR_MS = 3600 * 1000
TYPING_PAUSE_MS = 300  # the note's words are looked for once the officer stops typing


class AlertFilterBar(QWidget):
    changed = Signal()

    def __init__(self, communes: Iterable[ProvinceCommune], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("provinceFilters")
        self.period = QComboBox(self)
        self.period.setObjectName("provincePeriod")
        texts = (self.tr("Last hour"), self.tr("Last 24 hours"), self.tr("Last 7 days"), self.tr("Last 30 days"),
                 self.tr("All time"))
        for hours, text in zip(PERIODS_H, texts, strict=True):
            self.period.addItem(text, hours)
        self.period.addItem(self.tr("From … to …"), CUSTOM_PERIOD)
        self.period.setCurrentIndex(DEFAULT_PERIOD)
        self.period.currentIndexChanged.connect(self._period_changed)
        now = now_ms()
        self.since = VnTimeEdit(now - 24 * HOUR_MS, self)
        self.until = VnTimeEdit(now, self)
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setVisible(False)
            edit.dateTimeChanged.connect(lambda _moment: self.changed.emit())
        self.commune = self._combo("provinceCommune", self.tr("All communes"),
                                   [(c.name, c.id) for c in communes])
        self.kind = self._combo("provinceKind", self.tr("All alerts"), [(kind_text(k), k.value) for k in AlertKind])
        self.state = self._combo("provinceState", self.tr("All states"),
                                 [(state_text(s), s.value) for s in AlertState])
        self.priority = self._combo("provincePriority", self.tr("All priorities"),
                                    [(priority_text(p), int(p)) for p in reversed(Priority)])
        self.search = QLineEdit(self)
        self.search.setObjectName("provinceNoteSearch")
        self.search.setPlaceholderText(self.tr("Search in notes"))
        self.search.setClearButtonEnabled(True)
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(self.changed.emit)
        self.search.textChanged.connect(lambda _text: self._typing.start())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.period, self.since, self.until, self.commune, self.kind, self.state, self.priority,
                       self.search):
            layout.addWidget(widget)

    def _combo(self, name: str, everything: str, items: list[tuple[str, object]]) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.addItem(everything, None)
        for text, value in items:
            combo.addItem(text, value)
        combo.currentIndexChanged.connect(lambda _index: self.changed.emit())
        return combo

    def _period_changed(self) -> None:
        custom = self.period.currentData() == CUSTOM_PERIOD
        self.since.setVisible(custom)
        self.until.setVisible(custom)
        self.changed.emit()

    def show_commune(self, commune_id: str | None) -> None:
        """Only `commune_id`'s alerts (None: every commune's)."""
        if commune_id is None:
            self.commune.setCurrentIndex(0)
            return
        index = self.commune.findData(commune_id)
        if index < 0:  # a commune the province file does not list, yet reporting: listed by its id
            self.commune.addItem(commune_id, commune_id)
            index = self.commune.count() - 1
        self.commune.setCurrentIndex(index)

    def span(self, at_ms: int | None = None) -> tuple[int | None, int | None]:
        """The period as (since, until) in epoch ms; None: open on that side."""
        hours = int(self.period.currentData())
        if hours == CUSTOM_PERIOD:
            return self.since.ms(), self.until.ms()
        if hours:
            return (at_ms if at_ms is not None else now_ms()) - hours * HOUR_MS, None
        return None, None

    def alert_filter(self, at_ms: int | None = None) -> AlertFilter:
        since, until = self.span(at_ms)
        commune, kind, state = self.commune.currentData(), self.kind.currentData(), self.state.currentData()
        priority = self.priority.currentData()
        return AlertFilter(communes=frozenset({commune}) if commune else None,
                           kinds=frozenset({kind}) if kind else None, states=frozenset({state}) if state else None,
                           priority=int(priority) if priority is not None else None,
                           text=self.search.text().strip() or None, since_ms=since, until_ms=until)
