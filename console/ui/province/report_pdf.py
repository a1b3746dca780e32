"""The daily province report as an A4 PDF (the project's paged PDF writer and the official forms' serif font):
the day's summary, each commune's state and alerts, alerts by kind, and the day's alerts one per line. Words in
the interface language (Vietnamese by default); safe to run off the GUI thread (no widget)."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QTextDocument

from console.core.vntime import format_vn_ms
from console.province.report import DailyReport
from console.ui.province.words import commune_line, kind_words, state_words
from console.ui.widgets.official_form import STYLESHEET, form_font
from console.ui.widgets.paged_pdf import write_paged_pdf

GRID = "<table class='grid' border='1' cellspacing='0' cellpadding='4' width='{width}%'>"


def _words() -> dict[str, str]:
    return {
        "title": QCoreApplication.translate("ProvinceReport", "Province daily report on security cameras and alerts"),
        "day": QCoreApplication.translate("ProvinceReport", "Day {day} (UTC+7)"),
        "communes_line": QCoreApplication.translate(
            "ProvinceReport", "Communes: {count} ({online} online, {offline} offline, {unknown} not heard from)"),
        "down_line": QCoreApplication.translate("ProvinceReport", "Cameras down now: {count}"),
        "waiting_line": QCoreApplication.translate("ProvinceReport", "Alerts not yet acknowledged now: {count}"),
        "day_line": QCoreApplication.translate("ProvinceReport", "Alerts of the day: {count}"),
        "communes": QCoreApplication.translate("ProvinceReport", "Communes"),
        "commune": QCoreApplication.translate("ProvinceReport", "Commune"),
        "state": QCoreApplication.translate("ProvinceReport", "State"),
        "of_day": QCoreApplication.translate("ProvinceReport", "Alerts of the day"),
        "by_kind": QCoreApplication.translate("ProvinceReport", "By kind"),
        "kinds": QCoreApplication.translate("ProvinceReport", "Alerts by kind"),
        "none": QCoreApplication.translate("ProvinceReport", "No alert was received for this day."),
        "every": QCoreApplication.translate("ProvinceReport", "Every alert of the day"),
        "time": QCoreApplication.translate("ProvinceReport", "Time"),
        "alert": QCoreApplication.translate("ProvinceReport", "Alert"),
        "camera": QCoreApplication.translate("ProvinceReport", "Camera"),
        "note": QCoreApplication.translate("ProvinceReport", "Note"),
        "more": QCoreApplication.translate("ProvinceReport", "… and {count} more alerts, counted above"),
        "made": QCoreApplication.translate("ProvinceReport", "Made {time} (UTC+7)"),
    }


def _e(text: str) -> str:
    return html.escape(text)


def _summary(report: DailyReport, w: dict[str, str]) -> str:
    totals = report.totals
    lines = [
        w["day"].format(day=report.day.strftime("%d/%m/%Y")),
        w["communes_line"].format(count=totals.communes, online=totals.online, offline=totals.offline,
                                  unknown=totals.unknown),
        w["down_line"].format(count=totals.cameras_down),
        w["waiting_line"].format(count=totals.unacknowledged),
        w["day_line"].format(count=report.alerts_of_day),
    ]
    return "<p>" + "<br/>".join(_e(line) for line in lines) + "</p>"


def _communes(report: DailyReport, w: dict[str, str]) -> str:
    head = (f"<tr><th width='22%'>{_e(w['commune'])}</th><th width='36%'>{_e(w['state'])}</th>"
            f"<th width='12%'>{_e(w['of_day'])}</th><th>{_e(w['by_kind'])}</th></tr>")
    rows = []
    for day in report.communes:
        kinds = ", ".join(f"{kind_words(kind)}: {count}" for kind, count in day.by_kind)
        rows.append(f"<tr><td>{_e(day.status.name)}</td><td>{_e(commune_line(day.status, report.made_ms))}</td>"
                    f"<td align='right'>{day.alerts}</td><td>{_e(kinds)}</td></tr>")
    return f"<h3>{_e(w['communes'])}</h3>{GRID.format(width=100)}{head}{''.join(rows)}</table>"


def _kinds(report: DailyReport, w: dict[str, str]) -> str:
    if not report.by_kind:
        return ""
    rows = "".join(f"<tr><td>{_e(kind_words(kind))}</td><td align='right'>{count}</td></tr>"
                   for kind, count in report.by_kind)
    return f"<h3>{_e(w['kinds'])}</h3>{GRID.format(width=60)}{rows}</table>"


def _alerts(report: DailyReport, w: dict[str, str]) -> str:
    if not report.listed:
        return f"<p><i>{_e(w['none'])}</i></p>"
    head = (f"<tr><th width='20%'>{_e(w['time'])}</th><th width='18%'>{_e(w['commune'])}</th>"
            f"<th width='22%'>{_e(w['alert'])}</th><th width='12%'>{_e(w['camera'])}</th>"
            f"<th width='12%'>{_e(w['state'])}</th><th>{_e(w['note'])}</th></tr>")
    rows = "".join(
        f"<tr><td>{format_vn_ms(a.started_ms)}</td><td>{_e(report.commune_name(a.commune))}</td>"
        f"<td>{_e(kind_words(a.kind))}</td><td>{_e(a.camera or '—')}</td><td>{_e(state_words(a.state))}</td>"
        f"<td>{_e(a.note)}</td></tr>" for a in report.listed)
    more = ""
    if report.alerts_of_day > len(report.listed):
        more = f"<p><i>{_e(w['more'].format(count=report.alerts_of_day - len(report.listed)))}</i></p>"
    return f"<h3>{_e(w['every'])}</h3>{GRID.format(width=100)}{head}{rows}</table>{more}"


def report_html(report: DailyReport, _document: QTextDocument) -> str:
    w = _words()
    made = w["made"].format(time=format_vn_ms(report.made_ms))
    return (f"<html><body><p align='center' style='font-size: 14pt'><b>{_e(w['title'].upper())}</b></p>"
            f"{_summary(report, w)}{_communes(report, w)}{_kinds(report, w)}{_alerts(report, w)}"
            f"<p><i>{_e(made)}</i></p></body></html>")


def write_daily_report_pdf(path: Path, report: DailyReport) -> int:
    """Returns the number of pages."""
    return write_paged_pdf(path, _words()["title"], lambda document: report_html(report, document), form_font(),
                           STYLESHEET)
