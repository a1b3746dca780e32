"""*Tìm chuyển động* with pictures: each moment listed gets a small picture of the camera's recording at that moment
(a real stamped recording: the picture's stamp is the moment's), decoded off the GUI thread for the rows on screen
only — rows scrolled to get theirs then — kept in a cache; what the GUI thread does for them (listing, asking,
showing a picture) never takes 50 ms, and a 5 ms heartbeat never waits long (decoding there would stall it for the
~20-50 ms of each picture's GOP; on this shared 2-core box the heartbeat alone sees other jobs' load too)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from console.core.motion import MotionGrid
from console.core.stamp import read_stamp
from console.search.motion_search import Region
from console.store.database import open_database
from console.store.motion_grid import MotionGridWriter
from console.store.recordings import RecordingIndex
from console.ui.playback.moment_thumbnails import THUMB_SIZE
from console.ui.playback.motion_search import MotionSearchDialog
from tests.support.stamped_clip import lay_out_recording, write_stamped_segment

AT_MS = 1_780_290_000_000  # 01/06/2026 12:00 in Vietnam
CLIP_S = 10
SEGMENTS = 20  # 200 s of recording
ROAD = Region.from_rect(0.0, 0.55, 1.0, 0.82)
MOMENTS = [AT_MS + 3_000 + 3_000 * n for n in range(60)]  # one moving picture every 3 s: 60 moments


@pytest.fixture(scope="module")
def stamped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("clip") / "clip.ts"
    write_stamped_segment(path, CLIP_S, 640, 360, 15)  # a keyframe every second, each picture stamped with its ms
    return path


def station(folder: Path, clip: Path) -> Path:
    database = folder / "console.db"
    index = RecordingIndex(open_database(database))
    lay_out_recording(index, folder / "rec", "C01", clip, AT_MS, SEGMENTS, CLIP_S * 1000, 1000)
    index.close()
    writer = MotionGridWriter(database, retention_days=30)
    for at in MOMENTS:
        writer.submit(MotionGrid("C01", at, ROAD.mask))
    writer.close()
    return database


def stamp_of(image: QImage) -> int | None:
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    luma = np.frombuffer(gray.constBits(), np.uint8).reshape(gray.height(), gray.bytesPerLine())[:, :gray.width()]
    return read_stamp(luma)


def timed(calls: list[float], method: Callable[..., object]) -> Callable[..., object]:
    def call(*args: object) -> object:
        started = time.perf_counter()
        try:
            return method(*args)
        finally:
            calls.append(time.perf_counter() - started)
    return call


def test_the_rows_on_screen_get_the_recordings_picture_at_their_moment_without_blocking_the_gui(
        qtbot: QtBot, tmp_path: Path, stamped: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database = station(tmp_path, stamped)
    gui_calls: list[float] = []
    for name in ("_found", "ask_visible", "_thumbnail"):
        monkeypatch.setattr(MotionSearchDialog, name, timed(gui_calls, getattr(MotionSearchDialog, name)))
    dialog = MotionSearchDialog(database, "C01", "C01 · Nút giao", AT_MS, None, recordings=tmp_path / "rec")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    beats: list[float] = []
    heartbeat = QTimer(dialog)
    heartbeat.timeout.connect(lambda: beats.append(time.monotonic()))
    heartbeat.start(5)
    dialog.picture.set_region(0.0, 0.6, 1.0, 0.75)
    dialog.search()
    qtbot.waitUntil(lambda: dialog.results.topLevelItemCount() == len(MOMENTS), timeout=5000)
    shown = dialog.visible_moments()
    assert 3 <= len(shown) < len(MOMENTS) // 2  # the list is longer than the screen
    qtbot.waitUntil(lambda: all(not dialog.items_at[m].icon(0).isNull() for m in shown), timeout=10_000)
    heartbeat.stop()  # the checks below are the test's own work on this thread
    gaps = list(np.diff(beats))
    thumbnails = dialog.thumbnails
    assert thumbnails is not None
    for at_ms in shown:
        image = thumbnails.cached(at_ms)
        assert image is not None and (image.width(), image.height()) == THUMB_SIZE
        stamp = stamp_of(image)
        assert stamp is not None and abs(stamp - (at_ms - AT_MS) % (CLIP_S * 1000)) <= 70, (at_ms, stamp)
    below = [m for m in MOMENTS if m not in shown]
    assert all(dialog.items_at[m].icon(0).isNull() for m in below[-10:])  # never asked: never decoded
    decoded = thumbnails.decoded
    assert decoded <= len(shown) + 2

    beats.clear()
    heartbeat.start(5)
    dialog.results.scrollToBottom()
    qtbot.waitUntil(lambda: not dialog.items_at[MOMENTS[-1]].icon(0).isNull(), timeout=10_000)
    heartbeat.stop()
    gaps += list(np.diff(beats))
    last = thumbnails.cached(MOMENTS[-1])
    stamp = stamp_of(last) if last is not None else None
    assert stamp is not None and abs(stamp - (MOMENTS[-1] - AT_MS) % (CLIP_S * 1000)) <= 70
    assert len(gui_calls) > len(shown) and max(gui_calls) < 0.050, f"a GUI call took {max(gui_calls) * 1000:.0f} ms"
    assert len(gaps) > 20 and max(gaps) < 0.150, f"the GUI thread waited {max(gaps) * 1000:.0f} ms"

    dialog.results.scrollToTop()  # back up: the pictures are in the cache, nothing decoded again
    dialog.ask_visible()
    qtbot.wait(150)
    assert thumbnails.decoded <= decoded + (len(MOMENTS) - len(shown))
    assert all(not dialog.items_at[m].icon(0).isNull() for m in shown)
    dialog.close()
    thumbnails.join()


def test_a_moment_without_recording_gets_no_picture_and_no_error(qtbot: QtBot, tmp_path: Path) -> None:
    database = tmp_path / "console.db"
    open_database(database).close()
    writer = MotionGridWriter(database, retention_days=30)
    writer.submit(MotionGrid("C01", AT_MS + 5_000, ROAD.mask))
    writer.close()
    dialog = MotionSearchDialog(database, "C01", "C01", AT_MS, None, recordings=tmp_path / "rec")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.picture.set_region(0.0, 0.6, 1.0, 0.75)
    dialog.search()
    qtbot.waitUntil(lambda: dialog.results.topLevelItemCount() == 1, timeout=5000)
    assert dialog.thumbnails is not None
    qtbot.waitUntil(lambda: dialog.thumbnails is not None and dialog.thumbnails.cached(AT_MS + 5_000) is not None,
                    timeout=5000)
    assert dialog.items_at[AT_MS + 5_000].icon(0).isNull()
    dialog.close()
