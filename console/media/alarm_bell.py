"""The alarm bell (Chuông báo động): a two-tone ring played through libVLC, which the console carries anyway
for playback, so the bell needs no other audio library. Without a sound device it stays silent and says
so once in the log; the blinking and the count on the window do not depend on it."""

from __future__ import annotations

import logging
import math
import struct
import wave
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

RATE = 22050
TONES_HZ = (880.0, 660.0)
TONE_S = 0.35


def write_bell(path: Path) -> Path:
    """Two alternating tones, twice (1.4 s), 16-bit mono, with short fades so they do not click."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = bytearray()
    fade = int(RATE * 0.01)
    for repeat in range(4):
        freq = TONES_HZ[repeat % 2]
        count = int(RATE * TONE_S)
        for i in range(count):
            envelope = min(1.0, i / fade, (count - i) / fade)
            frames += struct.pack("<h", int(0.6 * 32767 * envelope * math.sin(2 * math.pi * freq * i / RATE)))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(bytes(frames))
    return path


class AlarmBell:
    def __init__(self, folder: Path) -> None:
        self._path = folder / "alarm-bell.wav"
        self._instance: Any = None
        self._player: Any = None
        self._failed = False
        self.rings = 0

    def _open(self) -> bool:
        if self._player is not None or self._failed:
            return self._player is not None
        try:
            import vlc

            if not self._path.exists():
                write_bell(self._path)
            self._instance = vlc.Instance(["--no-xlib", "--no-video", "--quiet"])
            self._player = self._instance.media_player_new()
            self._player.set_media(self._instance.media_new_path(str(self._path)))
        except Exception as exc:  # no libVLC, no sound device: the alerts themselves go on
            log.warning("alarm bell unavailable: %s", exc)
            self._failed = True
        return self._player is not None

    def ring(self, volume: int) -> None:
        self.rings += 1
        if not self._open():
            return
        self._player.stop()
        self._player.audio_set_volume(max(0, min(100, volume)))
        self._player.play()

    def close(self) -> None:
        if self._player is not None:
            self._player.stop()
            self._player.release()
            self._instance.release()
            self._player = None
