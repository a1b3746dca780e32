"""`python -m benchmarks.switching` runs end to end (two rounds) and writes its JSON keys."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"rounds", "gop_ms", "drop_first_frame_ms_p50", "drop_first_frame_ms_p95", "maximize_main_ms_p50",
        "maximize_main_ms_p95", "swap_ms_max", "baseline_client_first_frame_ms_p50", "budget_ms"}


def test_switching_benchmark_smoke(tmp_path: Path) -> None:
    out = tmp_path / "switching.json"
    run = subprocess.run([sys.executable, "-m", "benchmarks.switching", "--json", str(out), "--rounds", "2"],
                         capture_output=True, text=True, timeout=240, cwd=ROOT,
                         env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(Path.home())})
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    data = json.loads(out.read_text("utf-8"))
    assert data.keys() >= KEYS and data["rounds"] == 2
    assert data["drop_first_frame_ms_p50"] > 0 and data["maximize_main_ms_p50"] > 0 and data["swap_ms_max"] > 0
