"""Composition root: loads the configuration, starts the demo cameras if asked, builds the window."""

from __future__ import annotations

import contextlib
import logging
import signal
import sqlite3
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import sqlite_utils
from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from console.audit.actions import AuditEntry
from console.audit.chain import ChainedRow
from console.audit.ptz_gestures import audit_ptz
from console.audit.writer import AuditWriter
from console.bookmarks.service import Bookmarks
from console.core.alerts import AlertKind
from console.core.analytics import AnalyticsSettings
from console.core.buildinfo import BuildInfo, load_build_info
from console.core.config import (
    ConfigError,
    RecordingMode,
    SiteConfig,
    StreamKind,
    load_config,
    load_config_with_credentials,
)
from console.core.credentials import CredentialStore, CredentialStoreError
from console.core.gc_pauses import freeze_long_lived
from console.core.health import Shown
from console.core.layouts import StreamPolicy
from console.core.motion import MotionSettings
from console.core.paths import APPLICATION_NAME, data_dir, demo_config_path, resources_dir, seed_dir, source_checkout
from console.core.recording import RecordingAlerts
from console.core.redact import redact
from console.core.seed import installed_site
from console.core.uncaught import UncaughtHooks, alert_reporter
from console.core.users import Role, User
from console.core.vntime import now_ms
from console.evidence.keys import load_or_create_station_key
from console.evidence.messages import EvidenceError
from console.incidents.case_report import CaseNames
from console.incidents.intake import remove_leftovers
from console.incidents.map_places import MapPositions
from console.incidents.service import Incidents
from console.logsetup import configure_logging, ensure_logging
from console.media import heap
from console.media.alarm_bell import AlarmBell
from console.media.analytics import AnalyticsWorker
from console.media.pool import StreamPool
from console.media.recording import Recorder
from console.nvr.services import RecorderServices
from console.officers.accounts import Accounts
from console.officers.duty import Duty
from console.officers.guard import Guard, Officers
from console.officers.recording_deletion import retention_audit
from console.onvif.camera_services import CameraServices
from console.plates.keeper import PlateKeeper
from console.simulator.process import SimulatorProcess, demo_credentials
from console.simulator.scene import ROAD_ZONE
from console.store.alerts import AlertStore, AlertWriter
from console.store.analytics_settings import AnalyticsSettingsStore
from console.store.database import DatabaseError, open_database
from console.store.layouts import LayoutStore
from console.store.motion_grid import MotionGridWriter
from console.store.recordings import index_opener
from console.store.seeding import import_seed
from console.store.users import UserStore
from console.ui.alerts.center import AlertServices
from console.ui.alerts.incident_menu import AlertIncidents
from console.ui.alerts.panel import CommitBridge
from console.ui.bookmarks.install import install_bookmarks
from console.ui.incidents.case_export_dialog import CaseExportSetup
from console.ui.incidents.install import install_incidents
from console.ui.live.recorder_bridge import install_recorder_health
from console.ui.map.incident_layer import install_incident_layer
from console.ui.officers.desk import Desk
from console.ui.plates.desk import PlateDesk
from console.ui.playback.export_dialog import EXPORTS_FOLDER
from console.ui.playback.recorder_side import RecorderLink
from console.ui.shell.bench_report import BenchReport
from console.ui.shell.database_dialog import show_database_problem
from console.ui.shell.event_loop import run_event_loop
from console.ui.shell.first_start import ask_open_demo
from console.ui.shell.fonts import install_fonts
from console.ui.shell.i18n import install_translator
from console.ui.shell.main_window import MainWindow
from console.ui.shell.qtlog import route_qt_messages
from console.ui.shell.uplink_indicator import UplinkIndicator
from console.ui.shell.uplink_page import open_uplink_page
from console.ui.shell.uplink_pictures import LivePictures
from console.ui.widgets.form_units import form_units
from console.uplink.commands import CommandDesk
from console.uplink.outbox_hook import enqueue_audit_checkpoint
from console.uplink.publisher import HEALTH_OK, UplinkPublisher

