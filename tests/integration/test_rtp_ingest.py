"""The RTP live path behind the pool (a camera with `ingest = "rtp"`): live over the simulator and GStreamer's
server, health and lost packets counted as on the FFmpeg path."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from console.core.config import Camera, IngestPath, SiteConfig, StreamKind, load_config
from console.core.credentials import Credentials, CredentialStore
from console.core.health import Failure, Phase, Shown
from console.media.display import FrameView
from console.media.pool import StreamPool
from console.media.rtp.ingest import RtpIngest
from console.simulator.rtp import PacketLoss
from console.simulator.server import Simulator
from tests.support.ports import free_ports
from tests.support.processes import gst_server
from tests.support.siteconfig import write_demo_config
from tests.support.waiting import wait_until


def over_rtp(config: SiteConfig, urls: dict[str, str] | None = None) -> SiteConfig:
    """Every camera on the RTP path (and at `urls[id]` for both streams where given)."""
    cameras = []
    for camera in config.cameras:
        url = (urls or {}).get(camera.id)
        changed = replace(camera, ingest=IngestPath.RTP)
        cameras.append(replace(changed, main_url=url, sub_url=None) if url else changed)
    return replace(config, cameras=tuple(cameras))


def watch(pool: StreamPool, camera_id: str) -> FrameView:
    view = FrameView(lambda: None)
    view.set_box(320, 180)
    pool.watch(camera_id, StreamKind.SUB, view)
    return view


def test_simulated_cameras_go_live_over_rtp_and_lose_nothing(simulator: Simulator,
                                                             pools: list[StreamPool]) -> None:
    config = over_rtp(replace(simulator.config, cameras=simulator.config.cameras[:4]))
    pool = StreamPool(config)
    pools.append(pool)
    views = {c.id: watch(pool, c.id) for c in config.cameras}
    assert all(isinstance(pool._entries[pool.key(c, StreamKind.SUB)].ingest, RtpIngest) for c in config.cameras)
    wait_until(lambda: all(v.delivered >= 30 for v in views.values()), 15, what="30 pictures per camera over RTP")
    now = time.monotonic()
    for camera in config.cameras:
        status = pool.status(camera.id, StreamKind.SUB)
        assert status is not None and status.path == "rtp" and status.fallback == "" and status.dropped == 0
        assert status.shown(now) is Shown.LIVE and status.frames >= 30


@dataclass
class GstCamera:
    pool: StreamPool
    camera: Camera
    view: FrameView


@contextmanager
def gst_camera(tmp_path: Path, pools: list[StreamPool], password: Credentials, **server: Any) -> Iterator[GstCamera]:
    """One camera on GStreamer's server (`server`: gst_server's options) with Digest auth, on the RTP path, watched
    on a tile."""
    (port,) = free_ports(1)
    store = CredentialStore({"demo": password})
    config = load_config(write_demo_config(tmp_path / "gst.toml", cameras=1, credentials="demo"), store.refs)
    config = over_rtp(config, {config.cameras[0].id: f"rtsp://127.0.0.1:{port}/cam1"})
    with gst_server(port, mounts=1, digest=(password.username, password.password), **server):
        pool = StreamPool(config, store)
        pools.append(pool)
        yield GstCamera(pool, config.cameras[0], watch(pool, config.cameras[0].id))


@pytest.mark.parametrize("codec", ["h264", "h265"])
def test_gstreamer_camera_with_digest_auth_goes_live_over_rtp(tmp_path: Path, pools: list[StreamPool],
                                                              demo_password: Credentials, codec: str) -> None:
    with gst_camera(tmp_path, pools, demo_password, codec=codec) as gst:
        pool, camera_id, view = gst.pool, gst.camera.id, gst.view
        wait_until(lambda: view.delivered >= 20, 15, what=f"20 pictures from GStreamer over RTP ({codec})")
        status = pool.status(camera_id, StreamKind.SUB)
        assert status is not None and status.path == "rtp" and status.fallback == ""
        assert status.phase is Phase.LIVE
        info = pool._entries[pool.key(gst.camera, StreamKind.SUB)].ingest._info
        assert info is not None and info.codec == {"h264": "h264", "h265": "hevc"}[codec]


def test_a_camera_sending_b_frames_is_played_by_ffmpeg_instead(tmp_path: Path, pools: list[StreamPool],
                                                               demo_password: Credentials) -> None:
    """The RTP path cannot order B-frames from RTP timestamps: FFmpeg takes the camera over, says why, plays it."""
    with gst_camera(tmp_path, pools, demo_password, bframes=True) as gst:
        pool, camera_id, view = gst.pool, gst.camera.id, gst.view
        wait_until(lambda: view.delivered >= 20, 20, what="20 pictures of the B-frame camera")
        status = pool.status(camera_id, StreamKind.SUB)
        assert status is not None and status.path == "ffmpeg" and "B-frames" in status.fallback
        assert status.phase is Phase.LIVE
        shown = view.delivered
        wait_until(lambda: view.delivered >= shown + 15, 10, what="the FFmpeg path keeps playing it")
        assert pool.status(camera_id, StreamKind.SUB).path == "ffmpeg"  # type: ignore[union-attr]


def test_a_stopped_camera_is_lost_within_the_budget_and_comes_back(tmp_path: Path, pools: list[StreamPool]) -> None:
    config = over_rtp(load_config(write_demo_config(tmp_path / "restart.toml", cameras=1)))
    camera_id = config.cameras[0].id
    with Simulator(config) as sim:
        pool = StreamPool(config)
        pools.append(pool)
        view = watch(pool, camera_id)
        wait_until(lambda: view.delivered >= 10, 15, what="live over RTP")
        sim.stall(camera_id)
        stalled = time.monotonic()
        wait_until(lambda: (s := pool.status(camera_id, StreamKind.SUB)) is not None
                   and s.shown(time.monotonic()) is Shown.LOST, 10, what="declared lost")
        assert time.monotonic() - stalled <= 5.0 + 0.5
        sim.stall(camera_id, False)
        shown = view.delivered
        wait_until(lambda: view.delivered >= shown + 10, 20, what="live again after the stall")
        status = pool.status(camera_id, StreamKind.SUB)
        assert status is not None and status.path == "rtp"


def test_lost_packets_are_counted_and_the_stream_stays_live(tmp_path: Path, pools: list[StreamPool]) -> None:
    config = over_rtp(load_config(write_demo_config(tmp_path / "loss.toml", cameras=1)))
    camera_id = config.cameras[0].id
    with Simulator(config) as sim:
        sim.loss(camera_id, PacketLoss(burst=2, every=150))
        pool = StreamPool(config)
        pools.append(pool)
        view = watch(pool, camera_id)
        wait_until(lambda: (s := pool.status(camera_id, StreamKind.SUB)) is not None and s.dropped >= 3, 20,
                   what="pictures dropped for lost packets, counted")
        shown = view.delivered
        wait_until(lambda: view.delivered >= shown + 15, 10, what="pictures go on between the losses")
        status = pool.status(camera_id, StreamKind.SUB)
        assert status is not None and status.path == "rtp" and status.phase is Phase.LIVE


def test_udp_packets_swapped_on_the_way_are_put_back_in_order(tmp_path: Path, pools: list[StreamPool]) -> None:
    """UDP (the per-camera option) on a link that reorders: every picture still shown, none dropped."""
    config = over_rtp(load_config(write_demo_config(tmp_path / "udp.toml", cameras=1,
                                                    camera_keys={"transport": "udp"})))
    camera_id = config.cameras[0].id
    with Simulator(config) as sim:
        swaps = PacketLoss(swap_every=20, seed=7)
        sim.loss(camera_id, swaps)
        pool = StreamPool(config)
        pools.append(pool)
        view = watch(pool, camera_id)
        wait_until(lambda: view.delivered >= 45 and swaps.swapped >= 10, 20,
                   what="45 pictures over UDP while packets are swapped")
        status = pool.status(camera_id, StreamKind.SUB)
        assert status is not None and status.path == "rtp" and status.phase is Phase.LIVE
        assert status.dropped == 0  # a swap is not a loss


def test_a_camera_that_ends_its_stream_with_rtcp_bye_is_closed_at_once(tmp_path: Path, pools: list[StreamPool],
                                                                        demo_password: Credentials) -> None:
    """GStreamer's server ends the stream after 45 pictures and says BYE over interleaved RTCP: the session is over
    then (not 4 s later at the read timeout) and the camera is asked again."""
    with gst_camera(tmp_path, pools, demo_password, frames=45) as gst:
        pool, camera_id, view = gst.pool, gst.camera.id, gst.view
        wait_until(lambda: view.delivered >= 20, 15, what="pictures before the camera ends its stream")
        last_picture, shown, deadline = time.monotonic(), view.delivered, time.monotonic() + 10
        while "RTCP BYE" not in (((status := pool.status(camera_id, StreamKind.SUB)) and status.detail) or ""):
            assert time.monotonic() < deadline, "the session was not closed on the camera's BYE"
            if view.delivered != shown:
                last_picture, shown = time.monotonic(), view.delivered
            time.sleep(0.02)
        assert status is not None and status.failure is Failure.CLOSED and shown >= 40
        assert time.monotonic() - last_picture < 1.5  # at the BYE, not at the 4 s read timeout
