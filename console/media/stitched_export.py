"""Evidence export of a range whose parts come from more than one source (the console's own segments, a recorder's
downloads in their holes) into one MP4, in time order: `EvidenceExport`'s export, but each part ends where the next
part's first picture begins.

Why the cut: a recorder's download starts at its keyframe at or before the hole, inside the last GOP of the console's
own segment before it; written whole, both sources' pictures of those moments would follow each other (the export's
clock squeezing them into a few ticks). Cut there, the recorder's keyframe takes over and no moment is written twice.
Each part is the SegmentRow the index gives (`start_ms`: its first picture); the pictures of one source that the
other already holds are the only ones left out.
"""

from __future__ import annotations

from collections.abc import Sequence

from console.core.recording import SegmentRow
from console.media.export import EvidenceExport

# Two pictures of two sources closer than this show the same moment: at 15 fps pictures are 67 ms apart, and a
# recorder file's first moment is known to a few ms (`console.nvr_export.evidence_download.first_picture_ms`).
SAME_PICTURE_MS = 30


def cut_points(segments: Sequence[SegmentRow], end_ms: int) -> list[int]:
    """Where each part (in time order) stops: just before the next part's first picture, the last one at
    `end_ms`."""
    return [min(end_ms, segments[n + 1].start_ms - SAME_PICTURE_MS) if n + 1 < len(segments) else end_ms
            for n in range(len(segments))]


class StitchedExport(EvidenceExport):
    """`EvidenceExport` over parts that may overlap by a GOP: taken in time order, each cut at the next one's
    first picture."""

    def _copy(self, segments: Sequence[SegmentRow]) -> tuple[int, int]:
        return super()._copy(sorted(segments, key=lambda s: s.start_ms))

    def _part_ends(self, segments: Sequence[SegmentRow]) -> list[int]:
        return cut_points(segments, self.span.end_ms)
