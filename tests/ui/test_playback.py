"""Playback through the real libVLC on the test X server: an offset, 4×, frame steps, a snapshot, segment
boundaries, and the playback window opened from an alert 10 s before it, with its timeline."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QFont, QImage
from pytestqt.qtbot import QtBot

from console.core.alerts import AlertEvent, AlertKind
from console.core.config import RecordingMode, SiteConfig
from console.core.vntime import from_epoch_ms
from console.media.player import RecordingPlayer
from console.store.recordings import RecordingIndex
from console.ui.playback.export_dialog import ExportDialog
from console.ui.playback.sync import CompanionView
from console.ui.playback.window import PlaybackWindow
from console.ui.shell.main_window import MainWindow
from tests.support.databases import OpenDb
from tests.support.playback import CLIP_S, START_MS, stamp_of, wait_stamp
from tests.support.stamped_clip import lay_out_recording
from tests.support.waiting import wait_until
from tests.ui.test_alarm_panel import alert_window, click_row


def test_libvlc_plays_at_an_offset_at_4x_steps_frames_and_takes_a_snapshot(player: RecordingPlayer,
                                                                          tmp_path: Path) -> None:
    segment = player.open("C01", START_MS + CLIP_S * 1000 + 2500)  # 2.5 s into the second segment
    assert segment is not None and segment.start_ms == START_MS + CLIP_S * 1000
    first = wait_stamp(player, lambda v: True)
    assert first == 2000  # the keyframe at or before the moment asked for, never after it
    shown = player.time_ms()  # libVLC's clock starts at that keyframe: the player knows where it is
    assert shown is not None and 0 <= shown - (segment.start_ms + first) <= 200
    player.set_rate(4.0)
    wait_stamp(player, lambda v: v > first + 400)  # the new rate has taken hold
    before, at = stamp_of(player) or 0, time.monotonic()
    time.sleep(1.0)  # the speed is measured over a second
    speed = ((stamp_of(player) or 0) - before) / ((time.monotonic() - at) * 1000)
    assert 3.0 <= speed <= 4.4, speed  # 4× (a picture every 16 ms), not 1× or 2×
    player.set_rate(1.0)
    time.sleep(0.5)  # half a second at 1× before the pause
    player.pause()
    paused = wait_paused(player)
    time.sleep(0.3)  # a while paused: nothing may move
    assert stamp_of(player) == paused  # paused means still
    player.step_forward()
    stepped = wait_stamp(player, lambda v: v != paused)
    assert stepped in (paused + 66, paused + 67)  # one frame at 15 fps
    player.step_forward()
    assert wait_stamp(player, lambda v: v != stepped) in (stepped + 66, stepped + 67)
    snapshot = tmp_path / "snap.png"
    assert player.snapshot(snapshot)
    wait_until(lambda: snapshot.exists() and snapshot.stat().st_size > 0, 5)
    image = QImage(str(snapshot))
    assert (image.width(), image.height()) == (640, 360)


def wait_paused(player: RecordingPlayer) -> int:
    """The stamp of the still a pause put on screen: the frame `time_ms` says, and no picture since for three
    frame intervals (libVLC at 1× hands one over every 67 ms)."""
    found: list[int] = []

    def on_the_still() -> bool:
        stamp, now, segment = stamp_of(player), player.time_ms(), player.segment
        if stamp is None or now is None or segment is None or not player.paused:
            return False
        found[:] = [stamp]
        return stamp == now - segment.start_ms and time.monotonic() - player.picture.at >= 0.2

    wait_until(on_the_still, 5, poll_s=0.01, what="the paused still on screen at the moment time_ms says")
    return found[0]


def test_paused_the_player_shows_the_exact_frame_and_steps_back_one_frame(player: RecordingPlayer,
                                                                         tmp_path: Path) -> None:
    second = START_MS + CLIP_S * 1000
    player.open("C01", second + 2600, play=False)  # paused: the frame at 2.6 s, not the keyframe at 2 s
    assert wait_stamp(player, lambda v: True) == 2600
    assert player.time_ms() == second + 2600
    for expected in (2533, 2466, 2400):  # frame by frame back, at 15 fps (stamps: frame × 1000 // 15)
        player.step_back()
        assert wait_stamp(player, lambda v, e=expected: v == e) == expected
    assert player.time_ms() == second + 2400
    player.seek(second + 1990)  # back over a keyframe (2 s) while paused: still exact
    assert wait_stamp(player, lambda v: v != 2400) == 2000  # the frame nearest 1.99 s
    player.seek(second + 60)  # near the segment's first frames, then back across its start
    assert wait_stamp(player, lambda v: v != 2000) == 66
    player.step_back()
    assert wait_stamp(player, lambda v: v != 66) == 0
    player.step_back()
    assert wait_stamp(player, lambda v: v != 0) == CLIP_S * 1000 - 67  # the previous segment's last frame
    assert player.segment is not None and player.segment.start_ms == START_MS
    snapshot = tmp_path / "still.png"
    assert player.snapshot(snapshot)  # the still itself, at the video's size
    wait_until(lambda: snapshot.exists() and snapshot.stat().st_size > 0, 5)
    image = QImage(str(snapshot))
    assert (image.width(), image.height()) == (640, 360)
    player.seek(second + 2600)
    assert wait_stamp(player, lambda v: v == 2600) == 2600
    player.play()  # resumes from the still, not from its keyframe (2 s): nothing before it is shown again
    seen: list[int] = []

    def past_3_s() -> bool:
        stamp = stamp_of(player)
        if stamp is not None:
            seen.append(stamp)
        return stamp is not None and stamp >= 3000

    wait_until(past_3_s, 5, poll_s=0.005, what="playback resumed from the still at 2.6 s reaching 3.0 s")
    assert min(seen) == 2600, sorted(set(seen))[:5]


def test_playback_goes_on_across_a_segment_boundary(player: RecordingPlayer) -> None:
    player.open("C01", START_MS + 8000)
    wait_stamp(player, lambda v: v >= 7000)
    wait_until(player.poll, 8)  # the first segment ended: the next one opened
    assert player.segment is not None and player.segment.start_ms == START_MS + CLIP_S * 1000
    assert wait_stamp(player, lambda v: v < 2000) < 2000


@pytest.fixture()
def window(qtbot: QtBot, demo_site: SiteConfig, tmp_path: Path, vietnamese: object) -> Iterator[MainWindow]:
    with alert_window(qtbot, demo_site, tmp_path, data=tmp_path, recordings=tmp_path / "rec") as win:
        yield win


def test_double_clicking_an_alert_opens_its_recording_10_s_before(open_db: OpenDb,
                                                                  qtbot: QtBot, window: MainWindow, clip: Path,
                                                                   tmp_path: Path, artifacts: Path) -> None:
    index = RecordingIndex(open_db(tmp_path / "console.db"))
    start = int(time.time() * 1000) - 3_600_000  # the alarm list shows the last day
    lay_out_recording(index, tmp_path / "rec", "C01", clip, start, 6, CLIP_S * 1000, 1000, gap_ms=20_000)
    center = window.alert_center
    assert center is not None
    alert_id = center.services.writer.next_id()
    alert_ms = start + 2 * 30_000 + 13_000  # segments every 30 s (10 s recorded, 20 s gap): the third + 13 s
    center.services.writer.submit(AlertEvent(alert_id, "C01", "S01", AlertKind.MOTION, alert_ms, 0.8, "start"))
    qtbot.waitUntil(lambda: any(r.id == alert_id for r in center.panel.model.rows()), timeout=5000)
    click_row(qtbot, window, alert_id, double=True)
    qtbot.waitUntil(lambda: window._playback is not None and window._playback.isVisible(), timeout=5000)
    playback = window._playback
    assert playback is not None and playback.player is not None
    assert playback.camera_id() == "C01"
    segment = playback.player.segment
    assert segment is not None and segment.start_ms <= alert_ms - 10_000 < segment.end_ms
    stamp = wait_stamp(playback.player, lambda v: True)  # the first picture, read before it plays on a frame
    assert 3000 - 1000 <= stamp <= 3000  # 10 s before the alert: 3 s into that segment (keyframe before)
    qtbot.waitUntil(lambda: playback.picture.image is not None, timeout=5000)
    timeline = playback.timeline
    assert timeline.start_ms <= alert_ms <= timeline.end_ms
    assert len(timeline.ranges) >= 2 and [a[0] for a in timeline.alerts] == [alert_id]
    # Next alert / previous alert buttons move between alerts on this camera only.
    playback.jump_alert(False)
    assert "Không có cảnh báo" in playback.status.text()
    playback.resize(1100, 760)
    qtbot.wait(300)  # laid out and painted for the screenshot (an artifact, nothing asserted on it)
    playback.grab().save(str(artifacts / "playback_window.png"))
    # Export from the window: the dialog opens on the moment shown, in Vietnamese.
    playback.export_evidence()
    dialog = playback.findChild(ExportDialog)
    assert dialog is not None and dialog.windowTitle() == "Trích xuất chứng cứ"
    dialog.close()
    playback.close()


def test_timeline_zooms_from_a_day_to_a_minute_around_the_mouse(qtbot: QtBot) -> None:
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent

    from console.ui.playback.timeline import MAX_SPAN_MS, MIN_SPAN_MS, Timeline

    timeline = Timeline()
    qtbot.addWidget(timeline)
    timeline.resize(1000, 64)
    timeline.set_view(START_MS, 3_600_000)
    anchor = timeline.ms_at(250)

    def wheel(delta: int) -> None:
        event = QWheelEvent(QPointF(250, 30), QPointF(250, 30), QPoint(0, 0), QPoint(0, delta),
                            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
                            False)
        timeline.wheelEvent(event)

    for _ in range(40):
        wheel(120)
    assert timeline.span_ms == MIN_SPAN_MS and abs(timeline.ms_at(250) - anchor) < 1000
    for _ in range(60):
        wheel(-120)
    assert timeline.span_ms == MAX_SPAN_MS
    seeks: list[int] = []
    timeline.seek_requested.connect(seeks.append)
    qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=QPoint(500, 30))
    assert seeks and abs(seeks[0] - timeline.ms_at(500)) < MAX_SPAN_MS / 1000


def companion_stamp(companion: CompanionView) -> int | None:
    assert companion.player is not None
    return stamp_of(companion.player)


def test_up_to_four_cameras_play_back_on_one_clock(open_db: OpenDb, qtbot: QtBot, demo_site: SiteConfig, clip: Path,
                                                   tmp_path: Path, artifacts: Path, vietnamese: object) -> None:
    index = RecordingIndex(open_db(tmp_path / "console.db"))
    for camera_id in ("C01", "C02", "C03"):
        lay_out_recording(index, tmp_path / "rec", camera_id, clip, START_MS, 3, CLIP_S * 1000, 1000)
    late = START_MS + 2 * CLIP_S * 1000  # C04 recorded only the third segment's time
    lay_out_recording(index, tmp_path / "rec", "C04", clip, late, 1, CLIP_S * 1000, 1000)
    window = PlaybackWindow(demo_site, open_db(tmp_path / "console.db"), tmp_path / "rec", tmp_path)
    qtbot.addWidget(window)
    window.show()
    player = window.player
    assert player is not None
    window.open_camera("C01", START_MS + 1000)
    window.toggle_play()  # paused
    companions = [window.add_companion(), window.add_companion(), window.add_companion("C04")]
    assert window.add_companion() is None and not window.add_sync.isEnabled()  # four cameras at most
    assert [c.camera_id() for c in companions if c is not None] == ["C02", "C03", "C04"]
    two, three, four = (c for c in companions if c is not None)
    second = START_MS + CLIP_S * 1000
    window.seek(second + 2600)  # paused: every camera on the exact same frame
    for view in (two, three):
        assert wait_stamp(view.player, lambda v: v == 2600) == 2600  # type: ignore[arg-type]
    assert wait_stamp(player, lambda v: v == 2600) == 2600
    qtbot.waitUntil(lambda: bool(four.picture.message), timeout=3000)  # nothing recorded then: it says so
    window._step_forward()
    for view in (two, three):
        assert wait_stamp(view.player, lambda v: v == 2666) == 2666  # type: ignore[arg-type]
    window.toggle_play()  # all play from that frame, together
    qtbot.waitUntil(lambda: all((s or 0) >= 4000 for s in (stamp_of(player), companion_stamp(two),
                                                            companion_stamp(three))), timeout=8000)
    stamps = [stamp_of(player), companion_stamp(two), companion_stamp(three)]
    assert all(s is not None for s in stamps)
    assert max(stamps) - min(stamps) <= 250, stamps  # type: ignore[operator]
    window.seek(late + 1000)  # into the time C04 recorded: it joins in
    qtbot.waitUntil(lambda: not four.picture.message and (companion_stamp(four) or 0) >= 1000, timeout=5000)
    # A second on from the new moment, every camera (before the seek they all showed 4 s and more).
    qtbot.waitUntil(lambda: all(2000 <= (s or 0) < 4000 for s in (
        stamp_of(player), companion_stamp(two), companion_stamp(four))), timeout=8000)
    stamps = [stamp_of(player), companion_stamp(two), companion_stamp(four)]
    assert max(stamps) - min(stamps) <= 250, stamps  # type: ignore[operator]
    window.resize(1280, 800)
    qtbot.wait(200)  # laid out and painted for the screenshot (an artifact, nothing asserted on it)
    window.grab().save(str(artifacts / "playback_sync.png"))
    window.remove_companion(four)
    assert len(window.companions) == 2 and window.add_sync.isEnabled()
    window.close()


def test_calendar_marks_recorded_days_picker_marks_recorders_and_the_time_follows(
        open_db: OpenDb, qtbot: QtBot, demo_site: SiteConfig, clip: Path, tmp_path: Path, vietnamese: object) -> None:
    db = open_db(tmp_path / "console.db")
    index = RecordingIndex(db)
    later = START_MS + 3 * 86_400_000 + 3_600_000  # three days on, an hour later
    lay_out_recording(index, tmp_path / "rec", "C01", clip, START_MS, 2, CLIP_S * 1000, 1000)
    lay_out_recording(index, tmp_path / "rec", "C01", clip, later, 1, CLIP_S * 1000, 1000)
    site = replace(demo_site, cameras=tuple(replace(c, recording=RecordingMode.OFF) if c.id == "C02" else c
                                            for c in demo_site.cameras))
    window = PlaybackWindow(site, db, tmp_path / "rec", tmp_path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    screen = window.screen().availableGeometry()
    assert (window.frameGeometry().center() - screen.center()).manhattanLength() <= 8  # opens centred

    picker = window.camera
    assert picker.itemText(picker.findData("C02")).endswith("(không ghi hình)")
    assert not picker.itemIcon(picker.findData("C01")).isNull() and picker.itemIcon(picker.findData("C02")).isNull()

    window.open_camera("C01", START_MS + 1000)
    qtbot.waitUntil(lambda: window.when.ms() >= START_MS + 3000, timeout=8000)  # the field follows the playhead

    window._mark_days()
    first, second = (from_epoch_ms(ms).date() for ms in (START_MS, later))
    assert window.calendar.marked == {first, second}
    bold = window.calendar.dateTextFormat(QDate(second.year, second.month, second.day)).fontWeight()
    assert bold == QFont.Weight.Bold
    plain = first + timedelta(days=1)
    assert window.calendar.dateTextFormat(QDate(plain.year, plain.month, plain.day)).fontWeight() != bold
    window.open_day(QDate(second.year, second.month, second.day))
    assert window.when.ms() == later  # the day's first recording, not its midnight
    qtbot.waitUntil(lambda: (stamp_of(window.player) or 0) > 0, timeout=5000)  # type: ignore[arg-type]

    window.move(120, 90)
    qtbot.waitUntil(lambda: window.pos().x() == 120, timeout=2000)
    window.close()
    again = PlaybackWindow(site, db, tmp_path / "rec", tmp_path)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert again.pos().x() == 120 and again.pos().y() == 90  # where it was left
    again.close()
    db.close()
