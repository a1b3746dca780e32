"""Simulated communes for tests and benchmarks: `python -m console.uplink.loadgen --communes N
--cameras-per-commune M --alerts-per-s R --seconds S [--broker-port P --ca FILE --password-file F]`.

Each commune is what a console runs: its own `console.db` with the real `AlertWriter`, outbox hook and
`UplinkPublisher`, logging in with its own credentials (user = commune id, `xa-001`, `xa-002`, …). Together they
raise alerts at R per second in all (each ends a few seconds later) and camera health changes (a camera going
offline, then back) at `--health-per-s`, then wait until every outbox is empty (or `--drain-timeout-s`). The
publishers share one network loop thread, as the communes' uplinks would each run one of their own.

`--password-file` is a credentials store (TOML, owner-only): one table per commune id with username and
password. At the end one JSON line says what was raised and what is still waiting.
"""

from __future__ import annotations

import argparse
import heapq
import json
import logging
import os
import random
import sys
import threading
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from console.core.alerts import AlertEvent, AlertKind
from console.core.credentials import Credentials, CredentialStore, CredentialStoreError
from console.core.uplink_settings import MqttProtocol, UplinkSettings
from console.core.vntime import now_ms
from console.onvif.network_loop import NetworkLoop
from console.store import outbox
from console.store.alerts import AlertWriter
from console.store.database import open_database
from console.uplink.publisher import UplinkPublisher
from console.uplink.tuning import DEFAULT_TUNING, UplinkTuning

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
ALERT_LASTS_S = 3.0  # an alert ends this long after it started (alert_new, then alert_end)
HEALTH_KIND = AlertKind.CAMERA_OFFLINE
ALERT_KINDS = (AlertKind.MOTION, AlertKind.TAMPER_COVERED, AlertKind.TAMPER_DEFOCUSED)
DRAIN_POLL_S = 0.5


def commune_ids(count: int) -> list[str]:
    return [f"xa-{index:03d}" for index in range(1, count + 1)]


def camera_ids(count: int) -> list[str]:
    return [f"C{index:02d}" for index in range(1, count + 1)]


@dataclass(frozen=True)
class LoadPlan:
    communes: int
    cameras_per_commune: int
    alerts_per_s: float  # in all, across the communes
    seconds: float
    health_per_s: float = 0.0  # camera health changes per second in all (down, later up)
    backlog_per_s: float = 50.0  # each commune's drain rate after an outage


@dataclass
class LoadSummary:
    communes: int = 0
    cameras: int = 0
    alerts_raised: int = 0  # alerts started (detector alerts and camera-offline alerts)
    health_changes: int = 0  # camera down/up changes
    messages: int = 0  # outbox rows written in all (every seq the province must store)
    waiting: int = 0  # outbox rows still unconfirmed at the end
    seconds: float = 0.0
    uplink_cpu_s: float = 0.0  # the network loop thread the publishers share
    process_cpu_s: float = 0.0
    newest_seq: dict[str, int] = field(default_factory=dict)


class SimulatedCommune:
    """One commune's console: its alert log with the outbox and the publisher."""

    def __init__(self, commune: str, folder: Path, settings: UplinkSettings, credentials: Credentials,
                 network: NetworkLoop, tuning: UplinkTuning) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.commune = commune
        self.db_path = folder / "console.db"
        open_database(self.db_path).close()
        self.publisher = UplinkPublisher(settings, self.db_path, credentials, snapshots=folder / "alerts",
                                         network=network, tuning=tuning)
        self.writer = AlertWriter(self.db_path, folder / "alerts", outbox=self.publisher.alert_outbox)
        self.down: set[str] = set()
        self.health_alerts: dict[str, int] = {}

    def event(self, alert_id: int, camera: str, kind: AlertKind, phase: str) -> None:
        self.writer.submit(AlertEvent(alert_id, camera, "S01", kind, now_ms(), 0.6, phase))

    def outbox_state(self) -> tuple[int, int]:
        """(newest seq ever written, rows still waiting), read on a connection of its own."""
        db = open_database(self.db_path)
        try:
            newest = db.execute("SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'outbox'").fetchone()
            return int(newest[0]), outbox.backlog(db.conn).count
        finally:
            db.close()

    def close(self) -> None:
        self.writer.close()
        self.publisher.stop()


