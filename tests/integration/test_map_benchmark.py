"""`python -m benchmarks.map` runs (few frames) and writes the issue's JSON keys."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_map_benchmark_smoke(tmp_path: Path) -> None:
    out = tmp_path / "map.json"
    result = subprocess.run([sys.executable, "-m", "benchmarks.map", "--json", str(out), "--frames", "20"],
                            capture_output=True, text=True, timeout=300, cwd=ROOT,
                            env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(Path.home())})
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(out.read_text("utf-8"))
    assert {"cameras", "pan_frame_ms_p95", "tile_cache_hit_ratio"} <= data.keys()
    assert data["cameras"] == 25 and data["frames"] == 40
    assert data["pan_frame_ms_p95"] > 0 and 0 < data["tile_cache_hit_ratio"] <= 1
