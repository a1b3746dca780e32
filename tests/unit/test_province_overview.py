"""The province window's controllers on a real province store (SQLite, written by the receiver's own store from
schema v1 messages): each commune's standing and the totals, the new filters of the alert list, the daily
report's content, when the window reads again, and the reader that never queues stale reads."""

from __future__ import annotations

import functools
import json
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from console.province.config import ProvinceCommune
from console.province.overview import OverviewRequest, RefreshClock, Standing, read_overview
from console.province.queries import AlertFilter, ProvinceQueries
from console.province.report import build_daily_report, day_bounds, vn_day
from console.province.store import ProvinceStore
from console.province.store_reader import StoreReader
from console.province.validate import Dropped, Echo, parse_message
from console.uplink import schema
from console.uplink.schema import LinkState, Topic
from tests.support.waiting import wait_until

GIA_DONG, DAI_DONG, SONG_HO = "gia-dong", "dai-dong", "song-ho"
COMMUNES = (ProvinceCommune(GIA_DONG, "Gia Đông", 21.06, 106.07), ProvinceCommune(DAI_DONG, "Đại Đồng", 21.08, 106.05),
            ProvinceCommune(SONG_HO, "Song Hồ", 21.04, 106.09))
DAY = date(2026, 12, 3)
NOON_MS = day_bounds(DAY)[0] + 12 * 3600 * 1000


class Province:
    """The province store, fed message by message as the receiver feeds it."""

    def __init__(self, folder: Path) -> None:
        self.db, self.snapshots = folder / "province.db", folder / "snapshots"
        self.store = ProvinceStore(self.db, self.snapshots)
        self.seqs: dict[str, int] = {}

    def receive(self, topic: str, payload: bytes) -> None:
        parsed = parse_message(topic, payload, NOON_MS)
        assert not isinstance(parsed, Dropped | Echo), parsed
        self.store.write([parsed], NOON_MS)

    def status(self, commune: str, state: LinkState, session: str = "s1", reason: str | None = None) -> None:
        at = NOON_MS if reason is None else None
        self.receive(schema.topic(commune, Topic.STATUS), schema.status_payload(
            commune, state, session, at, backlog=0 if reason is None else None, reason=reason))

    def camera(self, commune: str, camera: str, state: str) -> None:
        self.receive(schema.camera_health_topic(commune, camera),
                     schema.camera_health_payload(commune, camera, state, NOON_MS))

    def alert(self, commune: str, alert_id: int, *, kind: str = "motion", state: str = "new", priority: int = 2,
              note: str = "", at_ms: int = NOON_MS, topic: Topic = Topic.ALERT_NEW) -> None:
        seq = self.seqs[commune] = self.seqs.get(commune, 0) + 1
        alert = schema.alert_object(alert_id=alert_id, kind=kind, camera="C01", site="S01", priority=priority,
                                    score=0.5, state=state, started_ms=at_ms, peak_ms=None, last_ms=None,
                                    ended_ms=None, note=note, acked_by="trucban1" if state != "new" else None,
                                    acked_ms=at_ms + 60_000 if state != "new" else None, closed_by=None,
                                    closed_ms=None, has_snapshot=False)
        kinds = {Topic.ALERT_NEW: "alert_new", Topic.ALERT_ACK: "alert_ack"}
        body = {"type": kinds[topic], "alert": alert} | ({"officer": "trucban1", "note": note}
                                                          if topic is Topic.ALERT_ACK else {})
        self.receive(schema.topic(commune, topic), schema.envelope(commune, seq, at_ms, json.dumps(body)))

    def queries(self) -> ProvinceQueries:
        return ProvinceQueries(self.db, self.snapshots, COMMUNES)


@pytest.fixture()
def province(tmp_path: Path) -> Iterator[Province]:
    made = Province(tmp_path)
    yield made
    made.store.close()


def test_each_commune_gets_its_standing_and_the_province_its_totals(province: Province) -> None:
    province.status(GIA_DONG, LinkState.ONLINE)
    province.camera(GIA_DONG, "C03", "camera_offline")
    province.camera(GIA_DONG, "C04", "ok")
    province.alert(GIA_DONG, 1)
    province.status(DAI_DONG, LinkState.ONLINE)
    province.status(DAI_DONG, LinkState.OFFLINE, reason="lost")  # its last will
    province.alert("bac-ninh-x", 5)  # a commune the province file does not list
    queries = province.queries()
    try:
        overview = read_overview(queries, OverviewRequest(AlertFilter(), counts=(None, None), generation=3), 42)
        by_id = {c.id: c for c in overview.communes}
        assert by_id[GIA_DONG].standing is Standing.ALERTING
        assert (by_id[GIA_DONG].state.cameras_down, by_id[GIA_DONG].state.unacknowledged) == (1, 1)
        assert by_id[DAI_DONG].standing is Standing.OFFLINE and by_id[DAI_DONG].state.since_ms == NOON_MS
        assert by_id[SONG_HO].standing is Standing.UNKNOWN
        assert not by_id["bac-ninh-x"].state.configured
        assert (overview.totals.communes, overview.totals.online, overview.totals.offline, overview.totals.unknown,
                overview.totals.cameras_down, overview.totals.unacknowledged) == (4, 1, 1, 2, 1, 2)
        assert [(a.commune, a.alert_id) for a in overview.alerts] == [("bac-ninh-x", 5), (GIA_DONG, 1)]
        assert overview.counts is not None and sum(c.count for c in overview.counts) == 2
        assert (overview.generation, overview.read_ms) == (3, 42)
        assert read_overview(queries, OverviewRequest(AlertFilter()), 0).counts is None  # not asked this time

        province.alert(GIA_DONG, 1, state="acknowledged", topic=Topic.ALERT_ACK, note="Đã xem")
        gia_dong = next(c for c in read_overview(queries, OverviewRequest(AlertFilter()), 0).communes
                        if c.id == GIA_DONG)
        assert gia_dong.standing is Standing.DEGRADED  # acknowledged: only the camera down is left
        province.camera(GIA_DONG, "C03", "ok")
        gia_dong = next(c for c in read_overview(queries, OverviewRequest(AlertFilter()), 0).communes
                        if c.id == GIA_DONG)
        assert gia_dong.standing is Standing.NORMAL
    finally:
        queries.close()


