"""Started with no commune installed (no pre-seeded site, no --config): say so and offer the demo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox


def _tr(text: str) -> str:
    return QCoreApplication.translate("FirstStart", text)


def ask_open_demo(app: QApplication, expected: Path) -> bool:
    """True if the officer chooses the demo; the message says where the site configuration belongs."""
    box = QMessageBox()
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(_tr("No commune configuration"))
    box.setText(_tr("No commune configuration is installed on this machine.\n\n"
                    "Ask the provincial technical department for the installer of your commune, or copy the "
                    "site configuration to:\n{path}\n\nYou can open the demo (simulated cameras) meanwhile.")
                .format(path=str(expected)))
    demo = box.addButton(_tr("Open the demo"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_tr("Close"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is demo