log = logging.getLogger(__name__)

SIGNAL_POLL_MS = 250
BELL_CLOSE_S = 2.0  # at exit: how long the bell may take to let go of libVLC
DEMO_MOTION_CAMERAS = ("C01", "C05", "C20")
DEMO_ANALYTICS = AnalyticsSettings(MotionSettings(zones=ROAD_ZONE, cooldown_s=120))
ALERT_SNAPSHOTS = "alerts"
RECORDINGS = "recordings"
GIL_SWITCH_INTERVAL_S = 0.001
FREEZE_AFTER_MS = 30_000  # the long-lived objects frozen this long after the window shows (gc_pauses)
RESTART_EXIT_CODE = 75  # the window asked for the wall to be built again from the (changed) site file
# The demo opens logged in as its own user (admin: every menu can be shown); it is in no database and has no
# password, so unlocking the demo's screen needs a real account of this machine.
DEMO_USER = User("demo", "Cán bộ trình diễn", Role.ADMIN)


@dataclass(frozen=True)
class LaunchOptions:
    demo: bool
    config: Path | None
    lang: str
    stream: str = "auto"
    fullscreen: bool = False
    bench_report: Path | None = None


# A benchmark's probe of the running console (benchmarks/soak.py): called with the window, the alert writer and the
# recorder once the window is shown, what it returns is kept alive until the window closes.
Probe = Callable[[MainWindow, AlertWriter, Recorder], object]


def load_site(options: LaunchOptions, data: Path) -> tuple[SiteConfig, CredentialStore]:
    """The site config to show and its credentials (the demo's are made on first start)."""
    if options.demo:
        path = options.config or demo_config_path()
        store = demo_credentials(data / "demo-credentials.toml")
        return load_config(path, store.refs), store
    assert options.config is not None
    return load_config_with_credentials(options.config)


def _show_config_error(app: QApplication, text: str) -> None:
    box = QMessageBox()
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(app.translate("App", "Configuration error"))
    box.setText(text)
    box.addButton(app.translate("App", "Close"), QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def choose_site(options: LaunchOptions, data: Path, app: QApplication) -> LaunchOptions | None:
    """Without --demo or --config: the commune installed on this machine, or (asked) the demo."""
    if options.demo or options.config is not None:
        return options
    site = installed_site(data)
    if site.is_file():
        return replace(options, config=site)
    log.warning("no commune installed (%s missing)", site)
    return replace(options, demo=True) if ask_open_demo(app, site) else None


def open_site(app: QApplication, options: LaunchOptions,
              data: Path) -> int | tuple[LaunchOptions, SiteConfig, CredentialStore]:
    """The site to show, or the exit code when there is none (declined: 0, invalid: 1, said in a dialog)."""
    chosen = choose_site(options, data, app)
    if chosen is None:
        return 0
    try:
        config, store = load_site(chosen, data)
    except ConfigError as exc:
        lines = [i.describe(chosen.lang) for i in exc.errors]
        log.error("configuration %s is invalid:\n%s", exc.path, "\n".join(lines))
        _show_config_error(app, "\n".join(lines))
        return 1
    except CredentialStoreError as exc:
        log.error("%s", exc)
        _show_config_error(app, exc.message(chosen.lang))
        return 1
    return chosen, config, store


def run(options: LaunchOptions, argv: list[str], probe: Probe | None = None) -> int:
    heap.limit_arenas()  # before any thread: decoder churn over many arenas fragments memory (media/heap.py)
    heap.fix_mmap_threshold()  # picture buffers mapped whole, never left as holes in the arenas (media/heap.py)
    data = data_dir()
    configure_logging(data)
    build = load_build_info(resources_dir(), source_checkout())
    log.info("camera-console %s, data in %s", build.one_line(), data)
    # 25+ decoder threads each take the GIL for a little Python per frame; at the default 5 ms switch
    # interval the GUI thread queued behind them for tens of ms. 1 ms keeps it responsive (benchmarked).
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    app = QApplication(argv)
    route_qt_messages()
    app.setApplicationName(APPLICATION_NAME)
    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "camera-console.svg")))
    install_fonts(app)
    translator = install_translator(app, options.lang)
    try:
        database = open_database(data / "console.db")
    except DatabaseError as exc:  # a newer console's file, a damaged one: the officer is told what to do
        log.error("%s", exc)
        show_database_problem(exc)
        return 1
    try:
        # The installer's commune defaults reach the data folder on first start (and after an update),
        # never over what the officer changed since.
        import_seed(seed_dir(), installed_site(data).parent, database)
        duty = Duty()  # who is logged in outlives a rebuild of the wall (a camera added from the console)
        while True:  # again after the site file was changed from the console (cameras added, a site edited)
            opened = open_site(app, options, data)
            if isinstance(opened, int):
                return opened
            code = show_wall(app, *opened, database=database, build=build, data=data, probe=probe, duty=duty)
            if code != RESTART_EXIT_CODE:
                return code
            log.info("the site file changed: the live view is built again from it")
            options = opened[0]
    finally:
        database.close()
        del translator


