"""The station's recorders (issue 22's targets), below the UI: a Hikvision and a Dahua recorder simulated on
127.0.0.1, driven through the console's recorder adapters (`console.nvr`), its recorder services and evidence export,
and the console's own PyAV.

    python -m benchmarks.nvr --json OUT [--vendor hikvision] [--channels 25] [--record main|sub]
                             [--download-min 10] [--seeks 10] [--quick]

Per vendor, in order:
1. channels imported (`channels`);
2. a whole day of every channel searched, four searches at a time (`search_day_ms`; target ≤ 2000 ms for 25);
3. playback opened at a moment through the adapter's URI: PyAV open → first decoded picture (`playback_open_ms`,
   the median; target ≤ 800 ms), opened as a player opens a recording (without the live path's `nobuffer`);
4. seeks: a new playback session at another moment → its first picture, as a player without RTSP clock seeks
   does it (`seek_ms_p95`);
5. the evidence export of `--download-min` minutes of one channel as the console makes it (`benchmarks.nvr_services`:
   `RecorderServices` on its network loop, `RecorderDownload` by the vendor's file API (`download_mb_per_s`; target
   ≥ 20 MB/s on loopback), the MP4 stream copy, SHA-256 and the signed manifest (`export_10min_s`, scaled to 10
   minutes), then `python -m console.evidence verify` on the folder (`export_verified`);
6. events: a motion start and stop on every channel through the recorder's one event stream, into the alert log by
   the real `AlertWriter`; `events_alerted` counts the alerts SQLite holds (`events_sent`; target: every event
   alerted).
7. the playback window (`benchmarks.nvr_window`, in a process of its own: the recorders are another machine): a real
   QApplication (offscreen) on both recorders, searching a day of a recorder channel, opening the recorder's
   playback, seeking and downloading a minute into a signed evidence export, while the project's GUI heartbeat
   (`EventLoopWatch`) runs → `gui_block_max_ms` (target ≤ 50 ms; `window` holds each step's time). The worst lateness
   of a 10 ms heartbeat on the adapters' loops (this one's and the services' network loop) is
   `network_loop_block_max_ms`.
The top-level keys are the worse vendor's figure (`export_verified`: both); `by_vendor` holds both.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import av

from benchmarks import nvr_services, nvr_window
from benchmarks.nvr_services import HEARTBEAT_S, LoopWatch
from benchmarks.report import percentile, write_result
from console.core.config import StreamKind, load_config
from console.core.credentials import Credentials, with_credentials
from console.core.paths import demo_config_path
from console.core.recording import TimeRange
from console.core.vntime import VN_TZ
from console.nvr import RecorderClient, open_recorder
from console.nvr.models import RecorderAddress
from console.nvr.recorder import vn_day
from console.simulator.nvr.digest import RecorderUser
from console.simulator.nvr.recorder import RecorderSettings, Vendor, channels_of
from console.simulator.nvr.server import RecorderOptions, RecorderSimulator, RunningRecorder

_T = TypeVar("_T")
LOGIN = Credentials("admin", "Bench-Nvr-2026")
PLAYER_OPTIONS = {"rtsp_transport": "tcp", "timeout": "4000000", "probesize": "32768", "analyzeduration": "500000"}
CLIP_AT_H = 11  # the exported range starts at 11:00 of yesterday (Vietnam time)


def yesterday() -> date:
    return datetime.now(VN_TZ).date() - timedelta(days=1)


def first_picture_ms(url: str) -> float:
    started = time.perf_counter()
    with av.open(url, options=PLAYER_OPTIONS, timeout=5.0) as container:
        stream = container.streams.video[0]
        stream.thread_count = 1
        for _ in container.decode(stream):
            return (time.perf_counter() - started) * 1000
    raise RuntimeError(f"no picture from {url}")


async def in_thread(call: Callable[[], _T]) -> _T:
    return await asyncio.to_thread(call)


async def measure_vendor(running: RunningRecorder, args: argparse.Namespace) -> dict[str, Any]:
    """Steps 1–4 through the adapter on a loop of this benchmark's own."""
    recorder = open_recorder(running.vendor.value, RecorderAddress("127.0.0.1", running.http_port,
                                                                    running.rtsp_port), LOGIN)
    watch = LoopWatch()
    watch.start()
    try:
        return await _measure(recorder, args, watch)
    finally:
        watch.stop()
        await recorder.close()


