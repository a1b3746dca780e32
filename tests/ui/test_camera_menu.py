"""The *Camera* menu: the wizard and dialogs are offered on a commune's site file (not on the shipped demo's), and
a saved change rebuilds the live view from the file in the same process — the new camera is on the tree without
starting the console again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from pytestqt.qtbot import QtBot

from console.core.config import load_config
from console.core.credentials import CredentialStore
from console.core.layouts import WallState
from console.media.pool import StreamPool
from console.ui.shell.main_window import MainWindow
from tests.support.siteconfig import write_demo_config

RUN_TIMEOUT_S = 120


def test_a_changed_site_file_rebuilds_the_wall_with_the_new_camera(tmp_path: Path) -> None:
    site = write_demo_config(tmp_path / "site.toml", cameras=2)
    changed = write_demo_config(tmp_path / "changed.toml", cameras=3)
    out = tmp_path / "run.json"
    env = {**os.environ, "CAMERA_CONSOLE_DATA": str(tmp_path / "data")}
    subprocess.run([sys.executable, "-m", "tests.support.restart_run", str(site), str(changed), str(out)],
                   env=env, timeout=RUN_TIMEOUT_S, check=True, cwd=Path(__file__).resolve().parents[2])
    result = json.loads(out.read_text("utf-8"))
    # The first start asks for the admin; after the rebuild the admin is still logged in (no login screen).
    assert result["seen"] == [["C01", "C02", "tree:2", "login:first_admin"], ["C01", "C02", "C03", "tree:3",
                                                                              "login:False"]]
    assert result["code"] == 0


def test_the_menu_edits_a_communes_site_file_and_not_the_demos(qtbot: QtBot, tmp_path: Path,
                                                               vietnamese: object) -> None:
    config = load_config(write_demo_config(tmp_path / "site.toml", cameras=2))
    store = CredentialStore({}, tmp_path / "credentials.toml")
    demo = MainWindow(config, demo=True, pool=StreamPool(config), data=tmp_path, credentials=store)
    qtbot.addWidget(demo)
    window = MainWindow(config, demo=False, pool=StreamPool(config), data=tmp_path, credentials=store)
    qtbot.addWidget(window)
    assert not demo.setup.editable and window.setup.editable
    for shown, enabled in ((demo, False), (window, True)):
        menu = next(a.menu() for a in shown.menuBar().actions() if a.text() == "&Camera")
        assert [a.text() for a in menu.actions()] == ["Thêm camera…", "Thêm điểm…"]
        assert all(a.isEnabled() is enabled for a in menu.actions())
    window.wall.set_state(WallState("2x2", ("C01", None, None, None)))
    assert "Sửa camera…" in [text for text, _ in window.tile_actions(0)]
    assert "Sửa camera…" not in [text for text, _ in demo.tile_actions(0)]
