"""The station recorders' health on screen, against the recorder simulator (Hikvision and Dahua faces, loopback) and
the real recorder services: each camera on a recorder channel says in its tree tooltip that its recorder's event
channel is live and what the recorder's clock and time mode are; a recorder whose event stream goes silent turns
slow, then lost, in the tree and the status bar, and live again when it speaks; a refused login is said. And the
real console (`console.app.run`, in its own process, as tests/support/restart_run.py runs it) on a site file with
`[[recorders]]`: the recorder's event is in the alert list, and the playback window opened from the main window
draws the recorder's ranges on its timeline.

The texts are asserted in English (the source strings): their Vietnamese is in /tmp/brief/nvr_health.tsv until the
translation file takes it. Run as `python -m tests.ui.test_recorder_health SITE OUT`, this module is the console's
probe (the process the last test starts)."""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from console.core.camera_events import ChannelState
from console.core.config import SiteConfig
from console.core.credentials import Credentials, CredentialStore
from console.nvr.events import RecorderEventSettings
from console.nvr.services import RecorderServices, RecorderServicesSettings
from console.simulator.nvr.recorder import Vendor
from console.simulator.nvr.server import RecorderSimulator
from console.ui.live.camera_tree import CameraTree
from console.ui.live.recorder_bridge import (
    INDICATOR_NAME,
    Level,
    RecorderIndicator,
    RecorderShown,
    RecorderView,
    install_recorder_health,
)
from tests.support.nvr_site import ADMIN, PASSWORD, WRONG_PASSWORD, recorder_site, yesterday_at
from tests.support.siteconfig import dump_toml, write_demo_config
from tests.support.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
HIK, DAHUA = "nvr-hik", "nvr-dh"
ON_CHANNELS = {"C01": (HIK, 1), "C02": (HIK, 2), "C03": (DAHUA, 3)}
FAST = RecorderServicesSettings(
    # as tests/integration/test_recorder_services.py: silent after 1.5 s, lost after 3 s (60 s in the console)
    events=RecorderEventSettings(heartbeat_s=0.5, silent_after_s=1.5, stale_after_s=1.5, lost_after_s=3.0,
                                 tick_s=0.1, cooldown_ms=0, auth_retry_s=(0.2, 0.2)),
    call_timeout_s=3.0, close_timeout_s=5.0)
WAIT_MS = 20_000  # a clock is read after a day's search (local-as-UTC check): seconds on a busy box
LIVE_HIK = f"Recorder {HIK} event channel: live"
LIVE_DAHUA = f"Recorder {DAHUA} event channel: live"


@dataclass
class Shown:
    window: QMainWindow
    tree: CameraTree
    view: RecorderView
    services: RecorderServices
    said: list[str] = field(default_factory=list)
    states: list[tuple[str, ChannelState | None]] = field(default_factory=list)

    def tip(self, camera_id: str) -> str:
        return self.tree.camera_item(camera_id).toolTip(0)

    @property
    def indicator(self) -> RecorderIndicator:
        return self.view.indicator


@contextmanager
def shown(qtbot: QtBot, config: SiteConfig, credentials: Credentials = ADMIN) -> Iterator[Shown]:
    """A window with the camera tree and the recorders' indicator, on the real services (started here)."""
    counter = itertools.count(1)
    services = RecorderServices(config, lambda ref: credentials if ref == "nvr" else None, lambda _event: None,
                                lambda: next(counter), settings=FAST)
    window = QMainWindow()
    qtbot.addWidget(window)
    tree = CameraTree(config, window)
    window.setCentralWidget(tree)
    view = install_recorder_health(window, tree, services)
    assert view is not None
    seen = Shown(window, tree, view, services)
    window.statusBar().messageChanged.connect(lambda text: seen.said.append(text) if text else None)

    def changed(recorder_id: str, now: RecorderShown) -> None:
        seen.states.append((recorder_id, now.health.state if now.health is not None else None))

    view.shown_changed.connect(changed)
    services.start()
    try:
        yield seen
    finally:
        services.close()


def site(nvr: RecorderSimulator) -> SiteConfig:
    return recorder_site(nvr, ON_CHANNELS, hik_id=HIK, dahua_id=DAHUA)


