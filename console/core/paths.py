"""Where the program finds its shipped resources and keeps the officer's data."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    """`resources/` beside the package in a checkout, or inside the frozen bundle."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def translations_dir() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    base = Path(frozen) if frozen else Path(__file__).resolve().parents[2]
    return base / "translations"


def demo_config_path() -> Path:
    return resources_dir() / "demo" / "gia_dong.toml"


def data_dir() -> Path:
    """The per-user data folder (database, recordings, logs, credentials); never the install folder."""
    override = os.environ.get("CAMERA_CONSOLE_DATA")
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local")) / "camera-console"
    return Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "camera-console"
