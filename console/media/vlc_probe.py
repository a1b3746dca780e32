"""Proves libVLC can decode here: encode a one-second H.264 clip with PyAV, play it through libVLC with a
null video output and report what it decoded. Used by `camera-console --self-test`."""

from __future__ import annotations

import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from console.media import vlc as libvlc

PROBE_ARGS = ("--no-xlib", "--vout=vdummy", "--no-audio", "--quiet")  # its own instance: a null video output
CLIP_SIZE = (320, 180)
CLIP_FPS = 15
DECODE_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class VlcProbe:
    plugin_path: str | None
    decoded_pictures: int
    error: str | None = None


def write_test_clip(path: Path, seconds: float = 1.0) -> Path:
    """A small MPEG-TS clip of H.264 (what the recorder writes) with a moving bar."""
    width, height = CLIP_SIZE
    with av.open(str(path), "w", format="mpegts") as container:
        stream = container.add_stream("libx264", rate=CLIP_FPS, options={"preset": "ultrafast", "bf": "0"})
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.time_base = Fraction(1, CLIP_FPS)
        for index in range(int(seconds * CLIP_FPS)):
            picture = np.full((height, width, 3), 40, np.uint8)
            left = (index * 16) % width
            picture[:, left:left + 16] = 230
            frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
            frame.pts = index
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return path


def probe_libvlc(clip: Path) -> VlcProbe:
    """Open libVLC (with the bundle's paths set by the runtime hook when frozen) and decode `clip`."""
    try:
        vlc = libvlc.load()
        instance = libvlc.new_instance(vlc, PROBE_ARGS)
    except libvlc.VlcUnavailableError as exc:
        return VlcProbe(None, 0, str(exc))
    plugins = getattr(vlc, "plugin_path", None)
    media = libvlc.media_from_path(instance, clip)
    player = instance.media_player_new()
    player.set_media(media)
    player.play()
    deadline = time.monotonic() + DECODE_TIMEOUT_S
    try:
        while time.monotonic() < deadline and player.get_state() not in (vlc.State.Ended, vlc.State.Error):
            time.sleep(0.05)
        stats = vlc.MediaStats()
        media.get_stats(stats)
    finally:
        player.stop()  # the self-test's own thread, not a GUI's
        player.release()
        libvlc.release_media(media)
        instance.release()
    decoded = int(stats.decoded_video)
    if not decoded:
        return VlcProbe(plugins, 0, "libVLC decoded no picture (decoder or demux plugin missing)")
    return VlcProbe(plugins, decoded)
