"""Steps 5 and 6 of `benchmarks.nvr` through the console's own path, not the adapter alone: the simulated recorder
in a site file of its own (its channels the demo's cameras), run by `RecorderServices` on its network loop with the
real `AlertWriter` into a SQLite alert log, as `console.app` wires them.

5. The evidence export an officer makes of a recorder's range: `RecorderDownload` (the vendor's file API, then the
   console's MP4 stream copy and SHA-256), then `manifest.json` signed with the station key as the export dialog
   signs it (`export_10min_s`: all of that, scaled to 10 minutes of video; `download_mb_per_s`: its download). The
   record sheet (a PDF drawn by Qt) is the window's part, timed in `benchmarks.nvr_window`. The folder is then
   checked as a prosecutor would, `python -m console.evidence verify FOLDER --json` against the station's public
   key (`export_verified`; not timed).
6. A motion start and stop on every channel through the recorder's one event stream: `events_alerted` counts the
   motion alerts the alert log (SQLite) holds, not the episodes an event channel says it opened.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlite_utils

from console.core.alerts import AlertKind
from console.core.camera_events import ChannelState
from console.core.config import SiteConfig, parse_config
from console.core.credentials import Credentials
from console.core.paths import demo_config_path
from console.core.recording import TimeRange
from console.core.vntime import now_ms, vn_moment
from console.evidence.export_signing import sign_export
from console.evidence.keys import PUBLIC_KEY_FILE, key_folder, load_or_create_station_key
from console.evidence.manifest import Labelled
from console.media.export import ExportState, sidecar_path
from console.nvr.events import RecorderEventSettings
from console.nvr.playback_source import RecorderPlayback
from console.nvr.services import RecorderServices, RecorderServicesSettings
from console.nvr_export.evidence_download import RecorderDownload
from console.simulator.nvr.server import RunningRecorder
from console.store.alerts import AlertWriter
from console.store.database import open_database
from console.store.recordings import index_opener

ROOT = Path(__file__).resolve().parents[1]
RECORDER_ID = "nvr-bench"
CREDENTIALS_REF = "nvr"
ACTOR = "Benchmark"
HEARTBEAT_S = 1.0  # the recorders' event heartbeat (Hikvision's is set on the simulator, Dahua's asked for)
EVENT_WAIT_S = 10.0
EXPORT_TIMEOUT_S = 300.0
VERIFY_TIMEOUT_S = 60.0
START_TIMEOUT_S = 5.0
SETTINGS = RecorderServicesSettings(events=RecorderEventSettings(heartbeat_s=HEARTBEAT_S,
                                                                 silent_after_s=5 * HEARTBEAT_S, cooldown_ms=0))


class LoopWatch:
    """The worst lateness of a 10 ms sleep on the running loop (how long the adapters' work held it)."""

    def __init__(self) -> None:
        self.worst_ms = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(0.01)
            self.worst_ms = max(self.worst_ms, (time.perf_counter() - before - 0.01) * 1000)

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()


def site(running: RunningRecorder, channels: int) -> SiteConfig:
    """The demo site with this recorder as its one `[[recorders]]`, the first `channels` cameras on its channels."""
    data = tomllib.loads(demo_config_path().read_text("utf-8"))
    data.pop("credentials_file", None)
    data.pop("map", None)
    data["recorders"] = [{"id": RECORDER_ID, "vendor": running.vendor.value, "host": "127.0.0.1",
                          "http_port": running.http_port, "rtsp_port": running.rtsp_port,
                          "credentials": CREDENTIALS_REF}]
    for number, camera in enumerate(data["cameras"][:channels], start=1):
        camera["recorder"], camera["recorder_channel"] = RECORDER_ID, number
    config, issues = parse_config(data)
    if config is None:
        raise RuntimeError("; ".join(i.describe("en") for i in issues))
    return config


def measure(running: RunningRecorder, login: Credentials, channels: int, clip: TimeRange,
            workdir: Path) -> dict[str, Any]:
    """The export of `clip` from channel 1's camera and the events of `channels` channels, in a data folder of
    this vendor's own under `workdir`."""
    data = workdir / f"{running.vendor.value}-console"
    data.mkdir()
    config = site(running, channels)
    database = open_database(data / "console.db")  # migrated here first, as the console opens it at start
    writer = AlertWriter(data / "console.db", data / "alerts")
    services = RecorderServices(config, lambda ref: login if ref == CREDENTIALS_REF else None, writer.submit,
                                writer.next_id, settings=SETTINGS)
    watch = LoopWatch()
    services.start()
    try:
        services.run(_call(watch.start)).result(timeout=START_TIMEOUT_S)
        result = _export(services, config, data, config.cameras_on(RECORDER_ID)[1], clip)
        result.update(_events(services, running, database, len(config.cameras_on(RECORDER_ID))))
        result["network_loop_block_max_ms"] = round(watch.worst_ms, 1)
        services.run(_call(watch.stop)).result(timeout=START_TIMEOUT_S)
    finally:
        services.close()  # before the writer: the episodes still open end in the log
        writer.close()
        database.close()
    return result


async def _call(action: Callable[[], None]) -> None:
    action()


def _export(services: RecorderServices, config: SiteConfig, data: Path, camera_id: str,
            clip: TimeRange) -> dict[str, Any]:
    stem = f"{camera_id}_{vn_moment(clip.start_ms):%Y%m%d_%H%M%S}"
    target = data / "exports" / stem / f"{stem}.mp4"  # one folder per export, as the dialog names it
    playback = RecorderPlayback(services)
    started = time.perf_counter()
    job = RecorderDownload(playback, index_opener(data / "console.db"), camera_id, clip, target, ACTOR,
                           lambda error: error.message_en)
    job.start()
    outcome = job.wait(EXPORT_TIMEOUT_S)
    download = job.download_result
    result: dict[str, Any] = {
        "download_mb_per_s": round(download.mb_per_s, 1) if download is not None else None,
        "download_mb": round(download.bytes_written / 1e6, 1) if download is not None else None,
        "export_10min_s": None, "export_verified": False}
    if outcome is None or outcome.state is not ExportState.DONE:
        result["export_problem"] = outcome.detail if outcome is not None else "no outcome in time"
        return result
    key = load_or_create_station_key(data)
    camera = config.camera(camera_id)
    place = config.site(camera.site_id)
    sign_export(key, [outcome.path, sidecar_path(outcome.path)], Labelled(camera.id, camera.name),
                Labelled(place.id, place.name), clip, ACTOR, now_ms(), playback.clock_offset_s(camera_id))
    minutes = (clip.end_ms - clip.start_ms) / 60_000
    result["export_10min_s"] = round((time.perf_counter() - started) * 10 / minutes, 2)
    result["export_mb"] = round(outcome.size / 1e6, 1)
    verified, problem = _verified(target.parent, key_folder(data) / PUBLIC_KEY_FILE)
    result["export_verified"] = verified
    if problem is not None:
        result["export_problem"] = problem
    return result


def _verified(folder: Path, public_key: Path) -> tuple[bool, str | None]:
    """`python -m console.evidence verify FOLDER --json --public-key KEY`: intact, or what it found."""
    answer = subprocess.run([sys.executable, "-m", "console.evidence", "verify", str(folder), "--json",
                             "--public-key", str(public_key), "--lang", "en"], capture_output=True, text=True,
                            timeout=VERIFY_TIMEOUT_S, cwd=ROOT)
    try:
        verdict = json.loads(answer.stdout)
    except json.JSONDecodeError:
        return False, f"verify exited {answer.returncode}: {answer.stderr[-300:]}"
    if answer.returncode == 0 and verdict.get("ok") is True:
        return True, None
    return False, str(verdict.get("reason") or verdict.get("note"))


def _events(services: RecorderServices, running: RunningRecorder, database: sqlite_utils.Database,
            channels: int) -> dict[str, Any]:
    def live() -> bool:
        health = services.events_health(RECORDER_ID)
        return health is not None and health.state is ChannelState.LIVE and running.event_streams >= 1

    def alerted() -> int:
        row = database.execute("SELECT COUNT(*) FROM alerts WHERE kind = ?",
                               [AlertKind.CAMERA_MOTION.value]).fetchone()
        return int(row[0])

    deadline = time.monotonic() + EVENT_WAIT_S
    while not live() and time.monotonic() < deadline:
        time.sleep(0.05)
    for number in range(1, channels + 1):
        running.event(number, "motion", True)
        running.event(number, "motion", False)
    while alerted() < channels and time.monotonic() < deadline:
        time.sleep(0.05)
    return {"events_sent": channels, "events_alerted": alerted()}
