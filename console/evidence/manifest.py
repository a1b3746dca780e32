"""The manifest of one evidence export (one camera's range, or a whole case): every file's SHA-256 and size, what
was exported by whom and when, signed by the station key. `manifest.json` (its exact bytes are what is signed),
`manifest.json.sig` (64 raw bytes, Ed25519) and the station's public key travel together in the export's folder."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from console.core.atomic import write_durably
from console.core.vntime import format_vn_ms
from console.evidence.keys import PUBLIC_KEY_FILE, StationKey
from console.evidence.messages import EvidenceError, Say

MANIFEST_FILE = "manifest.json"
SIGNATURE_FILE = "manifest.json.sig"
ENCLOSED_KEY_FILE = PUBLIC_KEY_FILE
FORMAT = "camera-console-evidence/1"
HASH_CHUNK = 1 << 20
OWN_FILES = frozenset({MANIFEST_FILE, SIGNATURE_FILE, ENCLOSED_KEY_FILE})


@dataclass(frozen=True)
class Labelled:
    """A camera or a site as the record names it: its id in the site file and its name."""

    id: str
    name: str


class Span(Protocol):
    """The exported time range (console.core.recording.TimeRange is one), epoch ms UTC."""

    @property
    def start_ms(self) -> int: ...

    @property
    def end_ms(self) -> int: ...


@dataclass(frozen=True)
class RecordedRange:
    """One camera's range in a case export, as its clip was cut."""

    camera: Labelled
    span: Span
    camera_clock_offset_s: float | None
    file: str | None  # the clip's name in the folder; None when nothing was recorded in the range


@dataclass(frozen=True)
class CaseFacts:
    """An incident as a case export's manifest names it (plain values: the evidence package knows no incidents)."""

    incident_id: int
    title: str
    kind: str
    status: str
    place: str
    start_ms: int | None
    end_ms: int | None
    recordings: Sequence[RecordedRange] = ()


@dataclass(frozen=True)
class ListedFile:
    name: str  # relative to the export folder, '/'-separated
    sha256: str
    size: int


def manifest_path(folder: Path) -> Path:
    return folder / MANIFEST_FILE


def hash_file(path: Path) -> tuple[str, int]:
    """SHA-256 (hex) and size of a file, read a MiB at a time."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def utc_text(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def moment_about(ms: int) -> dict[str, Any]:
    """A moment as manifests write it: UTC, Vietnam time and epoch ms."""
    return {"utc": utc_text(ms), "vietnam": f"{format_vn_ms(ms)} (UTC+7)", "ms": ms}



def _listed(folder: Path, path: Path) -> ListedFile:
    try:
        name = path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        raise EvidenceError(Say.FILE_OUTSIDE_FOLDER, path=str(path), folder=str(folder)) from None
    if name in OWN_FILES:
        raise EvidenceError(Say.BAD_FILE_NAME, name=name)
    digest, size = hash_file(path)
    return ListedFile(name, digest, size)


def write_manifest(folder: Path, files: Sequence[Path], camera: Labelled, site: Labelled, span: Span,
                   camera_clock_offset_s: float | None, exported_by: str, exported_at_ms: int,
                   software_version: str, key: StationKey, extra: Mapping[str, Any] | None = None) -> Path:
    """Hash `files` (inside `folder`), write and sign the manifest of one camera's range (with `extra` keys, e.g.
    a stitched export's `parts`), put the public key beside it; returns the manifest's path. A folder holds one
    export: an existing manifest is never replaced."""
    about = {
        "camera": {"id": camera.id, "name": camera.name},
        "site": {"id": site.id, "name": site.name},
        "range": {"start": moment_about(span.start_ms), "end": moment_about(span.end_ms)},
        # seconds the camera's own clock (burnt into the picture) was ahead of the station's: null if not known
        "camera_clock_offset_s": camera_clock_offset_s,
        **(extra or {}),
    }
    return write_signed_manifest(folder, files, about, exported_by, exported_at_ms, software_version, key)


def case_about(case: CaseFacts) -> dict[str, Any]:
    """What a case export's manifest says of the incident (in place of one camera, site and range)."""
    return {
        "case": {
            "incident_id": case.incident_id,
            "title": case.title,
            "kind": case.kind,
            "status": case.status,
            "place": case.place,
            "range": ({"start": moment_about(case.start_ms), "end": moment_about(case.end_ms)}
                      if case.start_ms is not None and case.end_ms is not None else None),
        },
        "recordings": [{"camera": {"id": r.camera.id, "name": r.camera.name},
                        "range": {"start": moment_about(r.span.start_ms), "end": moment_about(r.span.end_ms)},
                        "camera_clock_offset_s": r.camera_clock_offset_s, "file": r.file}
                       for r in case.recordings],
    }


def write_signed_manifest(folder: Path, files: Sequence[Path], about: Mapping[str, Any], exported_by: str,
                          exported_at_ms: int, software_version: str, key: StationKey) -> Path:
    """The manifest of any export: `about` (what was exported: a camera's range, a case) between the format and
    who exported it; `files` may lie in subfolders of `folder` (named '/'-separated). Never replaces a manifest."""
    target = manifest_path(folder)
    if target.exists():
        raise EvidenceError(Say.MANIFEST_EXISTS, folder=str(folder))
    listed = [_listed(folder, path) for path in files]
    document = {
        "format": FORMAT,
        **about,
        "exported_by": exported_by,
        "exported_at": moment_about(exported_at_ms),
        "software_version": software_version,
        "files": [{"name": f.name, "sha256": f.sha256, "size": f.size} for f in listed],
        "public_key": {"algorithm": "Ed25519", "raw_hex": key.public.raw.hex(),
                       "fingerprint_sha256": key.public.fingerprint()},
    }
    data = (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    write_durably(target, data)
    write_durably(folder / SIGNATURE_FILE, key.sign(data))
    write_durably(folder / ENCLOSED_KEY_FILE, key.public.pem())
    return target
