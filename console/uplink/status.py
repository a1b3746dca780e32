"""What the UI polls about the uplink: one immutable snapshot (connected, or since when not; the backlog; the
last problem), replaced whole by the network loop, so reading it from the GUI thread takes no lock and no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from console.core.vntime import now_ms, vn_moment
from console.uplink.messages import LinkNote, UplinkProblem, count_text, render


class Connection(StrEnum):
    OFF = "off"  # no uplink configured, or stopped
    CONNECTING = "connecting"  # first attempt since start
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"


@dataclass(frozen=True)
class UplinkStatus:
    connection: Connection = Connection.OFF
    since_ms: int | None = None  # connected since, or disconnected since (epoch ms)
    backlog: int = 0  # messages the province has not confirmed yet
    oldest_ms: int | None = None  # when the oldest of them was written
    problem: UplinkProblem | None = None  # why the last attempt failed or the last session ended
    problem_params: dict[str, str] = field(default_factory=dict)
    next_attempt_ms: int | None = None  # while disconnected
    sent: int = 0  # publishes the broker acknowledged since start
    confirmed: int = 0  # outbox rows the province's receipts deleted since start

    @property
    def connected(self) -> bool:
        return self.connection is Connection.CONNECTED

    def line(self, lang: str = "vi", at_ms: int | None = None) -> str:
        """The status bar's sentence: *Kết nối tỉnh: mất kết nối từ 14:02, 1.234 tin chờ gửi*."""
        count = {"count": count_text(self.backlog, lang)}
        if self.connection is Connection.OFF:
            return render(LinkNote.OFF, lang, {})
        if self.connection is Connection.CONNECTING:
            return render(LinkNote.CONNECTING, lang, {})
        if self.connection is Connection.CONNECTED:
            return render(LinkNote.CONNECTED_BACKLOG if self.backlog else LinkNote.CONNECTED, lang, count)
        since = {"time": moment_text(self.since_ms, at_ms)} if self.since_ms is not None else {"time": "?"}
        return render(LinkNote.LOST_SINCE_BACKLOG if self.backlog else LinkNote.LOST_SINCE, lang, since | count)

    def problem_text(self, lang: str = "vi") -> str | None:
        return None if self.problem is None else render(self.problem, lang, self.problem_params)


def moment_text(ms: int, at_ms: int | None = None) -> str:
    """14:02 today (Vietnam time), 14:02 03/05/2026 on another day."""
    moment, today = vn_moment(ms), vn_moment(at_ms if at_ms is not None else now_ms())
    if moment.date() == today.date():
        return moment.strftime("%H:%M")
    return moment.strftime("%H:%M %d/%m/%Y")
