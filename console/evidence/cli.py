"""`python -m console.evidence verify FOLDER_OR_MP4 [--public-key FILE] [--json]` (exit 1 when the evidence is
not intact) and `python -m console.evidence fingerprint [--public-key FILE]` (the station key's fingerprint)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from console.core.paths import data_dir
from console.evidence.keys import PublicKey, read_public_key, station_public_key
from console.evidence.messages import EvidenceError
from console.evidence.verify import verify_export

EXIT_OK = 0
EXIT_NOT_INTACT = 1
EXIT_CANNOT_CHECK = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m console.evidence", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    verify = commands.add_parser("verify", help="check an export's signature and every file's bytes")
    verify.add_argument("target", type=Path, help="the export's folder, or its MP4")
    verify.add_argument("--public-key", type=Path, help="the station's public key (PEM) it must be signed with")
    verify.add_argument("--json", action="store_true", help="print JSON")
    verify.add_argument("--lang", choices=("vi", "en"), default="vi")
    show = commands.add_parser("fingerprint", help="the fingerprint of this station's key, or of a key file")
    show.add_argument("--public-key", type=Path)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        given = read_public_key(args.public_key) if args.public_key else None
        if args.command == "fingerprint":
            return _fingerprint(given)
    except EvidenceError as exc:
        sys.stderr.write(exc.message("vi") + "\n" + exc.message("en") + "\n")
        return EXIT_CANNOT_CHECK
    except RuntimeError as exc:  # no data folder on this machine: `fingerprint` needs --public-key here
        sys.stderr.write(f"{exc}\n")
        return EXIT_CANNOT_CHECK
    verdict = verify_export(args.target, given)
    if args.json:
        sys.stdout.write(json.dumps(verdict.to_json(), indent=2, ensure_ascii=False) + "\n")
    else:
        for check in verdict.files:
            mark = "OK " if check.ok else "SAI"
            sys.stdout.write(f"{mark} {check.name} ({check.size} byte, SHA-256 {check.sha256})\n")
        sys.stdout.write(verdict.note(args.lang) + "\n")
    return EXIT_OK if verdict.ok else EXIT_NOT_INTACT


def _fingerprint(given: PublicKey | None) -> int:
    key = given or station_public_key(data_dir())
    sys.stdout.write(key.fingerprint() + "\n")
    return EXIT_OK
