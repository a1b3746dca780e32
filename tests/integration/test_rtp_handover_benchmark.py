"""Smoke run of benchmarks/rtp_handover.py: its contract keys, and the RTP path ahead of FFmpeg's demuxer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def test_the_rtp_path_hands_pictures_over_before_ffmpegs_demuxer(tmp_path: Path) -> None:
    out = tmp_path / "rtp.json"
    subprocess.run([sys.executable, "-m", "benchmarks.rtp_handover", "--seconds", "3", "--json", str(out)],
                   check=True, timeout=120, capture_output=True)
    result = json.loads(out.read_text("utf-8"))
    assert result["units_compared"] >= 20 and set(result["rtp_ahead_ms"]) == {"p50", "p95", "min", "max"}
    assert result["rtp_ahead_ms"]["p50"] > 0  # FFmpeg's parser waits for the next picture; the marker bit does not
