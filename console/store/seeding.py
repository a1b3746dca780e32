"""First-start (and post-update) import of the installer's commune defaults into the officer's data."""

from __future__ import annotations

import logging
from pathlib import Path

import sqlite_utils

from console.core.seed import USERS_FILE, SeedReport, sync_seed
from console.core.users import UsersFileError, load_users
from console.store.users import UserStore

log = logging.getLogger(__name__)


def import_seed(seed: Path, site_dir: Path, db: sqlite_utils.Database) -> SeedReport:
    """Copy the seed's files into `site_dir` (never over the officer's changes) and add its new users."""
    report = sync_seed(seed, site_dir)
    for name in report.added:
        log.info("seed: imported %s", name)
    for name in report.updated:
        log.info("seed: updated %s to the installer's newer default", name)
    for name in report.kept:
        log.warning("seed: kept the officer's %s; the installer's newer default is in %s/.seed-new/",
                    name, site_dir)
    if USERS_FILE in report.added + report.updated + report.kept:
        try:
            added = UserStore(db).import_seed(load_users(seed / USERS_FILE))
        except UsersFileError as exc:
            log.error("seed: users not imported: %s", exc)
        else:
            log.info("seed: %d new user(s): %s", len(added), ", ".join(added) or "-")
    return report
