"""Recording from the simulator's RTSP streams into MPEG-TS segments, the SQLite index, a recorder killed with
SIGKILL mid-segment, retention, a full disk, and evidence export checked by hash and ffprobe."""

from __future__ import annotations

import itertools
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import av
import pytest

from console.core.alerts import AlertEvent, AlertKind
from console.core.atomic import part_path
from console.core.config import Camera, RecordingMode, SiteConfig, StreamKind
from console.core.recording import DAY_MS, RecordFailure, RecordingSettings, TimeRange
from console.media.export import EvidenceExport, ExportState, sha256_of, sidecar_path
from console.media.ingest import StreamIngest
from console.media.recording import Recorder, apply_retention, probe_segment, recover
from console.media.ts_keyframes import scan_file, unpack
from console.simulator.server import Simulator
from console.store.alerts import AlertWriter
from console.store.recordings import RecordingIndex, index_opener
from tests.support.background import BackgroundRun
from tests.support.databases import OpenDb
from tests.support.stamped_clip import lay_out_recording, write_stamped_segment
from tests.support.steady_traffic import POSTROLL_MS
from tests.support.waiting import wait_until


class Counter:
    """A second consumer on the same ingest: counts what the camera sent."""

    def __init__(self) -> None:
        self.packets = 0

    def stream_opened(self, _info: object) -> None:
        pass

    def packet(self, _packet: object, _received: float) -> None:
        self.packets += 1

    def stream_closed(self) -> None:
        pass


@pytest.fixture()
def ingests() -> Iterator[list[StreamIngest]]:
    started: list[StreamIngest] = []
    yield started
    for ingest in started:
        ingest.stop()
    for ingest in started:
        ingest.join(6)


def record(camera: Camera, recorder: Recorder, ingests: list[StreamIngest], *extra: object,
           kind: StreamKind = StreamKind.SUB) -> StreamIngest:
    ingest = StreamIngest(camera.id, camera.url(kind))
    ingest.attach(recorder.tap(camera))
    for sink in extra:
        ingest.attach(sink)  # type: ignore[arg-type]
    ingest.start()
    ingests.append(ingest)
    return ingest


def continuous(site: SiteConfig, camera_id: str) -> Camera:
    return replace(site.camera(camera_id), recording=RecordingMode.CONTINUOUS)


def test_continuous_segments_are_keyframe_aligned_contiguous_and_lose_no_packet(
        open_db: OpenDb, simulator: Simulator, tmp_path: Path, ingests: list[StreamIngest]) -> None:
    index = RecordingIndex(open_db(tmp_path / "console.db"))  # made before the writer thread opens it
    offsets = {"C03": 192.4}  # C03's clock 3 min 12 s ahead (as ONVIF read it); C04's never read
    recorder = Recorder(tmp_path / "rec", index_opener(tmp_path / "console.db"), RecordingSettings(segment_s=2.0),
                        clock_offset=offsets.get)
    recorder.start()
    taps = []
    for camera_id in ("C03", "C04"):
        record(continuous(simulator.config, camera_id), recorder, ingests)
        taps.append(recorder._taps[camera_id])

    def closed(camera_id: str) -> int:
        return sum(s.closed for s in index.segments(camera_id, 0, 2**62))

    wait_until(lambda: closed("C03") >= 3 and closed("C04") >= 3, 30, what="three 2 s segments closed per camera")
    for ingest in ingests:
        ingest.stop()
        ingest.join(6)
    recorder.close()
    for camera_id, tap in zip(("C03", "C04"), taps, strict=True):
        segments = index.segments(camera_id, 0, 2**62)
        assert len(segments) >= 3 and all(s.closed for s in segments)
        in_files = 0
        for segment in segments:
            path = tmp_path / "rec" / segment.path
            with av.open(str(path)) as container:
                stream = container.streams.video[0]
                keys = [p.pts for p in container.demux(stream) if p.is_keyframe and p.pts is not None]
                first_pts, base = keys[0], float(stream.time_base or 0)
            # The keyframe list saved with the segment: every keyframe, its time, its TS packet.
            saved = unpack(index.keyframes(segment.id))
            assert [k.offset_ms for k in saved] == [int((pts - first_pts) * base * 1000) for pts in keys]
            assert saved[0].offset_ms == 0 and all(k.byte % 188 == 0 for k in saved)
            assert saved == scan_file(path)
            in_files += probe_segment(path)[1]
        assert in_files == tap.received  # no packet lost at the cuts
        for before, after in itertools.pairwise(segments):
            assert abs(after.start_ms - before.end_ms) <= 100  # one timeline, no invented gap
        assert 1500 <= segments[1].end_ms - segments[1].start_ms <= 2600
    # Each segment kept the camera clock's offset of when it was recorded: the export's manifest reads it there.
    assert index.clock_offset("C03", 0, 2**62) == 192.4 and index.clock_offset("C04", 0, 2**62) is None