async def _measure(recorder: RecorderClient, args: argparse.Namespace, watch: LoopWatch) -> dict[str, Any]:
    result: dict[str, Any] = {}
    await recorder.read_clock()
    channels = await recorder.channels()
    result["channels"] = len(channels)
    numbers = [c.number for c in channels][: args.channels]
    started = time.perf_counter()
    found = await recorder.search_many(numbers, *vn_day(yesterday()))
    result["search_day_ms"] = round((time.perf_counter() - started) * 1000, 1)
    result["search_segments"] = sum(len(r.segments) for r in found.values())

    start_of_day = vn_day(yesterday())[0]
    moments = [start_of_day + (9 * 3600 + 97 * k) * 1000 for k in range(args.seeks + 1)]
    opens = [await in_thread(lambda m=m: first_picture_ms(  # type: ignore[misc]
        with_credentials(recorder.playback_uri(1, m, m + 600_000), LOGIN))) for m in moments[:3]]
    result["playback_open_ms"] = percentile(opens, 0.5)
    seeks = [await in_thread(lambda m=m: first_picture_ms(  # type: ignore[misc]
        with_credentials(recorder.playback_uri(2, m, m + 600_000), LOGIN))) for m in moments[1:]]
    result["seek_ms_p95"] = percentile(seeks, 0.95)

    result["network_loop_block_max_ms"] = round(watch.worst_ms, 1)
    return result


def clip_of(args: argparse.Namespace) -> TimeRange:
    start = vn_day(yesterday())[0] + CLIP_AT_H * 3600 * 1000
    return TimeRange(start, start + round(args.download_min * 60_000))


def measure_console_path(running: RunningRecorder, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """Steps 5 and 6 through the console's recorder services (`benchmarks.nvr_services`)."""
    return nvr_services.measure(running, LOGIN, min(args.channels, len(running.state.channels)), clip_of(args),
                                workdir)


def aggregate(by_vendor: dict[str, dict[str, Any]]) -> dict[str, Any]:
    results = list(by_vendor.values())

    def worst(key: str, pick: Callable[[list[float]], float]) -> float | None:
        values = [r[key] for r in results if r.get(key) is not None]
        return pick(values) if values else None

    return {"channels": min(r["channels"] for r in results), "search_day_ms": worst("search_day_ms", max),
            "playback_open_ms": worst("playback_open_ms", max), "seek_ms_p95": worst("seek_ms_p95", max),
            "download_mb_per_s": worst("download_mb_per_s", min), "export_10min_s": worst("export_10min_s", max),
            "export_verified": all(r.get("export_verified") is True for r in results),
            "events_sent": sum(r["events_sent"] for r in results),
            "events_alerted": sum(r["events_alerted"] for r in results), "gui_block_max_ms": None,
            "network_loop_block_max_ms": worst("network_loop_block_max_ms", max), "by_vendor": by_vendor}


def table(result: dict[str, Any]) -> str:
    rows = ["vendor      search_day_ms  open_ms  seek_p95  MB/s   export_10min_s  verified  events"]
    for vendor, r in result["by_vendor"].items():
        rows.append(f"{vendor:<11} {r['search_day_ms']:>13} {r['playback_open_ms']:>8} {r['seek_ms_p95']:>9} "
                    f"{r['download_mb_per_s']!s:>6} {r['export_10min_s']!s:>15}  {r['export_verified']!s:>8}  "
                    f"{r['events_alerted']}/{r['events_sent']}")
    return "\n".join(rows)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--vendor", choices=[v.value for v in Vendor], action="append")
    parser.add_argument("--channels", type=int, default=25)
    parser.add_argument("--record", choices=["main", "sub"], default="main")
    parser.add_argument("--download-min", type=float, default=10.0)
    parser.add_argument("--seeks", type=int, default=10)
    parser.add_argument("--quick", action="store_true", help="sub stream, 1 minute, 3 seeks: a smoke run")
    args = parser.parse_args(argv)
    if args.quick:
        args.record, args.download_min, args.seeks = "sub", 1.0, 3
    return args


def run(make: Callable[[], Coroutine[Any, Any, _T]]) -> _T:
    return asyncio.run(make())


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    config = load_config(demo_config_path())
    vendors = tuple(Vendor(v) for v in args.vendor) if args.vendor else tuple(Vendor)
    settings = RecorderSettings(record_kind=StreamKind(args.record), heartbeat_s=HEARTBEAT_S)
    by_vendor: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="nvr-bench-") as folder, RecorderSimulator(
            channels_of(config)[: args.channels], (RecorderUser(LOGIN.username, LOGIN.password),),
            RecorderOptions(vendors=vendors, settings=settings)) as sim:
        sim.prepare(channels=(1, 2))
        for vendor in vendors:
            running = sim.recorder(vendor)
            measured = run(lambda r=running: measure_vendor(r, args))  # type: ignore[misc]
            console_path = measure_console_path(running, args, Path(folder))
            loops = (measured.pop("network_loop_block_max_ms"), console_path.pop("network_loop_block_max_ms"))
            by_vendor[vendor.value] = {**measured, **console_path, "network_loop_block_max_ms": max(loops)}
        window_dir = Path(folder) / "window"
        window_dir.mkdir()
        start_of_day = vn_day(yesterday())[0]
        window = nvr_window.run_apart(sim, vendors, start_of_day + 14 * 3600 * 1000, window_dir)
    result = aggregate(by_vendor)
    result["gui_block_max_ms"] = window.pop("gui_block_max_ms", None)
    result["window"] = window
    result["record"] = args.record
    write_result(result, args.json, table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