def test_a_recorder_gone_silent_turns_slow_then_lost_on_its_cameras_and_live_again(qtbot: QtBot,
                                                                                   nvr: RecorderSimulator) -> None:
    hik = nvr.recorder(Vendor.HIKVISION)
    hik.state.clock.offset_s = 192.0  # 3 min 12 s ahead of the station (set back after the test)
    with shown(qtbot, site(nvr)) as seen:
        assert seen.window.findChild(RecorderIndicator, INDICATOR_NAME) is seen.indicator
        qtbot.waitUntil(lambda: LIVE_HIK in seen.tip("C01") and LIVE_HIK in seen.tip("C02")
                        and LIVE_DAHUA in seen.tip("C03"), timeout=WAIT_MS)
        # Hikvision writes UTC under `Z` (read); Dahua unmarked local times, in the zone the site file gives it
        qtbot.waitUntil(lambda: "Clock off" in seen.tip("C01") and "Clock off" in seen.tip("C03"), timeout=WAIT_MS)
        assert re.search(rf"^Recorder {HIK}: Clock off by \+3 min 1[1-3] s; time mode UTC, zone UTC\+07:00 \(read "
                         r"from the recorder\)$", seen.tip("C01"), re.MULTILINE), seen.tip("C01")
        assert re.search(rf"^Recorder {DAHUA}: Clock off by (less than 1 s|[+-]1 s); time mode local time, zone "
                         r"UTC\+07:00 \(from the site file\)$", seen.tip("C03"), re.MULTILINE), seen.tip("C03")
        assert "Recorder" not in seen.tip("C04")  # on no recorder: its tooltip is as it was
        assert seen.indicator.text() == "Recorders: 2/2 live"
        assert Level.GOOD.value in seen.indicator.styleSheet()
        assert f"Recorder {HIK}: Hikvision, 127.0.0.1:{hik.http_port}" in seen.indicator.toolTip()
        assert not seen.said

        hik.faults.events_silent = True  # the recorder hangs: the connection stays open, nothing comes
        qtbot.waitUntil(lambda: f"Recorder {HIK} event channel: lost since " in seen.tip("C01"), timeout=WAIT_MS)
        assert f"Recorder {HIK} event channel: lost since " in seen.tip("C02")
        assert LIVE_DAHUA in seen.tip("C03")  # the other recorder is fine
        assert seen.indicator.text() == "Recorders: 1/2 live, 1 lost"
        assert Level.BAD.value in seen.indicator.styleSheet()
        assert f"Recorder {HIK}: event channel lost, the events of its cameras do not arrive" in seen.said
        hik_states = [state for recorder, state in seen.states if recorder == HIK]
        live_at = hik_states.index(ChannelState.LIVE)
        assert hik_states.index(ChannelState.STALE, live_at) < hik_states.index(ChannelState.LOST, live_at)

        hik.faults.events_silent = False
        qtbot.waitUntil(lambda: LIVE_HIK in seen.tip("C01"), timeout=WAIT_MS)
        assert seen.indicator.text() == "Recorders: 2/2 live"
        assert f"Recorder {HIK}: event channel live again" in seen.said


def test_a_refused_login_is_said_on_the_recorders_cameras_without_the_password(qtbot: QtBot,
                                                                               nvr: RecorderSimulator) -> None:
    with shown(qtbot, site(nvr), Credentials(ADMIN.username, WRONG_PASSWORD)) as seen:
        halted = f"Recorder {HIK} event channel: lost since "
        qtbot.waitUntil(lambda: "the recorder refused the login" in seen.tip("C01")
                        and "the recorder refused the login" in seen.tip("C03"), timeout=WAIT_MS)
        tip = seen.tip("C01")
        assert halted in tip and f"Recorder {HIK}: last error: " in tip
        qtbot.waitUntil(lambda: f"Recorder {HIK}: clock not read: " in seen.tip("C01"), timeout=WAIT_MS)
        assert seen.indicator.text() == "Recorders: 0/2 live, 2 lost"
        assert WRONG_PASSWORD not in seen.tip("C01") + seen.indicator.toolTip() + " ".join(seen.said)


# -- the real console ---------------------------------------------------------------------------------------------
CONSOLE_ON = {"C01": (HIK, 1), "C02": (DAHUA, 2)}
CONSOLE_TIMEOUT_S = 120
PROBE_S = 60.0  # the probe's own deadline, well inside the test's
POLL_MS = 100
PLAYED_AT = (10, 0, 17)  # yesterday: recorded on every channel, none of it by the console


def console_site(folder: Path, nvr: RecorderSimulator) -> Path:
    """Two demo cameras (their own addresses answer nothing) on channels of the simulator's two recorders, the
    recorders' login in the site file's credentials store."""
    data = tomllib.loads(write_demo_config(folder / "site.toml", cameras=2).read_text("utf-8"))
    hik, dahua = nvr.recorder(Vendor.HIKVISION), nvr.recorder(Vendor.DAHUA)
    data["credentials_file"] = "credentials.toml"
    data["recorders"] = [
        {"id": HIK, "vendor": "hikvision", "host": "127.0.0.1", "http_port": hik.http_port,
         "rtsp_port": hik.rtsp_port, "credentials": "nvr"},
        {"id": DAHUA, "vendor": "dahua", "host": "127.0.0.1", "http_port": dahua.http_port,
         "rtsp_port": dahua.rtsp_port, "credentials": "nvr", "time_zone": "+07:00"}]
    for camera in data["cameras"]:
        camera["recorder"], camera["recorder_channel"] = CONSOLE_ON[camera["id"]]
    CredentialStore({"nvr": ADMIN}, folder / "credentials.toml").save()
    path = folder / "site.toml"
    path.write_text(dump_toml(data), "utf-8")
    return path


