"""libVLC's objects and threads, with the real libVLC: every media a player makes is released (counted both by
our door to libVLC and by python-vlc itself), the alarm bell never stops libVLC on the thread that rings it,
and a still decoded too late never freezes a player that has resumed."""

from __future__ import annotations

import gc
import threading
import time
import weakref
from pathlib import Path
from typing import Any

import pytest

from console.media import vlc as libvlc
from console.media.alarm_bell import AlarmBell
from console.media.player import RecordingPlayer
from console.media.still import Still, StillDecoder
from tests.support.playback import CLIP_S, START_MS, recorded_player, wait_stamp
from tests.support.waiting import wait_until

SECOND_MS = START_MS + CLIP_S * 1000  # the second segment's start




class MediaCensus:
    """Media made and released as python-vlc itself sees them, whoever makes them."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        vlc = libvlc.load()
        self.made = self.released = 0
        make, release = vlc.Instance.media_new_callbacks, vlc.Media.release

        def counted_make(instance: Any, *args: Any) -> Any:
            self.made += 1
            return make(instance, *args)

        def counted_release(media: Any) -> None:
            self.released += 1
            release(media)

        monkeypatch.setattr(vlc.Instance, "media_new_callbacks", counted_make)
        monkeypatch.setattr(vlc.Media, "release", counted_release)

    @property
    def alive(self) -> int:
        return self.made - self.released


def test_seeks_resumes_and_segment_changes_release_every_media_they_replace(
    clip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    census = MediaCensus(monkeypatch)
    baseline = libvlc.media_alive()
    player = recorded_player(clip, tmp_path)
    player.open("C01", SECOND_MS + 1000)
    wait_stamp(player, lambda v: v >= 1000)
    for second in range(20):  # 20 seeks while playing: a new media each
        player.seek(SECOND_MS + (second % 10) * 900)  # the last at 8.1 s
    wait_stamp(player, lambda v: v >= 8000)
    player.pause()  # a still (PyAV), then a resume from it: one more media
    player.seek(SECOND_MS + 9500)
    wait_stamp(player, lambda v: v == 9533)
    player.play()
    wait_until(player.poll, 8)  # the segment ended: the next one opened, one more media
    assert player.segment is not None and player.segment.start_ms == SECOND_MS + CLIP_S * 1000
    assert census.made == 23
    assert census.alive == 1 and libvlc.media_alive() == baseline + 1  # only the one being played
    player.close()
    player.join()
    assert census.alive == 0
    assert libvlc.media_alive() == baseline


def test_ringing_the_bell_never_stops_libvlc_on_the_ringing_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vlc = libvlc.load()
    stops: list[tuple[str, float]] = []  # (thread, seconds the stop took)
    stop = vlc.MediaPlayer.stop

    def timed_stop(player: Any) -> None:
        started = time.perf_counter()
        stop(player)
        stops.append((threading.current_thread().name, time.perf_counter() - started))

    monkeypatch.setattr(vlc.MediaPlayer, "stop", timed_stop)
    bell = AlarmBell(tmp_path)
    in_ring: list[float] = []
    for _ in range(6):
        started = time.perf_counter()
        bell.ring(30)
        in_ring.append(time.perf_counter() - started)
        time.sleep(0.3)  # the bell is playing when it is rung again
    bell.close()
    wait_until(lambda: len(stops) == 7, 10)  # once per ring and once on close: the bell really opened libVLC
    assert {name for name, _ in stops} == {libvlc.WORKER_NAME}
    assert threading.current_thread().name not in {name for name, _ in stops}
    print({"ring_ms_max": round(max(in_ring) * 1000, 3), "stop_ms_max": round(max(s for _, s in stops) * 1000, 1)})


class LateStills:
    """The player's still decoder, except that the next still it hands over is held back at the moment the
    player reads it, until the test has resumed playing: the order that froze a playing player."""

    def __init__(self, decoder: StillDecoder) -> None:
        self._decoder = decoder
        self.held = threading.Event()
        self.resumed = threading.Event()

    def frame_at(self, segment: Any, offset_ms: int) -> Still | None:
        still = self._decoder.frame_at(segment, offset_ms)
        if still is None:
            return None
        late = self

        class HeldStill(Still):
            @property
            def at_ms(self) -> int:
                if threading.current_thread().name == "stills" and not late.held.is_set():
                    late.held.set()
                    late.resumed.wait(2.0)
                return super().at_ms

        return HeldStill(still.segment, still.offset_ms, still.frame_ms, still.pixels, still.frame)

    def close(self) -> None:
        self._decoder.close()


def test_a_still_decoded_after_the_player_resumed_does_not_freeze_it(player: RecordingPlayer) -> None:
    player.open("C01", SECOND_MS + 2600, play=False)
    assert wait_stamp(player, lambda v: True) == 2600
    late = LateStills(player._stills)
    player._stills = late  # type: ignore[assignment]
    player.seek(SECOND_MS + 5400)  # paused: a still at 5.4 s, decoded on the stills thread
    assert late.held.wait(5)  # decoded, and being handed over
    player.play()  # the officer presses play before the still is on screen
    late.resumed.set()
    shown = wait_stamp(player, lambda v: v >= 6500, timeout_s=5)  # libVLC's pictures go on past the still
    assert shown >= 6500
    now = player.time_ms()
    assert now is not None and now >= SECOND_MS + 6000
    wait_stamp(player, lambda v: v > shown, timeout_s=5)  # still playing on after the late still
    assert not player.paused


def test_a_closed_player_and_its_picture_buffers_are_freed(clip: Path, tmp_path: Path) -> None:
    """python-vlc caches every player's event manager for the life of the process: a callback that held the
    player kept it and its picture buffers (~7 MB a playback window; the soak's RSS grew 630 MB/h)."""
    gone: list[weakref.ref[RecordingPlayer]] = []
    for n in range(3):
        player = recorded_player(clip, tmp_path / f"p{n}")
        player.open("C01", START_MS + 1000)
        wait_stamp(player, lambda v: v >= 1000)
        player.close()
        player.join()
        gone.append(weakref.ref(player))
        del player
    gc.collect()
    assert [ref() for ref in gone] == [None, None, None]
