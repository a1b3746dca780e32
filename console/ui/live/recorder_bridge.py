"""The station recorders' health on screen: each recorder's event channel (live / slow / lost) and its clock (offset,
time mode and zone) brought from the recorders' network loop to the GUI thread as queued Qt signals, and shown on
the cameras of that recorder's channels (a line of their tooltip in the camera tree, as `onvif_bridge` does for a
camera's own ONVIF news) and in one status-bar indicator for every recorder. The states and readings are
`console.nvr.services`'; this only words and places them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from console.core.camera_events import ChannelState
from console.core.recorder_settings import zone_text
from console.core.vntime import clock_offset_text_en, clock_offset_text_vi, format_vn_ms
from console.nvr.events import RecorderEventHealth
from console.nvr.services import RecorderClock, RecorderServices
from console.nvr.timebase import TimeMode
from console.ui.live.camera_tree import CameraTree
from console.ui.shell.i18n import ui_lang

EVENTS_LINE = "recorder-events"  # the camera tree's tooltip topics (`CameraTree.set_camera_line`)
CLOCK_LINE = "recorder-clock"
SAY_MS = 15_000  # a recorder's event channel lost, or back: as long as a whole site offline is said
INDICATOR_NAME = "recorderIndicator"


class Level(Enum):
    """How the indicator colours a recorder's event channel."""

    GOOD = "#2b8a3e"
    WAIT = "#e67700"
    BAD = "#c92a2a"
    OFF = "#868e96"


_LEVELS = {ChannelState.LIVE: Level.GOOD, ChannelState.STARTING: Level.WAIT, ChannelState.STALE: Level.WAIT,
           ChannelState.LOST: Level.BAD, ChannelState.HALTED: Level.BAD, ChannelState.CLOSED: Level.OFF}


def level(health: RecorderEventHealth | None) -> Level:
    return Level.OFF if health is None else _LEVELS[health.state]


def _reason(vi: str | None, en: str | None, kind: str | None) -> str:
    return (vi if ui_lang() == "vi" and vi else en) or kind or "-"


def _state_text(state: ChannelState) -> str:
    translate = QCoreApplication.translate
    return {
        ChannelState.STARTING: translate("RecorderHealth", "Recorder {recorder} event channel: connecting…"),
        ChannelState.LIVE: translate("RecorderHealth", "Recorder {recorder} event channel: live"),
        ChannelState.STALE: translate("RecorderHealth",
                                      "Recorder {recorder} event channel: slow since {time}, reconnecting…"),
        ChannelState.LOST: translate("RecorderHealth", "Recorder {recorder} event channel: lost since {time}"),
        ChannelState.HALTED: translate("RecorderHealth",
                                       "Recorder {recorder} event channel: lost since {time}, the recorder refused "
                                       "the login (not tried again until the password is corrected)"),
        ChannelState.CLOSED: translate("RecorderHealth", "Recorder {recorder} event channel: off"),
    }[state]


def events_text(recorder_id: str, health: RecorderEventHealth | None) -> str:
    """"Kênh sự kiện của đầu ghi nvr-hik: Hoạt động", and the last error on a line of its own when it is not."""
    if health is None:
        return QCoreApplication.translate("RecorderHealth", "Recorder {recorder}: its events are not taken").format(
            recorder=recorder_id)
    state = _state_text(health.state).format(recorder=recorder_id, time=format_vn_ms(health.since_ms))
    if health.state is ChannelState.LIVE or not health.error_kind:
        return state
    error = QCoreApplication.translate("RecorderHealth", "Recorder {recorder}: last error: {reason}").format(
        recorder=recorder_id, reason=_reason(health.error_vi, health.error_en, health.error_kind))
    return f"{state}\n{error}"


def mode_text(mode: TimeMode) -> str:
    return {
        TimeMode.UTC: QCoreApplication.translate("RecorderHealth", "UTC"),
        TimeMode.LOCAL_AS_UTC: QCoreApplication.translate("RecorderHealth", "local time written as UTC"),
        TimeMode.LOCAL: QCoreApplication.translate("RecorderHealth", "local time"),
    }[mode]


