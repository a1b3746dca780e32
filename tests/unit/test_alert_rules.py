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


def _health_run(alerts: object, start_s: int, end_s: int, shown: dict[str, object],
                step_ms: int = 250) -> list[tuple[str | None, str, str]]:
    events = [e for t in range(start_s * 1000, end_s * 1000, step_ms)
              for e in alerts.update(t, shown)]  # type: ignore[attr-defined]
    return [(e.camera_id or e.site_id or "link", e.kind.value, e.phase) for e in events]


def test_cameras_still_connecting_at_start_raise_nothing_during_the_grace_then_one_alert_per_cause() -> None:
    from console.core.health import Shown
    from console.core.health_alerts import HealthAlerts, HealthAlertSettings

    sites = {"C01": "S01", "C02": "S01", "C03": "S02", "C04": "S02", "C05": "S03"}
    alerts = HealthAlerts(sites, itertools.count(1).__next__, HealthAlertSettings(startup_grace_ms=60_000))
    # At start C01 and C03 answer at once; C02 keeps failing, S03's only camera C05 never answers.
    starting = {"C01": Shown.LIVE, "C02": Shown.LOST, "C03": Shown.LIVE, "C04": Shown.CONNECTING,
                "C05": Shown.LOST}
    assert _health_run(alerts, 0, 60, starting) == []  # no flood while the console starts
    # The grace is over: what is still lost raises, one alert per cause (S03 is the site, not its camera).
    assert _health_run(alerts, 60, 61, starting) == [("C02", "camera_offline", "start"),
                                                      ("S03", "site_offline", "start")]
    # A camera that was live and is lost during the grace is an ordinary outage.
    fresh = HealthAlerts(sites, itertools.count(1).__next__)
    live = dict.fromkeys(sites, Shown.LIVE)
    assert _health_run(fresh, 0, 5, live) == []
    assert _health_run(fresh, 5, 16, {**live, "C04": Shown.LOST}) == [("C04", "camera_offline", "start")]


def test_a_site_whose_cameras_drop_one_after_another_is_one_alert_with_its_end() -> None:
    from console.core.health import Shown
    from console.core.health_alerts import HealthAlerts, HealthAlertSettings

    sites = {"C01": "S01", "C02": "S01", "C03": "S01", "C04": "S02"}
    alerts = HealthAlerts(sites, itertools.count(1).__next__, HealthAlertSettings(startup_grace_ms=0))
    live = dict.fromkeys(sites, Shown.LIVE)
    assert _health_run(alerts, 0, 2, live) == []
    # The site's cameras go 3 s apart (a router rebooting): the first is past its grace before the last is lost.
    going = [{**live, "C01": Shown.LOST}, {**live, "C01": Shown.LOST, "C02": Shown.LOST},
             {**live, "C01": Shown.LOST, "C02": Shown.LOST, "C03": Shown.LOST}]
    events = _health_run(alerts, 2, 5, going[0]) + _health_run(alerts, 5, 8, going[1])
    events += _health_run(alerts, 8, 30, going[2])
    assert events == [("S01", "site_offline", "start")]
    ends = [e for e in alerts.update(30_000, live)]
    assert [(e.site_id, e.kind.value, e.phase, e.at_ms) for e in ends] == [("S01", "site_offline", "end", 29_750)]


def test_every_site_down_at_once_is_one_link_alert() -> None:
    from console.core.health import Shown
    from console.core.health_alerts import HealthAlerts, HealthAlertSettings

    sites = {f"C{i:02d}": f"S{i // 3:02d}" for i in range(1, 26)}  # 25 cameras on 9 sites
    alerts = HealthAlerts(sites, itertools.count(1).__next__, HealthAlertSettings(startup_grace_ms=0))
    live = dict.fromkeys(sites, Shown.LIVE)
    assert _health_run(alerts, 0, 2, live) == []
    # The station's link drops: the cameras are seen lost over 2 s (their read timeouts differ).
    half = {c: Shown.LOST if int(c[1:]) % 2 else Shown.LIVE for c in sites}
    events = _health_run(alerts, 2, 4, half) + _health_run(alerts, 4, 30, dict.fromkeys(sites, Shown.LOST))
    assert events == [("link", "network_offline", "start")]
    assert _health_run(alerts, 30, 31, live) == [("link", "network_offline", "end")]


def test_priorities_are_calibrated_and_a_manual_incident_is_its_authors_own_record() -> None:
    from console.core.alerts import DEFAULT_PRIORITY, Priority, born_acknowledged

    assert DEFAULT_PRIORITY[AlertKind.CAMERA_OFFLINE] is Priority.MEDIUM  # one camera offline is not Cao
    assert DEFAULT_PRIORITY[AlertKind.FROZEN] is Priority.LOW
    assert DEFAULT_PRIORITY[AlertKind.SITE_OFFLINE] is Priority.HIGH
    assert DEFAULT_PRIORITY[AlertKind.NETWORK_OFFLINE] is Priority.HIGH
    assert DEFAULT_PRIORITY[AlertKind.TAMPER_COVERED] is Priority.HIGH
    assert born_acknowledged(AlertKind.MANUAL, "trucban1")
    assert not born_acknowledged(AlertKind.MANUAL, None) and not born_acknowledged(AlertKind.MOTION, "x")


def test_a_site_coming_back_camera_by_camera_stays_one_alert_and_a_camera_left_down_is_its_own() -> None:
    from console.core.health import Shown
    from console.core.health_alerts import HealthAlerts, HealthAlertSettings

    sites = {"C01": "S01", "C02": "S01", "C03": "S01", "C04": "S02"}
    alerts = HealthAlerts(sites, itertools.count(1).__next__, HealthAlertSettings(startup_grace_ms=0,
                                                                                   recovery_grace_ms=12_000))
    live = dict.fromkeys(sites, Shown.LIVE)
    down = {**live, "C01": Shown.LOST, "C02": Shown.LOST, "C03": Shown.LOST}
    assert _health_run(alerts, 0, 2, live) == []
    assert _health_run(alerts, 2, 20, down) == [("S01", "site_offline", "start")]
    # Each camera is back at its own next reconnect attempt (backoff up to 12 s apart).
    assert _health_run(alerts, 20, 25, {**down, "C01": Shown.LIVE}) == []
    assert _health_run(alerts, 25, 30, {**live, "C03": Shown.LOST}) == []
    assert _health_run(alerts, 30, 31, live) == [("S01", "site_offline", "end")]
    # Again within the cooldown (the same alert goes on), and C03 does not come back: after the recovery grace
    # the site's alert ends and C03's outage is its own.
    events = _health_run(alerts, 40, 60, down) + _health_run(alerts, 60, 80, {**live, "C03": Shown.LOST})
    assert events == [("S01", "site_offline", "active"), ("S01", "site_offline", "end"),
                      ("C03", "camera_offline", "start")]
