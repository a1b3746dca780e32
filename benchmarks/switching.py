"""Camera switching on the live wall: `python -m benchmarks.switching --json OUT [--rounds N]`.

The real main window (offscreen Qt, 2×2 wall) on the simulator's cameras (GOP 1 s): a camera dropped on a
tile until its first picture; a tile maximized until the main stream's first picture (the sub picture stays
up meanwhile); two tiles swapped until both show pictures again (their running decoders move, no keyframe
wait). Baseline in the same run: a plain PyAV client's open → first picture on the same streams. The
budget the console promises is one GOP + 200 ms for a new stream; the timing lives here, not in the tests.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.report import percentile, write_result


def measure(rounds: int) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QMimeData, QPointF, Qt
    from PySide6.QtGui import QDropEvent
    from PySide6.QtWidgets import QApplication

    from console.app import GIL_SWITCH_INTERVAL_S
    from console.core.config import StreamKind, load_config
    from console.core.layouts import WallState
    from console.media.pool import StreamPool
    from console.simulator.server import Simulator, SimulatorOptions
    from console.ui.shell.main_window import MainWindow
    from console.ui.widgets.drag_drop import TILE_MIME, camera_mime
    from tests.support.clients import read_frames
    from tests.support.siteconfig import write_demo_config

    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    app = QApplication.instance() or QApplication(sys.argv[:1])

    def pump_until(done: Any, timeout_s: float = 10.0) -> float:
        started = time.perf_counter()
        while not done() and time.perf_counter() - started < timeout_s:
            app.processEvents()
            time.sleep(0.001)
        return (time.perf_counter() - started) * 1000

    def drop(tile: Any, mime: QMimeData) -> None:
        tile.dropEvent(QDropEvent(QPointF(10, 10), Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
                                  Qt.KeyboardModifier.NoModifier))

    with tempfile.TemporaryDirectory(prefix="switching-bench-") as folder:
        config = load_config(write_demo_config(Path(folder) / "site.toml", cameras=8))
        options = SimulatorOptions(gop_s=1.0)
        with Simulator(config, options=options) as sim:
            sim.prepare()
            ids = [c.id for c in config.cameras]
            baseline = [read_frames(config.camera(c).url(StreamKind.SUB), 1).first_frame_s * 1000
                        for c in ids[4:] * max(1, rounds // 4)][:rounds]
            window = MainWindow(config, demo=True, pool=StreamPool(config))
            window.wall.set_state(WallState("2x2", tuple(ids[:4])))
            window.resize(1600, 900)
            window.show()
            wall = window.wall
            pump_until(lambda: all(t.frames_shown >= 3 for t in wall.tiles), 20)
            drops, maximizes, swaps = [], [], []
            for n in range(rounds):
                tile = wall.tile(1)
                camera = ids[4 + n % 4]
                drop(tile, camera_mime(camera))
                drops.append(pump_until(lambda t=tile, c=camera: t.camera_id == c and t.image is not None))
                pump_until(lambda: False, 0.3)
                big = wall.tile(0)
                wall.toggle_maximize(0)
                maximizes.append(pump_until(lambda b=big: b.stream_kind is StreamKind.MAIN))
                wall.toggle_maximize(0)
                pump_until(lambda b=big: b.stream_kind is StreamKind.SUB and b.frames_shown > 0, 5)
                swap = QMimeData()
                swap.setData(TILE_MIME, b"0")
                drop(wall.tile(3), swap)
                swaps.append(pump_until(lambda: wall.tile(0).image is not None and wall.tile(3).image is not None))
            window.close()
            window.pool.close()
    return {
        "rounds": rounds, "gop_ms": round(options.gop_s * 1000),
        "drop_first_frame_ms_p50": round(statistics.median(drops), 1), "drop_first_frame_ms_p95": percentile(
            drops, 0.95),
        "maximize_main_ms_p50": round(statistics.median(maximizes), 1),
        "maximize_main_ms_p95": percentile(maximizes, 0.95),
        "swap_ms_max": round(max(swaps), 1),
        "baseline_client_first_frame_ms_p50": round(statistics.median(baseline), 1),
        "budget_ms": round(options.gop_s * 1000 + 200),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.switching", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args(argv)
    write_result(measure(args.rounds), args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
