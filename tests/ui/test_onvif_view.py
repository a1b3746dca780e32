"""The cameras' ONVIF side in the window, in Vietnamese: the camera tree's tooltip says the event channel's state
and the camera clock's offset, and the tile menu's *Đồng bộ giờ* sets the clock and says so. Against the
simulator's ONVIF face on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QTranslator
from pytestqt.qtbot import QtBot

from console.audit.actions import AuditAction, AuditEntry
from console.core.config import SiteConfig
from console.core.credentials import Credentials
from console.core.users import Role, User
from console.officers.guard import Guard, Officers
from console.onvif.camera_services import CameraServices
from console.simulator.server import Simulator
from console.ui.live.camera_tree import CameraTree
from console.ui.live.onvif_bridge import OnvifView
from tests.support.onvif_site import onvif_site


@pytest.fixture()
def site(tmp_path_factory: pytest.TempPathFactory,
         demo_password: Credentials) -> Iterator[tuple[Simulator, SiteConfig]]:
    with onvif_site(tmp_path_factory.mktemp("onvif-view"), demo_password) as running:
        yield running


def test_the_tree_says_events_and_clock_and_the_menu_syncs_the_clock(
        qtbot: QtBot, vietnamese: QTranslator | None, site: tuple[Simulator, SiteConfig],
        demo_password: Credentials) -> None:
    simulator, config = site
    simulator.onvif_clock("C02", 192.3)
    said: list[str] = []
    counter = iter(range(1, 1 << 40))
    services = CameraServices(config, lambda _ref: demo_password, lambda _event: None, lambda: next(counter))
    tree = CameraTree(config)
    qtbot.addWidget(tree)
    audit: list[AuditEntry] = []
    admin = User("quantri", "Trần Văn Kỹ", Role.ADMIN)
    view = OnvifView(services, tree, lambda text, _ms: said.append(text),
                     officers=Officers(Guard(lambda: admin, audit=audit.append), audit.append))
    services.start()
    try:
        item = tree.camera_item("C02")
        qtbot.waitUntil(lambda: "Sự kiện camera: đang nhận" in item.toolTip(0)
                        and "Lệch giờ +3 phút 12 giây" in item.toolTip(0), timeout=20_000)
        [(text, sync)] = view.actions("C02")
        assert text == "Đồng bộ giờ camera"
        assert callable(sync)
        sync()
        qtbot.waitUntil(lambda: bool(said), timeout=20_000)
        assert said[0].startswith("Camera C02: đã đồng bộ giờ (")
        qtbot.waitUntil(lambda: "Lệch giờ dưới 1 giây" in item.toolTip(0), timeout=5_000)
        assert "Lệch giờ +3 phút" not in item.toolTip(0)
        [row] = audit  # setting a camera's clock changes the camera: one settings row, before and after
        assert (row.action, row.user, row.camera, row.target) == (AuditAction.SETTINGS_CHANGED, "quantri", "C02",
                                                                   "clock")
        assert abs(row.details["before"]["offset_s"] - 192.3) < 2  # type: ignore[index]
        assert abs(row.details["after"]["offset_s"]) < 1  # type: ignore[index]
    finally:
        services.close()
