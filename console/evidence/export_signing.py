"""An evidence export signed as it leaves the station: the files of one export folder (the MP4, its .sha256, the
record sheet) listed in `manifest.json` with the camera, site, range, who and when, signed with the station key.

Called off the GUI thread (it hashes the whole video) once the record sheet is written, so the sheet is covered
too; the sheet itself prints the key's fingerprint, read here first (`station_fingerprint`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from console import __version__
from console.evidence.keys import load_or_create_station_key
from console.evidence.manifest import Labelled, Span, manifest_path, write_manifest


def station_fingerprint(data: Path) -> str:
    """The station key's fingerprint (the key is made on first use)."""
    return load_or_create_station_key(data).public.fingerprint()


def export_taken(video: Path) -> bool:
    """The video's folder already holds a signed export: one folder per export."""
    return manifest_path(video.parent).exists()


def sign_export(data: Path, files: Sequence[Path], camera: Labelled, site: Labelled, span: Span,
                exported_by: str, exported_at_ms: int, camera_clock_offset_s: float | None = None) -> Path:
    """`manifest.json` and its signature beside `files` (all in one folder); returns the manifest's path.
    Raises `EvidenceError` (a key that cannot be used, a folder already holding an export)."""
    key = load_or_create_station_key(data)
    return write_manifest(files[0].parent, files, camera, site, span, camera_clock_offset_s, exported_by,
                          exported_at_ms, __version__, key)
