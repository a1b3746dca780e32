"""Delivery through outages: the broker (mosquitto, and RabbitMQ's MQTT plugin) killed with SIGKILL and restarted
while alerts keep coming (the commune reconnects with backoff; the province stores every (commune, seq) once and
nothing is lost), and a backlog of thousands drained oldest-first at its rate with live alerts sent ahead of it."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from pathlib import Path

from console.core.credentials import Credentials
from console.uplink.status import Connection, UplinkStatus
from tests.support.broker_process import BrokerProcess
from tests.support.mosquitto import Mosquitto, ProvinceStand, commune_console, uplink_settings
from tests.support.waiting import wait_until

COMMUNE = "gia-dong"
PASSWORD = "Bi-Mat#2026"
BROKER_ACCOUNTS = {COMMUNE: PASSWORD}


def watch(statuses: list[tuple[float, UplinkStatus]], read: Callable[[], UplinkStatus],
          stop: threading.Event) -> threading.Thread:
    """Poll the status snapshot as the status bar would (every 50 ms), with the moment of each reading."""
    def run() -> None:
        while not stop.is_set():
            statuses.append((time.monotonic(), read()))
            time.sleep(0.05)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_broker_killed_and_restarted_nothing_lost_nothing_stored_twice(tmp_path: Path, broker: BrokerProcess) -> None:
    """RabbitMQ's restart takes ~4 s (mosquitto's ~20 ms): the alerts pause while it boots, the outage is longer."""
    with ProvinceStand(broker) as province, \
            commune_console(tmp_path / "c", uplink_settings(broker, COMMUNE), Credentials(COMMUNE, PASSWORD)) as c:
        wait_until(lambda: c.publisher.status().connected, 10, what="the first connection")
        statuses: list[tuple[float, UplinkStatus]] = []
        stop = threading.Event()
        watcher = watch(statuses, c.publisher.status, stop)
        started = time.monotonic()
        killed_at = restarted_at = 0.0
        # 20 alerts/s for 5 s, the broker down from 1.5 s to 3.0 s (and while it boots), alerts for 2 s after that.
        while time.monotonic() - started < 5.0 or time.monotonic() - restarted_at < 2.0:
            c.alert()
            elapsed = time.monotonic() - started
            if not killed_at and elapsed > 1.5:
                broker.kill()
                killed_at = time.monotonic()
            if killed_at and not restarted_at and elapsed > 3.0:
                broker.start()
                restarted_at = time.monotonic()
            time.sleep(0.05)
        c.flush()
        newest = c.newest_seq()
        wait_until(lambda: set(province.seqs(COMMUNE)) == set(range(1, newest + 1)), 20,
                   what="every seq at the province")
        wait_until(lambda: c.backlog() == [], 10, what="every row confirmed")
        stop.set()
        watcher.join()
        down = [s for t, s in statuses if killed_at < t < restarted_at and s.connection is Connection.DISCONNECTED]
        assert down and down[-1].problem is not None and down[-1].next_attempt_ms is not None
        assert down[-1].backlog > 0 and "mất kết nối từ" in down[-1].line("vi")  # what the status bar says
        back_at = next(t for t, s in statuses if t > restarted_at and s.connected)
        assert len(province.stored) == newest  # each (commune, seq) stored once
        reconnect_s = back_at - restarted_at
        print(json.dumps({"alerts": newest, "outage_s": round(restarted_at - killed_at, 2),
                          "reconnected_after_restart_s": round(reconnect_s, 2),
                          "duplicates_received": province.duplicates}))
        assert reconnect_s < 3.0  # backoff capped at 2 s in the test tuning


def test_a_backlog_drains_oldest_first_with_live_alerts_ahead(tmp_path: Path) -> None:
    backlog_size, rate = 2000, 500.0
    broker = Mosquitto(tmp_path / "broker", {COMMUNE: PASSWORD}).start()
    try:
        settings = uplink_settings(broker, COMMUNE, backlog_per_s=rate)
        with ProvinceStand(broker) as province, \
                commune_console(tmp_path / "c", settings, Credentials(COMMUNE, PASSWORD), start=False) as c:
            for _ in range(backlog_size):  # queued during an outage: the publisher is not running yet
                c.alert()
            wait_until(lambda: len(c.backlog()) == backlog_size, 10, what="the backlog written")
            cpu0, wall0 = time.process_time(), time.monotonic()
            c.publisher.start()
            live: list[tuple[int, float]] = []
            time.sleep(1.0)
            for _ in range(5):  # live alerts while the backlog drains
                live.append((c.alert(), time.monotonic()))
                time.sleep(0.3)
            total = backlog_size + len(live)
            wait_until(lambda: len(province.stored) >= total, 30, what="backlog and live alerts at the province")
            drained_s = time.monotonic() - wall0
            cpu_s = time.process_time() - cpu0
            wait_until(lambda: c.backlog() == [], 10, what="every row confirmed")
            order = province.seqs(COMMUNE)
            backlog_order = [s for s in order if s <= backlog_size]
            assert backlog_order == list(range(1, backlog_size + 1))  # oldest first, none missing
            arrivals = {k[1]: v.at for k, v in province.stored.items()}
            last_backlog = max(arrivals[s] for s in range(1, backlog_size + 1))
            live_seqs = sorted(s for s in order if s > backlog_size)
            delays = [arrivals[seq] - at for seq, (_, at) in zip(live_seqs, live, strict=True)]
            assert all(arrivals[s] < last_backlog for s in live_seqs)  # interleaved ahead of the backlog
            assert max(delays) < 1.0
            print(json.dumps({"backlog": backlog_size, "rate_per_s": rate, "drain_s": round(drained_s, 2),
                              "messages_per_s": round(total / drained_s, 1),
                              "live_delay_ms_max": round(max(delays) * 1000, 1),
                              "test_process_cpu_s": round(cpu_s, 2)}))
            assert drained_s >= backlog_size / rate * 0.8  # bounded by the rate, not sent as fast as possible
    finally:
        broker.kill()