def start_analytics(config: SiteConfig, pool: StreamPool, settings: AnalyticsSettingsStore, writer: AlertWriter,
                    demo: bool, grids: MotionGridWriter | None = None) -> AnalyticsWorker:
    """Motion/tamper on every camera's sub stream (its main one if it has none), on the wall's connections; each
    picture's motion grid to `grids` (the motion search's)."""
    chosen = settings.all()
    if demo:  # the demo's roads: motion zones on a few cameras so the alarm list has something to show
        for camera_id in DEMO_MOTION_CAMERAS:
            chosen.setdefault(camera_id, DEMO_ANALYTICS)
    worker = AnalyticsWorker(list(config.cameras), chosen, writer.submit, writer.next_id,
                             grids=grids.submit if grids is not None else None)
    worker.start()
    for camera in config.cameras:
        pool.attach(camera.id, StreamKind.SUB if camera.has_sub() else StreamKind.MAIN, worker.tap(camera.id))
    return worker


def recordings_folder(config: SiteConfig, data: Path) -> Path:
    """Where recordings go: the site file's `[recording] folder`, else `recordings` in the data folder."""
    return config.recordings_folder or data / RECORDINGS


def start_recording(config: SiteConfig, pool: StreamPool, writer: AlertWriter, data: Path,
                    clock_offset: Callable[[str], float | None] | None = None,
                    audit: Callable[[AuditEntry], None] | None = None) -> Recorder:
    """Every camera whose mode is not off gets a tap on its chosen stream; alerts arm on-alert cameras; each
    segment notes `clock_offset(camera)` (the ONVIF clock's offset) when it opens; what retention deletes is
    recorded in the audit trail."""
    alerts = RecordingAlerts(writer.submit, writer.next_id, now_ms)
    recorder = Recorder(recordings_folder(config, data), index_opener(data / "console.db"), config.recording,
                        on_failure=alerts, clock_offset=clock_offset,
                        retention_deleted=retention_audit(audit) if audit is not None else None)
    recorder.start()
    for camera in config.cameras:
        if camera.recording is not RecordingMode.OFF:
            kind = camera.record_stream if camera.has_sub() else StreamKind.MAIN
            pool.attach(camera.id, kind, recorder.tap(camera))
    writer.listeners.append(recorder.alert_event)
    return recorder


def start_audit(data: Path, uplink: UplinkPublisher | None = None) -> AuditWriter | None:
    """The tamper-evident audit trail, signed with this station's key (made on first start). A key that cannot
    be used (e.g. readable by others) is logged and the console runs on without the trail: the wall matters more."""
    try:
        key = load_or_create_station_key(data)
    except EvidenceError as exc:
        log.error("the audit trail is off: %s", exc.message("en"))
        return None
    if uplink is None:
        return AuditWriter(data / "console.db", key)
    fingerprint = key.public.fingerprint()

    def to_province(conn: sqlite3.Connection, row: ChainedRow) -> None:  # in the checkpoint's own transaction
        enqueue_audit_checkpoint(conn, row_id=row.id, row_at_ms=row.at_ms, row_hash=row.hash,
                                 signature=row.signature or "", key_fingerprint=fingerprint)

    return AuditWriter(data / "console.db", key, on_checkpoint=to_province, after_checkpoint=uplink.wake)


