"""`python -m benchmarks.incidents` runs (two cameras, one hour of grids) and writes every key of the issue (the
unmeasured ones null) and the motion search's numbers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from benchmarks.incidents import CONTRACT_KEYS

ROOT = Path(__file__).resolve().parents[2]


def test_incidents_benchmark_smoke(tmp_path: Path) -> None:
    out = tmp_path / "incidents.json"
    result = subprocess.run([sys.executable, "-m", "benchmarks.incidents", "--json", str(out), "--cameras", "2",
                             "--hours", "1", "--only", "motion_search"],
                            capture_output=True, text=True, timeout=120, cwd=ROOT,
                            env={"PATH": "/usr/bin:/bin", "HOME": str(Path.home())})
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(out.read_text("utf-8"))
    assert set(CONTRACT_KEYS) <= data.keys()  # the keys, the unmeasured ones null
    assert data["motion_search_crossings"] == 2 * 2 * 120  # two crossings a 30 s loop, an hour, two cameras
    assert data["motion_search_recall"] >= 0.95 and data["motion_search_outside_hits"] == 0
    assert data["motion_search_day_ms"] > 0 and data["motion_grid_rows"] > 0
