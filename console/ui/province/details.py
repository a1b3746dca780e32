"""One alert of the province list in full: where and what, its times, who acknowledged or closed it with which
note, and the commune's snapshot when it has arrived (decoded on the reader's thread, shown at the pane's size)."""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from console.core.vntime import format_vn_ms
from console.province.queries import AlertDetails, ProvinceQueries
from console.ui.province.words import kind_words, priority_words, state_words

PICTURE_WIDTH_PX = 480


@dataclass(frozen=True)
class ShownDetails:
    commune: str
    alert_id: int
    details: AlertDetails | None  # None: the alert is no longer in the store
    picture: QImage | None  # None: no snapshot received (yet), or not a readable picture


def read_details(queries: ProvinceQueries, commune: str, alert_id: int) -> ShownDetails:
    """On the reader's thread: the row, its steps, and its snapshot decoded (QImage needs no GUI thread)."""
    details = queries.alert(commune, alert_id)
    picture = None
    if details is not None and details.snapshot is not None:
        image = QImage(str(details.snapshot))
        if not image.isNull():
            picture = image.scaledToWidth(min(PICTURE_WIDTH_PX, image.width()),
                                          Qt.TransformationMode.SmoothTransformation)
    return ShownDetails(commune, alert_id, details, picture)


class AlertDetailsPane(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("provinceAlertDetails")
        self.facts = QLabel(self)
        self.facts.setObjectName("provinceAlertFacts")
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.picture = QLabel(self)
        self.picture.setObjectName("provinceAlertPicture")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.picture.setMinimumHeight(160)
        layout = QVBoxLayout(self)
        layout.addWidget(self.facts)
        layout.addWidget(self.picture, 1)
        self.shown: ShownDetails | None = None
        self.clear()

    def clear(self) -> None:
        self.shown = None
        self.facts.setText(self.tr("Choose an alert in the list to see it here."))
        self.picture.clear()

    def show_details(self, shown: ShownDetails, commune_name: str) -> None:
        self.shown = shown
        details = shown.details
        if details is None:
            self.facts.setText(self.tr("This alert is no longer in the province's store."))
            self.picture.clear()
            return
        self.facts.setText(self._facts_html(details, commune_name))
        if shown.picture is not None:
            self.picture.setPixmap(QPixmap.fromImage(shown.picture))
        else:
            self.picture.setText(self.tr("No snapshot received") if not details.alert.has_snapshot
                                 else self.tr("The snapshot has not arrived yet"))

    def _facts_html(self, details: AlertDetails, commune_name: str) -> str:
        alert = details.alert
        rows = [
            (self.tr("Commune"), commune_name),
            (self.tr("Alert"), kind_words(alert.kind)),
            (self.tr("Camera"), alert.camera or "—"),
            (self.tr("Site"), alert.site or "—"),
            (self.tr("Priority"), priority_words(alert.priority)),
            (self.tr("State"), state_words(alert.state)),
            (self.tr("Started (UTC+7)"), format_vn_ms(alert.started_ms)),
        ]
        if alert.ended_ms is not None:
            rows.append((self.tr("Ended (UTC+7)"), format_vn_ms(alert.ended_ms)))
        for step in details.steps:
            who = step.officer or "—"
            when = format_vn_ms(step.at_ms)
            if step.step == "acknowledged":
                line = self.tr("Acknowledged by {officer} at {time}").format(officer=who, time=when)
            else:
                line = self.tr("Closed by {officer} at {time}").format(officer=who, time=when)
            rows.append((line, step.note))
        if alert.note and not details.steps:
            rows.append((self.tr("Note"), alert.note))
        cells = "".join(f"<tr><td><b>{html.escape(k)}</b></td><td>{html.escape(v).replace(chr(10), '<br/>')}</td></tr>"
                        for k, v in rows)
        return f"<table cellspacing='0' cellpadding='2'>{cells}</table>"
