"""Recording and playback costs: `python -m benchmarks.recording --json OUT`.

1. CPU: the simulator runs as its own process; this process ingests 25 sub + 4 main streams (demux only, as
   the wall's kept connections) and its CPU is measured without a recorder (the baseline, same run), then
   with every stream recorded (stream copy, short segments so cuts happen during the run).
2. Cuts: packets the taps received vs packets in the segment files, and each cut's timestamps.
3. Playback (real libVLC): open at a moment → the first picture whose drawn stamp is the keyframe at or before
   that moment; seeks to random moments of a day of 1-minute 1080p segments (same stamped clip indexed 1,440
   times), beside moves to a segment's very start (the same run's baseline: nothing to seek over); paused
   seeks to the exact frame's stamp (a still decoded from the keyframe before it).
4. Export: 10 min of 1080p at 4 Mbit/s to MP4, beside `ffmpeg -c copy` of the same files.
Prints JSON and a short table; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from benchmarks.report import write_result
from console.core.config import RecordingMode, StreamKind, load_config
from console.core.recording import DAY_MS, RecordingSettings, TimeRange
from console.core.stamp import read_stamp
from console.media.export import EvidenceExport
from console.media.ingest import StreamIngest
from console.media.player import RecordingPlayer
from console.media.recording import Recorder, RecordTap, probe_segment
from console.media.vlc_input import KeyframeFinder
from console.simulator.loops import default_cache_dir
from console.store.database import open_database
from console.store.recordings import RecordingIndex, index_opener
from tests.support.processes import child
from tests.support.siteconfig import write_demo_config
from tests.support.stamped_clip import lay_out_recording, write_stamped_segment

CLIP_S = 60
GOP_MS = 1000
FRAME_MS = 40
DAY_START_MS = 1_790_000_000_000


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def cores_over(seconds: float) -> float:
    cpu, start = own_cpu(), time.monotonic()
    time.sleep(seconds)
    return (own_cpu() - cpu) / (time.monotonic() - start)


def recording_cost(tmp: Path, seconds: float, mains: int) -> dict[str, object]:
    path = write_demo_config(tmp / "site.toml")
    config = load_config(path)
    command = [sys.executable, "-m", "console.simulator", "--config", str(path)]
    with child(command, "SIMULATOR READY", timeout_s=600):
        streams = [(c, StreamKind.SUB) for c in config.cameras] + [(c, StreamKind.MAIN) for c in config.cameras[:mains]]
        ingests = []
        for camera, kind in streams:
            ingest = StreamIngest(f"{camera.id}/{kind.value}", camera.url(kind))
            ingest.start()
            ingests.append((camera, kind, ingest))
        time.sleep(8)  # every stream live (main loops may be encoded on first use)
        baseline = cores_over(seconds)
        recorder = Recorder(tmp / "rec", index_opener(tmp / "console.db"),
                            RecordingSettings(segment_s=5.0, min_free_bytes=0))
        recorder.start()
        taps: list[RecordTap] = []
        for camera, kind, ingest in ingests:
            tap = RecordTap(replace(camera, id=f"{camera.id}-{kind.value}", recording=RecordingMode.CONTINUOUS),
                            recorder)
            ingest.attach(tap)
            taps.append(tap)
        time.sleep(2)
        recording = cores_over(seconds)
        for _camera, _kind, ingest in ingests:
            ingest.stop()
        for _camera, _kind, ingest in ingests:
            ingest.join(6)
        recorder.close(30)
    index = RecordingIndex(open_database(tmp / "console.db"))
    received = sum(t.received for t in taps)
    in_files = 0
    cuts = 0
    for segment in index.all_segments():
        in_files += probe_segment(tmp / "rec" / segment.path)[1]
    for tap in taps:
        segments = index.segments(tap.camera_id, 0, 2**62)
        cuts += max(0, len(segments) - 1)
    # Packets before a stream's first keyframe are not recordable (nothing decodes without it): not lost.
    skipped = sum(t.received - t.sent for t in taps)
    return {
        "streams": len(streams),
        "baseline_ingest_cores": round(baseline, 3),
        "with_recording_cores": round(recording, 3),
        "record_cpu_cores": round(recording - baseline, 3),
        "cpu_ratio_to_baseline": round(recording / baseline, 2) if baseline else None,
        "packets_received": received,
        "packets_in_files": in_files,
        "packets_before_first_keyframe": skipped,
        "segment_cuts": cuts,
        "lost_packets_at_cuts": received - skipped - in_files,
        "bytes_recorded": index.used_bytes(),
    }


def stamped_clip() -> Path:
    path = default_cache_dir() / "recording-bench" / f"stamped_1080p_{CLIP_S}s.ts"
    if not path.exists():
        write_stamped_segment(path.with_suffix(".tmp"), CLIP_S, 1920, 1080, 25, bitrate=4_000_000)
        path.with_suffix(".tmp").rename(path)
    return path


def first_stamp(player: RecordingPlayer, low_ms: int, high_ms: int, timeout_s: float = 5.0) -> float | None:
    """ms until the shown picture carries a stamp in [low, high]."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout_s:
        value = read_stamp(player.picture.luma())
        if value is not None and low_ms <= value <= high_ms:
            return (time.perf_counter() - start) * 1000
        time.sleep(0.002)
    return None


def keyframe_window(at_ms: int) -> tuple[int, int]:
    """The stamps a correct seek to this moment may show first: the keyframe at or before it, up to it."""
    offset = (at_ms - DAY_START_MS) % (CLIP_S * 1000)
    return offset - GOP_MS, offset


