"""Map panning cost: `python -m benchmarks.map --json OUT [--frames N]`.

The demo commune (25 cameras, 11 sites) on a generated MBTiles pack (zoom 12–18 around the commune, every
tile a distinct noisy PNG so decoding costs what a real pack costs), panned 12 px per frame along a loop
at zoom 16 and 17; each frame is painted synchronously and timed. Baseline in the same run: the same pan
over the neutral background (no tiles), so the ratio shows what the base map adds.
"""

from __future__ import annotations

import argparse
import math
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.report import write_result


def make_pack(path: Path, centre: tuple[float, float], zooms: range) -> int:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImage

    from console.core.geo import GeoPoint, tile_of, tms_row

    rng = np.random.default_rng(5)
    count = 0
    with sqlite3.connect(path) as pack:
        pack.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
        pack.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
        pack.execute("INSERT INTO metadata VALUES ('format', 'png'), ('name', 'Gia Đông (benchmark)')")
        for z in zooms:
            cx, cy = tile_of(GeoPoint(*centre), z)
            span = min(6, 2 ** max(0, z - 13) + 2)
            for x in range(cx - span, cx + span + 1):
                for y in range(cy - span, cy + span + 1):
                    pixels = (rng.integers(150, 230, (256, 256, 4), dtype=np.uint8))
                    pixels[:, :, 3] = 255
                    image = QImage(pixels.tobytes(), 256, 256, QImage.Format.Format_RGB32).copy()
                    data = QByteArray()
                    buffer = QBuffer(data)
                    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
                    image.save(buffer, "PNG")
                    pack.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", [z, x, tms_row(y, z), bytes(data.data())])
                    count += 1
    return count


def pan(view: Any, frames: int) -> list[float]:
    from PySide6.QtCore import QPointF
    from PySide6.QtWidgets import QApplication

    times = []
    centre = view.mapToScene(view.viewport().rect().center())
    scale = view.transform().m11()
    for i in range(frames):
        angle = 2 * math.pi * i / frames
        offset = QPointF(math.cos(angle), math.sin(angle)) * (12 * frames / (2 * math.pi)) / scale
        view.centerOn(centre + offset - QPointF(12 * frames / (2 * math.pi) / scale, 0))
        started = time.perf_counter()
        view.viewport().repaint()
        times.append((time.perf_counter() - started) * 1000)
        QApplication.processEvents()
    return times


def p95(values: list[float]) -> float:
    return round(sorted(values)[int(0.95 * (len(values) - 1))], 2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.map", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, required=True)
    parser.add_argument("--frames", type=int, default=300)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from dataclasses import replace

    from PySide6.QtWidgets import QApplication

    from console.core.config import MapConfig, load_config
    from console.core.health import Shown
    from console.ui.map.layers import TileLayer, base_layer
    from console.ui.map.view import MapView
    from tests.support.siteconfig import write_demo_config

    app = QApplication.instance() or QApplication(sys.argv[:1])
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="map-bench-") as folder:
        config = load_config(write_demo_config(Path(folder) / "site.toml"))
        centre = (config.commune.centre.lat, config.commune.centre.lon)
        result["tiles_in_pack"] = make_pack(Path(folder) / "pack.mbtiles", centre, range(12, 19))
        states = {c.id: (Shown.LIVE if i % 5 else Shown.LOST) for i, c in enumerate(config.cameras)}
        alerts = {c.id for c in config.cameras[:3]}
        runs: dict[str, list[float]] = {}
        layer = None
        with_pack = MapConfig(mbtiles=Path(folder) / "pack.mbtiles")
        for name, map_config in (("neutral", MapConfig()), ("mbtiles", with_pack)):
            current = base_layer(map_config)
            view = MapView(replace(config, map=map_config), current)
            view.resize(1280, 800)
            view.show()
            app.processEvents()
            view.set_states(states, alerts)
            times: list[float] = []
            for zoom in (16.0, 17.0):
                view.set_zoom(zoom)
                view.centerOn(view._bounds().center())
                times += pan(view, args.frames)
            runs[name] = times
            if isinstance(current, TileLayer):
                layer = current
            view.close()
        result.update({
            "cameras": len(config.cameras), "frames": len(runs["mbtiles"]),
            "pan_frame_ms_p95": p95(runs["mbtiles"]),
            "pan_frame_ms_median": round(statistics.median(runs["mbtiles"]), 2),
            "pan_frame_ms_max": round(max(runs["mbtiles"]), 2),
            "baseline_neutral_ms_p95": p95(runs["neutral"]),
            "ratio_to_neutral_p95": round(p95(runs["mbtiles"]) / max(0.01, p95(runs["neutral"])), 2),
            "tile_cache_hit_ratio": round(layer.hit_ratio(), 4) if layer else None,
            "tiles_decoded": layer.misses if layer else None,
            "viewport": "1280x800", "platform": QApplication.platformName(),
        })
    write_result(result, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
