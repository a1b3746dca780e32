"""Where the program finds its shipped resources and keeps the officer's data (no Qt: the command-line tools
use it before anything graphical can start)."""

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


def source_checkout() -> Path | None:
    """The source tree the console runs from, or None in a frozen bundle."""
    return None if getattr(sys, "frozen", False) else Path(__file__).resolve().parents[2]


def seed_dir() -> Path:
    """The commune defaults the installer carries (site config, map pack, users): `seed/` in the bundle."""
    override = os.environ.get("CAMERA_CONSOLE_SEED")
    if override:
        return Path(override)
    return resources_dir().parent / "seed"


APPLICATION_NAME = "camera-console"


def data_dir() -> Path:
    """Database, recordings, logs, credentials and the imported site: where Qt's AppLocalDataLocation is for an
    application without an organisation (`~/.local/share/camera-console` on Linux, honouring XDG_DATA_HOME;
    `%LOCALAPPDATA%\\camera-console` on Windows), never the install folder. CAMERA_CONSOLE_DATA overrides it."""
    override = os.environ.get("CAMERA_CONSOLE_DATA")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        if not base:
            raise RuntimeError("no writable application data folder (LOCALAPPDATA is not set)")
        return Path(base) / APPLICATION_NAME
    xdg = os.environ.get("XDG_DATA_HOME", "")
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / APPLICATION_NAME
    home = os.environ.get("HOME") or os.path.expanduser("~")
    if not home or home == "~":  # no home folder at all (a service account): say where we are
        raise RuntimeError("no writable application data folder (no home folder)")
    return Path(home) / ".local" / "share" / APPLICATION_NAME
