"""Builds what the provincial technical department hands out.

    python packaging/build.py bundle [--seed DIR]   one-folder bundle in packaging/build/dist/camera-console
    python packaging/build.py deb [--seed DIR]      the bundle, then packaging/build/camera-console_<ver>_amd64.deb
    python packaging/build.py installer [--seed DIR] Windows: the bundle, then the NSIS installer (makensis)
    python packaging/build.py installer --bundle-dir DIR   compile the installer around an existing bundle
    python packaging/build.py check-seed DIR        validate a commune's seed folder, print every problem
    python packaging/build.py hash-password         password hash for a users.toml entry (asks twice)

The seed folder (site.toml, users.toml, map/) becomes the installed defaults; see README "Installer".
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from debpkg import build_deb  # noqa: E402
from seedcheck import check_seed  # noqa: E402
from stage import BuildError, render_icon, stage_fonts, stage_seed, stage_vlc, trim_bundle, write_build_info  # noqa: E402

from console import __version__  # noqa: E402
from console.core.buildinfo import BuildInfo  # noqa: E402
from console.core.users import hash_password  # noqa: E402

BUILD = ROOT / "packaging" / "build"
DIST = BUILD / "dist"
BUNDLE_NAME = "camera-console"


def _sizes(bundle: Path, top: int = 12) -> dict[str, object]:
    """Total size and the biggest parts (first two folder levels), for the report and the closing note."""
    parts: dict[str, int] = {}
    total = files = 0
    for path in bundle.rglob("*"):
        files += path.is_file()
        if path.is_file() and not path.is_symlink():
            size = path.stat().st_size
            total += size
            relative = path.relative_to(bundle).parts
            key = "/".join(relative[:3] if relative[0] == "_internal" and len(relative) > 3 else relative[:2])
            parts[key] = parts.get(key, 0) + size
    biggest = sorted(parts.items(), key=lambda item: -item[1])[:top]
    return {"total_mb": round(total / 2**20, 1), "files": files,
            "biggest_mb": {name: round(size / 2**20, 1) for name, size in biggest}}


def build_bundle(seed: Path | None) -> tuple[Path, BuildInfo, dict[str, object]]:
    started = time.monotonic()
    stage = BUILD / "stage"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    subprocess.run([sys.executable, str(ROOT / "scripts" / "i18n.py"), "build"], check=True)
    info = write_build_info(stage)
    fonts = stage_fonts(stage)
    stage_seed(stage, seed)
    vlc = stage_vlc(stage)
    env = dict(os.environ, CAMERA_CONSOLE_STAGE=str(stage))
    if sys.platform == "win32":  # the .exe icon; PyInstaller converts the PNG with Pillow
        render_icon(ROOT / "resources" / "icons" / "camera-console.svg", stage / "camera-console.png", 256)
        env["CAMERA_CONSOLE_ICON"] = str(stage / "camera-console.png")
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(DIST), "--workpath", str(BUILD / "work"),
                    str(ROOT / "packaging" / "camera-console.spec")], check=True, env=env, cwd=ROOT)
    bundle = DIST / BUNDLE_NAME
    removed = trim_bundle(bundle) if sys.platform != "win32" else []
    report: dict[str, object] = {"version": info.version, "commit": info.commit, "fonts": fonts, **vlc,
                                 "seed": seed is not None, "trimmed": len(removed),
                                 "build_s": round(time.monotonic() - started, 1),
                                 **_sizes(bundle)}
    (BUILD / "bundle-report.json").write_text(json.dumps(report, indent=1), "utf-8")
    return bundle, info, report


def installer_path(version: str) -> Path:
    return BUILD / f"camera-console-{version}-windows-x64.exe"


def build_installer(bundle: Path, version: str, out: Path, amd64_stub: bool = False) -> Path:
    """Compile packaging/windows/camera-console.nsi around `bundle` (warnings are errors). `amd64_stub`: a
    64-bit installer (Debian's makensis has the stubs; Debian's wine64 runs only 64-bit programs)."""
    makensis = shutil.which("makensis")
    if makensis is None:
        raise BuildError("makensis not found (Windows: NSIS 3; Debian: the nsis package)")
    dash = "/" if sys.platform == "win32" else "-"
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([makensis, f"{dash}V2", f"{dash}WX", f"{dash}INPUTCHARSET", "UTF8", f"{dash}DVERSION={version}",
                    f"{dash}DBUNDLE_DIR={bundle}", f"{dash}DOUTFILE={out}",
                    *([f"{dash}DAMD64_STUB"] if amd64_stub else []),
                    str(ROOT / "packaging" / "windows" / "camera-console.nsi")], check=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="packaging/build.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("bundle", "deb"):
        command = sub.add_parser(name)
        command.add_argument("--seed", type=Path, help="the commune's seed folder (site.toml, users.toml, map/)")
    installer = sub.add_parser("installer")
    installer.add_argument("--seed", type=Path)
    installer.add_argument("--bundle-dir", type=Path, help="an existing bundle (skips freezing; for the Linux check)")
    installer.add_argument("--amd64-stub", action="store_true", help="64-bit installer stub (for Debian's wine64)")
    sub.add_parser("check-seed").add_argument("seed", type=Path)
    sub.add_parser("hash-password")
    args = parser.parse_args(argv)
    if args.command == "hash-password":
        first, second = getpass.getpass("Mật khẩu / password: "), getpass.getpass("Nhập lại / again: ")
        if first != second or not first:
            print("Hai lần nhập không khớp / the two entries differ", file=sys.stderr)
            return 1
        print(hash_password(first))
        return 0
    if args.command == "check-seed":
        problems = check_seed(args.seed)
        for problem in problems:
            print(f"LỖI / ERROR {problem}")
        print(f"{args.seed}: {'hợp lệ / valid' if not problems else f'{len(problems)} lỗi / errors'}")
        return 1 if problems else 0
    try:
        if args.command == "installer" and args.bundle_dir is not None:
            out = build_installer(args.bundle_dir.resolve(), __version__, installer_path(__version__),
                                  args.amd64_stub)
            print(json.dumps({"installer": str(out), "bytes": out.stat().st_size}))
            return 0
        if args.command == "installer" and sys.platform != "win32":
            raise BuildError("the Windows bundle can only be frozen on Windows (PyInstaller does not cross-compile); "
                             "give --bundle-dir to compile the installer script around an existing folder")
        bundle, info, report = build_bundle(args.seed)
        if args.command == "installer":
            report["installer"] = str(build_installer(bundle, info.version,
                                                      installer_path(info.version)))
        if args.command == "deb":
            report["deb"] = str(build_deb(bundle, ROOT, BUILD, info))
    except BuildError as exc:
        print(f"build: {exc}", file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as exc:
        print(f"build: {Path(exc.cmd[0]).name} failed with exit code {exc.returncode}", file=sys.stderr)
        return 1
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
