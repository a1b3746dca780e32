"""The alarm bell (Chuông báo động): a two-tone ring played through libVLC, which the console carries anyway
for playback, so the bell needs no other audio library. Without a sound device it stays silent and says
so once in the log; the blinking and the count on the window do not depend on it."""

from __future__ import annotations

import logging
import math
import struct
import threading
import wave
from pathlib import Path
from typing import Any

from console.media import vlc as libvlc

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
    """Rings from the GUI thread and returns at once: opening libVLC (its plugins), `stop` (which joins libVLC's
    threads) and `play` run on libVLC's worker, in the order rung."""

    def __init__(self, folder: Path) -> None:
        self._path = folder / "alarm-bell.wav"
        self._player: Any = None  # touched on libVLC's worker only
        self._media: Any = None
        self._failed = False
        self._done: threading.Event | None = None
        self.rings = 0

    def ring(self, volume: int) -> None:
        self.rings += 1
        level = max(0, min(100, volume))
        self._done = libvlc.off_gui(lambda: self._ring(level))

    def close(self) -> None:
        self._done = libvlc.off_gui(self._release)

    def join(self, timeout_s: float = 5.0) -> bool:
        """Wait for what was rung or closed to have reached libVLC (tests, shutdown)."""
        return self._done is None or self._done.wait(timeout_s)

    def _ring(self, volume: int) -> None:
        if not self._open():
            return
        self._player.stop()  # from the start again, also after the last ring ended
        self._player.audio_set_volume(volume)
        self._player.play()

    def _open(self) -> bool:
        if self._player is not None or self._failed:
            return self._player is not None
        try:
            if not self._path.exists():
                write_bell(self._path)
            instance = libvlc.instance()
            self._media = libvlc.media_from_path(instance, self._path, ":no-video")
            self._player = instance.media_player_new()
            self._player.set_media(self._media)
        except Exception as exc:  # no libVLC, no sound device: the alerts themselves go on
            log.warning("alarm bell unavailable: %s", exc)
            self._failed = True
        return self._player is not None

    def _release(self) -> None:
        if self._player is not None:
            self._player.stop()
            self._player.release()
            self._player = None
        libvlc.release_media(self._media)
        self._media = None
