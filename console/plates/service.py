"""Reads on one worker thread (concurrent.futures, one thread): the engine is loaded there, lazily, once, and every
read after it runs there too, so the GUI thread only ever hands a picture over and gets a future back."""

from __future__ import annotations

import concurrent.futures
import logging
import time
from dataclasses import dataclass

from console.plates.reader import THREADS, Box, Candidate, Picture, PlateReader, RapidOcrReader, grown

log = logging.getLogger(__name__)

CROP_GROWTH = 0.15  # a plate found in the whole picture is kept with this much of its size around it


@dataclass(frozen=True)
class Reading:
    box: Box | None  # what was asked (None: the whole picture)
    candidates: tuple[Candidate, ...]  # best first; empty: nothing read
    elapsed_s: float  # the read itself
    load_s: float | None = None  # the engine's loading, when this read waited for it

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


def crop_box(box: Box | None, candidate: Candidate | None, width: int, height: int) -> Box:
    """What is kept as the plate's picture: the officer's box, else the chosen plate with a margin, else all."""
    if box is not None:
        x0, y0, x1, y1 = box
        return max(0, min(x0, x1)), max(0, min(y0, y1)), min(width, max(x0, x1)), min(height, max(y0, y1))
    if candidate is not None:
        return grown(candidate.box, CROP_GROWTH, width, height)
    return 0, 0, width, height


class PlateService:
    """The plate reader behind a one-thread executor. `reader` defaults to RapidOCR over the wheel's models."""

    def __init__(self, reader: PlateReader | None = None, threads: int = THREADS) -> None:
        self.reader: PlateReader = reader if reader is not None else RapidOcrReader(threads)
        self._executor = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="plate-reader")
        self._loaded = False

    @property
    def loaded(self) -> bool:
        """Whether the engine is ready (the first read also loads it: the dialog says it takes longer)."""
        return self._loaded or not isinstance(self.reader, RapidOcrReader)

    def warm_up(self) -> concurrent.futures.Future[float]:
        """Load the engine on the worker now; the future gives the seconds it took (0 once loaded)."""
        return self._executor.submit(self._load)

    def read(self, picture: Picture, box: Box | None = None) -> concurrent.futures.Future[Reading]:
        """Read the plates in `box` of `picture` (None: all of it) on the worker. The picture is not copied: the
        caller hands it over and does not change it."""
        return self._executor.submit(self._read, picture, box)

    def close(self) -> None:
        """Reads not started are dropped; one running finishes on its own (its result goes nowhere)."""
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _load(self) -> float:
        if isinstance(self.reader, RapidOcrReader) and not self._loaded:
            seconds = self.reader.load()
            self._loaded = True
            return seconds
        return 0.0

    def _read(self, picture: Picture, box: Box | None) -> Reading:
        load_s = None if self.loaded else self._load()
        started = time.perf_counter()
        candidates = tuple(self.reader.read(picture, box))
        elapsed = time.perf_counter() - started
        log.info("plate read in %.0f ms: %d candidates", elapsed * 1000, len(candidates))
        return Reading(box, candidates, elapsed, load_s)
