"""A commune process killed with SIGKILL: its alert log and its outbox stay in step (the outbox row is written in
the alert's own transaction, so a kill never leaves one without the other), and the broker (mosquitto, and
RabbitMQ's MQTT plugin) tells the province "offline" through the commune's last will."""

from __future__ import annotations

import json
import random
import sqlite3
import sys
import time
from collections import Counter
from pathlib import Path

from console.core.alerts import AlertEvent, AlertKind, AlertState
from console.core.credentials import Credentials
from console.core.vntime import now_ms
from console.store.alerts import AlertWriter, Transition
from console.store.database import open_database
from console.uplink.outbox_hook import AlertOutbox
from console.uplink.publisher import UplinkPublisher
from tests.support.broker_process import BrokerProcess
from tests.support.mosquitto import TEST_TUNING, ProvinceStand, settings_for
from tests.support.processes import child
from tests.support.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
COMMUNE = "gia-dong"
PASSWORD = "Bi-Mat#2026"
BROKER_ACCOUNTS = {COMMUNE: PASSWORD}
KILL_ROUNDS = 8
STATE = {"state": "state", "peak_ms": "peak_ms", "ended_ms": "ended_ms", "acked_by": "acked_by",
         "closed_by": "closed_by"}  # alert column → field of the message's alert object


def writer_child(db: str, snapshots: str) -> None:
    """In a child process: alerts, peaks, ends, acknowledgements and closings through the real writer and the
    uplink's hook, in bursts, until killed."""
    writer = AlertWriter(Path(db), Path(snapshots), outbox=AlertOutbox())
    rng = random.Random()
    opened: list[int] = []
    print("WRITING", flush=True)
    while True:
        for _ in range(rng.randint(50, 400)):
            roll = rng.random()
            if roll < 0.4 or not opened:
                alert_id = writer.next_id()
                opened.append(alert_id)
                writer.submit(AlertEvent(alert_id, "C01", "S01", AlertKind.MOTION, now_ms(), 0.5, "start"))
                continue
            alert_id = rng.choice(opened[-500:])
            if roll < 0.6:
                writer.submit(AlertEvent(alert_id, "C01", "S01", AlertKind.MOTION, now_ms(), rng.random(), "peak"))
            elif roll < 0.75:
                writer.submit(AlertEvent(alert_id, "C01", "S01", AlertKind.MOTION, now_ms(), 0.5, "end"))
            elif roll < 0.9:
                writer.submit(Transition(alert_id, AlertState.ACKNOWLEDGED, "trucban1", "Đã xem"))
            else:
                writer.submit(Transition(alert_id, AlertState.CLOSED, "trucban1", "Xong"))
        time.sleep(rng.uniform(0.0, 0.02))


def test_kill_9_never_leaves_an_alert_without_its_outbox_row(tmp_path: Path) -> None:
    db_path = tmp_path / "console.db"
    open_database(db_path).close()
    counts = []
    for _ in range(KILL_ROUNDS):
        command = [sys.executable, "-c", "from tests.integration.test_uplink_kill import writer_child; "
                   f"writer_child({str(db_path)!r}, {str(tmp_path / 'alerts')!r})"]
        with child(command, "WRITING", env={"PYTHONPATH": str(ROOT)}) as process:
            time.sleep(random.uniform(0.15, 0.5))
            process.kill()  # SIGKILL, wherever the writer is
            process.wait(timeout=10)
        counts.append(_count_alerts(db_path))
    assert counts == sorted(counts) and counts[-1] > counts[0] > 0  # every round wrote, and was cut mid-way
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        alerts = {r[0]: r[1:] for r in conn.execute(f"SELECT id, {', '.join(STATE)} FROM alerts")}
        audit = Counter(conn.execute("SELECT alert_id, to_state FROM alert_audit WHERE from_state IS NOT NULL"))
        rows = [(topic, json.loads(body))
                for topic, body in conn.execute("SELECT topic, body FROM outbox ORDER BY seq")]
    finally:
        conn.close()
    by_topic = Counter((topic, body["alert"]["id"]) for topic, body in rows)
    assert {i for _, i in by_topic} <= set(alerts)  # no outbox row without its alert
    assert all(by_topic[("alerts/new", i)] == 1 for i in alerts)  # no alert without its row
    # Each row carries the alert as its transaction left it: the newest one is the alert as it is now.
    newest = {body["alert"]["id"]: tuple(body["alert"][k] for k in STATE.values()) for _, body in rows}
    assert newest == alerts
    for state, topic in (("acknowledged", "alerts/ack"), ("closed", "alerts/close")):
        assert {i: n for (i, s), n in audit.items() if s == state} == {
            i: n for (t, i), n in by_topic.items() if t == topic}
    print(json.dumps({"rounds": KILL_ROUNDS, "alerts": len(alerts), "outbox_rows": len(rows)}))


def _count_alerts(db_path: Path) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return int(conn.execute("SELECT count(*) FROM alerts").fetchone()[0])
    finally:
        conn.close()


def publisher_child(port: int, ca: str, db: str) -> None:
    """In a child process: the commune's publisher, connected, until killed (the password comes on stdin)."""
    password = sys.stdin.readline().rstrip("\n")
    open_database(Path(db)).close()
    publisher = UplinkPublisher(settings_for(port, Path(ca), COMMUNE), Path(db), Credentials(COMMUNE, password),
                                tuning=TEST_TUNING)
    publisher.start()
    deadline = time.monotonic() + 10
    while not publisher.status().connected and time.monotonic() < deadline:
        time.sleep(0.02)
    print("CONNECTED" if publisher.status().connected else "NOT CONNECTED", flush=True)
    time.sleep(3600)


def test_the_last_will_says_offline_when_the_commune_process_is_killed(tmp_path: Path, broker: BrokerProcess) -> None:
    with ProvinceStand(broker) as province:
        command = [sys.executable, "-c", "from tests.integration.test_uplink_kill import publisher_child; "
                   f"publisher_child({broker.port}, {str(broker.pki.ca_cert)!r}, {str(tmp_path / 'c.db')!r})"]
        with child(command, "CONNECTED", env={"PYTHONPATH": str(ROOT)}, stdin_text=PASSWORD + "\n") as process:
            wait_until(lambda: [r for r in province.on_topic("/status") if r.data["state"] == "online"], 10,
                       what="the commune online at the province")
            online = province.on_topic("/status")[-1].data
            process.kill()
            killed = time.monotonic()
            process.wait(timeout=10)
            wait_until(lambda: province.on_topic("/status")[-1].data["state"] == "offline", 30,
                       what="the last will at the province")
            seen_s = province.on_topic("/status")[-1].at - killed
        will = province.on_topic("/status")[-1].data
        assert (will["reason"], will["session"], will["commune"]) == ("lost", online["session"], COMMUNE)
        # A province view started later reads it retained (RabbitMQ: on a subscription of the exact topic only).
        with ProvinceStand(broker, confirm=False, subscribe=f"bn/v1/{COMMUNE}/status") as late:
            wait_until(lambda: late.on_topic("/status"), 5, what="the retained status")
            retained = late.on_topic("/status")[-1]
            assert retained.retained and retained.data["state"] == "offline"
    print(json.dumps({"will_seen_after_kill_s": round(seen_s, 3)}))
    assert seen_s < 30
