"""*Kết nối tỉnh* in the status bar follows the real uplink: connected, then lost with the time and the
messages waiting when the broker dies, then connected again with the backlog sent; a click opens the admin's page
of the backlog (refused to an officer)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMainWindow, QStatusBar
from pytestqt.qtbot import QtBot

from console.core.credentials import Credentials
from console.core.users import Role, User
from console.officers.guard import Guard, Officers, open_officers
from console.ui.shell.uplink_indicator import UplinkIndicator
from console.ui.shell.uplink_page import open_uplink_page
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
            # The admin's page of the backlog (a click on the indicator); an officer is refused.
            window = QMainWindow()
            qtbot.addWidget(window)
            officer = Officers(Guard(lambda: User("trucban1", "Nguyễn Văn An", Role.OFFICER)))
            assert open_uplink_page(window, officer, c.publisher.status, c.db_path) is None
            assert window.statusBar().currentMessage().startswith("Chỉ quản trị viên")
            page = open_uplink_page(window, open_officers(), c.publisher.status, c.db_path)
            assert page is not None
            qtbot.waitUntil(lambda: page.table.rowCount() == 3, timeout=5_000)
            assert page.counts.text().startswith("3 ") and "alerts/new: 3" in page.counts.text()
            page.close()
            broker.start()  # the province's receipts empty the backlog once the link is back
            qtbot.waitUntil(lambda: indicator.text() == "Kết nối tỉnh: đã kết nối", timeout=15_000)
    finally:
        broker.kill()
