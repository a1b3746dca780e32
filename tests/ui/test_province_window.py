"""The province window over the real receiver, Debian's mosquitto on 127.0.0.1 (TLS, password file, per-commune
ACL) and the console's own commune side (alert writer, outbox, publisher): the commune shows online with its
alert and its snapshot, the list filters by commune, the daily report is written as a PDF naming the commune, and
the commune's link cut without a goodbye (its last will) turns its marker offline within 30 s."""

from __future__ import annotations

import io
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from pytestqt.qtbot import QtBot

from console.core.alerts import AlertEvent, AlertKind
from console.core.credentials import Credentials
from console.core.vntime import now_ms
from console.province.overview import Standing
from console.province.receiver import ProvinceReceiver
from console.province.report import vn_day
from console.ui.province.window import ProvinceWindow
from tests.integration.test_province_receiver import TUNING, province_config, started
from tests.support.brokers import COMMUNE, NEIGHBOUR, NEIGHBOUR_PASSWORD, PASSWORD
from tests.support.mosquitto import Mosquitto, commune_console, settings_for
from tests.support.tcp_proxy import TcpProxy

POLL_S = 0.2
LAST_WILL_S = 30.0


@pytest.fixture()
def broker(tmp_path: Path) -> Iterator[Mosquitto]:
    with Mosquitto(tmp_path / "broker", {COMMUNE: PASSWORD, NEIGHBOUR: NEIGHBOUR_PASSWORD}) as running:
        yield running


@pytest.fixture()
def receiver(tmp_path: Path, broker: Mosquitto) -> Iterator[ProvinceReceiver]:
    running = started(ProvinceReceiver(province_config(broker), tmp_path / "province.db", tmp_path / "snapshots",
                                       tuning=TUNING))
    yield running
    running.stop()


@pytest.fixture()
def window(qtbot: QtBot, receiver: ProvinceReceiver) -> Iterator[ProvinceWindow]:
    shown = ProvinceWindow(receiver.config, receiver.status, receiver.queries, poll_s=POLL_S)
    qtbot.addWidget(shown)
    shown.show()
    yield shown
    shown.shutdown()  # its reader stops before the receiver closes the store


def small_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (160, 90), (180, 40, 40)).save(out, "JPEG", quality=70)
    return out.getvalue()


def pdf_text(path: Path) -> str:
    return " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True,
                                   timeout=30).stdout.split())


def test_province_window_shows_a_commune_its_alert_its_report_and_its_last_will(
        qtbot: QtBot, tmp_path: Path, broker: Mosquitto, window: ProvinceWindow) -> None:
    with TcpProxy(broker.port) as link, \
            commune_console(tmp_path / "commune", settings_for(link.port, broker.pki.ca_cert, COMMUNE),
                            Credentials(COMMUNE, PASSWORD)) as commune:
        qtbot.waitUntil(lambda: commune.publisher.status().connected, timeout=10_000)
        alert_id = commune.writer.next_id()
        commune.writer.submit(AlertEvent(alert_id, "C01", "S01", AlertKind.MOTION, now_ms(), 0.7, "start",
                                         snapshot=small_jpeg()))
        commune.publisher.report_camera_health("C03", AlertKind.CAMERA_OFFLINE.value)
        commune.flush()
        marker = window.map.markers[COMMUNE]
        qtbot.waitUntil(lambda: marker.standing is Standing.ALERTING and window.alerts.rowCount() == 1
                        and "1 cameras down" in marker.line, timeout=15_000)
        assert window.map.markers[NEIGHBOUR].standing is Standing.UNKNOWN  # nothing heard from it
        row = window.alerts.row_at(0)
        assert row is not None and (row.commune, row.alert_id) == (COMMUNE, alert_id)
        assert window.alerts.text(row, "commune") == "Gia Đông"
        assert "1 of 2 communes online" in window.totals.text()
        assert "connected since" in window.link.text()

        # The alert in full, with the commune's snapshot once it has come in.
        assert window.select_alert(COMMUNE, alert_id)
        qtbot.waitUntil(lambda: window.details.shown is not None and window.details.shown.picture is not None,
                        timeout=15_000)
        assert "Gia Đông" in window.details.facts.text()
        assert not window.details.picture.pixmap().isNull()

        # The list by commune: the neighbour has none, a click on the commune's marker lists its own.
        window.filters.show_commune(NEIGHBOUR)
        qtbot.waitUntil(lambda: window.alerts.rowCount() == 0, timeout=5_000)
        window.map.commune_clicked.emit(COMMUNE)
        qtbot.waitUntil(lambda: window.alerts.rowCount() == 1, timeout=5_000)
        assert window.filters.commune.currentData() == COMMUNE
        qtbot.waitUntil(lambda: window.counts.rowCount() == 1, timeout=5_000)
        assert window.counts.rows()[0].count == 1

        # The daily report, written off the GUI thread.
        report = tmp_path / "bao-cao-tinh.pdf"
        with qtbot.waitSignal(window.report_written, timeout=30_000) as written:
            window.write_report(report, vn_day(now_ms()))
        outcome = written.args[0] if written.args else None
        assert isinstance(outcome, tuple) and outcome[0] == report and outcome[1] >= 1, outcome
        assert report.read_bytes().startswith(b"%PDF")
        assert "Gia Đông" in pdf_text(report)
        assert window.report_button.isEnabled()

        # The commune's link cut without a goodbye: the broker sends its last will.
        link.close()
        cut = time.monotonic()
        qtbot.waitUntil(lambda: marker.standing is Standing.OFFLINE, timeout=int(LAST_WILL_S * 1000))
        assert time.monotonic() - cut < LAST_WILL_S
        assert "Offline since" in marker.line and "1 unacknowledged alerts" in marker.line
