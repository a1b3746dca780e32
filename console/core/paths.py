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


def source_checkout() -> Path | None:
    """The source tree the console runs from, or None in a frozen bundle."""
    return None if getattr(sys, "frozen", False) else Path(__file__).resolve().parents[2]


def seed_dir() -> Path:
    """The commune defaults the installer carries (site config, map pack, users): `seed/` in the bundle."""
    override = os.environ.get("CAMERA_CONSOLE_SEED")
    if override:
        return Path(override)
    return resources_dir().parent / "seed"
