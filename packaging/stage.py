"""Fills the staging folder the PyInstaller spec picks up: build info, fonts, the commune seed, libVLC."""

from __future__ import annotations

import fnmatch
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from elf import elf_files, needed_libraries
from seedcheck import check_seed

from console import __version__
from console.core.buildinfo import BUILD_INFO_FILE, BuildInfo, git_commit

ROOT = Path(__file__).resolve().parents[1]
DEBIAN_MULTIARCH = Path("/usr/lib/x86_64-linux-gnu")
NOTO_FONTS = ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf",  # the interface
              "NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf", "NotoSerif-Italic.ttf",  # official forms
              "NotoSerif-BoldItalic.ttf")
NOTO_DIR = Path("/usr/share/fonts/truetype/noto")


class BuildError(Exception):
    pass


def render_icon(svg: Path, png: Path, size: int) -> None:
    """PNG for menus that do not take SVG, drawn with Qt's own SVG renderer (offscreen)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication, QIcon

    _app = QGuiApplication.instance() or QGuiApplication(["render-icon"])
    png.parent.mkdir(parents=True, exist_ok=True)
    if not QIcon(str(svg)).pixmap(size, size).save(str(png)):
        raise RuntimeError(f"could not render {svg} to {png}")


def write_build_info(stage: Path) -> BuildInfo:
    info = BuildInfo(__version__, git_commit(ROOT), datetime.now(UTC).replace(microsecond=0))
    target = stage / "resources" / BUILD_INFO_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(info.to_json(), "utf-8")
    return info


def stage_fonts(stage: Path) -> list[str]:
    """Noto Sans (Vietnamese glyphs) on Linux, where a minimal desktop may lack it; Windows has Segoe UI."""
    if sys.platform == "win32":
        return []
    folder = stage / "resources" / "fonts"
    folder.mkdir(parents=True, exist_ok=True)
    for name in NOTO_FONTS:
        source = NOTO_DIR / name
        if not source.is_file():
            raise BuildError(f"{source} missing: install Debian's fonts-noto-core (scripts/setup.sh does)")
        shutil.copy2(source, folder / name)
    return list(NOTO_FONTS)


def stage_seed(stage: Path, seed: Path | None) -> None:
    if seed is None:
        return
    problems = check_seed(seed)
    if problems:
        raise BuildError("the seed folder cannot be shipped:\n  " + "\n  ".join(problems))
    shutil.copytree(seed, stage / "seed", ignore=shutil.ignore_patterns(".*"))


def plugin_patterns() -> list[str]:
    lines = (ROOT / "packaging" / "vlc_plugins.txt").read_text("utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _plugin_name(path: Path) -> str:
    name = path.name.split(".")[0]
    return name.removeprefix("lib").removesuffix("_plugin")


def vlc_source() -> tuple[Path, list[Path]]:
    """The plugin folder and the two libraries of the platform's libVLC (Debian's, or VLC_DIR on Windows)."""
    if sys.platform == "win32":
        root = Path(os.environ.get("VLC_DIR", r"C:\Program Files\VideoLAN\VLC"))
        return root / "plugins", [root / "libvlc.dll", root / "libvlccore.dll"]
    libraries = [DEBIAN_MULTIARCH / "libvlc.so.5", DEBIAN_MULTIARCH / "libvlccore.so.9"]
    return DEBIAN_MULTIARCH / "vlc" / "plugins", libraries


def stage_vlc(stage: Path) -> dict[str, int]:
    """libVLC, libvlccore and the whitelisted plugins, with a fresh plugins.dat cache."""
    plugins, libraries = vlc_source()
    target = stage / "vlc"
    for library in libraries:
        if not library.exists():
            raise BuildError(f"{library} missing: install libVLC (Debian: libvlc5; Windows: set VLC_DIR)")
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(library.resolve(), target / library.name)
    patterns = plugin_patterns()
    taken = 0
    for module in sorted(plugins.rglob("*_plugin.*")):
        folder = module.parent.relative_to(plugins).as_posix()
        if any(fnmatch.fnmatch(f"{folder}/{_plugin_name(module)}", pattern) for pattern in patterns):
            destination = target / "plugins" / folder / module.name
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(module, destination)
            taken += 1
    if taken == 0:
        raise BuildError(f"no libVLC plugin matched packaging/vlc_plugins.txt in {plugins}")
    cache_gen = (plugins.parent / "vlc-cache-gen.exe" if sys.platform == "win32"
                 else DEBIAN_MULTIARCH / "vlc" / "vlc-cache-gen")
    if not cache_gen.exists():
        raise BuildError(f"{cache_gen} missing (Debian: libvlc-bin) — libVLC would rescan plugins at every start")
    subprocess.run([str(cache_gen), str(target / "plugins")], check=True, capture_output=True)
    return {"plugins": taken}


# Qt plugins and data the console never loads, removed from the frozen bundle: input methods (the virtual
# keyboard drags in Qt Quick/QML), GTK/portal themes (GTK 3, cairo, pango, rsvg), Wayland and EGL/KMS
# platforms (libVLC draws into an X11 window, so the console runs on xcb, XWayland included), the PDF image
# plugin (QtPdf) and Qt's own translations (there is no Vietnamese one; our texts replace the few we show).
UNUSED_QT_PARTS = (
    "PySide6/Qt/plugins/platforminputcontexts", "PySide6/Qt/plugins/platformthemes",
    "PySide6/Qt/plugins/egldeviceintegrations", "PySide6/Qt/plugins/wayland-decoration-client",
    "PySide6/Qt/plugins/wayland-graphics-integration-client", "PySide6/Qt/plugins/wayland-shell-integration",
    "PySide6/Qt/plugins/generic", "PySide6/Qt/plugins/imageformats/libqpdf.so",
    "PySide6/Qt/plugins/platforms/libqwayland.so", "PySide6/Qt/plugins/platforms/libqeglfs.so",
    "PySide6/Qt/plugins/platforms/libqlinuxfb.so", "PySide6/Qt/plugins/platforms/libqminimalegl.so",
    "PySide6/Qt/plugins/platforms/libqvnc.so", "PySide6/Qt/plugins/platforms/libqvkkhrdisplay.so",
    "PySide6/Qt/translations",
)
# Debian's FFmpeg 5.1, which libVLC's avcodec/swscale plugins link: with what it links in turn (x265, codec2,
# rsvg, ICU, …) ~100 MB. The bundle uses the system's copy (the .deb depends on libavcodec59 etc.); PyAV has
# its own FFmpeg under av.libs, with other file names, so the two never meet.
PROVIDED_BY_DEBIAN = ("libavcodec.so.59", "libavformat.so.59", "libavutil.so.57", "libswscale.so.6",
                      "libswresample.so.4")
# Loaded by name at run time, not through a NEEDED entry: never pruned.
DLOPENED = ("libpython",)
# Python extension modules at the top of the bundle (`_cffi_backend.cpython-311-x86_64-linux-gnu.so`, which
# cryptography's Rust bindings import): loaded by `import`, never NEEDED by anything — never pruned either.
EXTENSION_MARKS = (".cpython-", ".abi3.so")


def trim_bundle(bundle: Path) -> list[str]:
    """Remove the unused Qt parts, then every collected shared library nothing left in the bundle needs
    (repeated until none is left to remove). Returns what was removed, for the build report."""
    internal = bundle / "_internal"
    removed = []
    for part in (*UNUSED_QT_PARTS, *PROVIDED_BY_DEBIAN):
        target = internal / part
        if target.is_dir():
            shutil.rmtree(target)
            removed.append(part)
        elif target.exists():
            target.unlink()
            removed.append(part)
    while True:
        wanted = set().union(*(needed_libraries(p) for p in elf_files(bundle)))
        libraries = [*internal.iterdir(), *(internal / "PySide6" / "Qt" / "lib").iterdir()]
        candidates = [p for p in libraries if ".so" in p.name and not p.name.endswith(".py")
                      and not p.name.startswith(DLOPENED) and not any(m in p.name for m in EXTENSION_MARKS)
                      and p.name not in wanted and p.is_file()]
        # Symlinks (libfoo.so.1 -> libfoo-hash.so.1.2) count as the name their target is needed by.
        linked = {p.resolve().name for p in libraries if p.is_symlink() and p.name in wanted}
        candidates = [p for p in candidates if p.name not in linked]
        if not candidates:
            break
        for path in candidates:
            path.unlink()
            removed.append(path.name)
    for link in [p for p in internal.rglob("*") if p.is_symlink() and not p.exists()]:
        link.unlink()
    return removed