def test_on_alert_recording_keeps_the_preroll_and_the_postroll(
        open_db: OpenDb, simulator: Simulator, tmp_path: Path, ingests: list[StreamIngest]) -> None:
    settings = RecordingSettings(preroll_s=3.0, postroll_s=2.0)
    recorder = Recorder(tmp_path / "rec", index_opener(tmp_path / "console.db"), settings)
    recorder.start()
    camera = replace(simulator.config.camera("C05"), recording=RecordingMode.ON_ALERT)
    record(camera, recorder, ingests)
    wait_until(lambda: recorder._taps["C05"].received > 0, 10, what="C05's stream reaching the recorder")
    time.sleep(settings.preroll_s + 1.5)  # a pre-roll's worth of stream, and a GOP to start it on
    index = RecordingIndex(open_db(tmp_path / "console.db"))
    assert index.segments("C05", 0, 2**62) == []  # nothing on disk before an alert
    alert_ms = int(time.time() * 1000)
    recorder.trigger("C05", alert_ms)
    wait_until(lambda: recorder.segments_closed >= 1, 10)  # closed when the post-roll is over
    [segment] = index.segments("C05", 0, 2**62)
    assert segment.start_ms <= alert_ms - 3000 + 100  # whole GOPs: at least the pre-roll
    assert segment.start_ms >= alert_ms - 3000 - 1200  # ... and at most one GOP more
    assert segment.end_ms >= alert_ms + 2000 - 100
    recorder.close()


@pytest.mark.background("tests.support.steady_traffic")
def test_on_alert_recording_covers_three_minutes_of_steady_traffic_to_the_postroll(
        background_run: BackgroundRun) -> None:
    """C05 on alert, the real motion detector on the simulator's road (a vehicle every few seconds, gaps shorter
    than the episode's end, so one alert goes on for three minutes): the recording covers the whole of it. The
    scenario (tests/support/steady_traffic.py) runs from the start of the suite in its own process."""
    result = background_run.wait()
    motions, ranges = result["motions"], [tuple(r) for r in result["ranges"]]
    started = min(m["at_ms"] for m in motions if m["phase"] == "start")
    last_activity = max(m["at_ms"] for m in motions)
    assert last_activity - started >= 170_000  # it went on for the whole run
    assert ranges and ranges[0][0] <= started - 3000  # the pre-roll before the first event
    gaps = [(a_end, b_start) for (_, a_end), (b_start, _) in itertools.pairwise(ranges) if b_start - a_end > 200]
    assert gaps == []  # no hole while the alert goes on
    stopped_at = max(e for _s, e in ranges)
    assert abs(stopped_at - (last_activity + POSTROLL_MS)) <= 1500  # the post-roll after the last activity


