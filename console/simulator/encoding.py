"""Encodes synthetic pictures with PyAV's libx264/libx265 (no B-frames, fixed GOP, headers on keyframes)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import av
import av.video.codeccontext

from console.simulator.rtp import Codec, payloads, split_nals
from console.simulator.scene import Plane


@dataclass(frozen=True)
class StreamProfile:
    width: int
    height: int
    fps: int
    gop_s: float
    codec: Codec = Codec.H264
    crf: int = 26

    @property
    def gop_frames(self) -> int:
        return max(1, round(self.fps * self.gop_s))


MAIN_PROFILE = StreamProfile(1920, 1080, 25, 1.0)
SUB_PROFILE = StreamProfile(640, 360, 15, 1.0)


@dataclass(frozen=True)
class EncodedFrame:
    """One access unit ready to send: its RTP payloads and whether a decoder can start here."""

    nals: tuple[bytes, ...]
    chunks: tuple[bytes, ...]
    key: bool

    @classmethod
    def from_nals(cls, codec: Codec, nals: list[bytes], key: bool) -> EncodedFrame:
        return cls(tuple(nals), tuple(payloads(codec, nals)), key)

    @classmethod
    def from_annexb(cls, codec: Codec, data: bytes, key: bool) -> EncodedFrame:
        return cls.from_nals(codec, split_nals(data), key)


class FrameEncoder:
    """A low-delay encoder: every keyframe carries SPS/PPS so a receiver can join at any GOP."""

    def __init__(self, profile: StreamProfile, threads: int = 1) -> None:
        self.profile = profile
        name = "libx265" if profile.codec is Codec.H265 else "libx264"
        context = av.CodecContext.create(name, "w")
        assert isinstance(context, av.video.codeccontext.VideoCodecContext)
        self._ctx = context
        context.width, context.height = profile.width, profile.height
        context.pix_fmt = "yuv420p"
        context.time_base = Fraction(1, profile.fps)
        context.framerate = Fraction(profile.fps)
        context.gop_size = profile.gop_frames
        context.max_b_frames = 0
        context.thread_count = threads
        keyint = profile.gop_frames
        if profile.codec is Codec.H265:
            params = f"keyint={keyint}:min-keyint={keyint}:scenecut=0:bframes=0:repeat-headers=1:log-level=error"
            context.options = {"preset": "ultrafast", "tune": "zerolatency", "x265-params": params,
                               "crf": str(profile.crf)}
        else:
            params = f"keyint={keyint}:min-keyint={keyint}:scenecut=0:bframes=0:repeat-headers=1"
            context.options = {"preset": "ultrafast", "tune": "zerolatency", "x264-params": params,
                               "crf": str(profile.crf)}
        self._pts = 0

    def encode(self, y: Plane, u: Plane, v: Plane, force_key: bool = False) -> list[EncodedFrame]:
        frame = av.VideoFrame(self.profile.width, self.profile.height, "yuv420p")
        for plane, data in zip(frame.planes, (y, u, v), strict=True):
            plane.update(data.tobytes() if plane.line_size == data.shape[1] else _padded(data, plane.line_size))
        frame.pts = self._pts
        self._pts += 1
        if force_key:
            frame.pict_type = av.video.frame.PictureType.I
        return [EncodedFrame.from_annexb(self.profile.codec, bytes(p), bool(p.is_keyframe))
                for p in self._ctx.encode(frame)]

    def flush(self) -> list[EncodedFrame]:
        return [EncodedFrame.from_annexb(self.profile.codec, bytes(p), bool(p.is_keyframe))
                for p in self._ctx.encode(None)]


def _padded(data: Plane, line_size: int) -> bytes:
    rows, width = data.shape
    out = bytearray(rows * line_size)
    for row in range(rows):
        out[row * line_size: row * line_size + width] = data[row].tobytes()
    return bytes(out)
