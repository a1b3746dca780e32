"""The officer's data folder, where the platform keeps application data (Qt's QStandardPaths)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths

APPLICATION_NAME = "camera-console"


def data_dir() -> Path:
    """Database, recordings, logs, credentials and the imported site: `~/.local/share/camera-console` on Linux,
    `%LOCALAPPDATA%\\camera-console` on Windows; never the install folder. CAMERA_CONSOLE_DATA overrides it."""
    override = os.environ.get("CAMERA_CONSOLE_DATA")
    if override:
        return Path(override)
    QCoreApplication.setApplicationName(APPLICATION_NAME)
    QCoreApplication.setOrganizationName("")
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    if not location:  # no home folder at all (a service account): Qt gives nothing, say where we are
        raise RuntimeError("no writable application data folder (QStandardPaths.AppLocalDataLocation)")
    return Path(location)
