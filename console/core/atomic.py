"""Files that are whole or absent after a power cut: write beside the target, fsync, rename, fsync the folder.

A commune's station loses power; the evidence file, the site file and the installer's state must never be
found half-written. The replaced file's mode and owner carry over (a site file kept 0640 root:camera stays so).
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path


def fsync_path(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def fsync_folder(folder: Path) -> None:
    if sys.platform == "win32":  # NTFS renames are journaled; folders cannot be opened for fsync there
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _keep_owner_and_mode(old: Path, new: Path) -> None:
    try:
        info = old.stat()
    except FileNotFoundError:
        return
    os.chmod(new, info.st_mode & 0o7777)
    if hasattr(os, "chown"):
        with contextlib.suppress(PermissionError):  # only root may give a file away; then it is ours anyway
            os.chown(new, info.st_uid, info.st_gid)


def replace_durably(temporary: Path, target: Path) -> None:
    """Put a finished `temporary` in place of `target` (keeping target's mode and owner) so that a power cut
    leaves either the old file or the new one, both whole."""
    fsync_path(temporary)
    _keep_owner_and_mode(target, temporary)
    os.replace(temporary, target)
    fsync_folder(target.parent)


def part_path(target: Path) -> Path:
    """Where a file is written until it is complete."""
    return target.with_name(target.name + ".part")


def write_durably(target: Path, data: bytes, mode: int = 0o644) -> None:
    """Write `data` as `target` through a `.part` file (created with `mode`; a replaced file keeps its own)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = part_path(target)
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    replace_durably(temporary, target)
