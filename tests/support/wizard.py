"""The *Thêm camera* wizard as its tests open it (over a site file, an empty credentials store and a network loop),
and a watch of the GUI thread's longest stall while it works."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from console.core.config import load_config
from console.core.config_edit import SiteFileEditor
from console.core.credentials import CredentialStore
from console.onboarding.limits import OnboardingLimits
from console.onvif.network_loop import NetworkLoop
from console.ui.onboarding.wizard import AddCameraWizard, open_add_camera_wizard


class StallWatch:
    """Ticks every 10 ms on the GUI thread and remembers the longest gap between ticks."""

    def __init__(self) -> None:
        self.longest_s = 0.0
        self._last = time.monotonic()
        self.timer = QTimer()
        self.timer.timeout.connect(self._tick)
        self.timer.start(10)

    def _tick(self) -> None:
        now = time.monotonic()
        self.longest_s = max(self.longest_s, now - self._last)
        self._last = now


def open_wizard(qtbot: QtBot, site_file: Path, network: NetworkLoop,
                limits: OnboardingLimits) -> tuple[AddCameraWizard, CredentialStore]:
    store = CredentialStore({})
    wizard = open_add_camera_wizard(None, load_config(site_file), SiteFileEditor(site_file), store, network,
                                    limits=limits)
    qtbot.addWidget(wizard)
    qtbot.waitExposed(wizard)
    return wizard, store