KILLED_RECORDER = """
import sys, time
from pathlib import Path
from dataclasses import replace
from console.core.config import Camera, GeoPoint, RecordingMode
from console.core.recording import RecordingSettings
from console.media.ingest import StreamIngest
from console.media.recording import Recorder
from console.store.recordings import index_opener
root, url = Path(sys.argv[1]), sys.argv[2]
camera = Camera("C09", "C09", "S01", GeoPoint(21, 106), 0, 90, 50, url, None, recording=RecordingMode.CONTINUOUS)
recorder = Recorder(root, index_opener(root / "console.db"),
                    RecordingSettings(segment_s=300, index_every_s=0.5, sync_every_s=1))
recorder.start()
ingest = StreamIngest("C09", url)
ingest.attach(recorder.tap(camera))
ingest.start()
print("started", flush=True)
time.sleep(600)
"""


def test_a_segment_cut_by_kill_9_still_plays_and_is_indexed_on_restart(open_db: OpenDb,
                                                                       simulator: Simulator, tmp_path: Path) -> None:
    root = tmp_path / "rec"
    url = simulator.config.camera("C09").url(StreamKind.SUB)
    index = RecordingIndex(open_db(root / "console.db"))  # made before the child's writer thread opens it
    child = subprocess.Popen([sys.executable, "-c", KILLED_RECORDER, str(root), url], stdout=subprocess.PIPE,
                             cwd=Path(__file__).resolve().parents[2])
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == b"started"

        def long_enough() -> bool:  # indexed while recording: at least 3 s, two keyframes, 100 kB
            return any(s.bytes > 100_000 and s.end_ms - s.start_ms >= 3000 and len(unpack(index.keyframes(s.id))) >= 2
                       for s in index.unclosed())

        wait_until(long_enough, 20, what="C09's open segment indexed with 3 s, two keyframes and 100 kB")
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
    [open_row] = index.unclosed()
    assert unpack(index.keyframes(open_row.id))  # saved while recording, for seeks into the open segment
    path = root / open_row.path
    on_disk = path.stat().st_size
    assert on_disk >= open_row.bytes  # the file holds at least what was indexed
    assert recover(index, root) == 1
    [row] = index.segments("C09", 0, 2**62)
    assert row.closed and row.bytes == on_disk
    assert row.end_ms - row.start_ms >= 2000  # its real length, read from the file
    assert len(unpack(index.keyframes(row.id))) >= 2  # and its keyframes, for the player's seeks
    probe = subprocess.run(["ffprobe", "-v", "error", "-count_frames", "-show_entries", "stream=nb_read_frames",
                            "-of", "json", str(path)], capture_output=True, text=True, check=True)
    frames = int(json.loads(probe.stdout)["streams"][0]["nb_read_frames"])
    assert frames >= 30  # it plays: every whole picture up to the kill decodes


