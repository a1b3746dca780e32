"""The one writer of benchmark results: JSON to a file (UTF-8, Vietnamese kept readable) and a short table;
and the figures several benchmarks compute from their samples (percentiles, a least-squares slope)."""

from __future__ import annotations

import json
import math
import os
import statistics
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


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (`share` 0.5 = median, 1.0 = max); None without values."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, math.ceil(share * len(ordered)) - 1)], 2)


def slope(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of (x, y) points (y per unit of x); None with fewer than 2 points or one x."""
    if len(points) < 2:
        return None
    try:
        return statistics.linear_regression([p[0] for p in points], [p[1] for p in points]).slope
    except statistics.StatisticsError:  # every x the same
        return None
