"""The recorder's channels as the import page lists them: a check box to make one a camera, its number, its name
(editable), its state (online, offline, already a camera of the site file) and the site its camera stands at."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from console.core.config import Site
from console.nvr.models import RecorderChannel
from console.onboarding.nvr_import import ChannelPick, channel_name
from console.ui.onboarding.device_table import ERROR_COLOR

TAKE, NUMBER, NAME, STATE, SITE = range(5)


class ChannelTable(QTableWidget):
    picked = Signal()  # a channel ticked or unticked, or its name changed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 5, parent)
        self.setObjectName("recorderChannels")
        self.setHorizontalHeaderLabels([self.tr("Add"), self.tr("Channel"), self.tr("Name"), self.tr("State"),
                                        self.tr("Site")])
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        self.channels: tuple[RecorderChannel, ...] = ()
        self.itemChanged.connect(lambda _item: self.picked.emit())

    def show_channels(self, channels: Sequence[RecorderChannel], saved: Mapping[int, str], sites: Sequence[Site],
                      site_id: str) -> None:
        """Every channel, ticked unless it is offline or already a camera (that one cannot be ticked)."""
        self.blockSignals(True)
        self.channels = tuple(channels)
        self.setRowCount(len(channels))
        for row, channel in enumerate(channels):
            camera_id = saved.get(channel.number)
            take = QTableWidgetItem()
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            take.setFlags(flags | Qt.ItemFlag.ItemIsUserCheckable if camera_id is None else flags)
            wanted = camera_id is None and channel.online is not False
            take.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)
            self.setItem(row, TAKE, take)
            number = QTableWidgetItem(str(channel.number))
            number.setFlags(flags)
            self.setItem(row, NUMBER, number)
            self.setItem(row, NAME, QTableWidgetItem(channel_name(channel)))
            state = QTableWidgetItem(self._state(channel, camera_id))
            state.setFlags(flags)
            if channel.online is False:
                state.setForeground(QColor(ERROR_COLOR))
            self.setItem(row, STATE, state)
            self.setCellWidget(row, SITE, self._site_box(sites, site_id))
        self.blockSignals(False)
        self.picked.emit()

    def _state(self, channel: RecorderChannel, camera_id: str | None) -> str:
        if camera_id is not None:
            return QCoreApplication.translate("Onboarding", "Already in the site file as {camera}").format(
                camera=camera_id)
        if channel.online is None:
            return self.tr("Not reported")
        return self.tr("Online") if channel.online else self.tr("Offline")

    def _site_box(self, sites: Sequence[Site], site_id: str) -> QComboBox:
        box = QComboBox(self)
        for site in sites:
            box.addItem(f"{site.id} · {site.name}", site.id)
        box.setCurrentIndex(max(0, box.findData(site_id)))
        return box

    def clear_channels(self) -> None:
        self.channels = ()
        self.setRowCount(0)
        self.picked.emit()

    def set_site(self, site_id: str) -> None:
        """Every channel's camera at this site (the technician then changes the few that stand elsewhere)."""
        for row in range(self.rowCount()):
            box = self.cellWidget(row, SITE)
            if isinstance(box, QComboBox):
                box.setCurrentIndex(max(0, box.findData(site_id)))

    def picks(self) -> list[ChannelPick]:
        """The ticked channels in their order, with the site and name chosen for each."""
        chosen = []
        for row, channel in enumerate(self.channels):
            take, name, box = self.item(row, TAKE), self.item(row, NAME), self.cellWidget(row, SITE)
            if take is None or take.checkState() != Qt.CheckState.Checked or not isinstance(box, QComboBox):
                continue
            chosen.append(ChannelPick(channel.number, str(box.currentData()), name.text() if name else None))
        return chosen