class LoadGenerator:
    """`start()`, `run()` (raises the plan's load for its seconds), `drain()`, `stop()`; `summary()` any time."""

    def __init__(self, plan: LoadPlan, port: int, ca_file: Path, credentials: dict[str, Credentials], folder: Path,
                 *, tuning: UplinkTuning = DEFAULT_TUNING, seed: int = 20, host: str = HOST) -> None:
        self.plan = plan
        self._rng = random.Random(seed)
        self._network = NetworkLoop("loadgen-uplink")
        self._cameras = camera_ids(plan.cameras_per_commune)
        self._summary = LoadSummary(plan.communes, plan.communes * plan.cameras_per_commune)
        self._ends: list[tuple[float, int, str, int, str, AlertKind]] = []  # (due, n, commune, alert id, camera, kind)
        self._serial = 0
        self._started = 0.0
        self._thread_id: int | None = None
        self.communes: dict[str, SimulatedCommune] = {}
        self._network.start()
        for commune in commune_ids(plan.communes):
            if commune not in credentials:
                raise KeyError(f"no credentials for {commune}")
            settings = UplinkSettings(host, port, commune, ca_file, "uplink", MqttProtocol.V311,
                                      backlog_per_s=plan.backlog_per_s)
            self.communes[commune] = SimulatedCommune(commune, folder / commune, settings, credentials[commune],
                                                      self._network, tuning)

    def start(self) -> None:
        self._started = time.monotonic()
        self._thread_id = self._network.submit(_native_thread_id()).result(5)
        for commune in self.communes.values():
            commune.publisher.start()

    def connected(self) -> int:
        return sum(1 for c in self.communes.values() if c.publisher.status().connected)

    def wait_connected(self, timeout_s: float) -> bool:
        deadline = time.monotonic() + timeout_s
        while self.connected() < len(self.communes):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.1)
        return True

    def run(self, seconds: float | None = None, stop: threading.Event | None = None) -> None:
        """Raise alerts and health changes at the plan's rates for `seconds` (or until `stop` is set)."""
        plan = self.plan
        total_rate = plan.alerts_per_s + plan.health_per_s
        if total_rate <= 0:
            return
        health_share = plan.health_per_s / total_rate
        began = time.monotonic()
        until = began + (plan.seconds if seconds is None else seconds)
        done = 0
        while (now := time.monotonic()) < until and not (stop is not None and stop.is_set()):
            self._end_due(now)
            due = began + done / total_rate
            if now < due:
                time.sleep(min(due - now, 0.05))
                continue
            if self._rng.random() < health_share:
                self._health_change()
            else:
                self._alert(now)
            done += 1
        self._end_due(float("inf"))

    def _alert(self, now: float) -> None:
        commune = self.communes[self._rng.choice(list(self.communes))]
        camera = self._rng.choice(self._cameras)
        alert_id = commune.writer.next_id()
        kind = self._rng.choice(ALERT_KINDS)
        commune.event(alert_id, camera, kind, "start")
        self._summary.alerts_raised += 1
        self._serial += 1
        heapq.heappush(self._ends, (now + ALERT_LASTS_S, self._serial, commune.commune, alert_id, camera, kind))

    def _health_change(self) -> None:
        commune = self.communes[self._rng.choice(list(self.communes))]
        camera = self._rng.choice(self._cameras)
        if camera in commune.down:
            commune.event(commune.health_alerts.pop(camera), camera, HEALTH_KIND, "end")
            commune.down.discard(camera)
            commune.publisher.report_camera_health(camera, "ok")
        else:
            alert_id = commune.writer.next_id()
            commune.event(alert_id, camera, HEALTH_KIND, "start")
            commune.health_alerts[camera] = alert_id
            commune.down.add(camera)
            commune.publisher.report_camera_health(camera, HEALTH_KIND.value)
            self._summary.alerts_raised += 1
        self._summary.health_changes += 1

    def _end_due(self, now: float) -> None:
        while self._ends and self._ends[0][0] <= now:
            _, _, commune, alert_id, camera, kind = heapq.heappop(self._ends)
            self.communes[commune].event(alert_id, camera, kind, "end")

    def waiting(self) -> int:
        return sum(c.outbox_state()[1] for c in self.communes.values())

    def drain(self, timeout_s: float) -> bool:
        """Wait until every outbox is empty (the province confirmed everything)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.waiting() == 0:
                return True
            time.sleep(DRAIN_POLL_S)
        return False

    def summary(self) -> LoadSummary:
        summary = self._summary
        summary.newest_seq = {}
        summary.messages = summary.waiting = 0
        for commune in self.communes.values():
            newest, waiting = commune.outbox_state()
            summary.newest_seq[commune.commune] = newest
            summary.messages += newest
            summary.waiting += waiting
        summary.seconds = round(time.monotonic() - self._started, 2) if self._started else 0.0
        summary.uplink_cpu_s = round(_thread_cpu_s(self._thread_id), 3) if self._thread_id else 0.0
        times = os.times()
        summary.process_cpu_s = round(times.user + times.system, 3)
        return summary

    def stop(self) -> None:
        for commune in self.communes.values():
            commune.writer.close()
        for commune in self.communes.values():
            commune.publisher.stop(2.0)
        self._network.stop()


async def _native_thread_id() -> int:
    return threading.get_native_id()


def _thread_cpu_s(native_id: int) -> float:
    """CPU seconds (user + system) of one thread of this process, from /proc (Linux; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/self/task/{native_id}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m console.uplink.loadgen", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--communes", type=int, required=True)
    parser.add_argument("--cameras-per-commune", type=int, required=True)
    parser.add_argument("--alerts-per-s", type=float, required=True)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--health-per-s", type=float, default=None, help="default: a fifth of --alerts-per-s")
    parser.add_argument("--broker-port", type=int, default=8883)
    parser.add_argument("--ca", type=Path, required=True)
    parser.add_argument("--password-file", type=Path, required=True)
    parser.add_argument("--folder", type=Path, required=True, help="where each commune's console.db goes")
    parser.add_argument("--backlog-per-s", type=float, default=50.0)
    parser.add_argument("--drain-timeout-s", type=float, default=600.0)
    parser.add_argument("--receipt-timeout-s", type=float, default=DEFAULT_TUNING.receipt_timeout_s,
                        help="send again what the province has not confirmed after this long")
    parser.add_argument("--wait-connected-s", type=float, default=60.0,
                        help="wait until every commune is connected before raising (at most this long)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        store = CredentialStore.load(args.password_file)
    except CredentialStoreError as exc:
        sys.stderr.write(exc.message("vi") + "\n")
        return 2
    credentials = {ref: found for ref in store.refs() if (found := store.get(ref)) is not None}
    health = args.alerts_per_s / 5 if args.health_per_s is None else args.health_per_s
    plan = LoadPlan(args.communes, args.cameras_per_commune, args.alerts_per_s, args.seconds, health,
                    args.backlog_per_s)
    try:
        tuning = replace(DEFAULT_TUNING, receipt_timeout_s=args.receipt_timeout_s)
        generator = LoadGenerator(plan, args.broker_port, args.ca, credentials, args.folder, tuning=tuning)
    except KeyError as exc:
        sys.stderr.write(f"Kho mật khẩu thiếu tài khoản của xã / the store lacks a commune: {exc}\n")
        return 2
    try:
        generator.start()
        generator.wait_connected(args.wait_connected_s)
        sys.stdout.write(json.dumps({"raising": True, "connected": generator.connected()}) + "\n")
        sys.stdout.flush()
        generator.run()
        drained = generator.drain(args.drain_timeout_s)
        summary = generator.summary()
    finally:
        generator.stop()
    sys.stdout.write(json.dumps(asdict(summary) | {"drained": drained}) + "\n")
    return 0 if drained else 1


if __name__ == "__main__":
    sys.exit(main())
