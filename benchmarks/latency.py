"""Camera-to-screen latency of the live wall against the players an officer could use instead.

    python -m benchmarks.latency --tiles 25 --json OUT [--seconds 20] [--peers ffplay,gstreamer,vlc_tuned]
                                 [--ingest rtp|ffmpeg] [--cpu-hog N] [--compare-ffmpeg]
                                 [--switches N] [--codec h264|h265]

On its own Xvfb screen it serves N live cameras from the simulator (`--live`: every frame carries its capture
time as 48 black/white blocks), starts the real console full screen with N tiles on the sub streams, grabs
the screen through the X server with FFmpeg's x11grab (10 grabs/s), reads the blocks of every tile and
reports latency p50/p95/max, frames painted per tile (from the console's own report), CPU cores and peak
RSS of the console process, and the longest GUI-thread block. Then, one at a time, on the same stream
and the same grabber: ffplay at its lowest latency, a GStreamer client (the floor) and libVLC tuned to
zero caching (Debian's libVLC has no RTSP: it is fed the same frames as MPEG-TS over UDP by an FFmpeg
stream copy). Every figure includes the time a frame sat on screen before the grab that saw it (a frame
lasts 67 ms at 15 fps: ~33 ms on average), for all players alike.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import av
import numpy as np

from benchmarks.login import log_in, seed_admin
from benchmarks.procstat import CpuMeter, peak_rss_mb
from benchmarks.report import write_result
from console.core.config import load_config
from console.core.stamp import read_stamp
from tests.support.ports import free_ports
from tests.support.processes import child, stop
from tests.support.siteconfig import dump_toml, write_demo_config

SCREEN_W, SCREEN_H = 1920, 1080
GRABS_PER_S = "103/10"  # 10.3/s: not a divisor of 15 fps, so grabs sweep every phase of the frame clock
PEERS = ("ffplay", "gstreamer", "vlc_tuned")


@dataclass
class Rect:
    x: int
    y: int
    w: int
    h: int


@dataclass
class Samples:
    latencies_ms: list[float] = field(default_factory=list)
    grabs: int = 0
    unread: int = 0
    first_read_ms: float | None = None  # wall-clock time of the first grab in which a stamp was read here

    def summary(self) -> dict[str, float | int | None]:
        values = sorted(self.latencies_ms)
        if not values:
            return {"p50_ms": None, "p95_ms": None, "max_ms": None, "samples": 0}
        return {"p50_ms": round(statistics.median(values), 1),
                "p95_ms": round(values[min(len(values) - 1, int(len(values) * 0.95))], 1),
                "max_ms": round(values[-1], 1), "samples": len(values)}


@contextmanager
def xvfb() -> Iterator[str]:
    """A private X server (black root, no access control) on a free display number."""
    number = next(n for n in range(90, 200) if not Path(f"/tmp/.X11-unix/X{n}").exists())
    display = f":{number}"
    process = subprocess.Popen(["Xvfb", display, "-screen", "0", f"{SCREEN_W}x{SCREEN_H}x24", "-ac", "-br",
                                "-nolisten", "tcp"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{number}").exists():
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("Xvfb did not start")
            time.sleep(0.05)
        yield display
    finally:
        stop(process)


class Grabber:
    """The whole screen through the X server (FFmpeg's x11grab, in this process via PyAV), 10 grabs/s.

    Each grab's time is x11grab's own capture timestamp (wall clock, µs), not its arrival here, so the
    grabbing pipeline adds nothing to the figures. Every grab is read at the registered regions.
    """

    def __init__(self, display: str) -> None:
        self.display = display
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.regions: list[tuple[Rect, Samples]] = []
        self.latest: np.ndarray | None = None
        self.count = 0
        self.started = 0.0

    def start(self) -> None:
        container = av.open(self.display, format="x11grab",
                            options={"framerate": GRABS_PER_S, "video_size": f"{SCREEN_W}x{SCREEN_H}",
                                     "draw_mouse": "0"})
        self.started = time.monotonic()
        self._thread = threading.Thread(target=self._pump, args=(container,), daemon=True)
        self._thread.start()

    def _pump(self, container: av.container.InputContainer) -> None:
        stream = container.streams.video[0]
        with container:
            for packet in container.demux(stream):
                if self._stop.is_set():
                    return
                if packet.pts is None or packet.time_base is None:
                    continue
                grabbed_ms = float(packet.pts * packet.time_base) * 1000
                for frame in packet.decode():
                    plane = frame.planes[0]  # bgr0, rows of `line_size` bytes
                    rows = np.frombuffer(memoryview(plane), np.uint8).reshape(frame.height, plane.line_size)
                    self._read(rows[:, 1:frame.width * 4:4], grabbed_ms)  # grey blocks: green is enough

    def _read(self, luma: np.ndarray, grabbed_ms: float) -> None:
        self.latest = luma
        self.count += 1
        for rect, samples in list(self.regions):
            samples.grabs += 1
            crop = luma[rect.y:rect.y + rect.h, rect.x:rect.x + rect.w]
            stamp = read_stamp(crop, int(grabbed_ms)) if crop.size else None
            if stamp is None:
                samples.unread += 1
            else:
                samples.latencies_ms.append(grabbed_ms - stamp)
                if samples.first_read_ms is None:
                    samples.first_read_ms = grabbed_ms

    def rate(self) -> float:
        return self.count / max(1e-6, time.monotonic() - self.started)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)


def video_bbox(frame: np.ndarray) -> Rect | None:
    """The one peer window on the black root: the bounding box of what is not black."""
    rows = np.where((frame > 8).any(axis=1))[0]
    cols = np.where((frame > 8).any(axis=0))[0]
    if not len(rows) or not len(cols):
        return None
    return Rect(int(cols[0]), int(rows[0]), int(cols[-1] - cols[0] + 1), int(rows[-1] - rows[0] + 1))


def read_report(path: Path) -> dict[str, Any] | None:
    try:
        data: dict[str, Any] = json.loads(path.read_text("utf-8"))
        return data
    except (OSError, ValueError):
        return None


def camera_tiles(report: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The console's tiles that show a camera."""
    return [t for t in report["tiles"] if t["camera"]] if report else []


def frames_by_camera(report: dict[str, Any]) -> dict[str, int]:
    return {t["camera"]: t["frames"] for t in camera_tiles(report)}


def wait_for(predicate: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(0.2)


@contextmanager
def console_process(display: str, config_path: Path, tiles: int, workdir: Path) -> Iterator[tuple[int, Path]]:
    """The real console full screen on the sub streams until every tile shows pictures: (pid, report path)."""
    report_path = workdir / f"report-{config_path.stem}.json"
    data = workdir / f"data-{config_path.stem}"
    seed_admin(data)
    env = {**os.environ, "DISPLAY": display, "CAMERA_CONSOLE_DATA": str(data), "QT_QPA_PLATFORM": "xcb"}
    command = [sys.executable, "-m", "console", "--config", str(config_path), "--stream", "sub", "--fullscreen",
               "--bench-report", str(report_path)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        log_in(display, process.pid, data, xdotool)
        def all_live() -> bool:
            shown = camera_tiles(read_report(report_path))
            return len(shown) >= tiles and all(t["frames"] > 15 for t in shown)

        wait_for(all_live, 60, "every console tile to show pictures")
        time.sleep(2)
        yield process.pid, report_path
    finally:
        stop(process, 15)


def measure_console(pid: int, report_path: Path, seconds: float, grabber: Grabber) -> tuple[dict[str, object], float]:
    """One measuring window of the running console: latency off the screen, fps, CPU, RSS, GUI-thread blocks."""
    first = read_report(report_path) or {}
    tile_samples = []
    for tile in camera_tiles(first):
        samples = Samples()
        tile_samples.append(samples)
        grabber.regions.append((Rect(tile["x"], tile["y"], tile["w"], tile["h"]), samples))
    cpu = CpuMeter(pid)
    cpu.start()
    start_frames = frames_by_camera(first)
    started = time.monotonic()
    blocks: list[float] = []
    gc_pauses: list[float] = []
    last_report_time = float(first.get("time", 0.0))
    while time.monotonic() - started < seconds:
        time.sleep(0.25)
        current = read_report(report_path)
        if current and current["time"] != last_report_time:
            last_report_time = float(current["time"])
            blocks.append(float(current["gui_block_max_ms"]))
            gc_pauses.append(float(current.get("gc_max_ms", 0.0)))
    cores = cpu.cores()
    rss = peak_rss_mb(pid)
    end = read_report(report_path) or {}
    grabber.regions.clear()
    end_frames = frames_by_camera(end)
    span = float(end["time"]) - float(first["time"])
    per_tile = {c: round((end_frames[c] - start_frames[c]) / span, 1) for c in start_frames}
    fps = list(per_tile.values())
    merged = Samples()
    for samples in tile_samples:
        merged.latencies_ms += samples.latencies_ms
        merged.grabs += samples.grabs
        merged.unread += samples.unread
    result: dict[str, object] = {
        **merged.summary(), "min_fps": round(min(fps), 1), "mean_fps": round(statistics.mean(fps), 1),
        "cpu_cores": round(cores, 3), "rss_mb": round(rss, 1),
        "tile_p50_ms_worst": max(s.summary()["p50_ms"] or 0 for s in tile_samples),
        "stamps_unread_share": round(merged.unread / max(1, merged.grabs), 3),
        "fps_per_tile": per_tile, "gui_block_ms_per_s": blocks, "gc_pause_max_ms": max(gc_pauses, default=0.0),
        "gui_block_max_ms": max(blocks, default=0.0),
    }
    return result, max(blocks, default=0.0)


@contextmanager
def cpu_hog(processes: int) -> Iterator[None]:
    """`processes` competing programs, each a busy loop at nice 0 (a browser, an antivirus scan)."""
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL) for _ in range(processes)]
    try:
        time.sleep(2.0)  # the scheduler has settled on the new load
        yield
    finally:
        for hog in hogs:
            stop(hog, 5)


def hog_summary(processes: int, window: dict[str, object]) -> dict[str, object]:
    return {"cores": processes, "p50_ms": window["p50_ms"], "p95_ms": window["p95_ms"],
            "min_fps": window["min_fps"], "gui_block_max_ms": window["gui_block_max_ms"],
            "cpu_cores": window["cpu_cores"], "mean_fps": window["mean_fps"]}


def xdotool(display: str, *arguments: str) -> str:
    """Debian's xdotool on the benchmark's screen (XTest: the X server sees a real mouse)."""
    run = subprocess.run(["xdotool", *arguments], check=True, timeout=10, capture_output=True, text=True,
                         env={**os.environ, "DISPLAY": display})
    return run.stdout


def drag(display: str, source: tuple[int, int], target: tuple[int, int]) -> float:
    """Press on `source`, move to `target` in steps (Qt starts a drag past its start distance), release there;
    returns the wall-clock time of the release (ms)."""
    (x1, y1), (x2, y2) = source, target
    xdotool(display, "mousemove", str(x1), str(y1), "mousedown", "1")
    for step in range(1, 6):
        xdotool(display, "mousemove", str(x1 + (x2 - x1) * step // 5), str(y1 + (y2 - y1) * step // 5), "sleep", "0.03")
    xdotool(display, "mousemove", str(x2 + 2), str(y2 + 2), "sleep", "0.1")
    xdotool(display, "mouseup", "1")
    released = time.time() * 1000
    xdotool(display, "mousemove", str(x1), str(y1))  # off the tile: its hover bar would cover the stamp
    return released


def seed_wall(data: Path, cameras: list[str], tiles: int) -> None:
    """The console's data folder with its wall as the officer left it: a 5×5 layout, `cameras` on its first
    tiles, the other tiles empty, and the camera name bar at the top of the picture (View → Camera name bar: a
    bar revealed at the bottom after a drop would cover the stamp for its first seconds)."""
    from console.core.layouts import WallState
    from console.store.database import open_database
    from console.store.layouts import LayoutStore

    data.mkdir(parents=True, exist_ok=True)
    (data / "window.ini").write_text("[wall]\nname_bar=top\n", "utf-8")
    db = open_database(data / "console.db")
    try:
        LayoutStore(db).set_current(WallState("5x5", (*cameras, *([None] * (tiles - len(cameras))))))
    finally:
        db.close()


def measure_switching(display: str, config_path: Path, workdir: Path, grabber: Grabber,
                      switches: int) -> dict[str, object]:
    """`switches` cameras dragged from the camera tree onto empty tiles one after another, each timed from the
    release to the first grab that reads a stamp in that tile (its first painted picture, off the screen)."""
    ids = [c.id for c in load_config(config_path).cameras]
    data = workdir / "data-switching"
    seed_wall(data, ids[:4], 25)
    seed_admin(data)
    report_path = workdir / "report-switching.json"
    env = {**os.environ, "DISPLAY": display, "CAMERA_CONSOLE_DATA": str(data), "QT_QPA_PLATFORM": "xcb"}
    command = [sys.executable, "-m", "console", "--config", str(config_path), "--stream", "sub",
               "--bench-report", str(report_path)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times: list[float] = []
    missed: list[str] = []
    try:
        def ready() -> bool:
            report = read_report(report_path)
            return bool(report and report["tree"] and len(camera_tiles(report)) >= 4
                        and all(t["frames"] > 15 for t in camera_tiles(report)))

        log_in(display, process.pid, data, xdotool)
        wait_for(ready, 60, "the console with 4 cameras on a 5×5 wall and its camera tree")
        # No window manager on the benchmark's screen: the window is given the whole screen by hand.
        windows = xdotool(display, "search", "--onlyvisible", "--pid", str(process.pid)).split()
        for window in windows:
            xdotool(display, "windowmove", window, "0", "0", "windowsize", window, str(SCREEN_W), str(SCREEN_H))
        time.sleep(3)  # every camera's sub stream connected (kept for health), none on a tile; report rewritten
        report = read_report(report_path) or {}
        empty = [t for t in report["tiles"] if not t["camera"]]
        candidates = [c for c in ids[4:] if c in report["tree"]][:switches]
        for tile, camera in zip(empty, candidates, strict=False):
            samples = Samples()
            grabber.regions.append((Rect(tile["x"], tile["y"], tile["w"], tile["h"]), samples))
            row = report["tree"][camera]
            released = drag(display, (row[0] + 30, row[1] + row[3] // 2),
                            (tile["x"] + tile["w"] // 2, tile["y"] + tile["h"] // 2))
            deadline = time.monotonic() + 5
            while samples.first_read_ms is None and time.monotonic() < deadline:
                time.sleep(0.02)
            grabber.regions.clear()
            if samples.first_read_ms is None:
                missed.append(camera)
            else:
                times.append(samples.first_read_ms - released)
            time.sleep(0.5)
    finally:
        stop(process, 15)
    times.sort()
    return {"p50": round(statistics.median(times), 1) if times else None,
            "p95": round(times[min(len(times) - 1, int(len(times) * 0.95))], 1) if times else None,
            "max": round(times[-1], 1) if times else None, "switches": len(times), "missed": missed,
            "note": "release of a drag from the camera tree onto an empty tile → first grab reading a stamp "
                    "there (grabs every ~97 ms: ~48 ms of each figure is the grabber's)"}


def peer_command(name: str, url: str, udp_port: int) -> tuple[list[str], list[str] | None]:
    """The peer player's command, and for libVLC the FFmpeg remux that feeds it MPEG-TS over UDP."""
    if name == "ffplay":
        return ["ffplay", "-loglevel", "error", "-fflags", "nobuffer", "-flags", "low_delay", "-framedrop",
                "-sync", "video", "-rtsp_transport", "tcp", "-an", "-noborder", "-left", "0", "-top", "0",
                url], None
    if name == "gstreamer":
        return ["gst-launch-1.0", "-q", "rtspsrc", f"location={url}", "latency=0", "protocols=tcp", "!",
                "decodebin", "!", "videoconvert", "!", "ximagesink"], None
    feeder = ["ffmpeg", "-loglevel", "error", "-rtsp_transport", "tcp", "-fflags", "nobuffer", "-i", url,
              "-c", "copy", "-f", "mpegts", "-flush_packets", "1", f"udp://127.0.0.1:{udp_port}?pkt_size=1316"]
    return [sys.executable, "-m", "benchmarks.vlc_peer", f"udp://@127.0.0.1:{udp_port}"], feeder


def measure_peer(name: str, display: str, url: str, seconds: float, grabber: Grabber) -> dict[str, object]:
    command, feeder_command = peer_command(name, url, free_ports(1)[0])
    env = {**os.environ, "DISPLAY": display}
    feeder = None
    if feeder_command:
        feeder = subprocess.Popen(feeder_command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               stdin=subprocess.DEVNULL)
    try:
        def window_up() -> bool:
            frame = grabber.latest
            box = video_bbox(frame) if frame is not None else None
            if frame is None or box is None or box.w < 320:
                return False
            return read_stamp(frame[box.y:box.y + box.h, box.x:box.x + box.w], int(time.time() * 1000)) is not None

        wait_for(window_up, 30, f"{name} to show the stream")
        time.sleep(2)
        frame = grabber.latest
        assert frame is not None
        box = video_bbox(frame)
        assert box is not None
        samples = Samples()
        grabber.regions.append((box, samples))
        cpu = CpuMeter(process.pid)
        cpu.start()
        time.sleep(seconds)
        cores = cpu.cores()
        grabber.regions.clear()
        result: dict[str, object] = {**samples.summary(), "cpu_cores": round(cores, 3),
                                     "window": [box.x, box.y, box.w, box.h]}
        if feeder is not None:
            result["note"] = ("Debian's libVLC has no RTSP: fed the same frames as MPEG-TS over UDP by an FFmpeg "
                              "stream copy; network-caching=0, clock-jitter=0, clock-synchro=0")
        return result
    finally:
        for proc in (process, feeder):
            if proc is not None:
                stop(proc)
        time.sleep(0.5)  # the window is gone before the next peer opens its own


def ratio(a: object, b: object) -> float | None:
    if isinstance(a, int | float) and isinstance(b, int | float) and b > 0:
        return round(a / b, 2)
    return None


def measure_consoles(args: argparse.Namespace, display: str, workdir: Path, grabber: Grabber,
                     configs: dict[str, Path]) -> dict[str, Any]:
    """The console on the chosen ingest (then under the CPU hog), and on FFmpeg's for the CPU baseline."""
    out: dict[str, Any] = {}
    with console_process(display, configs[args.ingest], args.tiles, workdir) as (pid, report):
        out["console"], out["gui_block"] = measure_console(pid, report, args.seconds, grabber)
        if args.cpu_hog:
            with cpu_hog(args.cpu_hog):
                hogged, _ = measure_console(pid, report, args.seconds, grabber)
            out["hog"] = hog_summary(args.cpu_hog, hogged)
    if args.switches:
        out["switch"] = measure_switching(display, configs[args.ingest], workdir, grabber, args.switches)
    if args.compare_ffmpeg and args.ingest != "ffmpeg":
        with console_process(display, configs["ffmpeg"], args.tiles, workdir) as (pid, report):
            out["console_ffmpeg"], _ = measure_console(pid, report, args.seconds, grabber)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tiles", type=int, default=25)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--seconds", type=float, default=20.0, help="measuring window per player")
    parser.add_argument("--peers", default=",".join(PEERS), help="comma-separated subset of " + ",".join(PEERS))
    parser.add_argument("--ingest", choices=("rtp", "ffmpeg"), default="rtp", help="the console's live path")
    parser.add_argument("--codec", choices=("h264", "h265"), default="h264", help="the simulated cameras' codec")
    parser.add_argument("--cpu-hog", type=int, default=0, metavar="N",
                        help="then measure again with N busy processes competing for the cores")
    parser.add_argument("--switches", type=int, default=20,
                        help="cameras dragged onto a tile one after another (switch_first_frame_ms; 0: none)")
    parser.add_argument("--compare-ffmpeg", action="store_true",
                        help="also measure the console on FFmpeg's ingest (its CPU is the RTP path's baseline)")
    args = parser.parse_args(argv)
    peers = [p for p in args.peers.split(",") if p]
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        config_path = write_demo_config(workdir / "rtp.toml", cameras=args.tiles, camera_keys={"ingest": "rtp"})
        data = tomllib.loads(config_path.read_text("utf-8"))
        for camera in data["cameras"]:
            camera["ingest"] = "ffmpeg"
        configs = {"rtp": config_path, "ffmpeg": workdir / "ffmpeg.toml"}
        configs["ffmpeg"].write_text(dump_toml(data), "utf-8")  # the same cameras on the same ports
        config = load_config(config_path)
        simulator = [sys.executable, "-m", "console.simulator", "--config", str(config_path), "--live",
                     "--no-prepare", "--codec", args.codec]
        with xvfb() as display, child(simulator, "SIMULATOR READY", timeout_s=600):
            grabber = Grabber(display)
            grabber.start()
            try:
                consoles = measure_consoles(args, display, workdir, grabber, configs)
                results = {name: measure_peer(name, display, config.cameras[0].sub_url or "", args.seconds,
                                              grabber) for name in peers}
                grabs = round(grabber.rate(), 1)
            finally:
                grabber.stop()
    console = consoles["console"]
    result: dict[str, Any] = {
        "tiles": args.tiles,
        "ingest": args.ingest,
        "stream": f"640x360@15 {'H.265' if args.codec == 'h265' else 'H.264'}, GOP 1 s, simulator --live",
        "codec": args.codec,
        "grabs_per_s": grabs,
        "console": console,
        "peers": results,
        "gui_block_max_ms": round(consoles["gui_block"], 1),
        "ratios": {
            "console_p50_over_ffplay_p50": ratio(console["p50_ms"], results.get("ffplay", {}).get("p50_ms")),
            "vlc_tuned_p50_over_console_p50": ratio(results.get("vlc_tuned", {}).get("p50_ms"), console["p50_ms"]),
            "console_p50_over_gstreamer_p50": ratio(console["p50_ms"], results.get("gstreamer", {}).get("p50_ms")),
        },
    }
    if "hog" in consoles:
        result["hog"] = consoles["hog"]
    if "switch" in consoles:
        result["switch_first_frame_ms"] = consoles["switch"]
    if "console_ffmpeg" in consoles:
        result["console_ffmpeg"] = consoles["console_ffmpeg"]
        result["ratios"]["console_cpu_over_ffmpeg_console_cpu"] = ratio(
            console["cpu_cores"], consoles["console_ffmpeg"]["cpu_cores"])
        result["ratios"]["console_p50_over_ffmpeg_console_p50"] = ratio(
            console["p50_ms"], consoles["console_ffmpeg"]["p50_ms"])
    write_result(result, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
