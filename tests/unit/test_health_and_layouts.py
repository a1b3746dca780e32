"""Stream health, reconnect backoff, whole-site outages, wall layouts and pages, stream choice (no Qt)."""

from __future__ import annotations

import random

import av.error
import pytest

from console.core.config import StreamKind, Transport
from console.core.health import (
    AUTH_MAX_FAILURES,
    BACKOFF_CAP_S,
    BACKOFF_FIRST_S,
    LOST_AFTER_S,
    ContentClock,
    Failure,
    Phase,
    Shown,
    SiteEvent,
    SiteOutages,
    StreamStatus,
    backoff_delay,
    plan_retry,
)
from console.core.layouts import LAYOUTS, StreamPolicy, WallState, choose_stream, initial_state, layout_for, pick_stream
from console.media.display import fit
from console.media.ingest import IngestSettings, classify


def test_backoff_doubles_with_jitter_and_is_capped() -> None:
    rng = random.Random(7)
    firsts = [backoff_delay(1, rng) for _ in range(200)]
    assert min(firsts) >= 0.4 and max(firsts) <= 0.6 and len({round(f, 3) for f in firsts}) > 50
    assert 0.8 <= backoff_delay(2, rng) <= 1.2
    assert 3.2 <= backoff_delay(4, rng) <= 4.8
    assert all(8.0 <= backoff_delay(n, rng) <= BACKOFF_CAP_S for n in range(6, 40))


def test_wrong_credentials_wait_minutes_and_stop_after_three_in_a_row() -> None:
    rng = random.Random(3)
    first = plan_retry(Failure.AUTH, 0, 0, rng)
    assert first.delay_s is not None and 48 <= first.delay_s <= 72 and first.auth_failures == 1
    second = plan_retry(Failure.AUTH, first.attempt, first.auth_failures, rng)
    assert second.delay_s is not None and second.delay_s >= 144 and second.auth_failures == 2
    third = plan_retry(Failure.AUTH, second.attempt, second.auth_failures, rng)
    assert third.delay_s is None and third.auth_failures == AUTH_MAX_FAILURES == 3  # given up: no 4th login
    # Any other failure between them breaks the run of wrong passwords and uses the ordinary backoff.
    other = plan_retry(Failure.REFUSED, second.attempt, second.auth_failures, rng)
    assert other.delay_s is not None and other.delay_s <= BACKOFF_CAP_S and other.auth_failures == 0
    # A camera that was live before starts from the first step: 0.5 s, even after 40 outages.
    assert plan_retry(Failure.TIMEOUT, 0, 0, rng).delay_s == pytest.approx(BACKOFF_FIRST_S, rel=0.21)


def test_a_pictures_capture_time_comes_from_its_timestamp_not_its_arrival() -> None:
    clock = ContentClock()
    for n in range(30):  # 15 fps, delivered on time with a little jitter
        assert clock.captured(n / 15, 100.0 + n / 15 + (0.01 if n % 2 else 0.0)) == pytest.approx(100.0 + n / 15)
    # A stall: the next picture arrives 5 s late, in one burst with the ones after it (the reference may creep
    # by CLOCK_CREEP over the 5 s: 5 ms).
    assert clock.captured(30 / 15, 107.0) == pytest.approx(102.0, abs=0.006)
    assert clock.captured(31 / 15, 107.01) == pytest.approx(102.0 + 1 / 15, abs=0.006)
    # A trickle: one picture a second of arrival for each 1/15 s of content: ever older.
    ages = [t - clock.captured((32 + k) / 15, t) for k, t in enumerate(range(108, 113))]
    assert ages == sorted(ages) and ages[-1] > 9
    # A camera restarting its clock (timestamps back to 0) is a new reference, not a 2-hour-old picture.
    assert clock.captured(0.0, 200.0) == pytest.approx(200.0)
    assert clock.captured(1 / 15, 200.0 + 1 / 15) == pytest.approx(200.0 + 1 / 15)
    assert clock.captured(None, 201.0) == pytest.approx(200.0 + 1 / 15)  # no timestamp: no fresher than the last


def test_a_tile_is_only_as_live_as_the_picture_it_shows() -> None:
    live = StreamStatus(Phase.LIVE, since=100.0, last_frame_at=110.0)
    assert live.with_picture(107.0).shown(110.0) is Shown.STALLED  # reconnected, old picture still on screen
    assert live.with_picture(110.0).shown(110.5) is Shown.LIVE
    waiting = StreamStatus(Phase.WAITING, Failure.TIMEOUT, lost_at=100.0)
    assert waiting.with_picture(1.0) is waiting
    assert StreamStatus(Phase.HALTED, Failure.AUTH, lost_at=1.0).shown(2.0) is Shown.LOST


