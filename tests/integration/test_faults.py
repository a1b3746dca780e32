"""Fault injection: stall, drop, refuse, restart and garbage look to a client like the real failures."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import av
import pytest

from console.core.config import load_config
from console.simulator.server import Simulator, SimulatorOptions
from tests.support.clients import OPEN_OPTIONS, read_frames
from tests.support.siteconfig import write_demo_config
from tests.support.waiting import wait_until


@pytest.fixture()
def sim(tmp_path: Path) -> Iterator[Simulator]:
    config = load_config(write_demo_config(tmp_path / "faults.toml", cameras=3))
    with Simulator(config, options=SimulatorOptions(loop_s=4.0)) as simulator:
        yield simulator


def url(sim: Simulator, camera_id: str) -> str:
    return sim.config.camera(camera_id).sub_url or ""


def test_stalled_camera_keeps_the_connection_but_sends_no_frame(sim: Simulator) -> None:
    with av.open(url(sim, "C01"), options={**OPEN_OPTIONS, "timeout": "2000000"}, timeout=5.0) as container:
        frames = container.decode(video=0)
        next(frames)
        sim.stall("C01")  # at once: frames already on the way only make the wait longer
        started = time.monotonic()
        with pytest.raises(av.error.TimeoutError):
            for _ in range(100):
                next(frames)
        assert 1.5 < time.monotonic() - started < 6  # the client's own 2 s timeout fired
    sim.stall("C01", False)
    assert read_frames(url(sim, "C01"), 5).frames == 5
    assert read_frames(url(sim, "C02"), 5).frames == 5  # neighbours never noticed


def test_dropped_connection_ends_the_stream(sim: Simulator) -> None:
    with av.open(url(sim, "C02"), options=OPEN_OPTIONS, timeout=5.0) as container:
        frames = container.decode(video=0)
        next(frames)
        sim.drop("C02")
        started = time.monotonic()
        with pytest.raises((av.error.FFmpegError, StopIteration)):
            for _ in range(100):
                next(frames)
        assert time.monotonic() - started < 3


def test_refused_then_restarted_camera_comes_back(sim: Simulator) -> None:
    sim.refuse("C03")
    with pytest.raises(ConnectionRefusedError):
        read_frames(url(sim, "C03"), 1)
    sim.refuse("C03", False)
    assert read_frames(url(sim, "C03"), 3).frames == 3
    sim.restart("C03", down_s=1.0)
    with pytest.raises(ConnectionRefusedError):
        read_frames(url(sim, "C03"), 1)
    wait_until(lambda: back_with_frames(url(sim, "C03")), 5)  # back once its down time is over


def back_with_frames(address: str) -> bool:
    """The camera answers again, with three frames (refused while it is still down)."""
    try:
        return read_frames(address, 3).frames == 3
    except ConnectionRefusedError:
        return False


def test_garbage_answers_fail_fast_with_invalid_data(sim: Simulator) -> None:
    sim.garbage("C01")
    started = time.monotonic()
    with pytest.raises(av.error.FFmpegError):
        read_frames(url(sim, "C01"), 1)
    assert time.monotonic() - started < 5
    assert read_frames(url(sim, "C02"), 3).frames == 3
