"""Acknowledging and closing alerts for the officer on duty (issue 19, points 2 and 4).

The role is checked here, where the change is asked of the alert writer, not only by the alarm list that offers it.
One gesture (any number of alerts, one note) is one audit row, written once the writer has answered every chunk:
it names the alerts that did change, so an alert another officer had already handled is not recorded as
acknowledged a second time; the ones refused are counted in the same row. Nothing changed: no row.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from console.audit.actions import AuditAction, AuditEntry
from console.core.alerts import AlertState
from console.core.users import User
from console.officers.guard import Officers
from console.officers.roles import Permission
from console.store.alerts import TRANSITIONS_CHUNK, Transitions

AUDIT_IDS = 1000  # alert ids listed in one row (a bigger gesture is counted and its first ids listed)

Outcomes = dict[int, Exception | None]


class AlertActions:
    """`submit` hands a job to the alert writer (its thread answers through the job's callback)."""

    def __init__(self, officers: Officers, submit: Callable[[Transitions], None],
                 chunk: int = TRANSITIONS_CHUNK) -> None:
        self.officers = officers
        self._submit = submit
        self._chunk = chunk

    def change(self, ids: Sequence[int], target: AlertState, note: str, actor: str,
               answered: Callable[[Outcomes], None]) -> None:
        """Acknowledge or close `ids` with one note; `answered` gets every alert's outcome once (writer thread).
        Raises ActionRefusedError (audited) when the user on duty may not."""
        user = self.officers.require(Permission.ACK_ALERT, target=f"alert:{ids[0]}" if ids else None)
        chunks = [tuple(ids[i:i + self._chunk]) for i in range(0, len(ids), self._chunk)]
        if not chunks:
            answered({})
            return
        gesture = _Gesture(len(chunks), lambda outcomes: self._done(user, target, note, outcomes, answered))
        for part in chunks:
            self._submit(Transitions(part, target, actor, note, gesture.chunk_answered))

    def _done(self, user: User | None, target: AlertState, note: str, outcomes: Outcomes,
              answered: Callable[[Outcomes], None]) -> None:
        changed = sorted(i for i, error in outcomes.items() if error is None)
        if changed and self.officers.audit is not None:
            action = AuditAction.ALERT_CLOSED if target is AlertState.CLOSED else AuditAction.ALERT_ACKNOWLEDGED
            self.officers.audit(AuditEntry(
                action, user.login if user else "-", user.role.value if user else None,
                target=",".join(f"alert:{i}" for i in changed[:3]) + ("…" if len(changed) > 3 else ""),
                details={"alerts": len(changed), "ids": changed[:AUDIT_IDS], "note": note,
                         "not_changed": len(outcomes) - len(changed)}))
        answered(outcomes)


class _Gesture:
    """Gathers the answers of one gesture's chunks (each comes on the writer's thread)."""

    def __init__(self, chunks: int, finished: Callable[[Outcomes], None]) -> None:
        self._left = chunks
        self._outcomes: Outcomes = {}
        self._lock = threading.Lock()
        self._finished = finished

    def chunk_answered(self, outcomes: Outcomes) -> None:
        with self._lock:
            self._outcomes.update(outcomes)
            self._left -= 1
            last = self._left == 0
        if last:
            self._finished(dict(self._outcomes))
