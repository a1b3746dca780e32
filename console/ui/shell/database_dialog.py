"""What the officer reads when the console's database cannot be used: which file, what is wrong, what to do."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox

from console.core.redact import redact
from console.store.database import SCHEMA_VERSION, DatabaseError, Trouble


def _newer() -> str:
    return QCoreApplication.translate(
        "DatabaseDialog", "The database {file} was written by a newer version of the console (schema {found}; this "
                          "version reads up to {supported}). The file was not changed. Install the newer version "
                          "again, or ask the provincial technical department.")


def _damaged() -> str:
    return QCoreApplication.translate(
        "DatabaseDialog", "The database {file} is damaged ({detail}). Close the console, move the file to another "
                          "folder (it holds the alert log and the saved layouts) and ask the provincial technical "
                          "department to repair it.")


def _unreadable() -> str:
    return QCoreApplication.translate(
        "DatabaseDialog", "The database {file} cannot be opened ({detail}). Check that the disk is not full and "
                          "that the data folder can be written, then start the console again.")


def database_problem_text(exc: DatabaseError) -> str:
    file, detail = str(exc.path), redact(exc.detail)
    if exc.trouble is Trouble.NEWER:
        return _newer().format(file=file, found=exc.found, supported=SCHEMA_VERSION)
    if exc.trouble is Trouble.UNREADABLE:
        return _unreadable().format(file=file, detail=detail)
    text = _damaged().format(file=file, detail=detail)
    backups = sorted(p.name for p in exc.path.parent.glob(f"{exc.path.name}.bak-*"))
    if backups:
        text += " " + QCoreApplication.translate("DatabaseDialog", "Backups made before earlier updates: {names}."
                                                 ).format(names=", ".join(backups))
    return text


def show_database_problem(exc: DatabaseError) -> None:
    box = QMessageBox()
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(QCoreApplication.translate("DatabaseDialog", "Database error"))
    box.setText(database_problem_text(exc))
    box.addButton(QCoreApplication.translate("DatabaseDialog", "Close"), QMessageBox.ButtonRole.AcceptRole)
    box.exec()
