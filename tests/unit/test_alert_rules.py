"""Alert workflow and episodes: legal changes only, a note to acknowledge, one alert per episode."""

from __future__ import annotations

import itertools

import pytest

from console.core.alerts import AlertKind, AlertState, EpisodeTracker, TransitionError, check_transition


@pytest.mark.parametrize(("current", "target"), [
    (AlertState.NEW, AlertState.CLOSED),  # closing unseen is not allowed: acknowledge first
    (AlertState.ACKNOWLEDGED, AlertState.NEW),
    (AlertState.CLOSED, AlertState.NEW),
    (AlertState.CLOSED, AlertState.ACKNOWLEDGED),
    (AlertState.ACKNOWLEDGED, AlertState.ACKNOWLEDGED),
])
def test_illegal_transitions_are_refused(current: AlertState, target: AlertState) -> None:
    with pytest.raises(TransitionError) as caught:
        check_transition(current, target, "ghi chú")
    assert caught.value.reason == "illegal"


@pytest.mark.parametrize("note", [None, "", "   \n "])
def test_acknowledge_needs_a_note(note: str | None) -> None:
    with pytest.raises(TransitionError) as caught:
        check_transition(AlertState.NEW, AlertState.ACKNOWLEDGED, note)
    assert caught.value.reason == "note_required"


def test_legal_path_returns_the_cleaned_note() -> None:
    assert check_transition(AlertState.NEW, AlertState.ACKNOWLEDGED, "  Đã cử tổ tuần tra  ") == "Đã cử tổ tuần tra"
    assert check_transition(AlertState.ACKNOWLEDGED, AlertState.CLOSED, None) == ""


def tracker(**kwargs: int) -> EpisodeTracker:
    return EpisodeTracker("C01", "S01", AlertKind.MOTION, itertools.count(1).__next__, **kwargs)


def phases(events: list) -> list[tuple[int, str]]:  # type: ignore[type-arg]
    return [(e.alert_id, e.phase) for e in events]


def test_swaying_tree_makes_one_alert_not_hundreds() -> None:
    t = tracker(end_after_ms=2000, cooldown_ms=60_000)
    events = []
    for second in range(600):  # ten minutes of on/off motion, every other second
        events += t.sample(second * 1000, active=second % 2 == 0, score=0.3)
    assert {e.alert_id for e in events} == {1}
    assert [e.phase for e in events].count("start") == 1 and {e.phase for e in events} == {"start", "active"}


def test_episode_start_peak_end_then_cooldown_then_new_alert() -> None:
    t = tracker(end_after_ms=3000, cooldown_ms=10_000, heartbeat_ms=0)
    events = t.sample(0, True, 0.2) + t.sample(1000, True, 0.25) + t.sample(2000, True, 0.6)
    events += [e for ms in range(3000, 9000, 1000) for e in t.sample(ms, False, 0.0)]
    assert phases(events) == [(1, "start"), (1, "peak"), (1, "end")]
    assert events[-1].at_ms == 2000 and events[-1].score == 0.6
    # Back within the cooldown: the same alert continues (no new row, but said: it has not ended after all) …
    assert phases(t.sample(9000, True, 0.3)) == [(1, "active")]
    assert phases(t.sample(9500, True, 0.3)) == []  # no heartbeat asked for
    events = [e for ms in range(10_000, 14_000, 1000) for e in t.sample(ms, False, 0.0)]
    assert phases(events) == [(1, "end")]
    # … after the cooldown a new one starts.
    assert phases(t.sample(30_000, True, 0.3)) == [(2, "start")]
    assert phases(t.close(31_000)) == [(2, "end")] and t.close(32_000) == []


def test_every_activity_of_a_long_episode_is_told_so_recording_covers_it_to_the_post_roll() -> None:
    """Three minutes of steady traffic, one keyframe sample a second, quiet gaps of 1–4 s between vehicles: the
    events alone (each arming recording until post-roll after it, as the recorder does) cover every active
    sample and the post-roll after the last one."""
    t = tracker(end_after_ms=3000, cooldown_ms=60_000)
    postroll = 10_000
    active = [ms for ms in range(0, 180_000, 1000) if (ms // 1000) % 9 not in (5, 6, 7, 8)]
    events = [e for ms in range(0, 200_000, 1000) for e in t.sample(ms, ms in active, 0.3)]
    assert {e.alert_id for e in events} == {1}  # one alert: gaps within the cooldown continue it
    armed = [(e.at_ms, e.at_ms + postroll) for e in events]

    def covered(ms: int) -> bool:
        return any(start <= ms <= end for start, end in armed)

    assert all(covered(ms) for ms in range(0, active[-1] + postroll + 1, 250))
    ends = [e for e in events if e.phase == "end"]
    assert ends and ends[-1].at_ms == active[-1]  # the episode ends at its last activity


def test_health_alerts_grace_site_correlation_and_back() -> None:
    from console.core.health import Shown
    from console.core.health_alerts import HealthAlerts, HealthAlertSettings

    sites = {"C01": "S01", "C02": "S01", "C03": "S02", "C04": "S02"}
    alerts = HealthAlerts(sites, itertools.count(1).__next__, HealthAlertSettings(offline_grace_ms=10_000,
                                                                                   frozen_grace_ms=5_000))
    live = {c: Shown.LIVE for c in sites}

    def run(start_s: int, end_s: int, shown: dict[str, Shown]) -> list[tuple[str | None, str, str]]:
        events = [e for t in range(start_s, end_s) for e in alerts.update(t * 1000, shown)]
        return [(e.camera_id or e.site_id, e.kind.value, e.phase) for e in events]

    assert run(0, 5, live) == []
    # A 5 s blip of C03 is not an alert; 12 s lost is, and it ends when C03 is back.
    assert run(5, 10, {**live, "C03": Shown.LOST}) == []
    assert run(10, 11, live) == []
    assert run(11, 24, {**live, "C03": Shown.LOST}) == [("C03", "camera_offline", "start")]
    assert run(24, 25, live) == [("C03", "camera_offline", "end")]
    # Both cameras of S01 down: one site alert, none per camera; back: the site alert ends.
    down = {**live, "C01": Shown.LOST, "C02": Shown.LOST}
    assert run(30, 45, down) == [("S01", "site_offline", "start")]
    assert run(45, 46, live) == [("S01", "site_offline", "end")]
    # Frozen picture after 5 s of no new frames.
    assert run(50, 57, {**live, "C02": Shown.STALLED}) == [("C02", "frozen", "start")]
