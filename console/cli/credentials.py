"""`camera-console --import-credentials FILE [--config SITE]`: the technician's camera passwords, brought on
a USB stick, go into the site's owner-only credentials store; the passwords are never printed."""

from __future__ import annotations

import sys
from pathlib import Path

from console.core.config import credentials_path, read_toml
from console.core.config_messages import Note, Param, Phrase, render
from console.core.credentials import CredentialStore, CredentialStoreError
from console.core.paths import data_dir
from console.core.seed import installed_site


def _fail(vi: str, en: str) -> int:
    print(f"LỖI: {vi}\nERROR: {en}", file=sys.stderr)
    return 1


def _fail_note(note: Note, **params: Param) -> int:
    return _fail(render(note, "vi", params), render(note, "en", params))


def _wanted_refs(data: dict[str, object]) -> set[str]:
    cameras = data.get("cameras")
    if not isinstance(cameras, list):
        return set()
    return {c["credentials"] for c in cameras if isinstance(c, dict) and isinstance(c.get("credentials"), str)}


def import_credentials(source: Path, config: Path | None) -> int:
    site = config or installed_site(data_dir())
    data, issues = read_toml(site)
    if data is None:
        reason = Phrase("; ".join(i.message("vi") for i in issues), "; ".join(i.message("en") for i in issues))
        return _fail_note(Note.IMPORT_NO_SITE, site=str(site), reason=reason)
    store_path = credentials_path(data, site)
    if store_path is None:
        return _fail_note(Note.IMPORT_NO_STORE, site=str(site))
    try:
        incoming = CredentialStore.read(source)
        store = CredentialStore.load(store_path)
    except CredentialStoreError as exc:
        return _fail(exc.message("vi"), exc.message("en"))
    taken = store.merge(incoming)
    store.save(store_path)
    missing = sorted(_wanted_refs(data) - store.refs())
    for lang in ("vi", "en"):
        print(render(Note.IMPORT_DONE, lang, {"count": str(len(taken)), "store": str(store_path),
                                              "refs": ", ".join(taken) or "-"}))
        if missing:
            print(render(Note.IMPORT_STILL_MISSING, lang, {"refs": ", ".join(missing)}))
    return 0