def show_wall(app: QApplication, options: LaunchOptions, config: SiteConfig, store: CredentialStore, *,
              database: sqlite_utils.Database, build: BuildInfo, data: Path, probe: Probe | None = None,
              duty: Duty | None = None) -> int:
    """The wall until the officer exits. Whatever has started is stopped again, in reverse order, also when
    a later step fails (the start-failure dialog then comes up over a process that can still exit)."""
    with contextlib.ExitStack() as started:
        if options.demo and config.source is not None and store.path is not None:
            simulator = SimulatorProcess(config.source, store.path, data / "logs" / "simulator.log")
            simulator.start()
            started.callback(simulator.stop)
        bridge = CommitBridge()
        # The province uplink (`[uplink]` in the site file): each alert change's outbox row is written in the
        # alert's own transaction; published from its own network thread. None: no uplink, nothing written.
        uplink = UplinkPublisher.from_site(config, store, data / "console.db", snapshots=data / ALERT_SNAPSHOTS)
        writer = AlertWriter(data / "console.db", data / ALERT_SNAPSHOTS, committed=bridge.committed.emit,
                             outbox=uplink.alert_outbox if uplink is not None else None)
        started.callback(writer.close)
        if uplink is not None:
            uplink.start()
            started.callback(uplink.stop)  # says "offline" before the alert writer closes
        hooks = UncaughtHooks(alert_reporter(writer.submit, writer.next_id, now_ms))  # "Lỗi hệ thống: …"
        hooks.install()
        started.callback(hooks.uninstall)
        bell = AlarmBell(data)
        started.callback(bell.join, BELL_CLOSE_S)  # its release reaches libVLC before the process goes
        started.callback(bell.close)
        pool = StreamPool(config, store)
        started.callback(pool.close)
        # Every camera's small stream stays connected (demux only, no decoding unless a tile shows it): the
        # tree and the site-offline events know every camera's health, not only the ones on screen.
        pool.keep([c.id for c in config.cameras], StreamKind.SUB)
        analytics_store = AnalyticsSettingsStore(database)
        grids = MotionGridWriter(data / "console.db", config.recording.retention_days)  # kept as recordings are
        started.callback(grids.close)
        analytics = start_analytics(config, pool, analytics_store, writer, demo=options.demo, grids=grids)
        started.callback(analytics.stop)
        audit = start_audit(data, uplink)
        if audit is not None:
            started.callback(audit.close)  # after everything that records into it
        audit_to = audit.append if audit is not None else None
        duty = duty or Duty()
        if audit_to is not None:
            duty.audit = audit_to
        guard = Guard(lambda: duty.user, config.login, audit_to)
        officers = Officers(guard, audit_to)
        # Cameras with an `onvif` table: their clocks, their own events into the alert log, PTZ (one network loop).
        onvif = CameraServices(config, store.get, writer.submit, writer.next_id,
                               on_gesture=audit_ptz(audit_to, duty.actor, duty.actor_role) if audit_to is not None
                               else None)

        def clock_offset(camera_id: str) -> float | None:  # asked by the recorder's thread as a segment opens
            reading = onvif.clock(camera_id)
            return reading.offset_s if reading is not None else None

        recorder = start_recording(config, pool, writer, data, clock_offset, audit_to)
        started.callback(recorder.close)
        started.callback(pool.close)  # at exit the streams stop first, then what they fed
        alerts = AlertServices(AlertStore(database), writer, bridge, data / ALERT_SNAPSHOTS,
                               UserStore(database).all(), bell.ring, analytics, analytics_store, bell,
                               recordings_folder(config, data), officers)
        # The station's recorders (`[[recorders]]`): their event streams into the alert log, their clocks read.
        recorders = RecorderServices(config, store.get, writer.submit, writer.next_id)
        started.callback(recorders.close)  # before the alert writer closes: open episodes end in the log
        window = MainWindow(config, demo=options.demo, pool=pool, layouts=LayoutStore(database), build=build,
                            data=data, alerts=alerts, recordings=recordings_folder(config, data),
                            database=database, onvif=onvif, credentials=store, officers=officers)
        RecorderLink(window, recorders)  # the playback window finds the recorders through it (gaps filled)
        # Each recorder's event channel and clock on its cameras' tree tooltips and in the status bar (listening
        # before `recorders.start()`: the first readings are heard).
        install_recorder_health(window, window.camera_tree, recorders)
        rebuilding: list[bool] = []  # the wall is rebuilt: the officer stays logged in

        def rebuild() -> None:
            rebuilding.append(True)
            app.exit(RESTART_EXIT_CODE)

        window.restart_requested.connect(rebuild)
        started.callback(_dispose, window)
        started.callback(lambda: None if rebuilding else duty.logout())  # at exit, while the audit writer runs
        desk = Desk(window, Accounts(data / "console.db", audit_to), duty, guard, config.login,
                    demo_user=DEMO_USER if options.demo else None,
                    alerts=window.alert_center.panel if window.alert_center is not None else None, audit=audit_to,
                    cameras=[c.id for c in config.cameras])
        incidents = OpenIncidents(window, config, data, officers)
        started.callback(incidents.close)
        bookmarks = open_database(data / "console.db")  # *Đánh dấu*: a connection of its own, as the incidents'
        started.callback(bookmarks.close)
        install_bookmarks(window, Bookmarks(bookmarks.conn, officers, incidents.service))
        desk.install()  # last of the window's parts: the login screen comes over every dock
        if uplink is not None:
            indicator = UplinkIndicator(uplink.status, window)
            indicator.clicked.connect(lambda: open_uplink_page(window, officers, uplink.status, data / "console.db"))
            window.statusBar().addPermanentWidget(indicator)
            window.health.states.connect(lambda shown: report_health(uplink, shown))
            # The province's snapshot requests: allow-listed, audited, from the wall's (or a feed's) latest picture.
            pictures = LivePictures(window.wall.picture_of, pool, window)
            started.callback(pictures.close)  # before the pool and the window go
            uplink.answer_commands(CommandDesk([c.id for c in config.cameras], pictures.request, audit_to))
        started.callback(onvif.close)  # before the window goes and the alert writer closes (episodes' ends)
        onvif.start()  # after the window listens
        recorders.start()
        window.set_stream_policy(StreamPolicy(options.stream))
        window.watch_recovery(lambda: recorder.recovering)
        if options.fullscreen:
            window.toggle_full_screen()
        else:
            window.showMaximized()
        window.restore_wall_window()  # on its second monitor, if it was there last time
        # Once started (the cameras' ONVIF schemas parsed, the wall built), what lives on is kept off the garbage
        # collector's full walks: they paused every thread for hundreds of ms (console/core/gc_pauses.py).
        QTimer.singleShot(FREEZE_AFTER_MS, freeze_long_lived)
        report = (BenchReport(window.wall, options.bench_report, app, window.camera_tree) if options.bench_report
                  else None)
        probed = probe(window, writer, recorder) if probe is not None else None
        started.callback(lambda: (report, probed, desk))  # kept alive until the loop ends
        # SIGTERM/SIGINT close the window properly (the demo's simulator is stopped below); the timer lets
        # Python run its signal handlers while Qt's loop waits.
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, lambda *_: app.quit())
        wakeup = QTimer(app)
        wakeup.timeout.connect(lambda: None)
        wakeup.start(SIGNAL_POLL_MS)
        return run_event_loop(app)


