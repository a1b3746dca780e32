"""The bundle's trim keeps Python extension modules: they are imported, never NEEDED by another library, and the
installed console failed to start without `_cffi_backend` (cryptography's bindings import it) when it pruned them."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def stage(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.syspath_prepend(str(ROOT / "packaging"))
    sys.modules.pop("stage", None)
    import stage as module  # packaging/stage.py (its folder is not a package: `packaging` is PyPI's name)

    return module


def test_trim_removes_unneeded_libraries_and_keeps_extension_modules(stage, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    internal = tmp_path / "bundle" / "_internal"
    (internal / "PySide6" / "Qt" / "lib").mkdir(parents=True)
    kept = ["_cffi_backend.cpython-311-x86_64-linux-gnu.so", "_rust.abi3.so"]
    for name in [*kept, "libunused.so.1"]:
        (internal / name).write_bytes(b"not an ELF file: nothing needs anything")
    removed = stage.trim_bundle(tmp_path / "bundle")
    assert removed == ["libunused.so.1"]
    assert sorted(p.name for p in internal.iterdir() if p.is_file()) == sorted(kept)
