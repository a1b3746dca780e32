"""*Đọc biển số* on the simulator's own pictures: `python -m benchmarks.plate_reading [--smoke] [--json OUT]`.

Each camera's scene (console/simulator/scene.py, the pictures the simulator streams) is encoded with the simulator's
main-stream encoder (H.264 1920×1080, its CRF, a keyframe and four P-frames up to the moment) and decoded back, as
playback shows a paused picture. At moments of each crossing where the vehicle's plate is wholly in the picture the
plate is cut out as an officer drags a box (the plate and a margin of a fifth of its width, half its height, each
side), read through the plate service (its worker, 2 ONNX Runtime threads, the engine loaded once), normalised and
compared exactly with the scene's truth. The same is done on the alert's picture: the sub stream (640×360) saved as
a JPEG of quality 80, as console/media/analytics.py saves it.

Keys: `plate_crop_ms_p95` (a 1080p crop: the officer's wait, from handing the picture over to the answer),
`plate_read_accuracy_sim` (1080p crops read exactly), `plate_read_accuracy_sim_alert` (640×360 JPEG crops),
`plate_crop_ms_p50`, `plate_frame_ms_p95` (a whole 1080p picture, "read the whole picture"), `plate_engine_load_ms`
(import, ONNX sessions, a first read), `plate_reads_sim` (crops read at 1080p). The simulator's scene has cars only:
its plates are one-line; two-line plates are tested on synthetic plates (tests/unit/test_plate_reading.py).
Real cameras at night or at an angle are not measured here.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import av
import av.video.codeccontext
import numpy as np
import numpy.typing as npt
from PIL import Image

from benchmarks.report import percentile, write_result
from console.plates.reader import Box, grown
from console.plates.service import PlateService
from console.simulator.encoding import MAIN_PROFILE, SUB_PROFILE, FrameEncoder, StreamProfile
from console.simulator.scene import PlateTruth, SceneRenderer

Picture = npt.NDArray[np.uint8]

LOOP_S = 30.0
LEAD_FRAMES = 4  # P-frames after the keyframe, up to the moment read
JPEG_QUALITY = 80  # console/media/analytics.py's alert pictures
MOMENTS = (0.3, 0.5, 0.7)  # through each crossing
CAMERAS = 24
SMOKE_CAMERAS = 2
WHOLE_PICTURES = 4


def rgb(y: Picture, u: Picture, v: Picture) -> Picture:
    """A YUV 4:2:0 picture as RGB (BT.601, as the decoder's reformat does)."""
    luma = Image.fromarray(y)
    planes = (luma, Image.fromarray(u).resize(luma.size), Image.fromarray(v).resize(luma.size))
    return np.asarray(Image.merge("YCbCr", planes).convert("RGB"), dtype=np.uint8)


def played_back(renderer: SceneRenderer, n: int, profile: StreamProfile) -> Picture:
    """Frame n as playback shows it: encoded by the simulator's encoder after a keyframe, decoded back."""
    encoder = FrameEncoder(profile, threads=0)
    decoder = av.CodecContext.create("h264", "r")
    assert isinstance(decoder, av.video.codeccontext.VideoCodecContext)
    shown = None
    first = max(0, n - LEAD_FRAMES)
    encoded = []
    for k in range(first, n + 1):
        encoded += encoder.encode(*renderer.frame(k), force_key=k == first)
    encoded += encoder.flush()
    for frame in encoded:
        packet = av.Packet(b"".join(b"\x00\x00\x00\x01" + nal for nal in frame.nals))
        for picture in decoder.decode(packet):
            shown = picture
    for picture in decoder.decode(None):
        shown = picture
    assert shown is not None
    return np.asarray(shown.to_ndarray(format="rgb24"), dtype=np.uint8)


def alert_picture(renderer: SceneRenderer, n: int) -> Picture:
    """Frame n of the sub stream as an alert's picture: a JPEG."""
    out = io.BytesIO()
    Image.fromarray(rgb(*renderer.frame(n))).save(out, "JPEG", quality=JPEG_QUALITY)
    return np.asarray(Image.open(io.BytesIO(out.getvalue())).convert("RGB"), dtype=np.uint8)


def officer_box(truth: PlateTruth, width: int, height: int) -> Box:
    """The box an officer drags around a plate: a little loose."""
    x0, y0, x1, y1 = truth.box
    dx, dy = (x1 - x0) // 5, (y1 - y0) // 2
    return grown((x0 - dx, y0 - dy, x1 + dx, y1 + dy), 0.0, width, height)


def moments(renderer: SceneRenderer, shares: tuple[float, ...]) -> Iterator[tuple[int, PlateTruth]]:
    """(frame, plate) at these shares of each crossing, when the plate is wholly in the picture."""
    for episode in renderer.episodes:
        for share in shares:
            n = round((episode.start_s + share * (episode.end_s - episode.start_s)) * renderer.fps)
            for truth in renderer.plates(n):
                if truth.lane == episode.lane and truth.inside(renderer.width, renderer.height):
                    yield n, truth


def measure(smoke: bool) -> dict[str, float]:
    cameras = [f"C{k:02d}" for k in range(1, (SMOKE_CAMERAS if smoke else CAMERAS) + 1)]
    shares = MOMENTS[1:2] if smoke else MOMENTS
    service = PlateService()
    try:
        started = time.perf_counter()
        service.warm_up().result()
        load_ms = (time.perf_counter() - started) * 1000
        crop_ms: list[float] = []
        right = reads = 0
        alert_right = alert_reads = 0
        whole_ms: list[float] = []
        for camera in cameras:
            main = SceneRenderer(camera, "Điểm thử", MAIN_PROFILE.width, MAIN_PROFILE.height, MAIN_PROFILE.fps,
                                 LOOP_S)
            for n, truth in moments(main, shares):
                picture = played_back(main, n, MAIN_PROFILE)
                box = officer_box(truth, main.width, main.height)
                asked = time.perf_counter()
                reading = service.read(picture, box).result()
                crop_ms.append((time.perf_counter() - asked) * 1000)
                reads += 1
                right += reading.best is not None and reading.best.text == truth.text
                if len(whole_ms) < (1 if smoke else WHOLE_PICTURES):
                    asked = time.perf_counter()
                    service.read(picture, None).result()
                    whole_ms.append((time.perf_counter() - asked) * 1000)
            sub = SceneRenderer(camera, "Điểm thử", SUB_PROFILE.width, SUB_PROFILE.height, SUB_PROFILE.fps, LOOP_S)
            for n, truth in moments(sub, shares):
                reading = service.read(alert_picture(sub, n), officer_box(truth, sub.width, sub.height)).result()
                alert_reads += 1
                alert_right += reading.best is not None and reading.best.text == truth.text
    finally:
        service.close()
    return {
        "plate_crop_ms_p95": percentile(crop_ms, 0.95) or 0.0,
        "plate_read_accuracy_sim": round(right / max(1, reads), 4),
        "plate_read_accuracy_sim_alert": round(alert_right / max(1, alert_reads), 4),
        "plate_crop_ms_p50": percentile(crop_ms, 0.5) or 0.0,
        "plate_frame_ms_p95": percentile(whole_ms, 0.95) or 0.0,
        "plate_engine_load_ms": round(load_ms, 1),
        "plate_reads_sim": float(reads),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.plate_reading", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, help="write the result here")
    parser.add_argument("--smoke", action="store_true", help="two cameras, one moment a crossing")
    args = parser.parse_args(argv)
    result = measure(smoke=args.smoke)
    write_result(result, args.json, "\n".join(f"{key:30} {value}" for key, value in result.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
