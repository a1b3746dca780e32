"""Acknowledging and closing alerts at the service layer (issue 19): the role is checked where the writer is
asked, one audit row per gesture names exactly the alerts that changed, and a gesture split into the writer's
chunks is still one row."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from console.audit.actions import AuditAction, AuditEntry
from console.core.alerts import AlertEvent, AlertKind, AlertState
from console.core.users import Role, User
from console.core.vntime import now_ms
from console.officers.alert_actions import AlertActions, Outcomes
from console.officers.guard import ActionRefusedError, Guard, Officers
from console.store.alerts import AlertStore, AlertWriter
from console.store.database import open_database

OFFICER = User("trucban1", "Nguyễn Văn An", Role.OFFICER)


def _answers() -> tuple[list[Outcomes], threading.Event, Callable[[Outcomes], None]]:
    got: list[Outcomes] = []
    done = threading.Event()

    def answered(outcomes: Outcomes) -> None:
        got.append(outcomes)
        done.set()
    return got, done, answered


def test_one_row_per_gesture_over_chunks_naming_only_what_changed(tmp_path: Path) -> None:
    db = tmp_path / "console.db"
    open_database(db).close()
    rows: list[AuditEntry] = []
    on_duty: list[User | None] = [OFFICER]
    officers = Officers(Guard(lambda: on_duty[0], audit=rows.append), audit=rows.append)
    writer = AlertWriter(db, tmp_path / "snapshots")
    try:
        ids = [writer.next_id() for _ in range(7)]
        for alert_id in ids:
            writer.submit(AlertEvent(alert_id, "C01", "S01", AlertKind.MOTION, now_ms() - 1000, 0.7, "start"))
        actions = AlertActions(officers, writer.submit, chunk=3)  # three chunks for seven alerts
        got, done, answered = _answers()
        actions.change(ids[:2], AlertState.ACKNOWLEDGED, "trước", "trucban1", answered)
        assert done.wait(10)
        done.clear()
        actions.change(ids, AlertState.ACKNOWLEDGED, "Xe tải đỗ", "trucban1", answered)
        assert done.wait(10)
        assert len(got) == 2 and sorted(got[1]) == ids
        assert [(e.action, e.user, e.details["ids"], e.details["not_changed"]) for e in rows] == [
            (AuditAction.ALERT_ACKNOWLEDGED, "trucban1", ids[:2], 0),
            (AuditAction.ALERT_ACKNOWLEDGED, "trucban1", ids[2:], 2)]  # two were already acknowledged
        store = AlertStore(reading := open_database(db))
        assert all(store.get(i).state is AlertState.ACKNOWLEDGED for i in ids)  # type: ignore[union-attr]
        # Locked screen: refused at the service, audited, the writer never asked.
        on_duty[0] = None
        with pytest.raises(ActionRefusedError):
            actions.change(ids, AlertState.CLOSED, "đóng", "-", answered)
        assert rows[-1].action is AuditAction.ACTION_REFUSED and rows[-1].details["action"] == "ack_alert"
        assert len(got) == 2
        assert all(store.get(i).state is AlertState.ACKNOWLEDGED for i in ids)  # type: ignore[union-attr]
        reading.close()
    finally:
        writer.close()
