"""Help → About: version, commit, build date, commune, components and where the data is kept."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

from console.core.buildinfo import BuildInfo
from console.core.vntime import format_vn
from console.evidence.keys import station_public_key
from console.evidence.messages import EvidenceError
from console.media.versions import media_versions
from console.ui.widgets.unit_names import police_of


def station_fingerprint(data: Path | None) -> str | None:
    """The station key's fingerprint (evidence and the audit trail are signed with it), None before it exists."""
    if data is None:
        return None
    try:
        return station_public_key(data).fingerprint()
    except EvidenceError:
        return None


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
    fingerprint = station_fingerprint(data)
    if fingerprint is not None:
        lines += ["", QCoreApplication.translate("About", "Station key fingerprint (evidence signatures): {fp}")
                  .format(fp=fingerprint)]
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
