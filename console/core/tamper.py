"""Tamper on a small luma picture: lens covered (dark or uniform), defocused (sharpness collapsed against
what this camera normally shows), moved (the scene differs from the learned one, and stays different).

Each verdict must persist for `persist_samples` samples before it counts, so a passing truck filling the
picture is not "covered" and a shadow is not "moved". The references are learned while nothing is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from console.core.alerts import AlertKind

Luma = npt.NDArray[np.uint8]


@dataclass(frozen=True)
class TamperSettings:
    enabled: bool = True
    dark_level: float = 22.0  # mean luma below this: covered (or lights out)
    uniform_std: float = 7.0  # standard deviation below this: covered (cloth, paint, hand)
    defocus_ratio: float = 0.35  # sharpness under this share of the learned sharpness: defocused
    moved_correlation: float = 0.45  # correlation with the learned scene under this: moved
    persist_samples: int = 6  # at 2 samples/s: 3 s
    learn_samples: int = 10


def sharpness(luma: Luma) -> float:
    """Mean squared Laplacian: high for a focused scene with edges, near zero for a blurred one."""
    picture = luma.astype(np.float32)
    laplacian = (picture[1:-1, :-2] + picture[1:-1, 2:] + picture[:-2, 1:-1] + picture[2:, 1:-1]
                 - 4 * picture[1:-1, 1:-1])
    return float(np.mean(laplacian * laplacian))


def correlation(a: npt.NDArray[np.float32], b: npt.NDArray[np.float32]) -> float:
    a = a - a.mean()
    b = b - b.mean()
    denominator = float(np.sqrt((a * a).sum() * (b * b).sum()))
    return float((a * b).sum()) / denominator if denominator > 0 else 0.0


class TamperDetector:
    def __init__(self, settings: TamperSettings | None = None) -> None:
        self.settings = settings or TamperSettings()
        self._sharpness: float | None = None
        self._scene: npt.NDArray[np.float32] | None = None
        self._learned = 0
        self._streak: dict[AlertKind, int] = {}

    def _verdicts(self, luma: Luma) -> dict[AlertKind, float]:
        s = self.settings
        picture = luma.astype(np.float32)
        mean, std = float(picture.mean()), float(picture.std())
        covered = mean < s.dark_level or std < s.uniform_std
        found: dict[AlertKind, float] = {}
        if covered:
            found[AlertKind.TAMPER_COVERED] = 1.0 - min(std / s.uniform_std, mean / s.dark_level, 1.0) / 2
            return found  # a covered lens is neither blurred nor moved
        sharp = sharpness(luma)
        if self._sharpness is not None and self._scene is not None and self._learned >= s.learn_samples:
            ratio = sharp / self._sharpness if self._sharpness > 0 else 1.0
            if ratio < s.defocus_ratio:
                found[AlertKind.TAMPER_DEFOCUSED] = 1.0 - ratio
            similar = correlation(picture, self._scene)
            if similar < s.moved_correlation:
                found[AlertKind.TAMPER_MOVED] = 1.0 - similar
        if not found:  # learn only from normal pictures
            self._learned += 1
            rate = 1.0 / min(self._learned, 50)
            self._sharpness = sharp if self._sharpness is None else (1 - rate) * self._sharpness + rate * sharp
            self._scene = picture if self._scene is None else (1 - rate) * self._scene + rate * picture
        return found

    def sample(self, luma: Luma) -> dict[AlertKind, float]:
        """The tamper kinds active now (persisted long enough), with a score 0..1 each."""
        if not self.settings.enabled:
            return {}
        verdicts = self._verdicts(luma)
        for kind in (AlertKind.TAMPER_COVERED, AlertKind.TAMPER_DEFOCUSED, AlertKind.TAMPER_MOVED):
            self._streak[kind] = self._streak.get(kind, 0) + 1 if kind in verdicts else 0
        return {k: v for k, v in verdicts.items() if self._streak[k] >= self.settings.persist_samples}
