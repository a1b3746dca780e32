"""Help → About: version, commit, build date, commune, components and where the data is kept."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

from console.core.buildinfo import BuildInfo
from console.core.vntime import format_vn
from console.media.versions import media_versions


def _tr(text: str) -> str:
    return QCoreApplication.translate("About", text)


def about_text(build: BuildInfo, commune: str, data: Path | None) -> str:
    versions = media_versions()
    built = (_tr("Built {date} (UTC+7)").format(date=format_vn(build.built_utc)) if build.built_utc
             else _tr("Running from source code"))
    lines = [
        _tr("Camera security monitoring software"),
        _tr("Commune police of {commune}").format(commune=commune),
        "",
        _tr("Version {version}").format(version=build.version),
        _tr("Commit {commit}").format(commit=build.commit or _tr("unknown")),
        built,
        "",
        _tr("Components: Qt {qt}, PyAV {pyav} (libavcodec {avcodec}), libVLC {vlc}").format(
            qt=qVersion(), pyav=versions["pyav"], avcodec=versions["libavcodec"],
            vlc=versions["libvlc"] or _tr("not found")),
    ]
    if data is not None:
        lines.append(_tr("Data folder: {path}").format(path=str(data)))
    return "\n".join(lines)


def show_about(parent: QWidget, build: BuildInfo, commune: str, data: Path | None) -> None:
    box = QMessageBox(parent)
    box.setObjectName("aboutBox")
    box.setWindowTitle(_tr("About"))
    box.setText(about_text(build, commune, data))
    box.addButton(_tr("Close"), QMessageBox.ButtonRole.AcceptRole)  # Qt ships no Vietnamese .qm
    box.exec()
