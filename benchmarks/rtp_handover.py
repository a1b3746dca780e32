"""How much sooner the RTP path hands a picture over than FFmpeg's RTSP demuxer, on the same stream.

    python -m benchmarks.rtp_handover [--seconds S] [--codec h264|h265] [--json OUT]

One simulated camera (its loop paced by the wall clock; every session of a stream gets each picture at the same
moment), two receivers at once in this process: the RTP path (aiortsp + console/media/rtp/depacketize.py) and
PyAV's demuxer with the console's low-latency options (console/media/ingest.py). For every picture both got
(matched by its bytes), the time between the demuxer's packet and the RTP path's access unit. FFmpeg's parser
closes a picture only when the next one starts, so the expected answer is about one frame (67 ms at 15 fps).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import av

from benchmarks.report import percentile, write_result
from console.core.config import Transport, load_config
from console.media.ingest import IngestSettings
from console.media.rtp.depacketize import AccessUnit
from console.media.rtp.session import receive
from console.simulator.rtp import Codec
from console.simulator.server import Simulator, SimulatorOptions
from tests.support.siteconfig import write_demo_config


def rtp_side(url: str, seconds: float, seen: dict[bytes, float]) -> None:
    def unit(au: AccessUnit, received: float) -> None:
        seen.setdefault(au.data, received)

    async def run() -> None:
        stop = asyncio.Event()
        asyncio.get_running_loop().call_later(seconds, stop.set)
        await receive(url, lambda _setup: None, unit, stop=stop)

    asyncio.run(run())


def ffmpeg_side(url: str, seconds: float, seen: dict[bytes, float]) -> None:
    options = IngestSettings().options(Transport.TCP)
    with av.open(url, options=options, timeout=5.0) as container:
        end = time.monotonic() + seconds
        for packet in container.demux(video=0):
            now = time.monotonic()
            if packet.size:
                seen.setdefault(bytes(packet), now)
            if now > end:
                break


def measure(seconds: float, codec: Codec) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        config = load_config(write_demo_config(tmp / "site.toml", cameras=1))
        with Simulator(config, options=SimulatorOptions(loop_s=4.0, codec=codec, cache_dir=tmp)) as sim:
            url = sim.config.camera("C01").sub_url
            assert url is not None
            ours: dict[bytes, float] = {}
            theirs: dict[bytes, float] = {}
            threads = [threading.Thread(target=rtp_side, args=(url, seconds, ours)),
                       threading.Thread(target=ffmpeg_side, args=(url, seconds, theirs))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(seconds + 30)
    ahead = [(theirs[data] - at) * 1000 for data, at in ours.items() if data in theirs]
    return {"codec": codec.value, "seconds": seconds, "units_rtp": len(ours), "units_ffmpeg": len(theirs),
            "units_compared": len(ahead),
            "rtp_ahead_ms": {"p50": percentile(ahead, 0.5), "p95": percentile(ahead, 0.95),
                             "min": percentile(ahead, 0.0), "max": percentile(ahead, 1.0)}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--codec", choices=[c.value for c in Codec], default=Codec.H264.value)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    result = measure(args.seconds, Codec(args.codec))
    ahead = result["rtp_ahead_ms"]
    write_result(result, args.json, f"RTP path ahead of FFmpeg's demuxer ({result['codec']}, "
                                    f"{result['units_compared']} pictures): p50 {ahead['p50']} ms, "
                                    f"p95 {ahead['p95']} ms")
    return 0 if result["units_compared"] else 1


if __name__ == "__main__":
    sys.exit(main())
