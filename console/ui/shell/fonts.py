"""The interface font: Noto Sans, carried in the bundle where the platform may lack Vietnamese glyphs."""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics, QGuiApplication

from console.core.paths import resources_dir

log = logging.getLogger(__name__)

UI_FAMILY = "Noto Sans"
UI_POINT_SIZE = 10
# Every vowel form the interface uses, upper and lower case, and đ/Đ.
VIETNAMESE_SAMPLE = "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ" \
                    "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"


def install_fonts(app: QGuiApplication) -> QFont:
    """Register the bundle's fonts (if any) and make Noto Sans the interface font when it exists."""
    folder = resources_dir() / "fonts"
    for path in sorted(folder.glob("*.ttf")) if folder.is_dir() else []:
        if QFontDatabase.addApplicationFont(str(path)) < 0:
            log.warning("font %s could not be loaded", path)
    font = QFont(UI_FAMILY, UI_POINT_SIZE) if UI_FAMILY in QFontDatabase.families() else QFont(app.font())
    app.setFont(font)
    return font


def missing_glyphs(font: QFont, text: str = VIETNAMESE_SAMPLE) -> str:
    """The characters of `text` the font (without fallback) cannot draw."""
    metrics = QFontMetrics(font)
    return "".join(sorted({c for c in text if not metrics.inFontUcs4(ord(c))}))
