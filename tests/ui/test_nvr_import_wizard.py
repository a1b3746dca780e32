"""The *Thêm camera* wizard's recorder page against the recorder simulator on loopback: the technician types a
recorder's address and login, reads its channels, ticks three, gives one another site, and the save writes the
`[[recorders]]` table and the three cameras (the login in the credentials store only); a wrong password is said in
Vietnamese naming the recorder and nothing is written; back on the search page the ONVIF path is as before."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QWizard
from pytestqt.qtbot import QtBot

from console.core.config import SiteConfig, load_config, load_config_with_credentials
from console.onboarding.limits import OnboardingLimits
from console.onvif.network_loop import NetworkLoop
from console.simulator.nvr.recorder import Vendor
from console.simulator.nvr.server import RecorderSimulator, RunningRecorder
from console.ui.onboarding.channel_table import SITE, TAKE
from console.ui.onboarding.placement_page import EACH_SITE
from console.ui.onboarding.wizard import AddCameraWizard
from tests.support.nvr_site import ADMIN, PASSWORD, WRONG_PASSWORD
from tests.support.siteconfig import write_demo_config
from tests.support.wizard import StallWatch, open_wizard

LIMITS = OnboardingLimits(probe_wait_s=1.0, call_timeout_s=3.0)
READ_TIMEOUT_MS = 20_000
GUI_STALL_LIMIT_S = 0.5  # as the ONVIF wizard's test: catches a network call on the GUI thread, not a budget
TAKEN = (1, 4, 9)




@pytest.fixture()
def network() -> Iterator[NetworkLoop]:
    loop = NetworkLoop("test-nvr-wizard").start()
    yield loop
    loop.stop()


@pytest.fixture()
def site_file(tmp_path: Path) -> Path:
    """Five cameras, so that the file has two sites (the demo's first site has four)."""
    return write_demo_config(tmp_path / "site.toml", cameras=5)




def read_channels(qtbot: QtBot, wizard: AddCameraWizard, running: RunningRecorder, password: str) -> None:
    qtbot.mouseClick(wizard.discover.recorder_button, Qt.MouseButton.LeftButton)
    page = wizard.recorder
    assert wizard.currentPage() is page
    page.vendor.setCurrentIndex(page.vendor.findData(running.vendor.value))
    page.host.setText("127.0.0.1")
    page.http_port.setText(str(running.http_port))
    page.rtsp_port.setText(str(running.rtsp_port))
    assert page.password.echoMode() is page.password.EchoMode.Password
    page.password.setText(password)
    qtbot.mouseClick(page.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not wizard.tasks.busy and "…" not in page.status.text(), timeout=READ_TIMEOUT_MS)


def test_the_wizard_imports_three_channels_of_a_recorder_each_at_its_site(
        qtbot: QtBot, nvr: RecorderSimulator, site_file: Path, network: NetworkLoop) -> None:
    running = nvr.recorder(Vendor.HIKVISION)
    wizard, store = open_wizard(qtbot, site_file, network, LIMITS)
    saved: list[SiteConfig] = []
    wizard.saved.connect(saved.append)
    watch = StallWatch()
    read_channels(qtbot, wizard, running, PASSWORD)
    table = wizard.recorder.table
    assert table.rowCount() == 25, wizard.recorder.status.text()
    sites = load_config(site_file).sites
    assert len(sites) >= 2
    for row in range(table.rowCount()):
        item = table.item(row, TAKE)
        assert item is not None
        item.setCheckState(Qt.CheckState.Checked if row + 1 in TAKEN else Qt.CheckState.Unchecked)
    box = table.cellWidget(TAKEN[1] - 1, SITE)
    assert isinstance(box, QComboBox)
    box.setCurrentIndex(box.findData(sites[1].id))
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()

    wizard.next()
    assert wizard.currentPage() is wizard.streams
    assert [d.recorder.channel for d in wizard.session.drafts if d.recorder] == list(TAKEN)
    assert wizard.streams.table.rowCount() == 6  # main and sub of each, the recorder's login with them
    wizard.next()
    page = wizard.placement
    assert wizard.currentPage() is page and page.site_id() == EACH_SITE
    assert wizard.button(QWizard.WizardButton.FinishButton).isVisible()
    with qtbot.waitSignal(wizard.saved, timeout=READ_TIMEOUT_MS):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    watch.timer.stop()
    assert watch.longest_s < GUI_STALL_LIMIT_S, watch.longest_s

    config, disk_store = load_config_with_credentials(site_file)
    assert saved and [c.id for c in saved[0].cameras] == [c.id for c in config.cameras]
    [recorder] = config.recorders
    assert recorder.host == "127.0.0.1" and recorder.http_port == running.http_port
    assert disk_store.get(recorder.credentials) == ADMIN == store.get(recorder.credentials)
    new = [c for c in config.cameras if c.recorder == recorder.id]
    assert [c.recorder_channel for c in new] == list(TAKEN)
    assert [c.site_id for c in new] == [sites[0].id, sites[1].id, sites[0].id]
    assert [c.main_url for c in new] == [f"rtsp://127.0.0.1:{running.rtsp_port}/Streaming/Channels/{n}01"
                                         for n in TAKEN]
    assert all(c.credentials == recorder.credentials for c in new)
    assert PASSWORD not in site_file.read_text("utf-8")


def test_a_wrong_recorder_password_is_said_in_vietnamese_and_nothing_is_written(
        qtbot: QtBot, nvr: RecorderSimulator, site_file: Path, network: NetworkLoop, vietnamese: object) -> None:
    original = site_file.read_bytes()
    running = nvr.recorder(Vendor.DAHUA)
    wizard, _ = open_wizard(qtbot, site_file, network, LIMITS)
    read_channels(qtbot, wizard, running, WRONG_PASSWORD)
    status = wizard.recorder.status.text()
    assert f"Đầu ghi 127.0.0.1:{running.http_port} từ chối đăng nhập: sai tên đăng nhập hoặc mật khẩu." in status
    assert WRONG_PASSWORD not in status and wizard.recorder.table.rowCount() == 0
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.reject()
    assert site_file.read_bytes() == original
    assert sorted(p.name for p in site_file.parent.iterdir() if p.name != "data") == ["site.toml"]


def test_back_from_the_recorder_page_the_search_leads_to_the_login_page_again(
        qtbot: QtBot, nvr: RecorderSimulator, site_file: Path, network: NetworkLoop) -> None:
    wizard, _ = open_wizard(qtbot, site_file, network, LIMITS)
    read_channels(qtbot, wizard, nvr.recorder(Vendor.HIKVISION), PASSWORD)
    wizard.back()
    assert wizard.currentPage() is wizard.discover
    assert not wizard.session.importing_recorder and wizard.session.recorder is None
    assert wizard.nextId() == wizard.pageIds()[1]  # the login page: the ONVIF path as before