def playback(tmp: Path, seeks: int) -> dict[str, object]:
    clip = stamped_clip()
    index = RecordingIndex(open_database(tmp / "play.db"))
    count = DAY_MS // (CLIP_S * 1000)
    lay_out_recording(index, tmp / "day", "C01", clip, DAY_START_MS, count, CLIP_S * 1000, GOP_MS)
    def day_player() -> RecordingPlayer:
        return RecordingPlayer(tmp / "day", index.at, KeyframeFinder(tmp / "day", index.keyframes), size=(640, 360))

    rng = random.Random(5)
    opens, moves, starts, misses = [], [], [], 0
    for _ in range(3):
        player = day_player()
        at = DAY_START_MS + rng.randrange(DAY_MS - 60_000)
        player.open("C01", at)
        took = first_stamp(player, *keyframe_window(at))
        opens.append(took)
        for number in range(seeks // 3):
            at = DAY_START_MS + rng.randrange(DAY_MS - 60_000)
            # The baseline, same run: every fifth move goes to a segment's very start (nothing to seek over).
            at_start = number % 5 == 0
            if at_start:
                at -= (at - DAY_START_MS) % (CLIP_S * 1000)
            time.sleep(0.3)
            player.seek(at)
            # At a segment's start libVLC may show its very first picture only briefly: the first second.
            took = first_stamp(player, 0, GOP_MS - 1) if at_start else first_stamp(player, *keyframe_window(at))
            if took is None:
                misses += 1
            else:
                (starts if at_start else moves).append(took)
        player.close()
        player.join()
    starts.sort()
    # Paused, a seek shows the exact frame (decoded from the keyframe before it): to that frame's stamp.
    exact = []
    player = day_player()
    for _ in range(max(5, seeks // 3)):
        at = DAY_START_MS + rng.randrange(DAY_MS - 60_000)
        offset = (at - DAY_START_MS) % (CLIP_S * 1000)
        frame = round(offset / FRAME_MS) * FRAME_MS  # the nearest frame (25 fps)
        player.open("C01", at, play=False)
        took = first_stamp(player, frame, frame)
        if took is None:
            misses += 1
        else:
            exact.append(took)
        time.sleep(0.1)
    player.close()
    player.join()
    exact.sort()
    moves.sort()
    valid_opens = sorted(o for o in opens if o is not None)
    return {
        "open_first_frame_ms": round(valid_opens[len(valid_opens) // 2], 1) if valid_opens else None,
        "open_first_frame_ms_max": round(valid_opens[-1], 1) if valid_opens else None,
        "seek_ms_p50": round(moves[len(moves) // 2], 1) if moves else None,
        "seek_ms_p95": round(moves[int(len(moves) * 0.95) - 1], 1) if moves else None,
        "paused_seek_exact_frame_ms_p50": round(exact[len(exact) // 2], 1) if exact else None,
        "paused_seek_exact_frame_ms_p95": round(exact[int(len(exact) * 0.95) - 1], 1) if exact else None,
        "open_at_segment_start_ms_p50": round(starts[len(starts) // 2], 1) if starts else None,
        "seek_ratio_to_segment_start": round(moves[len(moves) // 2] / starts[len(starts) // 2], 2)
        if moves and starts else None,
        "seeks": len(moves) + len(exact) + misses,
        "seeks_missed": misses,
        "day_segments": count,
        "clip": "1920x1080 25 fps H.264 4 Mbit/s, GOP 1 s",
    }


def export(tmp: Path) -> dict[str, object]:
    clip = stamped_clip()
    index = RecordingIndex(open_database(tmp / "export.db"))
    lay_out_recording(index, tmp / "ten", "C01", clip, DAY_START_MS, 10, CLIP_S * 1000, GOP_MS)
    job = EvidenceExport(tmp / "ten", index_opener(tmp / "export.db"), "C01",
                         TimeRange(DAY_START_MS, DAY_START_MS + 600_000), tmp / "out.mp4", "benchmark")
    started = time.perf_counter()
    job.start()
    result = job.wait()
    ours = time.perf_counter() - started
    files = [str(tmp / "ten" / s.path) for s in index.segments("C01", 0, 2**62)]
    started = time.perf_counter()
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", "concat:" + "|".join(files), "-c", "copy",
                    str(tmp / "ffmpeg.mp4")], check=True)
    ffmpeg = time.perf_counter() - started
    return {
        "export_10min_s": round(ours, 2),  # including the SHA-256 of the file
        "export_bytes": result.size if result else 0,
        "ffmpeg_copy_10min_s": round(ffmpeg, 2),
        "export_ratio_to_ffmpeg": round(ours / ffmpeg, 2) if ffmpeg else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--mains", type=int, default=4)
    parser.add_argument("--seeks", type=int, default=60)
    parser.add_argument("--skip-recording", action="store_true", help="playback and export only")
    args = parser.parse_args()
    result: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        if not args.skip_recording:
            result.update(recording_cost(tmp, args.seconds, args.mains))
        result.update(playback(tmp, args.seeks))
        result.update(export(tmp))
    write_result(result, args.json, f"recording: {result.get('record_cpu_cores')} core beyond ingest, lost at cuts "
          f"{result.get('lost_packets_at_cuts')}; open {result['open_first_frame_ms']} ms, seek p95 "
          f"{result['seek_ms_p95']} ms; export 10 min {result['export_10min_s']} s "
          f"(ffmpeg {result['ffmpeg_copy_10min_s']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
