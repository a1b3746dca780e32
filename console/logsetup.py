"""Logging for the console: a rotating file in the data folder and stderr, passwords always redacted."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from console.core.redact import RedactingFilter

LOG_FILE_BYTES = 5 * 1024 * 1024
LOG_FILES_KEPT = 5


def configure_logging(data_dir: Path, level: int = logging.INFO) -> Path:
    """Send every record through the redacting filter to a rotating file and to stderr."""
    log_dir = data_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "console.log"
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    file_handler = logging.handlers.RotatingFileHandler(path, maxBytes=LOG_FILE_BYTES,
                                                        backupCount=LOG_FILES_KEPT, encoding="utf-8")
    stream_handler = logging.StreamHandler()
    root = logging.getLogger()
    root.setLevel(level)
    for handler in (file_handler, stream_handler):
        handler.setFormatter(formatter)
        handler.addFilter(RedactingFilter())
        root.addHandler(handler)
    return path


def ensure_logging(data_dir: Path) -> Path | None:
    """For a failure at start: the log file if logging is set up (or can be now), else redacted stderr only.

    Returns the log file, or None when the data folder cannot hold one."""
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            return Path(handler.baseFilename)
    try:
        return configure_logging(data_dir)
    except OSError:
        fallback = logging.StreamHandler()
        fallback.addFilter(RedactingFilter())
        root.addHandler(fallback)
        return None
