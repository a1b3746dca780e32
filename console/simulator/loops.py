"""Pre-encoded scene loops, rendered once per camera and stream and cached on disk."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import struct
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from console.simulator.encoding import EncodedFrame, FrameEncoder, StreamProfile
from console.simulator.rtp import Codec, parameter_sets
from console.simulator.scene import SceneRenderer

log = logging.getLogger(__name__)

_MAGIC = b"CCSIMLOOP2\n"
RENDER_VERSION = 4  # bump when the picture or the encoder settings change, to invalidate caches


@dataclass(frozen=True)
class EncodedLoop:
    profile: StreamProfile
    loop_s: float
    frames: tuple[EncodedFrame, ...]
    params: dict[str, bytes]

    @property
    def frame_count(self) -> int:
        return len(self.frames)


def default_cache_dir() -> Path:
    override = os.environ.get("CAMERA_CONSOLE_SIM_CACHE")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
        return base / "camera-console" / "cache" / "simulator"
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "camera-console" / "simulator"


def _key(title: str, subtitle: str, profile: StreamProfile, loop_s: float) -> str:
    blob = json.dumps([RENDER_VERSION, title, subtitle, asdict(profile), loop_s], ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()[:24]


def _write(path: Path, frames: list[EncodedFrame]) -> None:
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    with tmp.open("wb") as out:
        out.write(_MAGIC)
        for frame in frames:
            blob = b"".join(struct.pack("!I", len(n)) + n for n in frame.nals)
            out.write(struct.pack("!IB", len(blob), 1 if frame.key else 0))
            out.write(blob)
    os.replace(tmp, path)  # readers never see a half-written loop


def _read(path: Path, codec: Codec) -> list[EncodedFrame] | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if not data.startswith(_MAGIC):
        return None
    frames, offset = [], len(_MAGIC)
    try:
        while offset < len(data):
            size, key = struct.unpack_from("!IB", data, offset)
            offset += 5
            blob, offset = data[offset: offset + size], offset + size
            nals, pos = [], 0
            while pos < len(blob):
                (n,) = struct.unpack_from("!I", blob, pos)
                nals.append(blob[pos + 4: pos + 4 + n])
                pos += 4 + n
            frames.append(EncodedFrame.from_nals(codec, nals, bool(key)))
    except struct.error:
        return None
    return frames


def encode_loop(title: str, subtitle: str, profile: StreamProfile, loop_s: float) -> list[EncodedFrame]:
    """Render and encode a whole loop; the frame count is a whole number of GOPs so the seam is a keyframe."""
    gops = max(1, round(loop_s * profile.fps / profile.gop_frames))
    count = gops * profile.gop_frames
    renderer = SceneRenderer(title, subtitle, profile.width, profile.height, profile.fps, count / profile.fps)
    encoder = FrameEncoder(profile, threads=0)
    frames: list[EncodedFrame] = []
    for n in range(count):
        frames.extend(encoder.encode(*renderer.frame(n)))
    frames.extend(encoder.flush())
    if len(frames) != count or not frames[0].key:
        raise RuntimeError(f"encoder gave {len(frames)} frames for a loop of {count}")
    return frames


def load_or_encode(title: str, subtitle: str, profile: StreamProfile, loop_s: float,
                   cache_dir: Path | None = None) -> EncodedLoop:
    """The loop from the disk cache, encoding (and caching) it first when absent."""
    folder = cache_dir or default_cache_dir()
    path = folder / f"{_key(title, subtitle, profile, loop_s)}.loop"
    frames = _read(path, profile.codec)
    if frames is None:
        log.info("encoding %s loop for %s (%dx%d@%d)", profile.codec, title, profile.width, profile.height,
                 profile.fps)
        frames = encode_loop(title, subtitle, profile, loop_s)
        folder.mkdir(parents=True, exist_ok=True)
        _write(path, frames)
    params = parameter_sets(profile.codec, list(frames[0].nals))
    return EncodedLoop(profile, len(frames) / profile.fps, tuple(frames), params)
