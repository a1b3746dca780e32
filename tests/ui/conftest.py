"""UI tests run on the X server given by DISPLAY (Xvfb in scripts/test.sh), in Vietnamese by default."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from console.ui.shell.i18n import install_translator, remove_translator


@pytest.fixture(autouse=True)
def _locale_kept() -> Iterator[None]:
    """Each UI test ends with the locale it began with, whatever it installed (a translator for "vi" sets the
    default locale that `ui_lang()` and number formats read: left so, later tests came out Vietnamese)."""
    before = QLocale()
    yield
    QLocale.setDefault(before)


@pytest.fixture()
def vietnamese(qapp: QApplication) -> Iterator[QTranslator | None]:
    """The console's and Qt's Vietnamese, and the locale `ui_lang()` reads, for one test: all set back after it
    (a locale left Vietnamese made a later test's English sentences Vietnamese)."""
    before = QLocale()
    translator = install_translator(qapp, "vi")
    assert translator is not None, "console_vi.qm missing: run scripts/setup.sh (pyside6-lrelease)"
    yield translator
    remove_translator(qapp, translator)
    QLocale.setDefault(before)
