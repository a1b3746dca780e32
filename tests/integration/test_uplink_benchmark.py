"""`python -m benchmarks.uplink` end to end with tiny sizes: the issue's keys exactly, nothing lost or doubled."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

KEYS = {"broker", "communes", "cameras", "alerts_sent", "alerts_at_province", "duplicates_stored", "lost",
        "delivery_ms", "outage_s", "backlog_drain_s", "broker_killed", "province_gui_block_max_ms",
        "commune_cpu_cores"}


def test_the_benchmark_runs_small_and_reports_the_issue_keys(tmp_path: Path) -> None:
    out = tmp_path / "uplink.json"
    subprocess.run([sys.executable, "-m", "benchmarks.uplink", "--json", str(out), "--communes", "2", "--cameras", "2",
                    "--alerts-per-s", "8", "--seconds", "6", "--outage-s", "1.5", "--drain-kill-after-s", "0.3",
                    "--kill-down-s", "0.5", "--receipt-timeout-s", "2", "--drain-timeout-s", "25",
                    "--folder", str(tmp_path / "run")],
                   check=True, timeout=60, cwd=Path(__file__).resolve().parents[2], capture_output=True)
    result = json.loads(out.read_text("utf-8"))
    assert set(result) == KEYS and set(result["delivery_ms"]) == {"p50", "p95"}
    assert result["lost"] == 0 and result["duplicates_stored"] == 0
    assert result["alerts_sent"] == result["alerts_at_province"] > 0
    assert result["broker"] == "mosquitto" and result["cameras"] == 4
    assert isinstance(result["province_gui_block_max_ms"], float) and result["province_gui_block_max_ms"] >= 0
    details = json.loads((tmp_path / "uplink.details.json").read_text("utf-8"))
    assert details["province_gui_overviews"] > 0  # the window read the store while the load arrived
