"""What the province window shows at one moment, read in one go from the province store: each commune's standing
(the colour of its marker), the province's totals, the alert list of the current filter and, when asked, the
counts per commune, kind and day. Plain data, no Qt; run on the window's reader thread."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from console.province.queries import (
    AlertCount,
    AlertFilter,
    CameraState,
    CommuneLink,
    CommuneState,
    ProvinceAlert,
    ProvinceQueries,
)

# The receiver commits in batches; a read after each one would follow a drain of 5,000 messages/s. The window
# reads when a batch was committed since its last read, at most every POLL_S, and every IDLE_REFRESH_S anyway
# ("offline since", "today" move on without a message).
POLL_S = 1.0
IDLE_REFRESH_S = 10.0
COUNTS_REFRESH_S = 10.0  # counts group every alert of the period: read less often than the list


class Standing(StrEnum):
    """A commune's marker, the most urgent first."""

    OFFLINE = "offline"  # its last will, or it said goodbye
    ALERTING = "alerting"  # online with alerts nobody acknowledged yet
    DEGRADED = "degraded"  # online, cameras down
    NORMAL = "normal"  # online, every camera up, nothing waiting
    UNKNOWN = "unknown"  # never heard from since the province store was made


@dataclass(frozen=True)
class CommuneStatus:
    state: CommuneState
    standing: Standing

    @property
    def id(self) -> str:
        return self.state.id

    @property
    def name(self) -> str:
        return self.state.name


@dataclass(frozen=True)
class ProvinceTotals:
    communes: int
    online: int
    offline: int
    unknown: int
    cameras_down: int
    unacknowledged: int


@dataclass(frozen=True)
class OverviewRequest:
    alerts: AlertFilter
    counts: tuple[int | None, int | None] | None = None  # (since_ms, until_ms) to count, None: not this time
    generation: int = 0  # the window's number for the filter it asked with


@dataclass(frozen=True)
class Overview:
    communes: tuple[CommuneStatus, ...]
    totals: ProvinceTotals
    alerts: tuple[ProvinceAlert, ...]
    counts: tuple[AlertCount, ...] | None  # None: not read this time (the window keeps what it shows)
    generation: int
    read_ms: int
    cameras: tuple[CameraState, ...] = ()  # what each commune's health said: the cameras to ask a picture of


def standing(state: CommuneState) -> Standing:
    if state.link is CommuneLink.UNKNOWN:
        return Standing.UNKNOWN
    if state.link is CommuneLink.OFFLINE:
        return Standing.OFFLINE
    if state.unacknowledged:
        return Standing.ALERTING
    if state.cameras_down:
        return Standing.DEGRADED
    return Standing.NORMAL


def statuses(states: list[CommuneState]) -> tuple[CommuneStatus, ...]:
    return tuple(CommuneStatus(s, standing(s)) for s in states)


def totals(communes: tuple[CommuneStatus, ...]) -> ProvinceTotals:
    links = [c.state.link for c in communes]
    return ProvinceTotals(len(communes), links.count(CommuneLink.ONLINE), links.count(CommuneLink.OFFLINE),
                          links.count(CommuneLink.UNKNOWN), sum(c.state.cameras_down for c in communes),
                          sum(c.state.unacknowledged for c in communes))


def read_overview(queries: ProvinceQueries, request: OverviewRequest, now_ms: int) -> Overview:
    """Everything the window shows, from one reader (a handful of short indexed queries)."""
    communes = statuses(queries.communes())
    counts = None
    if request.counts is not None:
        counts = tuple(queries.counts(*request.counts))
    return Overview(communes, totals(communes), tuple(queries.alerts(request.alerts)), counts, request.generation,
                    now_ms, tuple(queries.cameras()))


class RefreshClock:
    """When the window reads again: a batch committed since the last read (the receiver's `batches` counter, which
    it reads without I/O), or IDLE_REFRESH_S gone by; the counts every COUNTS_REFRESH_S."""

    def __init__(self, idle_refresh_s: float = IDLE_REFRESH_S, counts_refresh_s: float = COUNTS_REFRESH_S) -> None:
        self._idle_s, self._counts_s = idle_refresh_s, counts_refresh_s
        self._batches: int | None = None
        self._read_at: float | None = None
        self._counted_at: float | None = None

    def due(self, batches: int, now_s: float) -> bool:
        return (batches != self._batches or self._read_at is None or now_s - self._read_at >= self._idle_s)

    def counts_due(self, now_s: float) -> bool:
        return self._counted_at is None or now_s - self._counted_at >= self._counts_s

    def read(self, batches: int, now_s: float, counted: bool) -> None:
        """A read was asked for at `now_s`, after `batches` batches."""
        self._batches, self._read_at = batches, now_s
        if counted:
            self._counted_at = now_s

    def forget_counts(self) -> None:
        """The period changed: the next read counts again."""
        self._counted_at = None
