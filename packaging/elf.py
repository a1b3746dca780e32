"""ELF facts the packaging needs: which files are shared objects/executables and which libraries they need."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ELF_MAGIC = b"\x7fELF"


def is_elf(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(4) == ELF_MAGIC


def elf_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and not p.is_symlink() and is_elf(p)]


def needed_libraries(path: Path) -> set[str]:
    """The DT_NEEDED sonames of one ELF file (readelf, from binutils)."""
    out = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True, check=False).stdout
    return set(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out))
