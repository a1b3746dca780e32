"""The table of what answered (and the cameras typed by RTSP address): one row per device, a check box to
take it, what it said it is, and its state (ready, needs a login, or why it cannot be added)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from console.onboarding.devices import DeviceRow
from console.onboarding.streams import TypedStream
from console.onvif.errors import OnvifErrorKind
from console.ui.onboarding.texts import offset_text, profile_text, row_state

ERROR_COLOR = "#c92a2a"
# A camera refusing the login (or slow to answer) stays ticked for the next try with other credentials.
RETRYABLE = (OnvifErrorKind.AUTH, OnvifErrorKind.CLOCK, OnvifErrorKind.TIMEOUT)
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class TypedCamera:
    """A camera without ONVIF, added by its RTSP addresses."""

    name: str
    main: TypedStream
    sub: TypedStream | None


@dataclass(frozen=True)
class Entry:
    device: DeviceRow | None
    typed: TypedCamera | None
    checked: bool

    @property
    def ready(self) -> bool:
        return self.typed is not None or (self.device is not None and self.device.readable)

    @property
    def usable(self) -> bool:
        """It can still be taken: ready, or refused for something another try may cure (the password)."""
        error = self.device.error if self.device is not None else None
        return self.ready or (error is not None and error.kind in RETRYABLE)


class Column(IntEnum):
    TAKE = 0
    ADDRESS = 1
    NAME = 2
    MAKER = 3
    MODEL = 4
    FIRMWARE = 5
    SERIAL = 6
    MAC = 7
    CLOCK = 8
    PROFILES = 9
    PTZ = 10
    EVENTS = 11
    STATE = 12


class DeviceTableModel(QAbstractTableModel):
    def __init__(self, saved_as: Callable[[DeviceRow], str | None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.entries: list[Entry] = []
        self._saved_as = saved_as
        self._headers = {
            Column.TAKE: self.tr("Add"), Column.ADDRESS: self.tr("Address"), Column.NAME: self.tr("Name"),
            Column.MAKER: self.tr("Maker"), Column.MODEL: self.tr("Model"), Column.FIRMWARE: self.tr("Firmware"),
            Column.SERIAL: self.tr("Serial number"), Column.MAC: self.tr("MAC address"),
            Column.CLOCK: self.tr("Clock offset"), Column.PROFILES: self.tr("Streams"), Column.PTZ: self.tr("PTZ"),
            Column.EVENTS: self.tr("Events"), Column.STATE: self.tr("State"),
        }

    # -- contents -----------------------------------------------------------------------------------
    def show_discovery(self, rows: Sequence[DeviceRow]) -> None:
        """A new search's answers replace the previous ones (typed cameras stay)."""
        self.beginResetModel()
        typed = [e for e in self.entries if e.typed is not None]
        found = [Entry(row, None, (row.readable or row.needs_login) and self._saved_as(row) is None) for row in rows]
        self.entries = found + typed
        self.endResetModel()

    def update_devices(self, rows: Sequence[DeviceRow]) -> None:
        """Rows read again (with credentials): each replaces its own; one that cannot be added (and another
        try would not change that) is unticked."""
        by_address = {row.address: row for row in rows}
        for number, entry in enumerate(self.entries):
            row = by_address.get(entry.device.address) if entry.device is not None else None
            if row is not None:
                fresh = Entry(row, None, entry.checked)
                self.entries[number] = replace(fresh, checked=fresh.checked and fresh.usable
                                               and self._saved_as(row) is None)
        self.dataChanged.emit(self.index(0, 0), self.index(max(0, self.rowCount() - 1), len(Column) - 1))

    def add_typed(self, camera: TypedCamera) -> None:
        at = len(self.entries)
        self.beginInsertRows(QModelIndex(), at, at)
        self.entries.append(Entry(None, camera, True))
        self.endInsertRows()

    def taken(self) -> list[Entry]:
        return [e for e in self.entries if e.checked]

    def taken_devices(self) -> list[DeviceRow]:
        return [e.device for e in self.taken() if e.device is not None]

    def all_taken_ready(self) -> bool:
        taken = self.taken()
        return bool(taken) and all(e.ready for e in taken)

    # -- the model ----------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        horizontal = orientation is Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(Column):
            return self._headers[Column(section)]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == Column.TAKE and self.entries[index.row()].usable:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != Column.TAKE:
            return False
        entry = self.entries[index.row()]
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value)
        self.entries[index.row()] = replace(entry, checked=checked and entry.usable)
        self.dataChanged.emit(index, index)
        return True

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        entry = self.entries[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.CheckStateRole and column is Column.TAKE:
            return Qt.CheckState.Checked if entry.checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ForegroundRole and column is Column.STATE:
            failed = entry.device is not None and entry.device.error is not None and not entry.device.needs_login
            return QColor(ERROR_COLOR) if failed else None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._typed_text(entry.typed, column) if entry.typed is not None else \
                self._device_text(entry.device, column) if entry.device is not None else ""
        return None

    def _device_text(self, row: DeviceRow, column: Column) -> str:
        yes, no = self.tr("Yes"), self.tr("No")
        texts = {
            Column.ADDRESS: row.address, Column.NAME: row.name or "", Column.MAKER: row.manufacturer or "",
            Column.MODEL: row.model or "", Column.FIRMWARE: row.firmware or "", Column.SERIAL: row.serial or "",
            Column.MAC: row.mac or "", Column.CLOCK: offset_text(row.clock_offset_s),
            Column.PROFILES: ", ".join(profile_text(p) for p in row.profiles),
            Column.PTZ: (yes if row.ptz else no) if row.profiles else "",
            Column.EVENTS: (yes if row.events else no) if row.profiles else "",
            Column.STATE: row_state(row, self._saved_as(row)),
        }
        return texts.get(column, "")

    def _typed_text(self, camera: TypedCamera, column: Column) -> str:
        texts = {Column.ADDRESS: camera.main.url, Column.NAME: camera.name,
                 Column.PROFILES: ", ".join(s.url for s in (camera.main, camera.sub) if s is not None),
                 Column.STATE: self.tr("RTSP address (no ONVIF)")}
        return texts.get(column, "")

