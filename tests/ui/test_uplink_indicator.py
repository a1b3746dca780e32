"""*Kết nối tỉnh* in the status bar follows the real uplink: connected, then lost with the time and the
messages waiting when the broker dies, then connected again with the backlog sent; it never asks the broker anything itself."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QStatusBar
from pytestqt.qtbot import QtBot

from console.core.credentials import Credentials
from console.ui.shell.uplink_indicator import UplinkIndicator
from tests.support.mosquitto import Mosquitto, ProvinceStand, commune_console, uplink_settings

COMMUNE = "gia-dong"
PASSWORD = "Bi-Mat#2026"  # one of the suite's passwords (tests/support/secrets_sweep.py)


def test_the_status_bar_says_connected_lost_with_the_backlog_and_back(qtbot: QtBot, tmp_path: Path,
                                                                    vietnamese: object) -> None:
    broker = Mosquitto(tmp_path / "broker", {COMMUNE: PASSWORD}).start()
    try:
        with ProvinceStand(broker) as _province, \
                commune_console(tmp_path / "c", uplink_settings(broker, COMMUNE), Credentials(COMMUNE, PASSWORD)) as c:
            bar = QStatusBar()
            qtbot.addWidget(bar)
            indicator = UplinkIndicator(c.publisher.status, bar)
            bar.addPermanentWidget(indicator)
            bar.show()
            qtbot.waitUntil(lambda: indicator.text() == "Kết nối tỉnh: đã kết nối", timeout=10_000)
            broker.kill()
            for _ in range(3):
                c.alert()
            c.flush()
            qtbot.waitUntil(lambda: "mất kết nối từ" in indicator.text() and "3 tin chờ gửi" in indicator.text(),
                            timeout=10_000)
            assert indicator.toolTip()  # what is wrong, in a sentence
            broker.start()  # the province's receipts empty the backlog once the link is back
            qtbot.waitUntil(lambda: indicator.text() == "Kết nối tỉnh: đã kết nối", timeout=15_000)
    finally:
        broker.kill()
