"""A recording player on a stamped clip (each frame shows its offset in ms), and reading its pictures; the
fixtures `clip` and `player` the playback tests share (registered in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from console.core.stamp import read_stamp
from console.media.player import RecordingPlayer
from console.media.vlc_input import KeyframeFinder
from console.store.database import open_database
from console.store.recordings import RecordingIndex
from tests.support.stamped_clip import lay_out_recording, write_stamped_segment
from tests.support.waiting import wait_until

CLIP_S = 10
START_MS = 1_790_000_000_000


def write_clip(folder: Path) -> Path:
    path = folder / "clip.ts"
    write_stamped_segment(path, CLIP_S, 640, 360, 15)  # keyframe every second, stamp = offset in ms
    return path


def recorded_player(clip: Path, folder: Path, segments: int = 3) -> RecordingPlayer:
    """A player on camera C01's recording: `segments` copies of the clip back to back from START_MS."""
    index = RecordingIndex(open_database(folder / "console.db"))
    lay_out_recording(index, folder / "rec", "C01", clip, START_MS, segments, CLIP_S * 1000, 1000)
    keyframes = KeyframeFinder(folder / "rec", index.keyframes)
    return RecordingPlayer(folder / "rec", index.at, keyframes, size=(640, 360))


def stamp_of(player: RecordingPlayer) -> int | None:
    return read_stamp(player.picture.luma())


def wait_stamp(player: RecordingPlayer, accept: object, timeout_s: float = 5.0) -> int:
    found: list[int] = []

    def seen() -> bool:
        value = stamp_of(player)
        if value is not None and accept(value):  # type: ignore[operator]
            found.append(value)
            return True
        return False

    wait_until(seen, timeout_s, poll_s=0.005)
    return found[0]


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_clip(tmp_path_factory.mktemp("clip"))


@pytest.fixture()
def player(clip: Path, tmp_path: Path) -> Iterator[RecordingPlayer]:
    recorded = recorded_player(clip, tmp_path)
    yield recorded
    recorded.close()
    recorded.join()
