"""Province uplink benchmark: `python -m benchmarks.uplink --json OUT [--broker mosquitto|rabbitmq] [--communes N]
[--seconds S]`.

A broker on 127.0.0.1 (Debian's mosquitto: TLS, password file, per-commune ACL, as tests/support/mosquitto.py runs
it; or with `--broker rabbitmq` a private RabbitMQ node with the MQTT plugin: TLS, users, per-commune topic
permissions, as tests/support/rabbitmq.py runs it), the province receiver in this process, and
`python -m console.uplink.loadgen` in a child process: N communes × M cameras raising R alerts/s in all plus camera
health changes for S seconds. In the middle the broker is killed (SIGKILL: mosquitto without persistence, or the
whole RabbitMQ node and its epmd) for `--outage-s` and restarted (`outage_s` is kill → serving again, RabbitMQ's
~4 s boot included); once the communes are draining their backlogs it is killed again (`kill -9` during the drain)
and restarted. The load generator ends when every outbox is empty.

Measured from the stores afterwards: every (commune, seq) written at a commune against the province's ledger
(`lost`, `duplicates_stored`), alerts raised against alerts at the province, delivery (commune row written →
province row committed) outside the outages, the drain (first restart → last pre-outage message committed),
and the CPU of the communes' uplink thread per commune. The drain is the first restart → the last message
written during the outage committed at the province. Throughout, the province window runs over the receiver's store
(a real QApplication, offscreen without a display; benchmarks/uplink_gui.py) and `province_gui_block_max_ms` is the
longest its GUI thread went without running its event loop once the load arrived. OUT gets exactly the issue's
keys; OUT's `.details.json` sibling and the table carry the rest.
"""

from __future__ import annotations

import argparse
import json
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.report import percentile, to_json, write_result
from benchmarks.uplink_gui import GuiMeasure, run_with_window
from console.core.credentials import Credentials, CredentialStore
from console.core.uplink_settings import MqttProtocol
from console.core.vntime import now_ms
from console.province.config import ProvinceCommune, ProvinceConfig
from console.province.queries import CommuneLink
from console.province.receiver import ProvinceReceiver
from console.uplink.loadgen import commune_ids
from tests.support.broker_process import HOST, PROVINCE_PASSWORD, PROVINCE_USER, BrokerProcess
from tests.support.mosquitto import Mosquitto
from tests.support.rabbitmq import RabbitMQ

GUI_NOTE = ("the province window (real QApplication, offscreen without a display) over the receiver's store, "
            "refreshing as the load arrives; longest gap of a 10 ms heartbeat (EventLoopWatch) from the first alert")
BROKERS: dict[str, type[Mosquitto] | type[RabbitMQ]] = {"mosquitto": Mosquitto, "rabbitmq": RabbitMQ}
RECONNECT_TIMEOUT_S = 180.0  # the communes' backoff reaches 60 s (±25 %) after a long outage
SETTLE_S = 2.0


@dataclass
class Timeline:
    started_ms: int = 0
    ended_ms: int = 0
    outages: list[tuple[int, int]] = field(default_factory=list)  # (killed, back: every commune online again)
    restarted_ms: int = 0  # the broker serving again after the first kill (the drain starts)
    killed_during_drain: bool = False
    first_outage_s: float = 0.0  # killed → serving again
    waiting_at_kill: int = 0


def _outbox_waiting(folder: Path) -> int:
    """Rows still in every simulated commune's outbox (read-only)."""
    waiting = 0
    for db in folder.glob("*/console.db"):
        try:
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
            try:
                waiting += int(conn.execute("SELECT count(*) FROM outbox").fetchone()[0])
            finally:
                conn.close()
        except sqlite3.Error:
            continue
    return waiting


def _all_back(receiver: ProvinceReceiver, after_ms: int, share: float = 1.0) -> bool:
    queries = receiver.queries()
    try:
        states = [c for c in queries.communes() if c.configured]
    finally:
        queries.close()
    back = [c for c in states if c.link is CommuneLink.ONLINE and (c.since_ms or 0) >= after_ms]
    return len(back) >= share * len(states)


def _wait(predicate: Any, timeout_s: float, poll_s: float = 0.25) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(poll_s)
    return False


