"""Stream-copy recording of every camera into keyframe-aligned MPEG-TS segments, with its index.

`tap` copies a camera's packets off its ingest, `writer` (one thread) muxes the segments and keeps the index,
`retention` deletes what the rules choose, `recovery` repairs the index after an unclean stop. The index is
handed in (`IndexOpener`, from app.py): media never opens the database itself.
"""

from console.media.recording.items import RecPacket
from console.media.recording.recovery import probe_segment, recover
from console.media.recording.retention import apply_retention
from console.media.recording.tap import RecordTap
from console.media.recording.writer import IndexOpener, Recorder

__all__ = ["IndexOpener", "RecPacket", "RecordTap", "Recorder", "apply_retention", "probe_segment", "recover"]