def test_the_console_with_recorders_alerts_their_event_and_draws_their_ranges_in_playback(
        nvr: RecorderSimulator, tmp_path: Path) -> None:
    site_file, out, log = console_site(tmp_path, nvr), tmp_path / "run.json", tmp_path / "console-output.txt"
    hik = nvr.recorder(Vendor.HIKVISION)
    env = {**os.environ, "CAMERA_CONSOLE_DATA": str(tmp_path / "data")}
    wait_until(lambda: hik.event_streams == 0, 10, what="the event streams of the tests before closed")
    with log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen([sys.executable, "-m", "tests.ui.test_recorder_health", str(site_file), str(out)],
                                   env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
        try:
            def streaming() -> bool:
                assert process.poll() is None, log.read_text("utf-8")[-6000:]  # it did not die on the way
                return hik.event_streams >= 1

            wait_until(streaming, CONSOLE_TIMEOUT_S / 2, poll_s=0.2, what="the console's Hikvision event stream")
            hik.event(1, "motion", True)
            code = process.wait(timeout=CONSOLE_TIMEOUT_S)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert code == 0, log.read_text("utf-8")[-6000:]
    result = json.loads(out.read_text("utf-8"))
    assert result.get("timeout") is None, result
    assert ["C01", "camera_motion"] in result["alerts"]
    assert LIVE_HIK in result["tree_C01"] and LIVE_DAHUA in result["tree_C02"]
    assert result["indicator"] == "Recorders: 2/2 live"
    moment = yesterday_at(*PLAYED_AT)
    ranges = [tuple(r) for r in result["recorder_ranges"]]
    assert any(start <= moment < end for start, end in ranges), ranges
    assert all(end - start > 0 for start, end in ranges) and result["playback_camera"] == "C01"


def _probe_console(out: Path) -> Any:
    """The console's probe (`console.app.run(probe=…)`): the first admin logs in; once C01's motion from its
    recorder is in the alert list and the tree says both recorders' event channels are live, the playback window
    opens on C01 at a recorded moment of yesterday; once its timeline has the recorder's ranges, what was seen is
    written to `out` and the console closes."""
    from console.core.alerts import AlertKind
    from console.media.recording import Recorder
    from console.store.alerts import AlertWriter
    from console.ui.officers.lock_screen import LockScreen
    from console.ui.playback.window import PlaybackWindow
    from console.ui.shell.main_window import MainWindow

    seen: dict[str, Any] = {}
    deadline = time.monotonic() + PROBE_S

    def probe(window: MainWindow, _writer: AlertWriter, _recorder: Recorder) -> object:
        screen = window.findChild(LockScreen)
        assert screen is not None
        screen.login.setText("quantri")
        screen.full_name.setText("Trần Văn Kỹ")
        screen.password.setText(PASSWORD)
        screen.repeat.setText(PASSWORD)
        screen.button.click()
        indicator = window.findChild(RecorderIndicator, INDICATOR_NAME)
        playback: list[PlaybackWindow] = []
        timer = QTimer(window)

        def finish(why: str | None) -> None:
            timer.stop()
            seen["timeout"] = why
            out.write_text(json.dumps(seen, ensure_ascii=False), "utf-8")
            for opened in playback:
                opened.close()
            window.close()

        def step() -> None:
            if time.monotonic() > deadline:
                finish("alert" if not playback else "ranges")
                return
            center = window.alert_center
            if not playback and center is not None:
                rows = center.panel.model.rows()
                seen["alerts"] = [[r.camera_id, r.kind.value] for r in rows]
                seen["tree_C01"] = window.camera_tree.camera_item("C01").toolTip(0)
                seen["tree_C02"] = window.camera_tree.camera_item("C02").toolTip(0)
                seen["indicator"] = indicator.text() if indicator is not None else None
                both_live = LIVE_HIK in seen["tree_C01"] and LIVE_DAHUA in seen["tree_C02"]
                if both_live and any(r.camera_id == "C01" and r.kind is AlertKind.CAMERA_MOTION for r in rows):
                    opened = window.open_playback("C01", yesterday_at(*PLAYED_AT))
                    assert opened is not None
                    playback.append(opened)
            elif playback and playback[0].timeline.recorder_ranges:
                seen["recorder_ranges"] = [[r.start_ms, r.end_ms] for r in playback[0].timeline.recorder_ranges]
                seen["playback_camera"] = playback[0].camera_id()
                finish(None)

        timer.timeout.connect(step)
        timer.start(POLL_MS)
        return timer

    return probe


def _run_console() -> int:
    from console.app import LaunchOptions, run

    site_file, out = Path(sys.argv[1]), Path(sys.argv[2])
    # English: the assertions read the source strings (the Vietnamese of the new ones is not in the .qm yet)
    return run(LaunchOptions(demo=False, config=site_file, lang="en"), sys.argv[:1], probe=_probe_console(out))


if __name__ == "__main__":
    sys.exit(_run_console())