def _drive(broker: BrokerProcess, receiver: ProvinceReceiver, args: argparse.Namespace, loadgen_folder: Path,
           timeline: Timeline) -> None:
    """The outage in the middle of the run, then a kill -9 once the communes drain their backlogs."""
    time.sleep(max(0.0, (args.seconds - args.outage_s) / 2))
    killed = now_ms()
    broker.kill()
    time.sleep(args.outage_s)
    broker.start()
    restarted = now_ms()
    timeline.restarted_ms = restarted
    timeline.first_outage_s = (restarted - killed) / 1000
    _wait(lambda: _all_back(receiver, restarted, 0.5), RECONNECT_TIMEOUT_S)
    time.sleep(args.drain_kill_after_s)
    timeline.waiting_at_kill = _outbox_waiting(loadgen_folder)
    timeline.killed_during_drain = timeline.waiting_at_kill > 0
    second = now_ms()
    broker.kill()
    time.sleep(args.kill_down_s)
    back = now_ms()
    broker.start()
    _wait(lambda: _all_back(receiver, back), RECONNECT_TIMEOUT_S)
    timeline.outages += [(killed, second), (second, now_ms())]


def _read_lines(stream: Any, lines: list[str], raising: threading.Event) -> None:
    for line in stream:
        lines.append(line)
        if '"raising"' in line:
            raising.set()


def _metrics(db_path: Path, summary: dict[str, Any], timeline: Timeline) -> dict[str, Any]:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        newest: dict[str, int] = summary["newest_seq"]
        stored = 0
        for commune, top in newest.items():
            stored += int(conn.execute("SELECT count(DISTINCT seq) FROM messages WHERE commune = ? AND seq <= ?",
                                       [commune, top]).fetchone()[0])
        rows, distinct = conn.execute("SELECT count(*), count(DISTINCT commune || '/' || seq) FROM messages").fetchone()
        alerts = int(conn.execute("SELECT count(*) FROM alerts").fetchone()[0])
        alert_dups = int(conn.execute("SELECT count(*) - count(DISTINCT commune || '/' || alert_id) FROM alerts")
                         .fetchone()[0])
        delays = [float(d) for (d, at) in conn.execute("SELECT stored_ms - at_ms, at_ms FROM messages")
                  if not any(start <= at <= end for start, end in timeline.outages)]
        killed = timeline.outages[0][0] if timeline.outages else 0
        last = conn.execute("SELECT max(stored_ms) FROM messages WHERE at_ms BETWEEN ? AND ?",
                            [killed, timeline.restarted_ms]).fetchone()[0]
    finally:
        conn.close()
    drain = (int(last) - timeline.restarted_ms) / 1000 if last and timeline.restarted_ms else None
    return {"stored": stored, "ledger_rows": int(rows), "ledger_distinct": int(distinct), "alerts": alerts,
            "alert_duplicates": alert_dups, "delays": delays, "drain_s": None if drain is None else max(0.0, drain)}


