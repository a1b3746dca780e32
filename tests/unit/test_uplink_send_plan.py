"""What a session sends and when: live rows ahead of the backlog, the backlog oldest-first at its rate, rows the
province did not confirm sent again, never more than the window unconfirmed; the reconnect backoff."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator

import pytest
import sqlite_utils

from console.store import outbox
from console.store.outbox import schema_v9
from console.uplink.backoff import Backoff
from console.uplink.send_plan import SendPlan
from console.uplink.tuning import UplinkTuning


@pytest.fixture()
def conn() -> Iterator[sqlite3.Connection]:
    db = sqlite_utils.Database(memory=True)
    schema_v9(db)
    yield db.conn
    db.close()


def add(conn: sqlite3.Connection, count: int) -> list[int]:
    with conn:
        return [outbox.enqueue(conn, "alerts/new", "{}", i) for i in range(count)]


def seqs(rows: list[outbox.OutboxRow]) -> list[int]:
    return [r.seq for r in rows]


def test_live_rows_go_first_and_the_backlog_oldest_first_at_its_rate(conn: sqlite3.Connection) -> None:
    backlog = add(conn, 100)
    plan = SendPlan(outbox.newest_seq(conn), rate_per_s=10, tuning=UplinkTuning(), now=0.0)
    first = plan.take(conn, 0.0)
    assert seqs(first) == backlog[:1]
    live = add(conn, 3)
    step = plan.take(conn, 0.5)  # half a second: ~5 backlog rows, the live ones ahead of them
    assert seqs(step)[:3] == live and seqs(step)[3:] == backlog[1:len(step) - 2]
    sent = seqs(first) + seqs(step)
    now = 0.5
    while plan.backlog_left:
        now += 0.1
        sent += seqs(plan.take(conn, now))
    assert [s for s in sent if s not in live] == backlog  # oldest first, each once
    assert 9.0 <= now <= 11.0  # 100 rows at 10/s


def test_never_more_than_the_window_unconfirmed(conn: sqlite3.Connection) -> None:
    add(conn, 50)
    plan = SendPlan(0, rate_per_s=1000, tuning=UplinkTuning(window=20, receipt_timeout_s=1000), now=0.0)
    live = plan.take(conn, 0.0)
    assert len(live) == 20 and plan.take(conn, 1.0) == []
    plan.confirmed(seqs(live)[:5])
    assert seqs(plan.take(conn, 2.0)) == list(range(21, 26))


def test_unconfirmed_rows_are_sent_again_after_the_receipt_timeout(conn: sqlite3.Connection) -> None:
    first = add(conn, 3)
    plan = SendPlan(0, rate_per_s=100, tuning=UplinkTuning(receipt_timeout_s=30), now=0.0)
    assert seqs(plan.take(conn, 0.0)) == first
    plan.confirmed([first[1]])
    with conn:
        outbox.delete(conn, [first[1]])
    assert plan.take(conn, 10.0) == []
    assert seqs(plan.take(conn, 31.0)) == [first[0], first[2]]  # the confirmed one is not
    assert plan.unconfirmed == 2
    assert plan.wait_s(31.0) == pytest.approx(1.0)  # the poll; the next expiry is 30 s away


def test_backoff_grows_with_jitter_is_capped_and_resets_after_a_good_session() -> None:
    tuning = UplinkTuning(backoff_first_s=1, backoff_cap_s=60, backoff_jitter=0.25, good_session_s=10)
    backoff = Backoff(tuning, random.Random(7))
    delays = [backoff.next_delay() for _ in range(10)]
    for attempt, delay in enumerate(delays):
        base = min(60.0, 2.0 ** attempt)
        assert base * 0.75 <= delay <= min(60.0, base * 1.25)
    assert len({round(d, 6) for d in delays}) == len(delays)  # jittered
    backoff.session_ended(3.0)  # connected and dropped at once: no reset
    assert backoff.next_delay() >= 45
    backoff.session_ended(12.0)
    assert backoff.next_delay() <= 1.25
    assert backoff.next_delay(refused=True) >= tuning.refused_wait_s
