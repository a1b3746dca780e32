"""Started with no commune installed (no pre-seeded site, no --config): say so and offer the demo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox


def ask_open_demo(app: QApplication, expected: Path) -> bool:
    """True if the officer chooses the demo; the message says where the site configuration belongs."""
    box = QMessageBox()
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(QCoreApplication.translate("FirstStart", "No commune configuration"))
    box.setText(QCoreApplication.translate("FirstStart", "No commune configuration is installed on this machine.\n\n"
                    "Ask the provincial technical department for the installer of your commune, or copy the "
                    "site configuration to:\n{path}\n\nYou can open the demo (simulated cameras) meanwhile.")
                .format(path=str(expected)))
    demo = box.addButton(QCoreApplication.translate("FirstStart", "Open the demo"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QCoreApplication.translate("FirstStart", "Close"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is demo
