"""Loads the Vietnamese (default) or English user interface translation, ours and Qt's own dialogs'."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from console.core.paths import translations_dir

log = logging.getLogger(__name__)

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
# Qt ships no qtbase_vi.qm: translations/qtbase_vi.ts is our Vietnamese for its file dialog, message box
# and input dialog texts, standard buttons (OK/Cancel/Yes/No…) and edit context menus.
CONSOLE_CATALOGUE = "console"
QT_CATALOGUE = "qtbase"


def qm_path(lang: str, catalogue: str = CONSOLE_CATALOGUE) -> Path:
    """A compiled translation of a language (built at setup, carried in the bundle)."""
    return translations_dir() / f"{catalogue}_{lang}.qm"


def ui_lang() -> str:
    """"vi" or "en": the language the interface speaks now, for messages our non-Qt layers keep in both."""
    return "vi" if QLocale().language() is QLocale.Language.Vietnamese else "en"


def install_translator(app: QCoreApplication, lang: str) -> QTranslator | None:
    """Source strings are English; for 'vi' load console_vi.qm, and qtbase_vi.qm for Qt's own dialogs.
    Returns the console's translator to keep alive; Qt's is its child (see `remove_translator`)."""
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese if lang == "vi" else QLocale.Language.English,
                               QLocale.Country.Vietnam if lang == "vi" else QLocale.Country.UnitedStates))
    if lang == "en":
        return None
    translator = QTranslator(app)
    qm = qm_path(lang)
    if not _load(translator, qm):
        log.warning("translation %s is missing: run the setup (pyside6-lrelease) to build it", qm)
        return None
    app.installTranslator(translator)
    qt_translator = QTranslator(translator)
    qt_qm = qm_path(lang, QT_CATALOGUE)
    if _load(qt_translator, qt_qm):
        app.installTranslator(qt_translator)
    else:
        log.warning("translation %s is missing: Qt's dialogs and buttons stay in English", qt_qm)
    return translator


# Every version of a catalogue loaded in this process, kept for good: Qt reads translations straight from
# these bytes (it does not copy them), and a translator may outlive its Python wrapper.
_LOADED: dict[tuple[Path, int], bytes] = {}


def _load(translator: QTranslator, path: Path) -> bool:
    """Load a .qm from a copy in memory. Qt maps the file itself when given its path: an update or a rebuild
    that rewrites the file under a running console then crashed it (SIGBUS inside translate)."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    data = _LOADED.setdefault((path, hash(data)), data)
    return bool(translator.load(data))


def remove_translator(app: QCoreApplication, translator: QTranslator) -> None:
    """Undoes `install_translator`: the console's translator and Qt's."""
    for child in translator.findChildren(QTranslator):
        app.removeTranslator(child)
    app.removeTranslator(translator)
