"""Checks an evidence export as a prosecutor would: the manifest's signature (against a given public key, or
the one the export carries), then every listed file byte for byte. Needs nothing of the console's data."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from console.evidence.keys import SIGNATURE_BYTES, PublicKey
from console.evidence.manifest import (
    ENCLOSED_KEY_FILE,
    FORMAT,
    OWN_FILES,
    SIGNATURE_FILE,
    ListedFile,
    hash_file,
    manifest_path,
)
from console.evidence.messages import Say, render

SHA256_HEX = re.compile(r"[0-9a-f]{64}")


class KeySource(StrEnum):
    GIVEN = "given"  # --public-key: the station's key from the department, or the record sheet
    ENCLOSED = "enclosed"  # the key inside the export: proves integrity, not who signed


@dataclass(frozen=True)
class FileCheck:
    name: str
    sha256: str
    size: int
    problem: Say | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "sha256": self.sha256, "size": self.size, "ok": self.ok,
                "problem": self.problem.value if self.problem else None}


@dataclass(frozen=True)
class EvidenceVerdict:
    folder: Path
    files: tuple[FileCheck, ...] = ()
    signed_by: str | None = None  # the fingerprint of the key that verified the signature
    key_source: KeySource | None = None
    problem: Say | None = None
    params: Mapping[str, object] = field(default_factory=dict)
    unlisted: tuple[str, ...] = ()  # files in the folder the manifest does not name (not part of the evidence)

    @property
    def ok(self) -> bool:
        return self.problem is None

    def reason(self, lang: str = "vi") -> str | None:
        return render(self.problem, lang, self.params) if self.problem else None

    def note(self, lang: str = "vi") -> str:
        if self.problem:
            return render(self.problem, lang, self.params)
        say = Say.VERIFIED if self.key_source is KeySource.GIVEN else Say.VERIFIED_ENCLOSED_KEY
        return render(say, lang, {"count": len(self.files), "fingerprint": self.signed_by})

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "files": [f.to_json() for f in self.files], "signed_by": self.signed_by,
                "reason": self.reason("en"), "reason_vi": self.reason("vi"), "problem": self.problem,
                "key_source": self.key_source, "folder": str(self.folder), "unlisted": list(self.unlisted),
                "note": self.note("en"), "note_vi": self.note("vi")}


class _RefusedError(Exception):
    def __init__(self, say: Say, **params: object) -> None:
        super().__init__(say.value)
        self.say, self.params = say, params


def verify_export(target: Path, public_key: PublicKey | None = None) -> EvidenceVerdict:
    """`target` is the export's folder or one of its files (the MP4): its folder's manifest is checked."""
    folder = target if target.is_dir() else target.parent
    try:
        listed, signer, source = _signed_manifest(folder, public_key)
    except _RefusedError as refused:
        return EvidenceVerdict(folder, problem=refused.say, params=refused.params)
    checks = tuple(_check(folder, f) for f in listed)
    names = {f.name for f in listed}
    unlisted = tuple(sorted(name for name in _files_in(folder) if name not in OWN_FILES and name not in names))
    verdict = EvidenceVerdict(folder, checks, signer.fingerprint(), source, unlisted=unlisted)
    bad = next((c for c in checks if not c.ok), None)
    if bad is not None and bad.problem is not None:
        return _with(verdict, bad.problem, name=bad.name, expected=bad.size,
                     found=_size_or_none(folder / bad.name))
    if target != folder and _relative(folder, target) not in names:
        return _with(verdict, Say.NOT_IN_MANIFEST, name=target.name)
    return verdict


def _files_in(folder: Path) -> list[str]:
    """Every file of the folder and its subfolders (a case export keeps its clips, originals and pictures in
    subfolders), '/'-separated relative names."""
    return [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()]


def _with(verdict: EvidenceVerdict, say: Say, **params: object) -> EvidenceVerdict:
    return EvidenceVerdict(verdict.folder, verdict.files, verdict.signed_by, verdict.key_source, say, params,
                           verdict.unlisted)


def _relative(folder: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return path.name


def _size_or_none(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def _signed_manifest(folder: Path, given: PublicKey | None) -> tuple[list[ListedFile], PublicKey, KeySource]:
    path = manifest_path(folder)
    try:
        data = path.read_bytes()
    except OSError:
        raise _RefusedError(Say.NO_MANIFEST, path=str(path)) from None
    listed, enclosed = _parse(data, path)
    try:
        signature = (folder / SIGNATURE_FILE).read_bytes()
    except OSError:
        signature = b""
    if len(signature) != SIGNATURE_BYTES:
        raise _RefusedError(Say.NO_SIGNATURE, path=str(folder / SIGNATURE_FILE))
    if given is None:
        _refuse_other_enclosed_file(folder / ENCLOSED_KEY_FILE, enclosed)
    signer = given or enclosed
    if not signer.verify(signature, data):
        if given is not None and enclosed.verify(signature, data):
            raise _RefusedError(Say.WRONG_KEY, expected=given.fingerprint(), found=enclosed.fingerprint())
        raise _RefusedError(Say.BAD_SIGNATURE)
    return listed, signer, KeySource.GIVEN if given is not None else KeySource.ENCLOSED


def _refuse_other_enclosed_file(path: Path, enclosed: PublicKey) -> None:
    try:
        found = PublicKey.from_pem(path.read_bytes())
    except FileNotFoundError:
        return  # the key inside the manifest is enough; the file is a convenience for other tools
    except (OSError, ValueError):
        found = None
    if found != enclosed:
        raise _RefusedError(Say.ENCLOSED_KEY_DIFFERS, path=str(path))


def _parse(data: bytes, path: Path) -> tuple[list[ListedFile], PublicKey]:
    try:
        document = json.loads(data.decode("utf-8"))
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise ValueError("not an evidence manifest")
        enclosed = PublicKey.from_hex(str(document["public_key"]["raw_hex"]))
        listed = [_entry(item) for item in document["files"]]
    except (ValueError, KeyError, TypeError):
        raise _RefusedError(Say.MANIFEST_UNREADABLE, path=str(path)) from None
    for item in listed:
        _refuse_escaping_name(item.name)
    return listed, enclosed


def _entry(item: Any) -> ListedFile:
    name, digest, size = item["name"], item["sha256"], item["size"]
    if not (isinstance(name, str) and isinstance(digest, str) and SHA256_HEX.fullmatch(digest)
            and isinstance(size, int) and not isinstance(size, bool) and size >= 0):
        raise ValueError("bad file entry")
    return ListedFile(name, digest, size)


def _refuse_escaping_name(name: str) -> None:
    parts = name.split("/")
    if not name or name.startswith("/") or "\\" in name or ":" in name or any(p in {"", ".", ".."} for p in parts):
        raise _RefusedError(Say.BAD_FILE_NAME, name=name)


def _check(folder: Path, listed: ListedFile) -> FileCheck:
    path = folder / listed.name
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise FileNotFoundError(listed.name)
    except OSError:
        return FileCheck(listed.name, listed.sha256, listed.size, Say.FILE_MISSING)
    if size != listed.size:
        return FileCheck(listed.name, listed.sha256, listed.size, Say.FILE_SIZE_CHANGED)
    digest, _ = hash_file(path)
    problem = None if digest == listed.sha256 else Say.FILE_CHANGED
    return FileCheck(listed.name, listed.sha256, listed.size, problem)
