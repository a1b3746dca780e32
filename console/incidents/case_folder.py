"""The layout of an exported case folder (*hồ sơ vụ việc*) and its life: written as `<name>.part`, renamed to
`<name>` once whole and signed, removed entirely when the export fails or is cancelled.

Names are ASCII without diacritics (FAT32 USB sticks, Windows and Zalo's file transfer keep them as written);
times in names are Vietnam time, ISO order."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import unicodedata
from collections.abc import Callable
from pathlib import Path

from console.core.atomic import fsync_folder, part_path
from console.core.vntime import vn_moment

CLIPS = "doan_video"  # the recording ranges, cut by stream copy, each with its .sha256
ORIGINALS = "video_nguoi_dan"  # the citizens' originals, byte for byte
PICTURES = "anh_chup"  # snapshots and alert pictures
PLATES = "bien_so"  # the plates' crops
NOTES_FILE = "ghi_chu.txt"
REPORT_FILE = "bao_cao_vu_viec.pdf"
NAME_MAX_CHARS = 80
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def case_folder_name(incident_id: int, at_ms: int) -> str:
    """`vu_viec_12_20261203_183000`: the incident and the moment of the export."""
    return f"vu_viec_{incident_id}_{vn_moment(at_ms):%Y%m%d_%H%M%S}"


def safe_name(name: str) -> str:
    """A file name any disk and the verifier accept: diacritics dropped, anything but letters, digits, dot, dash
    and underscore made "_", no leading dot (never a hidden file), at most NAME_MAX_CHARS (the suffix kept)."""
    bare = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    ascii_name = _UNSAFE.sub("_", bare.encode("ascii", "ignore").decode("ascii")).strip("._") or "tep"
    if len(ascii_name) <= NAME_MAX_CHARS:
        return ascii_name
    stem, dot, suffix = ascii_name.rpartition(".")
    if not dot or len(suffix) > 8:
        return ascii_name[:NAME_MAX_CHARS]
    return f"{stem[:NAME_MAX_CHARS - len(suffix) - 1]}.{suffix}"


def part_folder(target: Path) -> Path:
    """Where the case is written until it is whole and signed."""
    return part_path(target)


def discard_folder(folder: Path) -> None:
    """Remove a case folder this export wrote, read-only copies included (Windows refuses to delete those)."""
    def writable_again(function: Callable[[str], object], path: str, _error: object) -> None:
        os.chmod(path, stat.S_IRWXU)
        function(path)

    with contextlib.suppress(FileNotFoundError):
        shutil.rmtree(folder, onerror=writable_again)


def commit_folder(part: Path, target: Path) -> None:
    """Give the finished `.part` folder its name (a rename: the case appears whole or not at all)."""
    if target.exists():  # a POSIX rename would silently replace an empty folder
        raise FileExistsError(str(target))
    os.rename(part, target)
    fsync_folder(target.parent)
