"""How a playback speed is written in the speed box and in sentences: `0,5×` in Vietnamese (the glossary's decimal
comma), `0.5×` in English."""

from __future__ import annotations

from console.ui.shell.i18n import ui_lang


def speed_label(rate: float) -> str:
    text = f"{rate:g}"
    return f"{text.replace('.', ',') if ui_lang() == 'vi' else text}×"
