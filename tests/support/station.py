"""The real console window as app.py wires it, for the window-level tests: logins (the desk), the alarm list on
the real AlertWriter into SQLite, the chained audit trail on `data/console.db`, and, when asked, the cameras'
ONVIF services (their events and health alerts into that alarm list, their PTZ gestures into that trail)."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from pytestqt.qtbot import QtBot

from console.audit.actions import AuditAction
from console.audit.ptz_gestures import audit_ptz
from console.audit.verify import verify_database
from console.audit.writer import AuditWriter
from console.core.config import SiteConfig
from console.core.credentials import Credentials, CredentialStore
from console.core.login_settings import LoginSettings
from console.core.users import Role
from console.evidence.keys import load_or_create_station_key
from console.media.pool import StreamPool
from console.officers.accounts import Accounts
from console.officers.duty import Duty
from console.officers.guard import Guard, Officers
from console.onvif.camera_services import CameraServices
from console.onvif.events import EventChannelSettings
from console.store.alerts import AlertStore, AlertWriter
from console.store.database import open_database
from console.ui.alerts.center import AlertServices
from console.ui.alerts.panel import CommitBridge
from console.ui.officers.desk import Desk
from console.ui.officers.lock_screen import Mode
from console.ui.shell.main_window import MainWindow

ADMIN = "quantri"
ADMIN_PW = "Dung-Mat-Khau-1"
OFFICER_PW = "Mat-Khau-Moi-22"
OFFICER = "trucban1"


@dataclass(frozen=True)
class Row:
    """One row of the `audit` table as written (checkpoints left out: the writer's, not a gesture's)."""

    action: str
    user: str
    role: str | None
    camera: str | None
    target: str | None
    details: dict[str, object]


class Station:
    """The real main window with its desk (logins), alarm list, recordings and, for `onvif`, the cameras' ONVIF
    services; every audited part writes into one AuditWriter on `data/console.db`, every alert into one
    AlertWriter, as app.py wires them. `event_settings`: the event channels' timings (a short lost limit)."""

    def __init__(self, qtbot: QtBot, config: SiteConfig, credentials: Credentials, data: Path, *,
                 onvif: bool = False, event_settings: EventChannelSettings | None = None) -> None:
        self.qtbot = qtbot
        self.db_path = data / "console.db"
        open_database(self.db_path).close()
        accounts = Accounts(self.db_path)
        admin = accounts.create_first_admin(ADMIN, "Trần Văn Kỹ", ADMIN_PW)
        accounts.add(Guard(lambda: admin), OFFICER, "Nguyễn Văn An", Role.OFFICER, OFFICER_PW)
        self.trail = AuditWriter(self.db_path, load_or_create_station_key(data))  # app.py's start_audit
        audit = self.trail.append
        self.duty = Duty(audit)
        settings = LoginSettings()
        self.guard = Guard(lambda: self.duty.user, settings, audit)
        officers = Officers(self.guard, audit)
        self.database = open_database(self.db_path)
        self.pool = StreamPool(config, CredentialStore({"demo": credentials}))
        bridge = CommitBridge()
        self.writer = AlertWriter(self.db_path, data / "alerts", committed=bridge.committed.emit)
        alerts = AlertServices(AlertStore(self.database), self.writer, bridge, data / "alerts", [], officers=officers)
        self.services = CameraServices(config, lambda _ref: credentials, self.writer.submit, self.writer.next_id,
                                       on_gesture=audit_ptz(audit, self.duty.actor, self.duty.actor_role),
                                       event_settings=event_settings) if onvif else None
        self.recordings = data / "rec"
        self.window = MainWindow(config, demo=True, pool=self.pool, data=data, alerts=alerts,
                                 recordings=self.recordings, database=self.database, onvif=self.services,
                                 officers=officers)
        qtbot.addWidget(self.window)
        self.window.resize(1400, 900)
        self.window.show()
        qtbot.waitExposed(self.window)
        center = self.window.alert_center
        self.desk = Desk(self.window, Accounts(self.db_path, audit), self.duty, self.guard, settings,
                         alerts=center.panel if center is not None else None, audit=audit,
                         cameras=[c.id for c in config.cameras])
        self.desk.install()
        if self.services is not None:
            self.services.start()  # after the window listens, as app.py does

    def log_in(self, login: str = OFFICER, password: str = OFFICER_PW) -> None:
        screen = self.desk.screen
        assert screen.isVisible() and screen.mode is Mode.LOGIN
        screen.login.setText(login)
        screen.password.setText(password)
        self.qtbot.mouseClick(screen.button, Qt.MouseButton.LeftButton)
        self.qtbot.waitUntil(lambda: self.duty.user is not None, timeout=10_000)

    def rows(self) -> list[Row]:
        """Every row committed so far, read from the file by a connection of the test's own."""
        assert self.trail.flush(), "the audit writer did not commit in time"
        with closing(sqlite3.connect(self.db_path)) as conn:
            found = conn.execute("SELECT action, user, role, camera, target, details FROM audit "
                                 "WHERE action != ? ORDER BY id", [AuditAction.CHECKPOINT.value]).fetchall()
        return [Row(a, u, r, c, t, json.loads(d)) for a, u, r, c, t, d in found]

    def rows_after(self, mark: int) -> list[Row]:
        return self.rows()[mark:]

    def close(self) -> None:
        """The cameras' services (their open episodes ended in the alert log), then the alert writer, whose last
        commits the alarm list hears while it still exists; the window and what writes into the trail; the
        trail's last checkpoint signed; the chain verified as `python -m console.audit verify` would."""
        if self.services is not None:
            self.services.close()
        self.writer.close()
        QCoreApplication.processEvents()  # the writer's queued "committed" reaches the live alarm list
        self.window.close()
        self.window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        self.trail.close()
        self.database.close()
        self.pool.close()
        verdict = verify_database(self.db_path)
        assert verdict.ok, verdict
