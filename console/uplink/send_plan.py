"""Which outbox rows one session sends next: live rows first, then rows the province has not confirmed in time,
then the backlog oldest-first at a bounded rate; never more than a window of them unconfirmed at once.

"Live" is what was written after the session connected; everything older (an outage's backlog, and what the
last session sent without a receipt) is backlog, sent again from the oldest: the province deduplicates on
(commune, seq) and confirms a duplicate again. The window keeps a province application that stopped
confirming from being flooded, and bounds what this plan remembers.
"""

from __future__ import annotations

import sqlite3

from console.store import outbox
from console.store.outbox import OutboxRow
from console.uplink.tuning import UplinkTuning

STEP_S = 0.1  # backlog rows go in small batches this often, not one wake-up per row


class SendPlan:
    def __init__(self, backlog_top: int, rate_per_s: float, tuning: UplinkTuning, now: float) -> None:
        self.backlog_top = backlog_top  # the newest seq when the session began
        self._live_after = backlog_top
        self._backlog_after = 0
        self._rate = rate_per_s
        self._tuning = tuning
        self._tokens = 1.0
        self._burst = max(1.0, rate_per_s * STEP_S * 2)
        self._last = now
        self._sent: dict[int, float] = {}  # seq → when sent, oldest first

    @property
    def unconfirmed(self) -> int:
        return len(self._sent)

    @property
    def backlog_left(self) -> bool:
        return self._backlog_after < self.backlog_top

    def take(self, conn: sqlite3.Connection, now: float) -> list[OutboxRow]:
        """The rows to publish now, in the order to publish them (each is counted as sent)."""
        self._tokens = min(self._burst, self._tokens + (now - self._last) * self._rate)
        self._last = now
        room = self._tuning.window - len(self._sent)
        rows: list[OutboxRow] = []
        if room > 0:
            live = outbox.after(conn, self._live_after, min(room, self._tuning.live_batch))
            if live:
                self._live_after = live[-1].seq
                rows += live
                room -= len(live)
        budget = int(self._tokens)
        again = self._overdue(now, budget)
        if again:
            found = outbox.rows(conn, again)
            for seq in set(again) - {r.seq for r in found}:  # confirmed meanwhile
                self._sent.pop(seq, None)
            rows += found
            budget -= len(found)
        if budget > 0 and room > 0 and self.backlog_left:
            back = outbox.after(conn, self._backlog_after, min(budget, room), upto=self.backlog_top)
            self._backlog_after = back[-1].seq if back else self.backlog_top
            rows += back
            budget -= len(back)
        self._tokens -= int(self._tokens) - budget
        for row in rows:
            self._sent.pop(row.seq, None)
            self._sent[row.seq] = now
        return rows

    def _overdue(self, now: float, limit: int) -> list[int]:
        overdue: list[int] = []
        for seq, sent in self._sent.items():
            if len(overdue) >= limit or now - sent < self._tuning.receipt_timeout_s:
                break
            overdue.append(seq)
        return overdue

    def confirmed(self, seqs: list[int]) -> None:
        for seq in seqs:
            self._sent.pop(seq, None)

    def wait_s(self, now: float) -> float:
        """How long the sender may sleep if nothing wakes it (a commit or a receipt does)."""
        wait = self._tuning.poll_s
        room = self._tuning.window - len(self._sent)
        if self.backlog_left and room > 0:
            wait = min(wait, max(STEP_S, (1.0 - self._tokens) / self._rate))
        if self._sent:
            first = next(iter(self._sent.values()))
            wait = min(wait, max(STEP_S, first + self._tuning.receipt_timeout_s - now))
        return wait
