"""`python -m benchmarks.incidents --smoke` runs every phase small (a 16 MiB intake, a 2 s 1080p working copy, two
cameras' hour of motion grids, the desk's intake, search and export under the GUI heartbeat, a few of the
simulator's plates) and writes every key of the issue with plausible values. Timings are not asserted (they are
the benchmark's to report)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from benchmarks.incidents import CONTRACT_KEYS

ROOT = Path(__file__).resolve().parents[2]


def test_incidents_benchmark_smoke_measures_every_phase(tmp_path: Path) -> None:
    out = tmp_path / "incidents.json"
    result = subprocess.run([sys.executable, "-m", "benchmarks.incidents", "--json", str(out), "--smoke",
                             "--folder", str(tmp_path)],
                            capture_output=True, text=True, timeout=120, cwd=ROOT,
                            env={"PATH": "/usr/bin:/bin", "HOME": str(Path.home())})
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(out.read_text("utf-8"))
    assert set(CONTRACT_KEYS) <= data.keys()
    assert [key for key in CONTRACT_KEYS if data[key] is None] == []
    assert data["plate_read_accuracy_sim"] >= 0.95 and data["plate_crop_ms_p95"] > 0

    assert data["intake_hash_verified"] is True and data["intake_mb_per_s"] > 0
    assert data["intake_baseline"]["copy_mb_per_s"] > 0 and data["intake_baseline"]["sha256_mb_per_s"] > 0
    assert data["working_copy_realtime_factor"] > 0
    ffmpeg = data["working_copy_baseline_ffmpeg_realtime_factor"]
    assert (ffmpeg is not None and ffmpeg > 0) if shutil.which("ffmpeg", path="/usr/bin:/bin") else ffmpeg is None
    assert data["motion_search_crossings"] == 2 * 2 * 120  # two crossings a 30 s loop, an hour, two cameras
    assert data["motion_search_recall"] >= 0.95 and data["motion_search_outside_hits"] == 0
    assert data["motion_search_day_ms"] > 0 and data["motion_grid_rows"] > 0
    assert data["case_export_s"] > 0 and data["case_export_verified"] is True
    assert data["desk_search_moments"] == data["motion_search_moments"]  # the dialog finds what the core does
    blocks = data["gui_block_ms"]
    assert blocks.keys() == {"idle", "intake", "search", "export"} and all(v >= 0 for v in blocks.values())
    assert data["gui_block_max_ms"] == max(blocks["intake"], blocks["search"], blocks["export"])
    assert list(tmp_path.iterdir()) == [out]  # the run's files (the intake's GiB in a full run) removed
