"""A phone-like MP4 made with PyAV (H.264 + AAC, a creation-time tag as phones write it): a bar moving over a grey
picture, optionally textured so the encoder spends a phone's bitrate, and a 440 Hz tone. Used by the intake tests
and by benchmarks/incidents.py (a 1080p phone's own file)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import av.audio.stream
import av.video.stream
import numpy as np

AAC_FRAME = 1024
NOISE_PICTURES = 8


@dataclass(frozen=True)
class Phone:
    size: tuple[int, int] = (640, 360)
    fps: int = 30
    bitrate: int | None = None  # None: the encoder's own rate control
    preset: str = "ultrafast"
    noise: int = 0  # texture amplitude (0: flat grey, cheap to encode)
    audio_rate: int = 44_100
    audio_layout: str = "mono"


def phone_video(path: Path, seconds: float = 2.0, phone: Phone = Phone()) -> Path:
    width, height = phone.size
    rng = np.random.default_rng(7)
    noise = [rng.integers(0, phone.noise + 1, (height, width), dtype=np.uint8) for _ in range(NOISE_PICTURES)]
    chroma = np.full((height // 2, width // 2), 128, np.uint8)
    channels = 2 if phone.audio_layout == "stereo" else 1
    with av.open(str(path), "w", format="mp4") as out:
        out.metadata["creation_time"] = "2025-12-31T23:58:00.000000Z"
        video = out.add_stream("libx264", rate=phone.fps, options={"preset": phone.preset, "bf": "0",
                                                                   "g": str(phone.fps)})
        assert isinstance(video, av.video.stream.VideoStream)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        if phone.bitrate is not None:
            video.bit_rate = phone.bitrate
        audio = out.add_stream("aac", rate=phone.audio_rate)
        assert isinstance(audio, av.audio.stream.AudioStream)
        audio.layout = phone.audio_layout
        bar = max(8, width // 12)
        for index in range(round(phone.fps * seconds)):
            luma = noise[index % NOISE_PICTURES] + np.uint8(60)
            left = (index * width // 160) % (width - bar)
            luma[height // 3: 2 * height // 3, left:left + bar] = 220
            frame = av.VideoFrame.from_numpy_buffer(np.concatenate([luma.ravel(), chroma.ravel(), chroma.ravel()])
                                                     .reshape(height * 3 // 2, width), format="yuv420p")
            frame.pts, frame.time_base = index, Fraction(1, phone.fps)
            out.mux(video.encode(frame))
        out.mux(video.encode(None))
        for start in range(0, round(phone.audio_rate * seconds), AAC_FRAME):
            wave = (0.2 * np.sin(2 * np.pi * 440 * np.arange(start, start + AAC_FRAME) / phone.audio_rate))
            sound = av.AudioFrame.from_ndarray(np.tile(wave.astype(np.float32), (channels, 1)), format="fltp",
                                               layout=phone.audio_layout)
            sound.sample_rate, sound.pts, sound.time_base = phone.audio_rate, start, Fraction(1, phone.audio_rate)
            out.mux(audio.encode(sound))
        out.mux(audio.encode(None))
    return path
