"""*Yêu cầu ảnh chụp* in the province window, over the real receiver, Debian's mosquitto on 127.0.0.1 and the
console's own commune side answering with its live pictures: the commune's cameras come from its health messages,
the officer's request brings the picture of the chosen camera with the time it was taken, and a request nobody
answers says so once its time is up."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from console.province.receiver import ProvinceReceiver
from console.province.snapshot_requests import RequestState, SnapshotRequest, SnapshotRequests
from console.ui.province.snapshot_request import SnapshotDesk
from console.ui.province.window import ProvinceWindow
from tests.integration.test_province_receiver import TUNING, province_config, started
from tests.integration.test_uplink_commands import COLOURS, answering_commune
from tests.support.mosquitto import Mosquitto

COMMUNE = "gia-dong"
POLL_S = 0.2


@pytest.fixture()
def broker(tmp_path: Path) -> Iterator[Mosquitto]:
    with Mosquitto(tmp_path / "broker", {COMMUNE: "Bi-Mat#2026", "dai-dong": "Pw-Two"}) as running:
        yield running


@pytest.fixture()
def receiver(tmp_path: Path, broker: Mosquitto) -> Iterator[ProvinceReceiver]:
    running = started(ProvinceReceiver(province_config(broker), tmp_path / "province.db", tmp_path / "snapshots",
                                       tuning=TUNING))
    running.requests = SnapshotRequests(timeout_s=1.5)  # a request nobody answers is given up on soon
    yield running
    running.stop()


def test_the_officer_asks_a_commune_camera_for_a_picture_and_sees_it(qtbot: QtBot, tmp_path: Path,
                                                                     broker: Mosquitto,
                                                                     receiver: ProvinceReceiver) -> None:
    desk = SnapshotDesk(lambda commune, camera: receiver.request_snapshot(commune, camera, "can-bo-tinh"),
                        receiver.requests.get)
    window = ProvinceWindow(receiver.config, receiver.status, receiver.queries, poll_s=POLL_S, snapshots=desk)
    qtbot.addWidget(window)
    window.show()
    pane = window.snapshots
    try:
        with answering_commune(tmp_path / "commune", broker) as (_audit, _db, pictures):
            window.tabs.setCurrentWidget(pane)
            qtbot.waitUntil(lambda: pane.choose_camera(COMMUNE, "C02"), timeout=10_000)  # named by its health
            assert pane.ask_button.isEnabled()
            with qtbot.waitSignal(pane.answer_shown, timeout=10_000) as shown:
                qtbot.mouseClick(pane.ask_button, Qt.MouseButton.LeftButton)
            request = shown.args[0]
            assert isinstance(request, SnapshotRequest) and request.state is RequestState.ANSWERED
            assert pictures.asked == ["C02"]
            pixmap = pane.picture.pixmap()
            assert not pixmap.isNull() and pixmap.width() == 320
            colour = pixmap.toImage().pixelColor(160, 90)
            assert abs(colour.blue() - COLOURS["C02"][2]) < 40 and colour.red() < 90
            assert "Camera C02 (Gia Đông), taken at" in pane.answer.text()
            assert pane.ask_button.isEnabled()
        # The commune is gone: the request is sent, nobody answers.
        with qtbot.waitSignal(pane.answer_shown, timeout=10_000) as shown:
            qtbot.mouseClick(pane.ask_button, Qt.MouseButton.LeftButton)
        assert shown.args[0].state is RequestState.TIMED_OUT
        assert "did not answer the request for camera C02 in time" in pane.answer.text()
    finally:
        window.shutdown()
