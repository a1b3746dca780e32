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
    """Ticks every 10 ms on the GUI thread and remembers the longest gap between ticks (`longest_s`, wall clock)
    and the most CPU the GUI thread itself spent between two ticks (`longest_busy_s`, its own thread clock).

    On a loaded 2-core machine the wall-clock gap is mostly the scheduler's and the GIL's (a trivial Qt process
    beside the suite sees 100–330 ms); the thread clock counts only the GUI thread's own work, so it holds the
    house's 50 ms budget under load and still catches SOAP parsing, decoding or a file burst on the GUI thread."""

    def __init__(self) -> None:
        self.longest_s = 0.0
        self.longest_busy_s = 0.0
        self._last = time.monotonic()
        self._last_cpu = time.thread_time()
        self.timer = QTimer()
        self.timer.timeout.connect(self._tick)
        self.timer.start(10)

    def _tick(self) -> None:
        now, cpu = time.monotonic(), time.thread_time()
        self.longest_s = max(self.longest_s, now - self._last)
        self.longest_busy_s = max(self.longest_busy_s, cpu - self._last_cpu)
        self._last, self._last_cpu = now, cpu


def open_wizard(qtbot: QtBot, site_file: Path, network: NetworkLoop,
                limits: OnboardingLimits) -> tuple[AddCameraWizard, CredentialStore]:
    store = CredentialStore({})
    wizard = open_add_camera_wizard(None, load_config(site_file), SiteFileEditor(site_file), store, network,
                                    limits=limits)
    qtbot.addWidget(wizard)
    qtbot.waitExposed(wizard)
    return wizard, store
