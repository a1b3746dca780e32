"""The daily province report's content, read from the province store: for one day (Vietnam time) each commune's
standing when the report is made (link, cameras down, alerts still unacknowledged), its alerts of the day by kind,
and the day's alerts, newest first. Plain data; console/ui/province/report_pdf.py lays it out as a PDF."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from console.core.vntime import VN_TZ
from console.province.overview import CommuneStatus, ProvinceTotals, statuses, totals
from console.province.queries import AlertFilter, ProvinceAlert, ProvinceQueries

LISTED_ALERTS = 2000  # the day's alerts printed one by one (a busy province: the rest are counted, not listed)


@dataclass(frozen=True)
class CommuneDay:
    status: CommuneStatus
    alerts: int
    by_kind: tuple[tuple[str, int], ...]  # kind, count; most first


@dataclass(frozen=True)
class DailyReport:
    day: date
    made_ms: int
    communes: tuple[CommuneDay, ...]
    totals: ProvinceTotals
    alerts_of_day: int
    by_kind: tuple[tuple[str, int], ...]
    listed: tuple[ProvinceAlert, ...]  # newest first, at most LISTED_ALERTS

    def commune_name(self, commune_id: str) -> str:
        found = next((c for c in self.communes if c.status.id == commune_id), None)
        return found.status.name if found is not None else commune_id


def day_bounds(day: date) -> tuple[int, int]:
    """[start, end) of a Vietnam-time day in epoch ms."""
    start = datetime.combine(day, time(0, 0), VN_TZ)
    return int(start.timestamp() * 1000), int((start + timedelta(days=1)).timestamp() * 1000)


def vn_day(at_ms: int) -> date:
    return datetime.fromtimestamp(at_ms / 1000, VN_TZ).date()


def build_daily_report(queries: ProvinceQueries, day: date, made_ms: int) -> DailyReport:
    since, until = day_bounds(day)
    communes = statuses(queries.communes())
    counts = queries.counts(since, until)
    of_day = queries.alerts(AlertFilter(since_ms=since, until_ms=until, limit=LISTED_ALERTS))
    per_commune: dict[str, Counter[str]] = {}
    for count in counts:
        per_commune.setdefault(count.commune, Counter())[count.kind] += count.count
    days = tuple(CommuneDay(c, sum(per_commune.get(c.id, Counter()).values()),
                            tuple(per_commune.get(c.id, Counter()).most_common()))
                 for c in communes)
    by_kind: Counter[str] = Counter()
    for count in counts:
        by_kind[count.kind] += count.count
    return DailyReport(day, made_ms, days, totals(communes), sum(by_kind.values()), tuple(by_kind.most_common()),
                       tuple(of_day))
