"""The .deb: the frozen bundle under /opt/camera-console, a launcher, a desktop entry with Vietnamese name
and icon, and `Depends` on exactly the Debian packages providing the libraries the bundle does not carry."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from elf import elf_files, needed_libraries
from stage import render_icon

from console.core.buildinfo import BuildInfo

PACKAGE = "camera-console"
INSTALL_DIR = Path("opt") / PACKAGE
MAINTAINER = "Phòng Kỹ thuật nghiệp vụ — Công an tỉnh Bắc Ninh <kythuat@congan.bacninh.invalid>"
# Always present on a Debian desktop and outside the bundle's concern (the C library and the loader).
ESSENTIAL = {"libc6"}


def deb_version(info: BuildInfo) -> str:
    """0.1.0+git20261124.1530.3ad9b4b: newer builds of one version sort higher, so an update installs over."""
    stamp = info.built_utc.strftime("%Y%m%d.%H%M") if info.built_utc else "0"
    commit = (info.commit or "unknown").replace("+", "m")
    return f"{info.version}+git{stamp}.{commit}"


def _system_library(soname: str, cache: str) -> str | None:
    match = re.search(rf"^\s*{re.escape(soname)} \(libc6,x86-64[^)]*\) => (\S+)$", cache, re.MULTILINE)
    return match.group(1) if match else None


def _owner(path: str) -> str | None:
    for candidate in dict.fromkeys([path, os.path.realpath(path), path.replace("/usr/lib/", "/lib/", 1)]):
        result = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True, check=False)
        if result.returncode == 0:
            return result.stdout.split(":")[0].strip()
    return None


def system_dependencies(bundle: Path) -> tuple[list[str], list[str]]:
    """Debian packages owning the shared libraries the bundle's ELF files need but do not carry, and any
    library found nowhere (a broken bundle)."""
    carried = {p.name for p in bundle.rglob("*") if p.is_file() or p.is_symlink()}
    ldconfig = shutil.which("ldconfig") or "/sbin/ldconfig"
    cache = subprocess.run([ldconfig, "-p"], capture_output=True, text=True, check=True).stdout
    packages: set[str] = set()
    unresolved: set[str] = set()
    for soname in sorted(set().union(*(needed_libraries(p) for p in elf_files(bundle))) - carried):
        path = _system_library(soname, cache)
        owner = _owner(path) if path else None
        if owner is None:
            unresolved.add(soname)
        else:
            packages.add(owner.split(",")[0])
    return sorted(packages - ESSENTIAL), sorted(unresolved)


def desktop_entry() -> str:
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.4",
        "Name=Camera Security Console",
        "Name[vi]=Giám sát camera an ninh",
        "GenericName=Video surveillance console",
        "GenericName[vi]=Phần mềm giám sát camera",
        "Comment=Live cameras, map, alerts and playback for the commune police",
        "Comment[vi]=Xem trực tiếp camera, bản đồ, cảnh báo và xem lại cho Công an xã",
        f"Exec=/usr/bin/{PACKAGE}",
        f"Icon={PACKAGE}",
        "Terminal=false",
        "Categories=AudioVideo;Video;",
        "Keywords=camera;CCTV;RTSP;surveillance;giám sát;an ninh;công an;",
        "StartupNotify=true",
        "",
    ])


MAINTAINER_SCRIPT = """#!/bin/sh
set -e
# Menus and icon caches pick the new entry up; none of this touches the officers' data in their homes.
if command -v update-desktop-database >/dev/null 2>&1; then
  update-desktop-database -q /usr/share/applications || true
fi
if command -v gtk-update-icon-cache >/dev/null 2>&1; then
  gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true
fi
exit 0
"""


def build_deb(bundle: Path, root: Path, out_dir: Path, info: BuildInfo) -> Path:
    """Assemble the package tree next to `out_dir` and build it with dpkg-deb (zstd: fast on 2 cores)."""
    tree = out_dir / "deb-tree"
    shutil.rmtree(tree, ignore_errors=True)
    shutil.copytree(bundle, tree / INSTALL_DIR, symlinks=True)
    (tree / "usr" / "bin").mkdir(parents=True)
    (tree / "usr" / "bin" / PACKAGE).symlink_to(Path("/") / INSTALL_DIR / PACKAGE)
    applications = tree / "usr" / "share" / "applications"
    applications.mkdir(parents=True)
    (applications / f"{PACKAGE}.desktop").write_text(desktop_entry(), "utf-8")
    svg = root / "resources" / "icons" / f"{PACKAGE}.svg"
    icons = tree / "usr" / "share" / "icons" / "hicolor"
    (icons / "scalable" / "apps").mkdir(parents=True)
    shutil.copy2(svg, icons / "scalable" / "apps" / f"{PACKAGE}.svg")
    for size in (48, 256):
        render_icon(svg, icons / f"{size}x{size}" / "apps" / f"{PACKAGE}.png", size)
    depends, unresolved = system_dependencies(tree / INSTALL_DIR)
    if unresolved:
        raise RuntimeError(f"libraries needed by the bundle found nowhere: {', '.join(unresolved)}")
    size_kb = sum(p.stat().st_size for p in tree.rglob("*") if p.is_file() and not p.is_symlink()) // 1024
    control = tree / "DEBIAN"
    control.mkdir()
    (control / "control").write_text("\n".join([
        f"Package: {PACKAGE}",
        f"Version: {deb_version(info)}",
        "Architecture: amd64",
        f"Maintainer: {MAINTAINER}",
        f"Installed-Size: {size_kb}",
        f"Depends: {', '.join(depends)}",
        "Section: video",
        "Priority: optional",
        "Description: Video surveillance console for commune police stations",
        " Giám sát camera an ninh: live RTSP camera wall, map, alerts and playback for the duty",
        " officer of a commune police station. Carries its own Python, Qt, FFmpeg (PyAV) and libVLC",
        " with the plugins it uses; officers' data stays in ~/.local/share/camera-console.",
        "",
    ]), "utf-8")
    for name in ("postinst", "postrm"):
        (control / name).write_text(MAINTAINER_SCRIPT, "utf-8")
        (control / name).chmod(0o755)
    for old in out_dir.glob(f"{PACKAGE}_*_amd64.deb"):  # one package in the output folder: the new one
        old.unlink()
    target = out_dir / f"{PACKAGE}_{deb_version(info)}_amd64.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zzstd", "-z6", "--build", str(tree), str(target)],
                   check=True, capture_output=True)
    return target
