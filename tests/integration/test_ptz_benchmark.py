"""`python -m benchmarks.ptz` runs end to end on a private Xvfb (4 cameras, 2 PTZ, 3 moves, one of them with the
"ignores Timeout" and "rejects Stop" faults; the simulator in its own process) and writes issue 18's JSON keys.
Everything on 127.0.0.1; only correctness is asserted (the box is shared: timings are noisy), with generous bounds on
the timings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"cameras", "discover_s", "ptz_command_to_motion_on_screen_ms", "ptz_release_to_stopped_ms", "stuck_moves",
        "events_sent", "events_alerted", "event_to_alert_ms_p95", "resubscribed_after_reboot",
        "clock_offset_error_s_max", "gui_block_max_ms"}


@pytest.mark.timeout(120)
def test_ptz_benchmark_smoke(tmp_path: Path) -> None:
    out = tmp_path / "ptz.json"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "benchmarks.ptz", "--json", str(out), "--cameras", "4",
                             "--ptz", "2", "--moves", "3", "--event-rounds", "1", "--own-display"],
                            capture_output=True, text=True, timeout=90, cwd=ROOT, env=env)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    data = json.loads(out.read_text("utf-8"))
    assert data.keys() >= KEYS
    assert data["simulator_in_process"] is False  # the cameras in a process of their own, as a real camera is
    assert data["cameras"] == 4 and data["discovered"] == 4 and data["discovered_read"] == 4
    assert 0 < data["discover_s"] < 30
    shown = data["ptz_command_to_motion_on_screen_ms"]
    assert shown["samples"] == 3 and shown["not_seen"] == 0  # every move seen moving on the screen
    assert 0 < shown["p50"] <= shown["p95"] < 5000
    stopped = data["ptz_release_to_stopped_ms"]
    assert stopped["samples"] == 3 and 0 <= stopped["p50"] <= stopped["p95"] < 5000
    assert data["ptz_fault_moves"] == 1 and data["stuck_moves"] == 0
    assert data["events_sent"] == 4 and data["events_alerted"] == 4 and data["events_missed"] == 0
    assert data["event_to_alert_ms_p95"] is not None and data["event_to_alert_ms_p95"] < 5000
    assert data["resubscribed_after_reboot"] == 4
    assert data["clock_read"] == 4 and data["clock_offset_error_s_max"] < 1.0
    assert isinstance(data["gui_block_max_ms"], int | float) and data["gui_block_max_ms"] >= 0
