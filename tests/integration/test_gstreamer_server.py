"""The test bed's second, independent RTSP server: GStreamer's, from Debian packages."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.support.clients import read_frames
from tests.support.ports import free_ports
from tests.support.processes import gst_server


def test_pyav_reads_every_mount_of_gstreamers_server() -> None:
    (port,) = free_ports(1)
    with gst_server(port, mounts=4):
        urls = [f"rtsp://127.0.0.1:{port}/cam{i}" for i in range(1, 5)]
        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(lambda u: read_frames(u, 15), urls))
    assert [(r.frames, r.width, r.height, r.codec) for r in results] == [(15, 640, 360, "h264")] * 4
