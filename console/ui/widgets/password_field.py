"""Password fields: shown as dots, emptied so that nothing of the password stays in the widget."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget


def password_field(name: str, parent: QWidget) -> QLineEdit:
    field = QLineEdit(parent)
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


def forget(field: QLineEdit) -> None:
    """Empty a password field. Not `clear()`: it is an edit, and the undo history keeps what it removed."""
    field.setText("")
