"""Command line: `camera-console` / `python -m console` [--demo | --config FILE] [--lang vi|en] …

Without --demo or --config the console opens the commune installed on this machine (the installer's
pre-seeded site, imported into the data folder at first start).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="camera-console",
        description="Phần mềm giám sát camera an ninh — Công an xã (camera security monitoring console)")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--demo", action="store_true",
                        help="chế độ mô phỏng: built-in demo commune (Gia Đông) with simulated cameras")
    source.add_argument("--config", type=Path, metavar="FILE",
                        help="site configuration (TOML) of the commune (default: the one installed on this machine)")
    source.add_argument("--province", type=Path, metavar="FILE",
                        help="trung tâm tỉnh: open the province window over the province file FILE (its communes, "
                             "broker and accounts) instead of a commune's console")
    parser.add_argument("--lang", choices=("vi", "en"), default="vi", help="interface language (default: vi)")
    parser.add_argument("--stream", choices=("auto", "main", "sub"), default="auto",
                        help="which camera stream tiles pull (default: auto, sub stream in small tiles)")
    parser.add_argument("--fullscreen", action="store_true", help="start the live wall in full screen")
    parser.add_argument("--import-credentials", type=Path, metavar="FILE",
                        help="copy camera usernames/passwords from FILE into the site's private credentials store "
                             "(owner-only), then exit")
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation (translations, fonts, PyAV, libVLC decoding) and print JSON")
    parser.add_argument("--bench-report", type=Path, help=argparse.SUPPRESS)  # benchmarks/latency.py
    parser.add_argument("--version", action="store_true", help="print version, commit and build date, then exit")
    return parser.parse_args(argv)


def _onvif(argv: list[str]) -> int:
    from console.onvif.cli import main as onvif_main

    return onvif_main(argv)


def _audit(argv: list[str]) -> int:
    from console.audit.cli import main as audit_main

    return audit_main(argv)


def _evidence(argv: list[str]) -> int:
    from console.evidence.cli import main as evidence_main

    return evidence_main(argv)


# `camera-console onvif discover …` = `python -m console.onvif discover …` (and audit, evidence): the bundle has
# no `python -m`; each imports its module only when asked.
TOOLS: dict[str, Callable[[list[str]], int]] = {"onvif": _onvif, "audit": _audit, "evidence": _evidence}


def main(argv: list[str] | None = None) -> int:
    args_list = sys.argv[1:] if argv is None else argv
    if args_list[:1] == ["--run-simulator"]:  # the frozen bundle has no `-m`: the demo's child process
        from console.simulator.__main__ import main as simulator_main

        return simulator_main(args_list[1:])
    tool = TOOLS.get(args_list[0]) if args_list else None
    if tool is not None:  # the department's command-line tools, in the frozen bundle too
        return tool(args_list[1:])
    args = parse_args(args_list)
    if args.version:
        from console.core.buildinfo import load_build_info
        from console.core.paths import resources_dir, source_checkout

        print(f"camera-console {load_build_info(resources_dir(), source_checkout()).one_line()}")
        return 0
    if args.self_test:
        from console.cli.selftest import main as self_test

        return self_test()
    if args.import_credentials is not None:
        from console.cli.credentials import import_credentials

        return import_credentials(args.import_credentials, args.config)
    if args.province is not None:
        from console.province.run import run_province

        return run_province(args.province, args.lang)
    from console.app import LaunchOptions, main_gui

    return main_gui(LaunchOptions(demo=args.demo, config=args.config, lang=args.lang, stream=args.stream,
                                  fullscreen=args.fullscreen, bench_report=args.bench_report))


if __name__ == "__main__":
    sys.exit(main())
