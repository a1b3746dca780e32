"""What a province window asks of the province store, as plain frozen data: every commune's state (online,
offline since, cameras down, unacknowledged alerts), the cross-commune alert list with its filters, one alert's
details with its snapshot and steps, and counts per commune, kind and day (Vietnam time).

Reads go through a read-only connection of their own (WAL: they never wait for the receiver's writes); the
commune, kind, state and time filters have their index (console/province/store.py), priority and the note's
words narrow what those select.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from console.core.alerts import AlertState
from console.province.config import ProvinceCommune
from console.province.store import connect

VN_OFFSET_S = 7 * 3600
DEFAULT_LIMIT = 500


class CommuneLink(StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"
    UNKNOWN = "unknown"  # nothing heard from it since the province store was made


@dataclass(frozen=True)
class CommuneState:
    id: str
    name: str
    lat: float | None
    lon: float | None
    link: CommuneLink
    since_ms: int | None  # online since / offline since
    reason: str | None  # offline: "lost" (last will) or "stopped"
    backlog: int | None  # what the commune said it still had to send, with its last status
    cameras_down: int
    unacknowledged: int  # alerts still "new"
    configured: bool  # in the province file (False: a commune the file does not list)


@dataclass(frozen=True)
class CameraState:
    """A commune's camera as its retained health last said (the cameras the province can ask a picture of)."""

    commune: str
    camera: str
    state: str  # "ok", or the kind of the problem going on
    at_ms: int


@dataclass(frozen=True)
class AlertFilter:
    communes: frozenset[str] | None = None
    kinds: frozenset[str] | None = None
    states: frozenset[str] | None = None
    priority: int | None = None
    text: str | None = None  # found in the note (case-insensitive for ASCII, as SQLite's LIKE)
    since_ms: int | None = None  # started at or after
    until_ms: int | None = None  # started before
    limit: int = DEFAULT_LIMIT
    offset: int = 0


@dataclass(frozen=True)
class ProvinceAlert:
    commune: str
    alert_id: int
    kind: str
    camera: str | None
    site: str | None
    priority: int
    score: float
    state: str
    started_ms: int
    ended_ms: int | None
    note: str
    acked_by: str | None
    acked_ms: int | None
    closed_by: str | None
    closed_ms: int | None
    has_snapshot: bool


@dataclass(frozen=True)
class AlertStep:
    step: str  # "acknowledged" | "closed"
    officer: str | None
    note: str
    at_ms: int


@dataclass(frozen=True)
class AlertDetails:
    alert: ProvinceAlert
    snapshot: Path | None  # the JPEG file, when it arrived
    steps: tuple[AlertStep, ...]


@dataclass(frozen=True)
class AlertCount:
    commune: str
    kind: str
    day: str  # YYYY-MM-DD, Vietnam time
    count: int


_ALERT_COLUMNS = ("commune, alert_id, kind, camera, site, priority, score, state, started_ms, ended_ms, note, "
                  "acked_by, acked_ms, closed_by, closed_ms, has_snapshot")


def _alert(row: tuple[object, ...]) -> ProvinceAlert:
    (commune, alert_id, kind, camera, site, priority, score, state, started_ms, ended_ms, note, acked_by,
     acked_ms, closed_by, closed_ms, has_snapshot) = row
    return ProvinceAlert(str(commune), int(str(alert_id)), str(kind), _opt_str(camera), _opt_str(site),
                         int(str(priority)), float(str(score)), str(state), int(str(started_ms)),
                         _opt_int(ended_ms), str(note or ""), _opt_str(acked_by), _opt_int(acked_ms),
                         _opt_str(closed_by), _opt_int(closed_ms), bool(has_snapshot))


def _opt_str(value: object) -> str | None:
    return None if value is None else str(value)


def _opt_int(value: object) -> int | None:
    return None if value is None else int(str(value))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _within(column: str, values: frozenset[str] | None, where: list[str], params: list[object]) -> None:
    if values is not None:
        where.append(f"{column} IN ({','.join('?' * len(values))})" if values else "0")
        params.extend(sorted(values))


