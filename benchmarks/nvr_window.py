"""`gui_block_max_ms` of `benchmarks.nvr`: the console's playback window (a real QApplication, offscreen unless a
display is set) on the simulated recorders, watched by the project's GUI heartbeat (`EventLoopWatch`: how late a
10 ms timer fires) while, per vendor, it searches a day of a recorder channel (the camera has no recording of its
own), opens the recorder's playback at a moment, seeks, and downloads a clip into a signed evidence export.

The recorder calls run on the recorders' network loop (`RecorderServices`), as in the console; only the window's
own work is on the GUI thread, and that is what the heartbeat sees. It runs in a process of its own
(`python -m benchmarks.nvr_window`, started by `benchmarks.nvr`): the simulated recorders stay in the benchmark's
process, as a real recorder is another machine (in one process their Python threads took the GIL from the GUI:
blocks of 100–250 ms that the console never has)."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from console.core.config import SiteConfig, parse_config
from console.core.credentials import Credentials
from console.core.paths import demo_config_path
from console.core.recording import TimeRange
from console.media.export import ExportState
from console.nvr.services import RecorderServices
from console.simulator.nvr.recorder import Vendor
from console.simulator.nvr.server import RecorderSimulator

Ports = dict[Vendor, tuple[int, int]]  # vendor → (HTTP, RTSP) on 127.0.0.1

STEP_TIMEOUT_S = 30.0
CLIP_MS = 60_000
# camera → (recorder, vendor, channel): channels 1 and 2 are the ones `benchmarks.nvr` prepares
ON_CHANNELS = {"C01": ("nvr-hik", Vendor.HIKVISION, 1), "C02": ("nvr-dh", Vendor.DAHUA, 2)}


def site(ports: Ports) -> SiteConfig:
    data = tomllib.loads(demo_config_path().read_text("utf-8"))
    data.pop("credentials_file", None)
    data.pop("map", None)
    data["recorders"] = []
    for camera in data["cameras"]:
        if camera["id"] in ON_CHANNELS and ON_CHANNELS[camera["id"]][1] in ports:
            recorder_id, vendor, channel = ON_CHANNELS[camera["id"]]
            http_port, rtsp_port = ports[vendor]
            data["recorders"].append({"id": recorder_id, "vendor": vendor.value, "host": "127.0.0.1",
                                      "http_port": http_port, "rtsp_port": rtsp_port,
                                      "credentials": "nvr", "events": False})
            camera["recorder"], camera["recorder_channel"] = recorder_id, channel
    config, issues = parse_config(data)
    if config is None:
        raise RuntimeError("; ".join(i.describe("en") for i in issues))
    return config


def until(predicate: Callable[[], bool], timeout_s: float = STEP_TIMEOUT_S) -> bool:
    """Run the Qt event loop (not a sleep-and-poll: the heartbeat must see the loop as the console runs it)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    deadline = time.monotonic() + timeout_s
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: loop.quit() if predicate() or time.monotonic() > deadline else None)
    timer.start()
    loop.exec()
    timer.stop()
    return predicate()


def run_apart(sim: RecorderSimulator, vendors: tuple[Vendor, ...], moment_ms: int, workdir: Path,
              timeout_s: float = 240.0) -> dict[str, Any]:
    """`measure` in a child process against the simulator running here."""
    out = workdir / "window.json"
    ports = [f"{v.value}={sim.recorder(v).http_port},{sim.recorder(v).rtsp_port}" for v in vendors]
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    child = subprocess.run([sys.executable, "-m", "benchmarks.nvr_window", "--moment-ms", str(moment_ms),
                            "--workdir", str(workdir), "--json", str(out), *ports], capture_output=True, text=True,
                           timeout=timeout_s, env=env, cwd=Path(__file__).resolve().parents[1])
    if child.returncode != 0:
        return {"gui_block_max_ms": None, "gui_notes": [f"the window's process failed: {child.stderr[-800:]}"]}
    result: dict[str, Any] = json.loads(out.read_text("utf-8"))
    return result


