"""Loads the Vietnamese (default) or English user interface translation."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from console.core.paths import translations_dir

log = logging.getLogger(__name__)

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"


def qm_path(lang: str) -> Path:
    """The compiled translation of a language (built at setup, carried in the bundle)."""
    return translations_dir() / f"console_{lang}.qm"


def install_translator(app: QCoreApplication, lang: str) -> QTranslator | None:
    """Source strings are English; for 'vi' load console_vi.qm. Returns the translator to keep alive."""
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese if lang == "vi" else QLocale.Language.English,
                               QLocale.Country.Vietnam if lang == "vi" else QLocale.Country.UnitedStates))
    if lang == "en":
        return None
    translator = QTranslator(app)
    qm = qm_path(lang)
    if not translator.load(str(qm)):
        log.warning("translation %s is missing: run the setup (pyside6-lrelease) to build it", qm)
        return None
    app.installTranslator(translator)
    return translator
