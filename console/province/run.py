"""`camera-console --province FILE`: read the province file, start the receiver (its store in the data folder's
`province/`), open the province window over it until the officer closes it, stop the receiver. Qt is loaded only
when this runs (console/ui/province/launch.py), never when this module is imported."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from console.core.paths import data_dir
from console.logsetup import configure_logging
from console.province.config import ProvinceConfigError, load_province
from console.province.receiver import ProvinceReceiver

log = logging.getLogger(__name__)

PROVINCE_FOLDER = "province"
DATABASE_NAME = "province.db"
SNAPSHOTS_FOLDER = "snapshots"


def province_paths(data: Path) -> tuple[Path, Path]:
    """The province store and its snapshots' folder in the data folder (beside a commune's, never in it)."""
    folder = data / PROVINCE_FOLDER
    return folder / DATABASE_NAME, folder / SNAPSHOTS_FOLDER


def run_province(config_path: Path, lang: str, app: object | None = None) -> int:
    """0 once the window is closed; 1 when the province file or the store cannot be used (said in a dialog).
    `app`: an existing QApplication (a test's), else one is made."""
    data = data_dir()
    configure_logging(data)
    from console.ui.province import launch  # Qt from here on

    application, translator = launch.province_application(lang, app)
    try:
        try:
            config = load_province(config_path)
        except ProvinceConfigError as exc:
            log.error("province file %s is invalid:\n%s", config_path, exc.describe("en"))
            launch.show_province_problem(exc.describe(lang))
            return 1
        db_path, snapshots = province_paths(data)
        receiver = ProvinceReceiver(config, db_path, snapshots)
        try:
            receiver.start()
        except sqlite3.Error as exc:
            log.error("province store %s cannot be opened: %s", db_path, exc)
            launch.show_province_problem(launch.store_problem_text(str(db_path), str(exc)))
            return 1
        log.info("province: %d communes from %s, store %s", len(config.communes), config_path, db_path)
        try:
            return launch.show_province_window(application, config, receiver)
        finally:
            receiver.stop()
    finally:
        del translator
