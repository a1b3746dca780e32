"""The RTP depacketizer on the wire of a real encoder (the simulator's H.264 and H.265 loops): each access unit
byte-equal to a packet FFmpeg's RTSP demuxer yields for the same stream, every one decodable; with the
simulator's `loss` fault, gaps are counted and only intact pictures are handed over."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import av
import pytest
from av.video.codeccontext import VideoCodecContext

from console.core.config import load_config
from console.media.rtp.depacketize import H264, HEVC, AccessUnit, Depacketizer, sdp_extradata
from console.simulator.rtp import Codec, PacketLoss
from console.simulator.server import Simulator, SimulatorOptions
from tests.support.clients import OPEN_OPTIONS
from tests.support.rtsp_raw import RawRtsp
from tests.support.siteconfig import write_demo_config

SECONDS = 3.0
GOP_S = 1.0  # a session starts at the camera's next keyframe
CODECS = {H264: Codec.H264, HEVC: Codec.H265}


@pytest.fixture(params=[H264, HEVC])
def camera(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Simulator, str]]:
    codec: str = request.param
    config = load_config(write_demo_config(tmp_path / "site.toml", cameras=1))
    with Simulator(config, options=SimulatorOptions(loop_s=2.0, codec=CODECS[codec], cache_dir=tmp_path)) as sim:
        url = sim.config.camera("C01").sub_url
        assert url is not None
        yield codec, sim, url


def ours(codec: str, url: str, seconds: float = SECONDS) -> tuple[list[AccessUnit], Depacketizer, bytes | None]:
    depacketizer = Depacketizer(codec)
    units: list[AccessUnit] = []
    with RawRtsp(url) as client:
        client.play()
        extradata = sdp_extradata(codec, client.fmtp())
        for packet in client.packets(seconds):
            units += depacketizer.push(packet.seq, packet.timestamp, packet.marker, packet.payload)
    return units, depacketizer, extradata


def ffmpegs(url: str) -> set[bytes]:
    """Every packet FFmpeg's RTSP demuxer yields in the same time (the loop repeats: the same pictures)."""
    seen: set[bytes] = set()
    with av.open(url, options={**OPEN_OPTIONS, "rtsp_transport": "tcp"}, timeout=5.0) as container:
        for count, packet in enumerate(container.demux(video=0)):
            if packet.size:
                seen.add(bytes(packet))
            if count > 15 * SECONDS * 2:
                break
    return seen


def decoded(codec: str, extradata: bytes | None, units: list[AccessUnit]) -> list[tuple[int, int]]:
    context = av.CodecContext.create(codec, "r")
    assert isinstance(context, VideoCodecContext)
    if extradata:
        context.extradata = extradata
    sizes = []
    for unit in units:
        for frame in context.decode(av.Packet(unit.data)):
            sizes.append((frame.width, frame.height))
    return sizes


def test_access_units_are_byte_equal_to_ffmpegs_and_decode(camera: tuple[str, Simulator, str]) -> None:
    codec, _, url = camera
    units, depacketizer, extradata = ours(codec, url)
    assert len(units) >= 15 * (SECONDS - GOP_S) - 2 and units[0].key and depacketizer.stats.gaps == 0
    reference = ffmpegs(url)
    assert [u for u in units if u.data not in reference] == []
    assert extradata is not None
    assert set(decoded(codec, extradata, units)) == {(640, 360)}
    steps = {b.timestamp - a.timestamp for a, b in itertools.pairwise(units)}
    assert steps == {6000}  # 15 fps on the 90 kHz clock: one unit per picture, in order


def test_lost_packets_are_counted_and_no_broken_picture_is_handed_over(camera: tuple[str, Simulator, str]) -> None:
    codec, sim, url = camera
    # A keyframe is ~40 packets, ~1 s apart: 2 packets lost every 150 break at most one keyframe each, so 6 s
    # hold broken ones and whole ones (4 bursts, 6 keyframes).
    sim.loss("C01", PacketLoss(burst=2, every=150))
    units, depacketizer, extradata = ours(codec, url, seconds=6.0)
    sim.loss("C01", None)
    assert depacketizer.stats.gaps >= 2 and depacketizer.stats.dropped_units >= 2
    assert units and units[0].key
    reference = ffmpegs(url)
    assert [u for u in units if u.data not in reference] == []  # every picture handed over is whole
    assert len(decoded(codec, extradata, units)) >= len(units) - 2  # and decodes (a low-delay decoder lags ≤ 2)
