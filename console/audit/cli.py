"""`python -m console.audit verify [--db FILE] [--public-key FILE] [--json]`: checks the audit trail; exit 1
when it was tampered with, 2 when it cannot be checked (no database, no audit table, no key)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from console.audit.verify import verify_database
from console.core.paths import data_dir
from console.evidence.keys import read_public_key
from console.evidence.messages import EvidenceError

DATABASE_FILE = "console.db"  # as console/app.py names it in the data folder
EXIT_OK = 0
EXIT_TAMPERED = 1
EXIT_CANNOT_CHECK = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m console.audit", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    verify = commands.add_parser("verify", help="check every row, link and signature of the audit trail")
    verify.add_argument("--db", type=Path, help="the database (default: console.db in the console's data folder)")
    verify.add_argument("--public-key", type=Path,
                        help="the station's public key (default: keys/station-ed25519.pub beside the database)")
    verify.add_argument("--json", action="store_true", help="print JSON")
    verify.add_argument("--lang", choices=("vi", "en"), default="vi")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        db = args.db or data_dir() / DATABASE_FILE
        key = read_public_key(args.public_key) if args.public_key else None
    except EvidenceError as exc:
        sys.stderr.write(exc.message("vi") + "\n" + exc.message("en") + "\n")
        return EXIT_CANNOT_CHECK
    except RuntimeError as exc:  # no data folder on this machine: name the database with --db
        sys.stderr.write(f"{exc}\n")
        return EXIT_CANNOT_CHECK
    verdict = verify_database(db, key)
    if args.json:
        sys.stdout.write(json.dumps(verdict.to_json(), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(verdict.summary(args.lang) + "\n")
    if verdict.ok:
        return EXIT_OK
    return EXIT_TAMPERED if verdict.checked else EXIT_CANNOT_CHECK