class OpenIncidents:
    """The *Vụ việc* dock's service on a connection of its own (an intake runs on a worker while the window
    reads the alert log on the GUI thread's connection)."""

    def __init__(self, window: MainWindow, config: SiteConfig, data: Path, officers: Officers) -> None:
        self._db = open_database(data / "console.db")
        self.service = Incidents(self._db.conn, officers, data)
        removed = remove_leftovers(self.service)  # an intake a power cut interrupted
        if removed:
            log.info("incidents: %d unfinished intakes removed", removed)
        self.dock = install_incidents(window, self.service, [c.id for c in config.cameras],
                                      camera_sites={c.id: c.site_id for c in config.cameras},
                                      snapshots=data / ALERT_SNAPSHOTS, exports=case_exports(config, data))
        self.dock.show_camera.connect(lambda camera_id, at_ms: window.open_playback(camera_id, int(at_ms)))
        self._window = window
        self.dock.show_on_map.connect(self._show_on_map)
        # *Đọc biển số* (playback, the alert list, this dock): plates kept with alerts and incidents
        self.plates = PlateDesk(window, PlateKeeper(data / "console.db", data / ALERT_SNAPSHOTS, self.service,
                                                    officers))
        self.plates.kept.connect(lambda kept: self.dock.select(kept.incident_id) if kept.incident_id else None)
        # The map's layer of open incidents, and the alert list's *Tạo vụ việc* / *Thêm vào vụ việc…*
        self.map_layer = install_incident_layer(window.map, self.service, MapPositions.of(config), self.dock)
        self.alert_menu = AlertIncidents(window.alert_center.panel, self.dock) if window.alert_center else None

    def _show_on_map(self, lat: float, lon: float) -> None:
        self._window.map_dock.show()
        self._window.map.center_on_point(lat, lon)

    def close(self) -> None:
        self.plates.close()
        if self.dock.intake_running:
            self.dock.cancel_intake()
        if self.dock.export_running:
            self.dock.cancel_export()
        self._db.close()


