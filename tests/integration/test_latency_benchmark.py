"""The latency benchmark keeps working and keeps its JSON contract (a short run; no timing is asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(400)
def test_latency_benchmark_runs_console_and_every_peer(tmp_path: Path) -> None:
    out = tmp_path / "latency.json"
    subprocess.run([sys.executable, "-m", "benchmarks.latency", "--tiles", "6", "--seconds", "3", "--cpu-hog", "1",
                    "--compare-ffmpeg", "--switches", "2", "--json", str(out)],
                   cwd=ROOT, check=True, timeout=360, capture_output=True)
    result = json.loads(out.read_text("utf-8"))
    assert result["tiles"] == 6 and result["ingest"] == "rtp"
    switch = result["switch_first_frame_ms"]  # two cameras dragged from the tree onto empty tiles
    assert switch["switches"] == 2 and switch["missed"] == [] and 0 < switch["p50"] <= switch["p95"] < 5000
    hog = result["hog"]
    assert hog["cores"] == 1 and {"p50_ms", "p95_ms", "min_fps", "gui_block_max_ms"} <= hog.keys()
    assert 0 < hog["p50_ms"] <= hog["p95_ms"] < 5000 and hog["min_fps"] > 0
    baseline = result["console_ffmpeg"]  # the same cameras through FFmpeg's demuxer, for the CPU ratio
    assert 0 < baseline["p50_ms"] <= baseline["p95_ms"] < 5000 and baseline["cpu_cores"] > 0
    assert result["ratios"]["console_cpu_over_ffmpeg_console_cpu"] > 0
    console = result["console"]
    assert {"p50_ms", "p95_ms", "max_ms", "min_fps", "cpu_cores", "rss_mb"} <= console.keys()
    assert 0 < console["p50_ms"] <= console["p95_ms"] <= console["max_ms"] < 5000  # stamps read off the screen
    assert console["min_fps"] > 5 and console["rss_mb"] > 50
    for name in ("ffplay", "gstreamer", "vlc_tuned"):
        peer = result["peers"][name]
        assert {"p50_ms", "p95_ms", "cpu_cores"} <= peer.keys()
        assert peer["p50_ms"] is not None and peer["p50_ms"] > 0, name
    assert isinstance(result["gui_block_max_ms"], int | float)