def test_status_shows_stall_after_two_seconds_and_lost_with_outage_and_countdown() -> None:
    live = StreamStatus(Phase.LIVE, since=100.0, last_frame_at=105.0)
    assert live.shown(106.9) is Shown.LIVE
    assert live.shown(107.0) is Shown.STALLED and live.frame_age(108.0) == 3.0
    lost = StreamStatus(Phase.WAITING, Failure.REFUSED, since=110.0, lost_at=100.0, retry_at=114.0, attempts=3)
    assert lost.shown(112.0) is Shown.LOST and lost.outage(112.0) == 12.0 and lost.countdown(112.0) == 2.0
    retrying = StreamStatus(Phase.CONNECTING, since=114.0, lost_at=100.0)
    assert retrying.shown(114.5) is Shown.LOST  # still lost while the next attempt runs
    assert StreamStatus(Phase.CONNECTING, since=1.0).shown(2.0) is Shown.CONNECTING
    assert StreamStatus().shown(5.0) is Shown.OFF


def test_a_whole_site_down_is_one_event_and_its_return_another() -> None:
    outages = SiteOutages({"S01": ["C01", "C02", "C03", "C04"], "S02": ["C05"]})
    assert outages.update({"C01", "C02", "C03"}) == []
    assert outages.update({"C01", "C02", "C03", "C04"}) == [SiteEvent("S01", offline=True)]
    assert outages.update({"C01", "C02", "C03", "C04"}) == []  # not again while it lasts
    assert outages.is_down("S01")
    assert outages.update({"C01", "C02", "C03"}) == [SiteEvent("S01", offline=False)]
    assert outages.update({"C05"}) == [SiteEvent("S02", offline=True)]


@pytest.mark.parametrize(("key", "tiles"), [("1", 1), ("2x2", 4), ("3x3", 9), ("4x4", 16), ("5x5", 25),
                                            ("1+5", 6), ("1+7", 8)])
def test_layout_cells_cover_the_board_exactly_once(key: str, tiles: int) -> None:
    layout = LAYOUTS[key]
    assert layout.size == tiles
    covered = [(r, c) for cell in layout.cells for r in range(cell.row, cell.row + cell.rows)
               for c in range(cell.col, cell.col + cell.cols)]
    assert sorted(covered) == [(r, c) for r in range(layout.grid) for c in range(layout.grid)]


def test_wall_state_pages_assign_swap_and_layout_change() -> None:
    cameras = [f"C{i:02d}" for i in range(1, 26)]
    assert initial_state(cameras).layout == "5x5" and layout_for(5).key == "3x3"
    state = WallState("2x2", tuple(cameras))
    assert state.pages == 7 and state.page_slots(6) == ("C25", None, None, None)
    state = state.go(1)
    assert state.page_slots() == ("C05", "C06", "C07", "C08")
    state = state.assign(0, "C07")  # already on this page: the two swap, nothing is duplicated
    assert state.page_slots() == ("C07", "C06", "C05", "C08")
    state = state.swap(1, 3)
    assert state.page_slots() == ("C07", "C08", "C05", "C06")
    state = state.with_layout("3x3")  # the first camera shown stays on the visible page
    assert state.layout == "3x3" and "C07" in state.page_slots()
    assert state.go(state.pages).page == 0  # the tour wraps around
    emptied = WallState("2x2", ("C01",)).assign(0, None)
    assert emptied.slots == () and emptied.pages == 1


def test_stream_choice_like_nx_witness() -> None:
    assert choose_stream(200, 25, maximized=False) is StreamKind.SUB
    assert choose_stream(500, 25, maximized=False) is StreamKind.SUB  # 25 tiles: sub even if tall
    assert choose_stream(241, 16, maximized=False) is StreamKind.MAIN
    assert choose_stream(240, 4, maximized=False) is StreamKind.SUB
    assert choose_stream(100, 25, maximized=True) is StreamKind.MAIN
    assert choose_stream(100, 25, maximized=False, has_sub=False) is StreamKind.MAIN
    assert pick_stream(StreamPolicy.SUB, 900, 1, maximized=True) is StreamKind.SUB
    assert pick_stream(StreamPolicy.MAIN, 100, 25, maximized=False) is StreamKind.MAIN


def test_fit_keeps_aspect_even_sizes_and_never_upscales() -> None:
    assert fit(384, 216, 640, 360) == (384, 216)
    assert fit(400, 400, 640, 360) == (400, 224)
    assert fit(4000, 4000, 1920, 1080) == (1920, 1080)
    assert fit(0, 100, 640, 360) == (0, 0)


def test_failures_are_classified_and_options_are_low_latency() -> None:
    assert classify(ConnectionRefusedError()) is Failure.REFUSED
    assert classify(TimeoutError()) is Failure.TIMEOUT
    assert classify(av.error.HTTPUnauthorizedError(1, "401 Unauthorized")) is Failure.AUTH
    assert classify(av.error.InvalidDataError(1, "bad")) is Failure.BAD_DATA
    assert classify(RuntimeError("weird")) is Failure.OTHER
    options = IngestSettings().options(Transport.UDP)
    assert options["rtsp_transport"] == "udp" and options["flags"] == "low_delay"
    assert int(options["timeout"]) == LOST_AFTER_S * 1_000_000 and "nobuffer" not in options.get("fflags", "")
