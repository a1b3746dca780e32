"""The one writer of benchmark results: JSON to a file (UTF-8, Vietnamese kept readable) and a short table."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any


def to_json(result: dict[str, Any]) -> str:
    return json.dumps(result, indent=2, ensure_ascii=False)


def write_result(result: dict[str, Any], path: Path | None, table: str | None = None) -> None:
    """The result to `path` (replaced whole: a reader never sees half a file) and the table, else the JSON,
    to stdout."""
    text = to_json(result)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(text + "\n", "utf-8")
        os.replace(temporary, path)
    sys.stdout.write((table if table is not None else text) + "\n")
    sys.stdout.flush()