def zone_label(zone_s: int) -> str:
    """`UTC+07:00`: the zone as the site file writes it (`time_zone = "+07:00"`), after the letters the officer
    knows."""
    return f"UTC{zone_text(zone_s)}"


def clock_text(recorder_id: str, clock: RecorderClock | None) -> str:
    """"Đầu ghi nvr-hik: Lệch giờ +3 phút 12 giây; chế độ giờ UTC, múi giờ UTC+07:00 (đọc từ đầu ghi)", or why the
    clock could not be read."""
    translate = QCoreApplication.translate
    if clock is None:
        return translate("RecorderHealth", "Recorder {recorder}: clock not read yet").format(recorder=recorder_id)
    reading = clock.reading
    if reading is None:
        return translate("RecorderHealth", "Recorder {recorder}: clock not read: {reason}").format(
            recorder=recorder_id, reason=_reason(clock.error_vi, clock.error_en, clock.error_kind))
    offset = clock_offset_text_vi(reading.clock_offset_s) if ui_lang() == "vi" else \
        clock_offset_text_en(reading.clock_offset_s)
    if reading.from_settings:
        template = translate("RecorderHealth",
                             "Recorder {recorder}: {offset}; time mode {mode}, zone {zone} (from the site file)")
    else:
        template = translate("RecorderHealth",
                             "Recorder {recorder}: {offset}; time mode {mode}, zone {zone} (read from the recorder)")
    timebase = reading.timebase
    line = template.format(recorder=recorder_id, offset=offset, mode=mode_text(timebase.mode),
                           zone=zone_label(timebase.zone_offset_s))
    warning = clock_warning(clock)
    return f"{line}\n{warning}" if warning else line


def clock_warning(clock: RecorderClock | None) -> str | None:
    """The services' warning that the recorder's clock points to another time mode than the site file states."""
    if clock is None or not (clock.warning_vi or clock.warning_en):
        return None
    return _reason(clock.warning_vi, clock.warning_en, None)


@dataclass(frozen=True)
class RecorderShown:
    """One recorder as the window shows it now."""

    recorder_id: str
    title: str  # "nvr-hik: Hikvision, 127.0.0.1:8080"
    health: RecorderEventHealth | None  # None: its events are not taken (off in the site file, no camera on it)
    clock: RecorderClock | None  # None: not read yet

    @property
    def level(self) -> Level:
        return level(self.health)

    def lines(self) -> list[str]:
        return [self.title, events_text(self.recorder_id, self.health), clock_text(self.recorder_id, self.clock)]


