"""Help → About: version, commit, build date, commune, components and where the data is kept."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

from console.core.buildinfo import BuildInfo
from console.core.vntime import format_vn
from console.media.versions import media_versions
from console.ui.widgets.unit_names import police_of


def about_text(build: BuildInfo, commune: str, data: Path | None) -> str:
    """What the officer reads: the software, the unit, the version and when it was built."""
    if build.built_utc:
        built = QCoreApplication.translate("About", "Built {date} (UTC+7)").format(date=format_vn(build.built_utc))
    else:
        built = QCoreApplication.translate("About", "Running from source code")
    lines = [
        QCoreApplication.translate("About", "Camera security monitoring software"),
        police_of(commune),
        "",
        QCoreApplication.translate("About", "Version {version}").format(version=build.version),
        built,
    ]
    if data is not None:
        lines.append(QCoreApplication.translate("About", "Data folder: {path}").format(path=str(data)))
    return "\n".join(lines)


def about_details(build: BuildInfo) -> str:
    """For the technician (behind "Show details"): the exact build and the media components."""
    versions = media_versions()
    unknown = QCoreApplication.translate("About", "unknown")
    components = QCoreApplication.translate("About", "Components: Qt {qt}, PyAV {pyav} (libavcodec {avcodec}), "
                                                     "libVLC {vlc}")
    return "\n".join([
        QCoreApplication.translate("About", "Commit {commit}").format(commit=build.commit or unknown),
        components.format(qt=qVersion(), pyav=versions["pyav"], avcodec=versions["libavcodec"],
                          vlc=versions["libvlc"] or QCoreApplication.translate("About", "not found")),
    ])


def show_about(parent: QWidget, build: BuildInfo, commune: str, data: Path | None) -> None:
    box = QMessageBox(parent)
    box.setObjectName("aboutBox")
    box.setWindowTitle(QCoreApplication.translate("About", "About"))
    box.setText(about_text(build, commune, data))
    box.setDetailedText(about_details(build))
    # Qt ships no Vietnamese .qm: the standard button gets our own text.
    box.addButton(QCoreApplication.translate("About", "Close"), QMessageBox.ButtonRole.AcceptRole)
    box.exec()
