"""`benchmarks/plate_reading.py`'s smoke run (two cameras, a moment a crossing, played back through the simulator's
H.264 and as JPEG alert pictures) reads every plate exactly and gives every key. Timings are not asserted: they
are the benchmark's to report (the suite's machine is busy with other tests)."""

from __future__ import annotations

from benchmarks.plate_reading import measure


def test_the_simulators_plates_are_read_exactly_in_the_smoke_run() -> None:
    result = measure(smoke=True)
    assert set(result) >= {"plate_crop_ms_p95", "plate_read_accuracy_sim", "plate_read_accuracy_sim_alert",
                           "plate_engine_load_ms", "plate_frame_ms_p95"}
    assert all(isinstance(value, float) for value in result.values())
    assert result["plate_reads_sim"] == 4.0  # two cameras, two crossings each
    assert result["plate_read_accuracy_sim"] >= 0.95 and result["plate_read_accuracy_sim_alert"] >= 0.95
    assert 0 < result["plate_crop_ms_p50"] <= result["plate_crop_ms_p95"]
