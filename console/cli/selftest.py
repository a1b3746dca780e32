"""`camera-console --self-test`: what a technician runs on an installed machine. Prints one JSON object
(version, where data and seed are, translation, interface font, PyAV/FFmpeg, libVLC decoding a clip) and
exits 1 if any part is broken."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, QTranslator, qVersion
from PySide6.QtGui import QGuiApplication

from console.core.buildinfo import load_build_info
from console.core.paths import data_dir, resources_dir, seed_dir, source_checkout
from console.core.seed import seed_files
from console.media.versions import media_versions
from console.media.vlc_probe import probe_libvlc, write_test_clip
from console.ui.shell.fonts import install_fonts, missing_glyphs
from console.ui.shell.i18n import qm_path

TRANSLATION_PROBE = ("MainWindow", "&About")


def _translation(problems: list[str]) -> str | None:
    translator = QTranslator()
    if not translator.load(str(qm_path("vi"))):
        problems.append("translation console_vi.qm missing")
        return None
    text = translator.translate(*TRANSLATION_PROBE)
    if not text or text == TRANSLATION_PROBE[1]:
        problems.append("translation console_vi.qm does not translate the menus")
    return text


def _data_folder(problems: list[str]) -> Path:
    """The officer's data folder exists, is writable, and is not inside the installed program."""
    folder = data_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".self-test"
        probe.write_text("ok", "utf-8")
        probe.unlink()
    except OSError as exc:
        problems.append(f"data folder {folder} not writable: {exc.strerror}")
    program = Path(sys.executable).resolve().parent
    if getattr(sys, "frozen", False) and folder.resolve().is_relative_to(program):
        problems.append(f"data folder {folder} is inside the install folder {program}")
    return folder


def report() -> dict[str, Any]:
    problems: list[str] = []
    info = load_build_info(resources_dir(), source_checkout())
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    assert isinstance(app, QGuiApplication)
    font = install_fonts(app)
    missing = missing_glyphs(font)
    if missing:
        problems.append(f"interface font {font.family()} lacks {missing}")
    about = _translation(problems)
    with tempfile.TemporaryDirectory(prefix="camera-console-selftest-") as folder:
        vlc = probe_libvlc(write_test_clip(Path(folder) / "clip.ts"))
    if vlc.error:
        problems.append(vlc.error)
    data = _data_folder(problems)
    return {
        "version": info.version, "commit": info.commit,
        "built_utc": info.built_utc.isoformat() if info.built_utc else None,
        "frozen": bool(getattr(sys, "frozen", False)), "executable": sys.executable,
        "data_dir": str(data), "seed_dir": str(seed_dir()), "seed_files": seed_files(seed_dir()),
        "qt": qVersion(), "pyside6": pyside_version, "platform": QGuiApplication.platformName(),
        "translation_vi": about, "ui_font": font.family(), "ui_font_missing": missing,
        **media_versions(), "libvlc_plugin_path": vlc.plugin_path, "libvlc_decoded_pictures": vlc.decoded_pictures,
        "problems": problems, "ok": not problems,
    }


def main() -> int:
    result = report()
    print(json.dumps(result, ensure_ascii=False, indent=1))
    QCoreApplication.processEvents()
    return 0 if result["ok"] else 1