def measure(ports: Ports, login: Credentials, moment_ms: int, workdir: Path) -> dict[str, Any]:
    """Per vendor: (day searched + playback open) ms, seek ms, download+export s, and the worst GUI block."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from console.app import GIL_SWITCH_INTERVAL_S
    from console.store.database import open_database
    from console.ui.playback.window import PlaybackWindow
    from console.ui.shell.bench_report import EventLoopWatch

    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)  # as the console runs
    app = QApplication.instance() or QApplication(sys.argv[:1])
    config = site(ports)
    services = RecorderServices(config, lambda ref: login if ref == "nvr" else None, lambda _e: None, lambda: 1)
    services.start()
    db = open_database(workdir / "console.db")
    window = PlaybackWindow(config, db, workdir / "rec", workdir, "Benchmark", recorders=services)
    window.show()
    notes: list[str] = []
    result: dict[str, Any] = {}
    from benchmarks.ptz_blocks import BlockSampler

    watch = EventLoopWatch()
    sampler = BlockSampler()
    try:
        until(lambda: False, 0.5)
        watch.reset()
        blocks: dict[str, float] = {}
        for camera_id, (_recorder, vendor, _channel) in ON_CHANNELS.items():
            if vendor in ports:
                result[vendor.value] = _one(window, camera_id, moment_ms, notes, watch, sampler, blocks)
        result["gui_block_max_ms"] = max(blocks.values(), default=None)
        result["gui_block_max_ms_by_step"] = blocks
        result["gui_gc_max_ms"] = round(watch.max_gc_ms, 1)
        result["gui_blocks_longest"] = sampler.report()  # where the GUI thread was when it blocked
    finally:
        sampler.close()
        window.close()
        services.close()
        db.close()
        app.processEvents()
    result["gui_notes"] = notes
    return result


def _one(window: Any, camera_id: str, moment_ms: int, notes: list[str], watch: Any, sampler: Any,
         blocks: dict[str, float]) -> dict[str, Any]:
    def step(name: str) -> None:
        blocks[name] = max(blocks.get(name, 0.0), round(watch.max_block_ms, 1))
        watch.reset()
        sampler.phase = f"{camera_id} after {name}"

    side = window.recorder
    started = time.perf_counter()
    window.open_camera(camera_id, moment_ms)  # the day's search, then the recorder's playback
    shown = until(lambda: window.from_recorder and side.player.first_frame is not None)
    opened_ms = round((time.perf_counter() - started) * 1000, 1)
    if not shown:
        notes.append(f"{camera_id}: no recorder picture within {STEP_TIMEOUT_S:g} s")
    step("search_and_open")
    session, run = side.player.session_number, side.player.run_number
    started = time.perf_counter()
    window.seek(moment_ms + 97_000)  # PLAY with Range in the same session (a new session outside its range)
    until(lambda: side.player.first_frame is not None
          and (side.player.run_number > run or side.player.session_number > session))
    seek_ms = round((time.perf_counter() - started) * 1000, 1)
    step("seek")
    dialog = window.export_range(camera_id, TimeRange(moment_ms, moment_ms + CLIP_MS))
    until(lambda: False, 0.2)
    step("export_dialog_opened")
    dialog.reason.setText("Benchmark")
    dialog.requested_by.setText("Benchmark")
    started = time.perf_counter()
    dialog.begin()
    writing = dialog.tr("Writing the record…")

    def ended() -> bool:
        outcome = dialog.outcome
        return outcome is not None and (outcome.state is not ExportState.DONE or dialog.message.text() != writing)

    if not until(ended, 120.0):
        notes.append(f"{camera_id}: the export did not finish")
    export_s = round(time.perf_counter() - started, 2)
    step("download_and_export")
    if dialog.manifest is None:
        notes.append(f"{camera_id}: no signed export ({dialog.message.text()})")
    dialog.close()
    return {"window_open_ms": opened_ms, "window_seek_ms": seek_ms, "window_export_1min_s": export_s}


def main(argv: list[str] | None = None) -> int:
    from benchmarks.nvr import LOGIN  # the simulated recorders' benchmark login

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--moment-ms", type=int, required=True)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--json", type=Path, required=True)
    parser.add_argument("ports", nargs="+", help="vendor=HTTP,RTSP (127.0.0.1)")
    args = parser.parse_args(argv)
    ports: Ports = {}
    for item in args.ports:
        vendor, _, numbers = item.partition("=")
        http_port, rtsp_port = (int(n) for n in numbers.split(","))
        ports[Vendor(vendor)] = (http_port, rtsp_port)
    result = measure(ports, LOGIN, args.moment_ms, args.workdir)
    args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