def test_retention_deletes_the_oldest_and_never_what_an_open_alert_or_export_holds(open_db: OpenDb,
                                                                                   tmp_path: Path) -> None:
    clip = tmp_path / "clip.ts"
    write_stamped_segment(clip, 2.0, 320, 180, 15)
    root = tmp_path / "rec"
    db = open_db(tmp_path / "console.db")
    index = RecordingIndex(db)
    now = int(time.time() * 1000)
    old = lay_out_recording(index, root, "C01", clip, now - 10 * DAY_MS, 3, 60_000, 1000)  # 10 days ago
    held = lay_out_recording(index, root, "C02", clip, now - 9 * DAY_MS, 2, 60_000, 1000)
    exported = lay_out_recording(index, root, "C03", clip, now - 8 * DAY_MS, 1, 60_000, 1000)
    recent = lay_out_recording(index, root, "C01", clip, now - DAY_MS // 2, 4, 60_000, 1000)
    writer = AlertWriter(tmp_path / "console.db", tmp_path / "alerts")
    writer.submit(AlertEvent(writer.next_id(), "C02", "S01", AlertKind.MOTION, now - 9 * DAY_MS + 30_000, 0.5,
                             "start"))
    writer.close()
    index.begin_export("C03", TimeRange(now - 8 * DAY_MS, now - 8 * DAY_MS + 10_000), "x.mp4", "an", now)
    settings = RecordingSettings(retention_days=7, min_free_bytes=0)
    assert apply_retention(index, root, settings, now) == len(old)
    left = {s.id for s in index.all_segments()}
    assert left == set(held) | set(exported) | set(recent)
    assert not any((root / "C01").glob(f"*/C01_*_{now - 10 * DAY_MS}.ts"))
    # The quota then takes the oldest recent ones first, still never the held ones.
    size = clip.stat().st_size
    quota = RecordingSettings(retention_days=30, quota_bytes=size * 5, min_free_bytes=0)
    apply_retention(index, root, quota, now)
    remaining = {s.id for s in index.all_segments()}
    assert remaining == set(held) | set(exported) | set(recent[-2:])
    assert all((root / s.path).exists() for s in index.all_segments())


@pytest.mark.skipif(os.geteuid() != 0, reason="mounts a 600 kB tmpfs as the recordings folder: needs root")
def test_a_full_disk_stops_recording_with_an_alert_and_the_stream_goes_on(
        open_db: OpenDb, simulator: Simulator, tmp_path: Path, ingests: list[StreamIngest]) -> None:
    root = tmp_path / "small"
    root.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(root)], check=True)
    try:
        failures: list[tuple[RecordFailure | None, str]] = []
        settings = RecordingSettings(min_free_bytes=0, retry_after_s=3600)
        recorder = Recorder(root, index_opener(tmp_path / "console.db"), settings,
                            on_failure=lambda f, d: failures.append((f, d)))
        recorder.start()
        counter = Counter()
        ingest = record(continuous(simulator.config, "C06"), recorder, ingests, counter)
        wait_until(lambda: failures, 30)
        assert failures[0][0] is RecordFailure.DISK_FULL and str(root) in failures[0][1]
        assert len(failures) == 1  # one report, not one per packet
        before = counter.packets
        wait_until(lambda: counter.packets > before + 15, 5)  # the camera's stream carries on
        assert ingest.status().phase.value == "live"
        recorder.close()
        index = RecordingIndex(open_db(tmp_path / "console.db"))
        segments = index.segments("C06", 0, 2**62)
        assert segments and all(s.closed for s in segments)  # what reached the disk is indexed and playable
        assert probe_segment(root / segments[0].path)[1] > 0
    finally:
        subprocess.run(["umount", "-l", str(root)], check=False)


def test_export_is_one_mp4_whose_hash_matches_its_sidecar(open_db: OpenDb, tmp_path: Path) -> None:
    clip = tmp_path / "clip.ts"
    write_stamped_segment(clip, 10.0, 640, 360, 15)
    root = tmp_path / "rec"
    db = open_db(tmp_path / "console.db")
    index = RecordingIndex(db)
    start = 1_790_000_000_000
    lay_out_recording(index, root, "C01", clip, start, 3, 10_000, 1000, gap_ms=5000)
    target = tmp_path / "out" / "bang_chung.mp4"
    progress: list[float] = []
    seen_while_writing: list[tuple[bool, bool]] = []

    def on_progress(fraction: float) -> None:
        progress.append(fraction)
        if fraction < 1.0:
            seen_while_writing.append((target.exists(), part_path(target).exists()))

    job = EvidenceExport(root, index_opener(tmp_path / "console.db"), "C01",
                         TimeRange(start + 2500, start + 27_000), target, "Nguyễn Văn An", progress=on_progress)
    job.start()
    result = job.wait(60)
    assert result is not None and result.state is ExportState.DONE
    # Never a truncated file under the evidence's name: it is written as .part and renamed when whole.
    assert seen_while_writing and set(seen_while_writing) == {(False, True)}
    assert not part_path(target).exists()
    assert result.first_ms == start + 2000  # from the keyframe before the start
    assert sidecar_path(target).read_text() == f"{sha256_of(target)}  bang_chung.mp4\n"
    assert result.sha256 == sha256_of(target) and progress[-1] == 1.0
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_name,width,height:format=duration",
                            "-of", "json", str(target)], capture_output=True, text=True, check=True)
    info = json.loads(probe.stdout)
    assert info["streams"][0]["codec_name"] == "h264" and info["streams"][0]["width"] == 640
    # Segments at 0–10, 15–25, 30–40 s: 8 s of the first, the 5 s gap kept as time, all of the second.
    assert 22.5 <= float(info["format"]["duration"]) <= 23.5
    [row] = index.exports()
    assert row.state == "done" and row.sha256 == result.sha256 and row.actor == "Nguyễn Văn An"


