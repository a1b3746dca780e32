"""Writing what the wizard decided: new cameras (and a new site, and the recorder whose channels they are) added
to the site file, a camera changed or removed, a site added or changed; the logins into the credentials store.

Everything is checked before anything is written: the site file as it will be, with the store's references
as they will be, by the validator the console starts with. Then the store is written (a camera's reference
is never in the file before its credentials are in the store: a console starting in between would refuse
the file), then the site file, atomically, with a backup copy of the old one beside it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from console.core import toml_file
from console.core.config import RecordingMode, SiteConfig, credentials_path
from console.core.config_edit import (
    SiteFileEditor,
    TomlValue,
    add_entry,
    literal,
    remove_entry,
    set_entry_fields,
    set_top_fields,
)
from console.core.credentials import Credentials, CredentialStore
from console.onboarding.drafts import (
    CameraDraft,
    SiteDraft,
    camera_tables,
    camera_values,
    site_values,
)
from console.onboarding.nvr_import import RecorderDraft, recorder_values

DEFAULT_STORE_NAME = "credentials.toml"
Edit = Callable[[str], str]


def _named_store(text: str, site_file: Path) -> Path | None:
    data = toml_file.parse(text)
    return None if isinstance(data, toml_file.TomlFault) else credentials_path(data, site_file)


def _store_target(editor: SiteFileEditor, store: CredentialStore, text: str) -> tuple[Path, Edit | None]:
    """Where credentials go, and the edit that names the store in the site file when it names none yet."""
    named = _named_store(text, editor.path)
    if named is not None:
        return named, None
    target = store.path or editor.path.parent / DEFAULT_STORE_NAME
    try:
        written = os.path.relpath(target, editor.path.parent)
    except ValueError:  # another drive (Windows)
        written = str(target)
    name = written if not written.startswith("..") else str(target)
    return target, lambda text: set_top_fields(text, {"credentials_file": name})


def _chain(edits: Sequence[Edit]) -> Edit:
    def edit(text: str) -> str:
        for step in edits:
            text = step(text)
        return text
    return edit


def commit(editor: SiteFileEditor, store: CredentialStore, edits: Sequence[Edit],
           credentials: Mapping[str, Credentials]) -> SiteConfig:
    """Check, then write `credentials` (reference → login) into the store and `edits` into the site file.
    ConfigError (nothing written) when the file would not validate; CredentialStoreError or OSError when the
    store cannot be written (the site file untouched)."""
    steps = list(edits)
    target: Path | None = None
    if credentials:
        target, name_store = _store_target(editor, store, editor.read_text())
        if name_store is not None:
            steps.insert(0, name_store)
    edit = _chain(steps)
    refs = store.refs() | set(credentials)
    editor.validate(edit(editor.read_text()), lambda: refs)  # ConfigError: nothing written
    if target is not None:
        for ref, login in credentials.items():
            store.put(ref, login)
        store.save(target)
    return editor.change(edit, credential_refs=store.refs, backup=True)


def add_cameras(editor: SiteFileEditor, store: CredentialStore, cameras: Sequence[CameraDraft],
                credentials: Mapping[str, Credentials], site: SiteDraft | None = None) -> SiteConfig:
    """New cameras (and the new site they stand at) into the file; `credentials` by camera reference."""
    return commit(editor, store, _new_entries(cameras, site), credentials)


def _new_entries(cameras: Sequence[CameraDraft], site: SiteDraft | None) -> list[Edit]:
    edits: list[Edit] = []
    if site is not None:
        edits.append(lambda text: add_entry(text, "sites", site_values(site)))
    return edits + [_adding(draft) for draft in cameras]


def _adding(draft: CameraDraft) -> Edit:
    return lambda text: add_entry(text, "cameras", camera_values(draft), tables=camera_tables(draft))


def add_recorder_table(text: str, values: Mapping[str, TomlValue]) -> str:
    """The file's text with a `[[recorders]]` table at its end (config_edit adds only sites and cameras; cameras
    added after it still go after the last camera, before it)."""
    body = "".join(f"{key} = {literal(value)}\n" for key, value in values.items())
    kept = text.rstrip("\r\n")
    return (kept + "\n\n" if kept else "") + "[[recorders]]\n" + body


def add_recorder(editor: SiteFileEditor, store: CredentialStore, recorder: RecorderDraft,
                 cameras: Sequence[CameraDraft], credentials: Mapping[str, Credentials],
                 site: SiteDraft | None = None) -> SiteConfig:
    """A recorder (unless the file has it already) and cameras on its channels, checked and written together."""
    edits: list[Edit] = []
    if recorder.new:
        values = recorder_values(recorder)
        edits.append(lambda text: add_recorder_table(text, values))
    return commit(editor, store, edits + _new_entries(cameras, site), credentials)


_CHANGEABLE = ("name", "site", "lat", "lon", "bearing_deg", "fov_deg", "range_m", "main_url", "sub_url",
               "credentials")


def update_camera(editor: SiteFileEditor, store: CredentialStore, draft: CameraDraft,
                  credentials: Credentials | None = None) -> SiteConfig:
    """A saved camera's name, site, place, streams (and new credentials when given) changed in place; its
    other keys (recording, transport…) and comments stay."""
    values = camera_values(draft)
    changes = {key: values.get(key) for key in _CHANGEABLE}
    logins = {draft.credentials_ref: credentials} if credentials is not None and draft.credentials_ref else {}
    return commit(editor, store, [lambda text: set_entry_fields(text, "cameras", draft.id, changes)], logins)


def set_recording_mode(editor: SiteFileEditor, camera_id: str, mode: RecordingMode) -> SiteConfig:
    """A camera's `recording` key (continuous, on alert, off): a recording setting, written through an editor
    that asks for `edit_recording` (issue 19) and audits the lines before and after."""
    return editor.change(lambda text: set_entry_fields(text, "cameras", camera_id, {"recording": mode.value}))


def remove_camera(editor: SiteFileEditor, store: CredentialStore, camera_id: str) -> SiteConfig:
    """The camera's entry removed (its credentials stay in the store: another camera may share them)."""
    return commit(editor, store, [lambda text: remove_entry(text, "cameras", camera_id)], {})


def add_site(editor: SiteFileEditor, store: CredentialStore, site: SiteDraft) -> SiteConfig:
    return commit(editor, store, [lambda text: add_entry(text, "sites", site_values(site))], {})


def update_site(editor: SiteFileEditor, store: CredentialStore, site: SiteDraft) -> SiteConfig:
    values = site_values(site)
    changes = {key: values.get(key) for key in ("name", "lat", "lon", "address", "notes")}
    return commit(editor, store, [lambda text: set_entry_fields(text, "sites", site.id, changes)], {})
