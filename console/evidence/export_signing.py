"""An evidence export signed as it leaves the station: the files of one export folder (the MP4, its .sha256, the
record sheet; or a whole case's clips, originals, pictures, notes and report) listed in `manifest.json` with the
camera, site, range (or the incident), who and when, signed with the station key.

Called off the GUI thread (it hashes the whole video) once the record sheet is written, so the sheet is covered
too; the sheet itself prints the fingerprint of the same key (`StationKey.public.fingerprint()`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from console import __version__
from console.evidence.keys import StationKey
from console.evidence.manifest import (
    CaseFacts,
    Labelled,
    Span,
    case_about,
    manifest_path,
    write_manifest,
    write_signed_manifest,
)


def export_taken(video: Path) -> bool:
    """The video's folder already holds a signed export: one folder per export."""
    return manifest_path(video.parent).exists()


def sign_export(key: StationKey, files: Sequence[Path], camera: Labelled, site: Labelled, span: Span,
                exported_by: str, exported_at_ms: int, camera_clock_offset_s: float | None = None,
                extra: Mapping[str, Any] | None = None) -> Path:
    """`manifest.json` and its signature beside `files` (all in one folder), with `extra` keys; returns the
    manifest's path. Raises `EvidenceError` (a folder already holding an export)."""
    return write_manifest(files[0].parent, files, camera, site, span, camera_clock_offset_s, exported_by,
                          exported_at_ms, __version__, key, extra)


def sign_case_export(key: StationKey, folder: Path, files: Sequence[Path], case: CaseFacts, exported_by: str,
                     exported_at_ms: int) -> Path:
    """`manifest.json` and its signature in a case's folder over `files` (in it or its subfolders); returns the
    manifest's path. Raises `EvidenceError` (a folder already holding an export, a file outside the folder)."""
    return write_signed_manifest(folder, files, case_about(case), exported_by, exported_at_ms, __version__, key)
