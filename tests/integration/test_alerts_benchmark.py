"""`python -m benchmarks.alerts` runs end to end (small sizes) and writes the issue's JSON keys."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"rows", "query_ms_max", "insert_per_s", "burst_sent", "burst_stored", "gui_block_max_ms", "motion_recall",
        "false_alerts_per_cam_hour", "analytics_cpu_cores"}


def test_alerts_benchmark_smoke(tmp_path: Path) -> None:
    out = tmp_path / "alerts.json"
    result = subprocess.run([sys.executable, "-m", "benchmarks.alerts", "--json", str(out), "--rows", "3000",
                             "--cameras", "3", "--motion-s", "21", "--static-hours", "0.05", "--burst-rate", "300",
                             "--burst-s", "2"], capture_output=True, text=True, timeout=300, cwd=ROOT,
                            env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(Path.home())})
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    data = json.loads(out.read_text("utf-8"))
    assert data.keys() >= KEYS
    assert data["rows"] == 3000 and data["burst_stored"] == data["burst_sent"] == 600
    assert data["motion_recall"] is not None and data["motion_recall"] >= 0.75
    assert data["insert_per_s"] > 0 and data["query_ms_max"] > 0 and data["analytics_cpu_cores"] > 0
    assert data["csv_export_rows"] == 3000 + 600  # the whole log, burst included, from the list's worker
    assert data["csv_export_gui_block_max_ms"] >= 0 and data["csv_idle_gui_block_max_ms"] >= 0