def run(args: argparse.Namespace) -> tuple[dict[str, Any], dict[str, Any]]:
    folder = Path(args.folder) if args.folder else Path(tempfile.mkdtemp(prefix="bench-uplink-"))
    folder.mkdir(parents=True, exist_ok=True)
    ids = commune_ids(args.communes)
    accounts = {c: secrets.token_urlsafe(12) for c in ids}
    store_path = folder / "communes.toml"
    CredentialStore({c: Credentials(c, p) for c, p in accounts.items()}).save(store_path)
    broker = BROKERS[args.broker](folder / "broker", accounts).start()
    config = ProvinceConfig(HOST, broker.port, broker.pki.ca_cert, Credentials(PROVINCE_USER, PROVINCE_PASSWORD),
                            MqttProtocol.V311, tuple(ProvinceCommune(c, c, 21.0, 106.0) for c in ids))
    receiver = ProvinceReceiver(config, folder / "province.db", folder / "snapshots").start()
    timeline = Timeline()
    gui = GuiMeasure()
    measuring = threading.Event()
    running: list[subprocess.Popen[str]] = []

    def phases() -> tuple[dict[str, Any], Any]:
        if not _wait(lambda: receiver.status().connected, 15):
            raise RuntimeError("the province receiver did not connect")
        loadgen_folder = folder / "communes"
        command = [sys.executable, "-m", "console.uplink.loadgen", "--communes", str(args.communes),
                   "--cameras-per-commune", str(args.cameras), "--alerts-per-s", str(args.alerts_per_s),
                   "--seconds", str(args.seconds), "--broker-port", str(broker.port), "--ca", str(broker.pki.ca_cert),
                   "--password-file", str(store_path), "--folder", str(loadgen_folder),
                   "--backlog-per-s", str(args.backlog_per_s), "--drain-timeout-s", str(args.drain_timeout_s),
                   "--receipt-timeout-s", str(args.receipt_timeout_s)]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        running.append(process)
        lines: list[str] = []
        raising = threading.Event()
        reader = threading.Thread(target=_read_lines, args=(process.stdout, lines, raising), daemon=True)
        reader.start()
        if not raising.wait(120):
            raise RuntimeError("the load generator did not start raising alerts")
        timeline.started_ms = now_ms()
        measuring.set()
        if args.outage_s > 0:
            _drive(broker, receiver, args, loadgen_folder, timeline)
        process.wait(timeout=args.seconds + args.drain_timeout_s + 120)
        reader.join(10)
        timeline.ended_ms = now_ms()
        summary = json.loads(next(line for line in reversed(lines) if '"newest_seq"' in line))
        time.sleep(SETTLE_S)
        return summary, receiver.status()

    try:
        summary, status = run_with_window(receiver, phases, measuring, gui)
    finally:
        for process in running:
            if process.poll() is None:
                process.kill()
                process.wait(10)
        receiver.stop()
        broker.kill()
    measured = _metrics(folder / "province.db", summary, timeline)
    seconds = max(summary["seconds"], 1e-3)
    result = {
        "broker": args.broker,
        "communes": args.communes,
        "cameras": args.communes * args.cameras,
        "alerts_sent": summary["alerts_raised"],
        "alerts_at_province": measured["alerts"],
        "duplicates_stored": measured["ledger_rows"] - measured["ledger_distinct"] + measured["alert_duplicates"],
        "lost": summary["messages"] - measured["stored"],
        "delivery_ms": {"p50": percentile(measured["delays"], 0.5), "p95": percentile(measured["delays"], 0.95)},
        "outage_s": round(timeline.first_outage_s or args.outage_s, 1),
        "backlog_drain_s": None if measured["drain_s"] is None else round(measured["drain_s"], 1),
        "broker_killed": timeline.killed_during_drain,
        "province_gui_block_max_ms": gui.block_max_ms,
        "commune_cpu_cores": round(summary["uplink_cpu_s"] / seconds / args.communes, 5),
    }
    details = {
        "messages_written_at_communes": summary["messages"], "messages_stored_at_province": measured["stored"],
        "health_changes": summary["health_changes"], "waiting_at_end": summary["waiting"],
        "drained": summary.get("drained"), "duplicates_received": status.duplicates, "dropped": status.dropped,
        "receipt_batches": status.batches, "waiting_when_killed_during_drain": timeline.waiting_at_kill,
        "delivery_max_ms": percentile(measured["delays"], 1.0), "delivery_samples": len(measured["delays"]),
        "commune_process_cpu_cores": round(summary["process_cpu_s"] / seconds / args.communes, 5),
        "run_s": round(seconds, 1), "alerts_per_s": args.alerts_per_s, "backlog_per_s": args.backlog_per_s,
        "province_gui_block_note": GUI_NOTE, "province_gui_gc_max_ms": gui.gc_max_ms,
        "province_gui_overviews": gui.overviews,
        "outage_configured_s": args.outage_s, "broker_start_s": [round(t, 2) for t in broker.started_s],
        "outages_ms": timeline.outages, "folder": str(folder),
    }
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
        details["folder"] = None
    return result, details


def _table(result: dict[str, Any], details: dict[str, Any]) -> str:
    rows = [f"{k:<28} {json.dumps(v)}" for k, v in result.items()]
    rows += ["--", *(f"{k:<28} {json.dumps(v)}" for k, v in details.items() if k != "outages_ms")]
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.uplink", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, required=True)
    parser.add_argument("--broker", choices=("mosquitto", "rabbitmq"), default="mosquitto")
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--cameras", type=int, default=25, help="cameras per commune")
    parser.add_argument("--alerts-per-s", type=float, default=10.0)
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--outage-s", type=float, default=None, help="default: a third of --seconds")
    parser.add_argument("--drain-kill-after-s", type=float, default=3.0,
                        help="after half the communes are back, kill -9 the broker again")
    parser.add_argument("--kill-down-s", type=float, default=3.0)
    parser.add_argument("--backlog-per-s", type=float, default=50.0)
    parser.add_argument("--drain-timeout-s", type=float, default=900.0)
    parser.add_argument("--receipt-timeout-s", type=float, default=60.0,
                        help="the communes' resend of an unconfirmed message (the console's default: 60 s)")
    parser.add_argument("--folder", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the folder (databases, broker log)")
    args = parser.parse_args(argv)
    if args.outage_s is None:
        args.outage_s = args.seconds / 3
    result, details = run(args)
    write_result(result, args.json, _table(result, details))
    args.json.with_name(args.json.stem + ".details.json").write_text(to_json(details) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