class ProvinceQueries:
    """Plain-data reads for the province window (any one thread at a time; each call is one short query)."""

    def __init__(self, db_path: Path, snapshots: Path, communes: Iterable[ProvinceCommune] = ()) -> None:
        self._conn = connect(db_path, readonly=True)
        self._snapshots = snapshots
        self._communes = {c.id: c for c in communes}
        self._lock = threading.Lock()

    def close(self) -> None:
        self._conn.close()

    def _rows(self, sql: str, params: Iterable[object] = ()) -> list[tuple[object, ...]]:
        with self._lock:
            return list(self._conn.execute(sql, list(params)).fetchall())

    def communes(self) -> list[CommuneState]:
        """Every commune of the province file, then any other that reported, by id."""
        links = {str(r[0]): r for r in self._rows("SELECT id, state, since_ms, reason, backlog FROM communes")}
        down = {str(r[0]): int(str(r[1])) for r in self._rows(
            "SELECT commune, count(*) FROM camera_health WHERE state != 'ok' GROUP BY commune")}
        waiting = {str(r[0]): int(str(r[1])) for r in self._rows(
            "SELECT commune, count(*) FROM alerts WHERE state = ? GROUP BY commune", [AlertState.NEW.value])}
        states: list[CommuneState] = []
        for ident in sorted(set(self._communes) | set(links) | set(down) | set(waiting)):
            known = self._communes.get(ident)
            link = links.get(ident)
            states.append(CommuneState(
                ident, known.name if known else ident, known.lat if known else None, known.lon if known else None,
                CommuneLink(str(link[1])) if link else CommuneLink.UNKNOWN, _opt_int(link[2]) if link else None,
                _opt_str(link[3]) if link else None, _opt_int(link[4]) if link else None, down.get(ident, 0),
                waiting.get(ident, 0), known is not None))
        return states

    def cameras(self) -> list[CameraState]:
        """Every camera a commune has reported the health of, by commune and camera."""
        return [CameraState(str(r[0]), str(r[1]), str(r[2]), int(str(r[3]))) for r in self._rows(
            "SELECT commune, camera, state, at_ms FROM camera_health ORDER BY commune, camera")]

    def alerts(self, wanted: AlertFilter = AlertFilter()) -> list[ProvinceAlert]:
        """The cross-commune list, newest first."""
        where: list[str] = []
        params: list[object] = []
        _within("commune", wanted.communes, where, params)
        _within("kind", wanted.kinds, where, params)
        _within("state", wanted.states, where, params)
        if wanted.priority is not None:
            where.append("priority = ?")
            params.append(wanted.priority)
        if wanted.text:
            where.append("note LIKE ? ESCAPE '\\'")
            params.append("%" + _escape_like(wanted.text) + "%")
        if wanted.since_ms is not None:
            where.append("started_ms >= ?")
            params.append(wanted.since_ms)
        if wanted.until_ms is not None:
            where.append("started_ms < ?")
            params.append(wanted.until_ms)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        rows = self._rows(f"SELECT {_ALERT_COLUMNS} FROM alerts{clause} ORDER BY started_ms DESC, commune, alert_id "
                          "LIMIT ? OFFSET ?", [*params, wanted.limit, wanted.offset])
        return [_alert(r) for r in rows]

    def alert(self, commune: str, alert_id: int) -> AlertDetails | None:
        rows = self._rows(f"SELECT {_ALERT_COLUMNS} FROM alerts WHERE commune = ? AND alert_id = ?",
                          [commune, alert_id])
        if not rows:
            return None
        files = self._rows("SELECT file FROM snapshots WHERE commune = ? AND alert_id = ? AND file IS NOT NULL "
                           "ORDER BY seq DESC LIMIT 1", [commune, alert_id])
        steps = self._rows("SELECT step, officer, note, at_ms FROM alert_steps WHERE commune = ? AND alert_id = ? "
                           "ORDER BY seq", [commune, alert_id])
        return AlertDetails(_alert(rows[0]), self._snapshots / str(files[0][0]) if files else None,
                            tuple(AlertStep(str(s[0]), _opt_str(s[1]), str(s[2]), int(str(s[3]))) for s in steps))

    def counts(self, since_ms: int | None = None, until_ms: int | None = None) -> list[AlertCount]:
        """Alerts per commune, kind and day (by the day they started, Vietnam time)."""
        where, params = ["started_ms >= ?", "started_ms < ?"], [since_ms or 0, until_ms or 2**62]
        rows = self._rows("SELECT commune, kind, strftime('%Y-%m-%d', started_ms / 1000 + ?, 'unixepoch') AS day, "
                          f"count(*) FROM alerts WHERE {' AND '.join(where)} GROUP BY commune, kind, day "
                          "ORDER BY day, commune, kind", [VN_OFFSET_S, *params])
        return [AlertCount(str(r[0]), str(r[1]), str(r[2]), int(str(r[3]))) for r in rows]

    def stored_messages(self) -> int:
        return int(str(self._rows("SELECT count(*) FROM messages")[0][0]))

    def seqs(self, commune: str) -> list[int]:
        """Every seq stored for `commune`, ascending (tests and the benchmark)."""
        return [int(str(r[0])) for r in self._rows("SELECT seq FROM messages WHERE commune = ? ORDER BY seq",
                                                   [commune])]
