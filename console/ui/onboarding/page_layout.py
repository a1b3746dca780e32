"""The layout the wizard's search and login pages share."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QVBoxLayout, QWidget


def page_layout(page: QWidget, form: QFormLayout, button: QWidget, busy: QWidget, status: QWidget,
                table: QWidget) -> QVBoxLayout:
    """A wizard page of this room: its form, a row of the action button, the busy sign and the status line, and
    the device table taking the rest."""
    actions = QHBoxLayout()
    actions.addWidget(button)
    actions.addWidget(busy)
    actions.addWidget(status, 1)
    layout = QVBoxLayout(page)
    layout.addLayout(form)
    layout.addLayout(actions)
    layout.addWidget(table, 1)
    return layout