class RecorderIndicator(QLabel):
    """*Đầu ghi: 2/2 hoạt động* in the status bar, coloured by the worst event channel; its tooltip says every
    recorder's event channel and clock."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(INDICATOR_NAME)

    def show_recorders(self, shown: list[RecorderShown]) -> None:
        taken = [s for s in shown if s.health is not None]
        live = sum(1 for s in taken if s.level is Level.GOOD)
        lost = sum(1 for s in taken if s.level is Level.BAD)
        if not taken:
            text = self.tr("Recorders: events not taken")
        elif lost:
            text = self.tr("Recorders: {live}/{count} live, {lost} lost").format(live=live, count=len(taken),
                                                                                 lost=lost)
        else:
            text = self.tr("Recorders: {live}/{count} live").format(live=live, count=len(taken))
        worst = next((lvl for lvl in (Level.BAD, Level.WAIT, Level.GOOD) if any(s.level is lvl for s in taken)),
                     Level.OFF)
        self.setText(text)
        self.setStyleSheet(f"color: {worst.value};")
        self.setToolTip("\n\n".join("\n".join(s.lines()) for s in shown))


class RecorderBridge(QObject):
    """A `RecorderServicesListener` whose calls (on the services' network thread) leave as signals. It has no
    parent: the services hold it until they close, and the window, which goes first at exit, only receives (a
    receiver destroyed is disconnected by Qt, so a late reading never reaches a deleted object)."""

    health_changed = Signal(str, object)  # recorder id, RecorderEventHealth
    clock_changed = Signal(str, object)  # recorder id, RecorderClock

    def recorder_health(self, health: RecorderEventHealth) -> None:
        self.health_changed.emit(health.recorder_id, health)

    def recorder_clock(self, clock: RecorderClock) -> None:
        self.clock_changed.emit(clock.recorder_id, clock)


class RecorderView(QObject):
    """The recorders in the window: each camera on a recorder channel carries its recorder's event channel and
    clock in its tree tooltip; the indicator sums them up; a channel lost (and back) is said in the status bar.
    `shown_changed` (recorder id, RecorderShown) after each update, on the GUI thread."""

    shown_changed = Signal(str, object)

    def __init__(self, services: RecorderServices, tree: CameraTree, indicator: RecorderIndicator,
                 say: Callable[[str, int], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tree = tree
        self.indicator = indicator
        self._say = say
        config = services.config
        settings = {r.id: r for r in config.recorders}
        self._cameras = {r: list(config.cameras_on(r).values()) for r in services.recorders}
        self._shown: dict[str, RecorderShown] = {}
        for recorder_id in services.recorders:
            recorder = settings[recorder_id]
            title = self.tr("Recorder {recorder}: {vendor}, {address}").format(
                recorder=recorder_id, vendor=recorder.vendor.value.capitalize(),
                address=f"{recorder.host}:{recorder.http_port}")
            # what the services know already (plain reads): the news from now on comes through the bridge
            self._shown[recorder_id] = RecorderShown(recorder_id, title, services.events_health(recorder_id),
                                                     services.clock(recorder_id))
        self.bridge = RecorderBridge()
        queued = Qt.ConnectionType.QueuedConnection  # emitted on the network thread, received on the GUI thread
        self.bridge.health_changed.connect(self._health, queued)
        self.bridge.clock_changed.connect(self._clock, queued)
        services.add_listener(self.bridge)
        for recorder_id in self._shown:
            self._show(recorder_id)

    @Slot(str, object)
    def _health(self, recorder_id: str, health: RecorderEventHealth) -> None:
        before = self._shown.get(recorder_id)
        if before is None:
            return
        self._shown[recorder_id] = RecorderShown(recorder_id, before.title, health, before.clock)
        was_lost = before.health is not None and before.health.lost
        if health.lost and not was_lost:
            self._say(self.tr("Recorder {recorder}: event channel lost, the events of its cameras do not arrive")
                      .format(recorder=recorder_id), SAY_MS)
        elif was_lost and health.state is ChannelState.LIVE:
            self._say(self.tr("Recorder {recorder}: event channel live again").format(recorder=recorder_id), SAY_MS)
        self._show(recorder_id)

    @Slot(str, object)
    def _clock(self, recorder_id: str, clock: RecorderClock) -> None:
        before = self._shown.get(recorder_id)
        if before is None:
            return
        self._shown[recorder_id] = RecorderShown(recorder_id, before.title, before.health, clock)
        warning = clock_warning(clock)
        if warning and warning != clock_warning(before.clock):  # once per disagreement, as the services log it
            self._say(warning, SAY_MS)
        self._show(recorder_id)

    def _show(self, recorder_id: str) -> None:
        shown = self._shown[recorder_id]
        events, clock = events_text(recorder_id, shown.health), clock_text(recorder_id, shown.clock)
        for camera_id in self._cameras[recorder_id]:
            self.tree.set_camera_line(camera_id, EVENTS_LINE, events)
            self.tree.set_camera_line(camera_id, CLOCK_LINE, clock)
        self.indicator.show_recorders(list(self._shown.values()))
        self.shown_changed.emit(recorder_id, shown)


def install_recorder_health(window: QMainWindow, tree: CameraTree,
                            services: RecorderServices) -> RecorderView | None:
    """The indicator in the window's status bar and the tree's lines, listening to `services` (call before
    `services.start()`, so the first readings are heard); None when the site file has no recorder contacted."""
    if not services.recorders:
        return None
    indicator = RecorderIndicator(window)
    window.statusBar().addPermanentWidget(indicator)
    return RecorderView(services, tree, indicator, window.statusBar().showMessage, window)