def case_exports(config: SiteConfig, data: Path) -> CaseExportSetup:
    """What a case export reads (the recordings and their index) and how its report names the commune's units,
    cameras and sites; the folder picker opens in the data folder's exports."""
    places = MapPositions.of(config)
    return CaseExportSetup(recordings_folder(config, data), data / "console.db", form_units(config.commune),
                           CaseNames({c.id: c.name for c in config.cameras}, {s.id: s.name for s in config.sites},
                                     places.cameras, places.sites),
                           data / EXPORTS_FOLDER, config.map)


def report_health(uplink: UplinkPublisher, shown: Mapping[str, Shown]) -> None:
    """Each camera's health for its retained topic at the province (the publisher sends changes only)."""
    for camera_id, state in shown.items():
        if state is Shown.LIVE:
            uplink.report_camera_health(camera_id, HEALTH_OK)
        elif state in (Shown.LOST, Shown.STALLED):
            uplink.report_camera_health(camera_id, AlertKind.CAMERA_OFFLINE.value)


def _dispose(window: MainWindow) -> None:
    """Widgets go before the QApplication, deterministically (not whenever finalization reaches them)."""
    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def _report_start_failure(exc: Exception, lang: str) -> int:
    """An unforeseen failure at start reaches the log (redacted) and the officer (a dialog), not a bare exit 1."""
    log_file = ensure_logging(data_dir())
    log.critical("the console could not start", exc_info=exc)
    instance = QApplication.instance()
    app = instance if isinstance(instance, QApplication) else QApplication(sys.argv[:1])
    translator = install_translator(app, lang)
    box = QMessageBox()
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(app.translate("App", "The console could not start"))
    box.setText(app.translate("App", "The console could not start because of an unexpected error. The technical "
                                     "details are in the log {log}.").format(log=log_file or "-"))
    box.setDetailedText(redact(f"{type(exc).__name__}: {exc}"))
    box.addButton(app.translate("App", "Close"), QMessageBox.ButtonRole.AcceptRole)
    box.exec()
    del translator
    return 1


def main_gui(options: LaunchOptions) -> int:
    try:
        return run(options, sys.argv[:1])
    except Exception as exc:
        return _report_start_failure(exc, options.lang)
