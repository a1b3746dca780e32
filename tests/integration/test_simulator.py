"""The simulator against real clients: PyAV (FFmpeg), ffprobe and GStreamer's rtspsrc."""

from __future__ import annotations

import json
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import av
import pytest

from console.core.config import load_config
from console.core.credentials import Credentials, with_credentials
from console.core.stamp import read_stamp
from console.simulator.rtp import Codec
from console.simulator.server import Simulator, SimulatorError, SimulatorOptions
from tests.support.clients import read_frames
from tests.support.siteconfig import write_demo_config


def sub_url(sim: Simulator, camera_id: str) -> str:
    url = sim.config.camera(camera_id).sub_url
    assert url is not None
    return url


def test_every_sub_stream_of_25_cameras_plays_at_once(simulator: Simulator) -> None:
    cameras = [c.id for c in simulator.config.cameras]
    assert len(cameras) == 25
    with ThreadPoolExecutor(max_workers=25) as pool:
        results = list(pool.map(lambda cid: read_frames(sub_url(simulator, cid), 20), cameras))
    assert [r.frames for r in results] == [20] * 25
    assert {(r.width, r.height, r.codec) for r in results} == {(640, 360, "h264")}
    assert all(r.keyframes >= 1 for r in results)


def test_main_stream_is_1080p_and_starts_on_a_keyframe(simulator: Simulator) -> None:
    result = read_frames(simulator.config.cameras[0].main_url, 30, deadline_s=40)
    assert (result.width, result.height, result.frames) == (1920, 1080, 30)
    assert result.keyframes >= 1


def test_udp_transport_delivers_frames(simulator: Simulator) -> None:
    assert read_frames(sub_url(simulator, "C03"), 15, transport="udp").frames == 15


def test_ffprobe_reads_stream_facts(simulator: Simulator) -> None:
    out = subprocess.run(["ffprobe", "-v", "error", "-rtsp_transport", "tcp", "-show_entries",
                          "stream=codec_name,width,height,avg_frame_rate,has_b_frames", "-of", "json",
                          sub_url(simulator, "C05")], capture_output=True, text=True, timeout=30, check=True)
    stream = json.loads(out.stdout)["streams"][0]
    assert stream["codec_name"] == "h264" and (stream["width"], stream["height"]) == (640, 360)
    assert stream["avg_frame_rate"] == "15/1" and stream["has_b_frames"] == 0


def test_gstreamer_rtspsrc_plays_the_simulator(simulator: Simulator) -> None:
    pipeline = (f"rtspsrc location={sub_url(simulator, 'C07')} latency=0 protocols=tcp ! rtph264depay ! "
                "h264parse ! avdec_h264 ! identity eos-after=20 ! fakesink")
    result = subprocess.run(["gst-launch-1.0", "-q", *pipeline.split()], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_frames_follow_the_wall_clock_at_15_fps(simulator: Simulator) -> None:
    started = time.monotonic()
    result = read_frames(sub_url(simulator, "C09"), 46)
    elapsed = time.monotonic() - started - result.first_frame_s
    assert 2.6 < elapsed < 3.6  # 45 frame intervals at 15 fps = 3.0 s: paced, not bursted


def test_digest_auth_is_required_and_accepted(auth_simulator: Simulator, demo_password: Credentials) -> None:
    url = sub_url(auth_simulator, "C01")
    with pytest.raises(av.error.HTTPUnauthorizedError):
        read_frames(url, 1)
    with pytest.raises(av.error.HTTPUnauthorizedError):
        read_frames(with_credentials(url, Credentials("admin", "wrong")), 1)
    assert read_frames(with_credentials(url, demo_password), 5).frames == 5


def test_live_mode_frames_carry_capture_time(tmp_path: Path) -> None:
    config = load_config(write_demo_config(tmp_path / "live.toml", cameras=3))
    with Simulator(config, options=SimulatorOptions(loop_s=4.0, live_sub=True)) as sim:
        with ThreadPoolExecutor(max_workers=3) as pool:
            results = list(pool.map(lambda c: read_frames(c.sub_url or "", 20, keep_luma=True), config.cameras))
        now = int(time.time() * 1000)
        for result in results:
            stamps = [read_stamp(y, now) for y in result.lumas]
            assert None not in stamps
            assert stamps == sorted(stamps)  # capture times only move forward
            assert all(0 < now - s < 5000 for s in stamps if s)  # type: ignore[operator]
        assert sim.live_hub.frames_encoded < 80  # one encoder for all mounts, not one per viewer


def test_h265_option_serves_hevc(tmp_path: Path) -> None:
    config = load_config(write_demo_config(tmp_path / "hevc.toml", cameras=1))
    with Simulator(config, options=SimulatorOptions(loop_s=2.0, codec=Codec.H265, cache_dir=tmp_path)) as sim:
        result = read_frames(sub_url(sim, "C01"), 10)
    assert (result.codec, result.frames) == ("hevc", 10)


def test_port_in_use_is_a_clear_error(tmp_path: Path, simulator: Simulator) -> None:
    clash = write_demo_config(tmp_path / "clash.toml", cameras=1)
    taken = simulator.config.cameras[0].main_url.split(":")[2].split("/")[0]
    text = clash.read_text("utf-8")
    port = text.split("127.0.0.1:")[1].split("/")[0]
    clash.write_text(text.replace(f"127.0.0.1:{port}", f"127.0.0.1:{taken}"), "utf-8")
    with pytest.raises(SimulatorError, match=f"camera C01: cannot listen on 127.0.0.1:{taken}"):
        Simulator(load_config(clash)).start()