def test_a_cancelled_export_leaves_no_file_and_an_audit_row(open_db: OpenDb, tmp_path: Path) -> None:
    clip = tmp_path / "clip.ts"
    write_stamped_segment(clip, 10.0, 640, 360, 15)
    root = tmp_path / "rec"
    index = RecordingIndex(open_db(tmp_path / "console.db"))
    lay_out_recording(index, root, "C01", clip, 0, 30, 10_000, 1000)
    target = tmp_path / "out" / "huy.mp4"
    job = EvidenceExport(root, index_opener(tmp_path / "console.db"), "C01", TimeRange(0, 300_000), target, "an")
    job.cancel()
    job.start()
    result = job.wait(60)
    assert result is not None and result.state is ExportState.CANCELLED
    assert not target.exists() and not sidecar_path(target).exists() and not part_path(target).exists()
    assert [r.state for r in index.exports()] == ["cancelled"]


def test_a_failed_export_keeps_the_file_already_at_the_target(open_db: OpenDb, tmp_path: Path) -> None:
    root = tmp_path / "rec"
    index = RecordingIndex(open_db(tmp_path / "console.db"))  # nothing recorded for C01: the export fails
    target = tmp_path / "out" / "bien_ban_cu.mp4"
    target.parent.mkdir()
    target.write_bytes(b"earlier evidence")
    job = EvidenceExport(root, index_opener(tmp_path / "console.db"), "C01", TimeRange(0, 60_000), target, "an")
    job.start()
    result = job.wait(60)
    assert result is not None and result.state is ExportState.FAILED
    assert target.read_bytes() == b"earlier evidence" and not part_path(target).exists()
    assert [r.state for r in index.exports()] == ["failed"]


class _IndexFailingOnce(RecordingIndex):
    """The real index, whose first segment update raises (a locked database, a bug in one item)."""

    failed = 0

    def update_segment(self, *args: Any, **kwargs: Any) -> None:
        if not type(self).failed:
            type(self).failed += 1
            raise sqlite3.OperationalError("database is locked")
        super().update_segment(*args, **kwargs)


def test_the_writer_survives_an_item_that_raises(open_db: OpenDb, simulator: Simulator, tmp_path: Path,
                                                 ingests: list[StreamIngest]) -> None:
    path = tmp_path / "console.db"
    told: list[RecordFailure | None] = []

    def on_failure(failure: RecordFailure | None, _detail: str) -> None:  # the owner's callback fails too
        told.append(failure)
        raise RuntimeError("the alert writer is gone")

    recorder = Recorder(tmp_path / "rec", lambda: _IndexFailingOnce(open_db(path)),
                        RecordingSettings(segment_s=1.0, index_every_s=0.2, retry_after_s=0.5), on_failure=on_failure)
    recorder.start()
    record(continuous(simulator.config, "C05"), recorder, ingests)
    wait_until(lambda: recorder.segments_closed >= 3, 20)  # segments after the failing item are written
    recorder.close()
    assert _IndexFailingOnce.failed == 1 and recorder.failures == 2 and told[:2] == [RecordFailure.UNWRITABLE, None]
    segments = RecordingIndex(open_db(path)).segments("C05", 0, 2**62)
    assert len([s for s in segments if s.closed]) >= 2
