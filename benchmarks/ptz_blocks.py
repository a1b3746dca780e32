"""Where the GUI thread blocks: a 10 ms heartbeat on the GUI thread and a watcher thread that, when a beat is late
by more than `threshold_ms`, takes the GUI thread's Python stack (once per block). The figure itself stays
`EventLoopWatch`'s; this only says where the longest blocks were (a block spent waiting for the GIL shows the GUI
thread inside the event loop, with the thread that held the GIL among `others`). Each block also says how much CPU
the GUI thread and the whole process had in it (`gui_cpu_ms`, `process_cpu_ms`, over 1–2 cores): a block with
little of either was the process waiting for a core (other processes on a busy machine), not its own work."""

from __future__ import annotations

import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QTimer

BEAT_MS = 10
WATCH_EVERY_S = 0.005
ROOT = f"{Path(__file__).resolve().parents[1]}/"
IDLE = ("wait", "select", "sleep", "_worker", "run_forever", "_run_once", "get", "acquire", "demux", "poll",
        "recv", "accept", "readinto", "read")


@dataclass
class Block:
    phase: str
    started: float
    ms: float = 0.0
    gui_cpu_ms: float = 0.0
    process_cpu_ms: float = 0.0
    where: list[str] = field(default_factory=list)
    others: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"phase": self.phase, "ms": round(self.ms, 1), "gui_cpu_ms": round(self.gui_cpu_ms, 1),
                "process_cpu_ms": round(self.process_cpu_ms, 1), "gui_stack": self.where, "busy_threads": self.others}


def _frames(frame: object, keep: int = 6) -> list[str]:
    summary = traceback.extract_stack(frame)  # type: ignore[arg-type]
    ours = [f for f in summary if f.filename.startswith(ROOT) and "/.venv/" not in f.filename] or list(summary)
    return [f"{f.filename.removeprefix(ROOT)}:{f.lineno} {f.name}" for f in ours[-keep:]]


class BlockSampler(QObject):
    def __init__(self, threshold_ms: float = 40.0, keep: int = 8) -> None:
        super().__init__()
        self.phase = ""
        self.blocks: list[Block] = []
        self._threshold_s = threshold_ms / 1000
        self._keep = keep
        self._last = time.monotonic()
        self._last_cpu = (time.thread_time(), time.process_time())  # at the last beat, on the GUI thread
        self._open: Block | None = None
        self._lock = threading.Lock()
        self._gui = threading.get_ident()
        self._stop = threading.Event()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._beat)
        self._timer.start(BEAT_MS)
        self._thread = threading.Thread(target=self._watch, name="bench-block-sampler", daemon=True)
        self._thread.start()

    def _beat(self) -> None:
        now = time.monotonic()
        cpu = (time.thread_time(), time.process_time())
        with self._lock:
            block, self._open = self._open, None
            if block is not None:
                block.ms = (now - self._last) * 1000 - BEAT_MS
                block.gui_cpu_ms = (cpu[0] - self._last_cpu[0]) * 1000
                block.process_cpu_ms = (cpu[1] - self._last_cpu[1]) * 1000
                self.blocks.append(block)
                self.blocks.sort(key=lambda b: -b.ms)
                del self.blocks[self._keep:]
            self._last, self._last_cpu = now, cpu

    def _watch(self) -> None:
        names = {}
        while not self._stop.wait(WATCH_EVERY_S):
            with self._lock:
                late = time.monotonic() - self._last > self._threshold_s + BEAT_MS / 1000
                if not late or self._open is not None:
                    continue
                frames = sys._current_frames()
                gui = frames.get(self._gui)
                names = {t.ident: t.name for t in threading.enumerate()}
                others = []
                for ident, frame in frames.items():
                    if ident in (self._gui, threading.get_ident()) or frame.f_code.co_name in IDLE:
                        continue
                    inner = traceback.extract_stack(frame)[-1]
                    ours = _frames(frame, 3)
                    others.append(f"{names.get(ident, ident)}: {inner.filename.removeprefix(ROOT)}:{inner.lineno} "
                                  f"{inner.name} < {' < '.join(reversed(ours))}")
                self._open = Block(self.phase, self._last, where=_frames(gui) if gui is not None else [],
                                   others=others[:6])

    def report(self) -> list[dict[str, object]]:
        with self._lock:
            return [b.as_dict() for b in self.blocks]

    def close(self) -> None:
        self._stop.set()
        self._timer.stop()
        self._thread.join(timeout=2)
