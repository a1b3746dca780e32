"""`camera-console --import-credentials FILE [--config SITE]`: the technician's camera passwords, brought on
a USB stick, go into the site's owner-only credentials store; the passwords are never printed."""

from __future__ import annotations

import sys
from pathlib import Path

from console.core.config import credentials_path, read_toml
from console.core.credentials import CredentialStore, CredentialStoreError
from console.core.seed import installed_site
from console.standard_paths import data_dir


def _fail(vi: str, en: str) -> int:
    print(f"LỖI: {vi}\nERROR: {en}", file=sys.stderr)
    return 1


def import_credentials(source: Path, config: Path | None) -> int:
    site = config or installed_site(data_dir())
    data, issues = read_toml(site)
    if data is None:
        reason = "; ".join(i.describe("en") for i in issues)
        return _fail(f"không đọc được cấu hình {site}", f"cannot read the site configuration {site}: {reason}")
    store_path = credentials_path(data, site)
    if store_path is None:
        return _fail(f"cấu hình {site} không có credentials_file",
                     f"the site configuration {site} names no credentials_file")
    try:
        incoming = CredentialStore.read(source)
        store = CredentialStore.load(store_path)
    except CredentialStoreError as exc:
        return _fail(exc.message("vi"), exc.message("en"))
    taken = store.merge(incoming)
    store.save(store_path)
    wanted = {c.get("credentials") for c in data.get("cameras", []) if isinstance(c, dict)} - {None}
    missing = sorted(str(ref) for ref in wanted - store.refs())
    print(f"{len(taken)} mục đã nhập / entries imported into {store_path}: {', '.join(taken) or '-'}")
    if missing:
        print(f"Còn thiếu / still missing: {', '.join(missing)}")
    return 0
