"""The plate reader: text read from a picture (RGB, numpy) by RapidOCR's ONNX models, grouped into plates.

Our own small interface (`PlateReader.read(picture, box)` → candidates with a confidence), so the dialog, the
tests and the benchmark never see RapidOCR. The models are the ones inside the `rapidocr` wheel (PP-OCRv6 small
detection and recognition), opened by path: nothing is ever downloaded (RapidOCR fetches a model only when it is
given none, see `_params`). The sessions are ours (RapidOCR takes ready ONNX Runtime sessions): `THREADS` intra-op
threads that never spin waiting for work (ONNX Runtime's default busy-wait took a core from the live wall, and on a
busy 2-core machine made a crop's read ten times slower). The engine is built on first use by the thread that
reads (the plate service's worker), once per process.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from console.plates.formats import Plate, normalise

log = logging.getLogger(__name__)

Picture = npt.NDArray[np.uint8]  # height × width × 3, RGB
Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in the picture's pixels (x1, y1 excluded)

THREADS = 2  # ONNX Runtime's intra-op threads (the machine has 2 cores; the wall's decoders need them too)
DETECTION_MODEL = "PP-OCRv6_det_small.onnx"
RECOGNITION_MODEL = "PP-OCRv6_rec_small.onnx"
CLASSIFIER_MODEL = "ch_ppocr_mobile_v2.0_cls_mobile.onnx"  # not used (plates are upright); named all the same
CROP_MARGIN = 0.12  # of the box's size, added on each side: a box drawn tight still shows the plate's edge
CROP_MIN_HEIGHT = 64  # a small box is scaled up to this before reading (the recogniser sees 48 px lines)
CROP_DETECT_SIDE = 736  # the detector's picture, longest side, for a box
# For a whole picture, the detector's side: a 1080p frame is searched at 1280 × 720 (every simulator plate still
# found; 2.5× faster than at full size), the lines it finds are read from the full-size picture.
FRAME_DETECT_SIDE = 1280
MIN_CONFIDENCE = 0.5  # lines read with less are dropped
PAIR_GAP = 1.2  # two lines form a two-line plate when the lower starts within this many line heights of the upper


@dataclass(frozen=True)
class TextLine:
    """One line of text as OCR read it, where it is in the picture."""

    text: str
    confidence: float
    box: Box


@dataclass(frozen=True)
class Candidate:
    """A plate (or the text read where the officer pointed, when it fits no plate's layout)."""

    text: str  # the normalised plate ("29A-123.45"), else the lines as read, joined by a space
    lines: tuple[str, ...]  # as read, top to bottom
    confidence: float  # the lowest of its lines' (0..1)
    box: Box  # around its lines, in the picture
    plate: Plate | None = None  # None: no Vietnamese layout fits what was read


class PlateReader(Protocol):
    def read(self, picture: Picture, box: Box | None = None) -> list[Candidate]:
        """The plates in `box` of the picture (None: the whole picture), best first."""
        ...


def models_folder() -> Path:
    """The models inside the installed rapidocr wheel."""
    import rapidocr

    return Path(rapidocr.__file__).resolve().parent / "models"


def _params(models: Path, threads: int) -> dict[str, Any]:
    """RapidOCR's settings: every model by path (with `model_path` set RapidOCR never calls its downloader), no
    angle classifier, quiet, few threads."""
    return {
        "Global.log_level": "error",
        "Global.use_cls": False,
        "Global.text_score": MIN_CONFIDENCE,
        "Det.model_path": str(models / DETECTION_MODEL),
        "Rec.model_path": str(models / RECOGNITION_MODEL),
        "Cls.model_path": str(models / CLASSIFIER_MODEL),
        "Det.limit_type": "max",
        "Det.limit_side_len": CROP_DETECT_SIDE,
        "EngineConfig.onnxruntime.intra_op_num_threads": threads,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    }


def _session(model: Path, threads: int) -> Any:
    """An ONNX Runtime session on the CPU with `threads` intra-op threads that sleep, not spin, between runs."""
    from onnxruntime import GraphOptimizationLevel, InferenceSession, SessionOptions

    options = SessionOptions()
    options.log_severity_level = 3
    options.enable_cpu_mem_arena = False  # as RapidOCR's own: memory goes back between reads
    options.graph_optimization_level = GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return InferenceSession(str(model), sess_options=options, providers=["CPUExecutionProvider"])


def clamp(box: Box, width: int, height: int) -> Box | None:
    """`box` inside a width × height picture, corners in order; None when nothing of it is left."""
    x0, y0, x1, y1 = box
    x0, x1 = sorted((max(0, min(width, x0)), max(0, min(width, x1))))
    y0, y1 = sorted((max(0, min(height, y0)), max(0, min(height, y1))))
    return (x0, y0, x1, y1) if x1 - x0 >= 4 and y1 - y0 >= 4 else None


def grown(box: Box, share: float, width: int, height: int) -> Box:
    """`box` with `share` of its size added on each side, inside the picture."""
    x0, y0, x1, y1 = box
    dx, dy = round((x1 - x0) * share), round((y1 - y0) * share)
    return max(0, x0 - dx), max(0, y0 - dy), min(width, x1 + dx), min(height, y1 + dy)


class RapidOcrReader:
    """RapidOCR over the wheel's own models. Not thread-safe: one thread reads (the plate service's worker)."""

    def __init__(self, threads: int = THREADS, models: Path | None = None) -> None:
        self.threads = threads
        self._models = models
        self._engine: Any = None
        self._lock = threading.Lock()
        self.load_s: float | None = None  # how long building the engine took (import, sessions, a first read)

    def load(self) -> float:
        """Build the engine now (it is built on first read otherwise); the seconds it took."""
        with self._lock:
            if self._engine is None:
                started = time.perf_counter()
                import cv2
                from omegaconf import flag_override
                from rapidocr import RapidOCR

                cv2.setNumThreads(1)  # RapidOCR's resizing: no thread pool of its own beside ONNX Runtime's

                models = self._models or models_folder()
                engine = RapidOCR(params=_params(models, self.threads))
                with flag_override(engine.cfg, "allow_objects", True):  # a session is no plain setting
                    engine.cfg.Det.session = _session(models / DETECTION_MODEL, self.threads)
                    engine.cfg.Rec.session = _session(models / RECOGNITION_MODEL, self.threads)
                ocr_log = logging.getLogger("RapidOCR")  # its own stderr handler: into the console's log instead
                ocr_log.handlers.clear()
                ocr_log.propagate = True
                # RapidOCR builds each session on first use, and ONNX Runtime's first run is slow: both now.
                blank = np.full((48, 160, 3), 255, np.uint8)
                engine(blank, use_det=False)  # the recogniser alone
                engine(blank, use_det=True)  # the detector (finds nothing: the recogniser is not run again)
                self._engine = engine
                self.load_s = time.perf_counter() - started
                log.info("plate reader loaded in %.2f s (%d threads)", self.load_s, self.threads)
            return self.load_s or 0.0

    def lines(self, picture: Picture, box: Box | None = None) -> list[TextLine]:
        """Every line of text OCR finds in `box` of the picture (None: all of it), in the picture's pixels."""
        self.load()
        height, width = picture.shape[:2]
        if box is None:
            area: Box | None = (0, 0, width, height)
            side = min(FRAME_DETECT_SIDE, max(width, height))
        else:
            area = clamp(box, width, height)
            side = CROP_DETECT_SIDE
        if area is None:
            return []
        if box is not None:
            area = grown(area, CROP_MARGIN, width, height)
        x0, y0, x1, y1 = area
        crop = np.ascontiguousarray(picture[y0:y1, x0:x1, ::-1])  # RGB → BGR, as RapidOCR takes arrays
        scale = 1.0
        if box is not None and crop.shape[0] < CROP_MIN_HEIGHT:
            import cv2

            scale = CROP_MIN_HEIGHT / crop.shape[0]
            crop = np.asarray(cv2.resize(crop, (max(1, round(crop.shape[1] * scale)), CROP_MIN_HEIGHT),
                                         interpolation=cv2.INTER_CUBIC), dtype=np.uint8)
        engine = self._engine
        engine.text_det.limit_side_len = side  # the detector reads it on every call
        result = engine(crop)
        if result.boxes is None or result.txts is None:
            return []
        found = []
        for points, text, score in zip(result.boxes, result.txts, result.scores, strict=True):
            xs = [p[0] / scale + x0 for p in points]
            ys = [p[1] / scale + y0 for p in points]
            found.append(TextLine(str(text), float(score), (int(min(xs)), int(min(ys)), int(max(xs)) + 1,
                                                              int(max(ys)) + 1)))
        return sorted(found, key=lambda line: (line.box[1], line.box[0]))

    def read(self, picture: Picture, box: Box | None = None) -> list[Candidate]:
        return plates_in(self.lines(picture, box), raw_when_none=box is not None)


def _height(box: Box) -> int:
    return box[3] - box[1]


def _union(boxes: Sequence[Box]) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _stacked(upper: TextLine, lower: TextLine) -> bool:
    """Whether `lower` is the second line of a two-line plate whose first is `upper`."""
    a, b = upper.box, lower.box
    height = max(_height(a), _height(b))
    overlap = min(a[2], b[2]) - max(a[0], b[0])
    narrower = min(a[2] - a[0], b[2] - b[0])
    return (b[1] - a[1] >= 0 and b[1] - a[3] <= PAIR_GAP * height and overlap >= 0.4 * narrower
            and 0.5 <= _height(a) / max(1, _height(b)) <= 2.0)


def plates_in(lines: Sequence[TextLine], raw_when_none: bool = False) -> list[Candidate]:
    """The plates among OCR's lines (a line alone, or two stacked lines), best first; with `raw_when_none` and no
    plate found, one candidate with everything read (the officer corrects it)."""
    ordered = sorted(lines, key=lambda line: (line.box[1], line.box[0]))
    found: list[Candidate] = []
    used: set[int] = set()
    for i, upper in enumerate(ordered):  # two-line plates first: their halves alone are no plate
        for j in range(i + 1, len(ordered)):
            lower = ordered[j]
            if i in used or j in used or not _stacked(upper, lower):
                continue
            plate = normalise([upper.text, lower.text])
            if plate is not None:
                found.append(Candidate(plate.text, (upper.text, lower.text), min(upper.confidence, lower.confidence),
                                       _union([upper.box, lower.box]), plate))
                used |= {i, j}
    for i, line in enumerate(ordered):
        if i in used:
            continue
        plate = normalise(line.text)
        if plate is not None:
            found.append(Candidate(plate.text, (line.text,), line.confidence, line.box, plate))
    if not found and raw_when_none and ordered:
        texts = tuple(line.text for line in ordered)
        found.append(Candidate(" ".join(texts), texts, min(line.confidence for line in ordered),
                               _union([line.box for line in ordered])))
    found.sort(key=lambda c: (c.plate is None, c.plate.fixes if c.plate else 0, -c.confidence))
    return found
