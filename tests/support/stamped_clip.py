"""A recorded-looking MPEG-TS segment whose every picture carries its own offset (ms) as a stamp.

Used by the playback tests and the recording benchmark: after a seek, the stamp on the shown picture says
exactly which moment libVLC shows, so open/seek times are measured to the right frame, not to "something".
"""

from __future__ import annotations

import shutil
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from console.core.recording import segment_relpath
from console.core.stamp import draw_stamp
from console.media.ts_keyframes import pack, scan_file
from console.store.recordings import RecordingIndex

NOISE_LEVEL = 24  # texture so the encoder spends a camera-like bitrate


def write_stamped_segment(path: Path, seconds: float, width: int = 640, height: int = 360, fps: int = 15,
                          gop_s: float = 1.0, bitrate: int = 1_000_000, seed: int = 7) -> int:
    """Encode `seconds` of H.264 into `path` (MPEG-TS, timestamps from 0); returns the number of pictures."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    noise = [rng.integers(0, NOISE_LEVEL, (height, width), dtype=np.uint8) for _ in range(8)]
    count = int(seconds * fps)
    with av.open(str(path), "w", format="mpegts") as container:
        stream = container.add_stream("libx264", rate=fps, options={
            "preset": "ultrafast", "bf": "0", "g": str(max(1, round(fps * gop_s))), "keyint_min": "1",
            "sc_threshold": "0"})
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.bit_rate = bitrate
        stream.time_base = Fraction(1, fps)
        chroma = np.full((height // 2, width // 2), 128, np.uint8)
        for index in range(count):
            luma = noise[index % len(noise)] + np.uint8(60)
            left = (index * 8) % (width - 32)
            luma[height // 4: height // 2, left:left + 32] = 220
            draw_stamp(luma, index * 1000 // fps)
            frame = av.VideoFrame.from_numpy_buffer(np.concatenate([luma.ravel(), chroma.ravel(), chroma.ravel()])
                                                     .reshape(height * 3 // 2, width), format="yuv420p")
            frame.pts = index
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return count


def lay_out_recording(index: RecordingIndex, root: Path, camera_id: str, clip: Path, start_ms: int,
                      count: int, clip_ms: int, gop_ms: int, gap_ms: int = 0) -> list[int]:
    """Index `count` back-to-back copies (hard links) of `clip` as a camera's recording from `start_ms`,
    `gap_ms` apart (a gap between segments); returns the segment ids."""
    ids = []
    size = clip.stat().st_size
    keyframes = pack(scan_file(clip))  # as the recorder saves them
    for number in range(count):
        at_ms = start_ms + number * (clip_ms + gap_ms)
        relpath = segment_relpath(camera_id, at_ms)
        target = root / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            try:
                target.hardlink_to(clip)
            except OSError:
                shutil.copyfile(clip, target)
        segment_id = index.open_segment(camera_id, at_ms, relpath, "h264", 0, 0)
        index.update_segment(segment_id, at_ms + clip_ms, size, 0, gop_ms, closed=True, keyframes=keyframes)
        ids.append(segment_id)
    return ids
