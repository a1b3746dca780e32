"""After a crash or a power cut: segments left open are closed with their real end, read from the file.

MPEG-TS has no index or header to finish, so a cut file plays to its last complete 188-byte packet.
"""

from __future__ import annotations

import logging
from fractions import Fraction
from pathlib import Path

import av

from console.core.recording import SegmentIndex
from console.media.ts_keyframes import pack, scan_file

log = logging.getLogger(__name__)


def recover(index: SegmentIndex, root: Path) -> int:
    """Close the segments a crash or power cut left open: their real end and size read from the file."""
    repaired = 0
    for row in index.unclosed():
        path = root / row.path
        if not path.exists():
            index.delete_segments([row.id])
            continue
        duration_ms, packets = probe_segment(path)
        index.update_segment(row.id, row.start_ms + duration_ms, path.stat().st_size, packets, row.gop_ms,
                             closed=True, recovered=True, keyframes=pack(scan_file(path)))
        repaired += 1
        log.info("recordings: %s repaired after an unclean stop (%d packets)", row.path, packets)
    return repaired


def probe_segment(path: Path) -> tuple[int, int]:
    """(duration in ms, packet count) of a segment, read to its last complete packet."""
    first: int | None = None
    last = 0
    packets = 0
    step = 0
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            base = stream.time_base or Fraction(1, 90000)
            for packet in container.demux(stream):
                if packet.size == 0 or packet.pts is None:
                    continue
                if first is None:
                    first = packet.pts
                if packet.pts > last:
                    step = packet.pts - last if packets else 0
                    last = packet.pts
                packets += 1
    except (av.error.FFmpegError, IndexError):
        return 0, packets
    if first is None:
        return 0, 0
    return int((last - first + step) * base * 1000), packets