def test_the_alert_list_filters_by_commune_priority_and_the_words_of_the_note(province: Province) -> None:
    province.alert(GIA_DONG, 1, priority=3, note="Xe máy đỗ trái phép 100%")
    province.alert(GIA_DONG, 2, priority=2, note="Người lạ")
    province.alert(DAI_DONG, 1, priority=3, note="xe MÁY")
    queries = province.queries()
    try:
        def ids(wanted: AlertFilter) -> set[tuple[str, int]]:
            return {(a.commune, a.alert_id) for a in queries.alerts(wanted)}

        assert ids(AlertFilter(communes=frozenset({GIA_DONG}))) == {(GIA_DONG, 1), (GIA_DONG, 2)}
        assert ids(AlertFilter(priority=3)) == {(GIA_DONG, 1), (DAI_DONG, 1)}
        assert ids(AlertFilter(text="Xe")) == {(GIA_DONG, 1), (DAI_DONG, 1)}  # SQLite's LIKE: ASCII case folded
        assert ids(AlertFilter(text="100%")) == {(GIA_DONG, 1)}  # a % in the words is a %, not a wildcard
        assert ids(AlertFilter(text="_")) == set()
    finally:
        queries.close()


def test_the_daily_report_counts_the_day_of_each_commune(province: Province) -> None:
    start, end = day_bounds(DAY)
    province.status(GIA_DONG, LinkState.ONLINE)
    province.alert(GIA_DONG, 1, kind="motion")
    province.alert(GIA_DONG, 2, kind="motion", at_ms=start + 60_000)
    province.alert(GIA_DONG, 3, kind="tamper_covered", at_ms=end - 1)
    province.alert(GIA_DONG, 4, at_ms=end)  # the next day
    province.alert(DAI_DONG, 1, kind="camera_offline", at_ms=start - 1)  # the day before
    queries = province.queries()
    try:
        report = build_daily_report(queries, DAY, NOON_MS)
    finally:
        queries.close()
    days = {c.status.id: c for c in report.communes}
    assert days[GIA_DONG].alerts == 3 and dict(days[GIA_DONG].by_kind) == {"motion": 2, "tamper_covered": 1}
    assert days[DAI_DONG].alerts == 0 and days[SONG_HO].alerts == 0
    assert report.alerts_of_day == 3 and report.by_kind[0] == ("motion", 2)
    assert [a.alert_id for a in report.listed] == [3, 1, 2]  # newest first
    assert report.commune_name(GIA_DONG) == "Gia Đông" and report.totals.unacknowledged == 5
    assert vn_day(start) == DAY and vn_day(end) == date(2026, 12, 4)


def test_the_window_reads_again_after_a_commit_or_when_idle_and_counts_less_often() -> None:
    clock = RefreshClock(idle_refresh_s=10, counts_refresh_s=30)
    assert clock.due(0, 100.0) and clock.counts_due(100.0)
    clock.read(0, 100.0, counted=True)
    assert not clock.due(0, 101.0)  # nothing committed since
    assert clock.due(1, 101.0)  # a batch was
    clock.read(1, 101.0, counted=False)
    assert clock.due(1, 111.0) and not clock.counts_due(111.0)  # idle: read anyway, counts not yet
    assert clock.counts_due(130.0)
    clock.forget_counts()  # the officer chose another period
    assert clock.counts_due(111.0)


def test_the_reader_runs_the_newest_read_of_a_key_and_never_queues_stale_ones(province: Province) -> None:
    reader = StoreReader(province.queries)
    release = threading.Event()
    ran: list[int] = []
    answers: list[object] = []

    def counted(queries: ProvinceQueries, number: int) -> int:
        ran.append(number)
        return len(queries.communes())

    try:
        reader.submit("overview", lambda _q: release.wait(5), answers.append)  # busy: the rest wait
        wait_until(lambda: not reader.idle() and reader._waiting == {}, 5, what="the first read running")
        for number in range(5):
            reader.submit("overview", functools.partial(counted, number=number), answers.append)
        reader.submit("details", lambda _q: 1 / 0, answers.append)
        release.set()
        wait_until(reader.idle, 5, what="the reader idle")
        assert ran == [4]  # the newest overview only
        assert answers[0] is True and answers[1] == 3 and isinstance(answers[2], ZeroDivisionError)
    finally:
        reader.close()
    started = time.monotonic()
    reader.submit("overview", lambda _q: None, answers.append)  # closed: ignored, returns at once
    assert time.monotonic() - started < 0.5 and len(answers) == 3
