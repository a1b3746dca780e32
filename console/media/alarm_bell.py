"""The alarm bell (Chuông báo động): a two-tone ring played through libVLC, which the console carries anyway
for playback, so the bell needs no other audio library. Without a sound device it stays silent and says
so once, in the log and to `on_failure` (the window's status bar); the blinking and the count on the window do
not depend on it."""

from __future__ import annotations

import logging
import math
import os
import struct
import sys
import threading
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

from console.media import vlc as libvlc

log = logging.getLogger(__name__)

RATE = 22050
TONES_HZ = (880.0, 660.0)
TONE_S = 0.35


ALSA_CARDS = Path("/proc/asound/cards")


def sound_device_present(cards: Path = ALSA_CARDS, runtime_dir: str | None = None,
                         pulse_server: str | None = None) -> bool:
    """Whether Linux has somewhere to send the bell: an ALSA card, or a PulseAudio / PipeWire server. libVLC
    cannot say: without a card ALSA fails to open "default" and libVLC plays on into nothing ("Playing",
    no error event; seen on a server without sound hardware). Elsewhere libVLC's own errors are all we have."""
    if not sys.platform.startswith("linux"):
        return True
    runtime = runtime_dir if runtime_dir is not None else os.environ.get("XDG_RUNTIME_DIR", "")
    if (pulse_server if pulse_server is not None else os.environ.get("PULSE_SERVER")) or (
            runtime and any((Path(runtime) / name).exists() for name in ("pulse/native", "pipewire-0"))):
        return True
    try:
        listing = cards.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False  # no ALSA at all (no sound driver loaded)
    return any(line[:1] == " " and line.strip()[:1].isdigit() for line in listing.splitlines())


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

    def __init__(self, folder: Path, device_present: Callable[[], bool] = sound_device_present) -> None:
        self._path = folder / "alarm-bell.wav"
        self._device_present = device_present
        self._player: Any = None  # touched on libVLC's worker only
        self._media: Any = None
        self._failed = False
        self._told = False  # the failure was reported (once: a ring every 4 s must not repeat it)
        self._done: threading.Event | None = None
        self._lock = threading.Lock()
        self.rings = 0
        # Told once, from libVLC's worker or one of its threads, when the bell cannot sound.
        self.on_failure: Callable[[str], None] | None = None

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
        if self._player.play() == -1:
            self._fail("libVLC could not start playing the bell")

    def _fail(self, reason: str) -> None:
        with self._lock:
            if self._told:
                return
            self._told = True
        log.warning("alarm bell unavailable: %s", reason)
        if self.on_failure is not None:
            self.on_failure(reason)

    def _open(self) -> bool:
        if self._player is not None or self._failed:
            return self._player is not None
        try:
            if not self._path.exists():
                write_bell(self._path)
            instance = libvlc.instance()
            self._media = libvlc.media_from_path(instance, self._path, ":no-video")
            player = instance.media_player_new()
            player.set_media(self._media)
            # The sound device failing shows only here, on one of libVLC's threads, after play() returned.
            player.event_manager().event_attach(libvlc.load().EventType.MediaPlayerEncounteredError,
                                                lambda _event: self._fail("libVLC could not play the bell "
                                                                          "(no sound device?)"))
            self._player = player
            if not self._device_present():
                self._fail("no sound device (no ALSA card, no PulseAudio or PipeWire server)")
        except Exception as exc:  # no libVLC, no sound device: the alerts themselves go on
            self._failed = True
            self._fail(str(exc))
        return self._player is not None

    def _release(self) -> None:
        if self._player is not None:
            self._player.stop()
            self._player.release()
            self._player = None
        libvlc.release_media(self._media)
        self._media = None
