"""What one case export will write, decided before it writes anything: a clip per linked recording range with
something recorded in it, a copy per citizen's original, snapshot and plate crop, each with its folder name and
its share of the progress bar; the linked items that cannot be included (nothing recorded, a picture gone)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from console.core.recording import ExportIndex, SegmentRow
from console.core.vntime import vn_moment
from console.evidence.manifest import Labelled, RecordedRange
from console.incidents.case_folder import CLIPS, ORIGINALS, PICTURES, PLATES, safe_name
from console.incidents.case_report import (
    CaseNames,
    absent_picture_text,
    absent_recording_text,
    file_name,
    original_text,
    picture_text,
    plate_picture_text,
)
from console.incidents.messages import CaseExportError, Say
from console.incidents.model import Link, PlateLink, RecordingLink, SnapshotLink, VideoLink
from console.incidents.service import CaseFile


class CaseIndex(ExportIndex, Protocol):
    """The recording index as a case export reads it (console.store.recordings.RecordingIndex is one)."""

    def clock_offset(self, camera_id: str, start_ms: int, end_ms: int) -> float | None: ...


@dataclass(frozen=True)
class PlannedClip:
    link: RecordingLink
    name: str  # relative to the case folder
    weight: int  # about the bytes it will copy


@dataclass(frozen=True)
class PlannedCopy:
    source: Path
    name: str  # relative to the case folder
    label: str  # the file as the officer knows it (the citizen's file name, the picture's)
    about: str  # the report's line for it
    say: Say  # the progress line while it is copied
    weight: int
    sha256: str | None = None  # what the intake recorded: the copy must have the same bytes


@dataclass(frozen=True)
class CasePlan:
    clips: tuple[PlannedClip, ...]
    copies: tuple[PlannedCopy, ...]
    absent: tuple[str, ...]
    recordings: tuple[RecordedRange, ...]  # for the manifest, every linked range (its clip's name, or None)

    @property
    def bytes(self) -> int:
        return sum(c.weight for c in self.clips) + sum(c.weight for c in self.copies)


def plan_case(case: CaseFile, index: CaseIndex, stored: Callable[[str], Path], picture: Callable[[str], Path],
              names: CaseNames, lang: str = "vi") -> CasePlan:
    """`stored` resolves the intake's paths (data folder), `picture` a snapshot's or crop's. Raises
    CaseExportError when a citizen's original is missing (it is evidence: the case is not exported without it)."""
    videos = {video.id: video for video in case.videos}
    clips: list[PlannedClip] = []
    copies: list[PlannedCopy] = []
    absent: list[str] = []
    recordings: list[RecordedRange] = []
    for link in case.links:
        target = link.target
        if isinstance(target, RecordingLink):
            segments = index.segments(target.camera_id, target.start_ms, target.end_ms)
            name = _clip_name(link, target) if segments else None
            if name is None:
                absent.append(absent_recording_text(target, names, lang))
            else:
                clips.append(PlannedClip(target, name, _recorded_bytes(segments, target)))
            camera = Labelled(target.camera_id, names.cameras.get(target.camera_id, target.camera_id))
            offset = index.clock_offset(target.camera_id, target.start_ms, target.end_ms)
            recordings.append(RecordedRange(camera, target, offset, name))
        elif isinstance(target, VideoLink) and (video := videos.get(target.intake_id)) is not None:
            source = stored(video.original)
            if not source.is_file():
                raise CaseExportError(Say.CASE_SOURCE_MISSING, name=video.file_name, path=str(source))
            copies.append(PlannedCopy(source, f"{ORIGINALS}/{_numbered(link, video.file_name)}", video.file_name,
                                      original_text(video, lang), Say.CASE_PHASE_ORIGINAL, video.size_bytes,
                                      video.sha256))
        elif isinstance(target, SnapshotLink):
            _picture(link, target.path, PICTURES, picture_text(target, names, lang), picture, copies, absent, lang)
        elif isinstance(target, PlateLink) and target.image:
            _picture(link, target.image, PLATES, plate_picture_text(target, lang), picture, copies, absent, lang)
    return CasePlan(tuple(clips), tuple(copies), tuple(absent), tuple(recordings))


def _picture(link: Link, path: str, folder: str, about: str, picture: Callable[[str], Path],
             copies: list[PlannedCopy], absent: list[str], lang: str) -> None:
    """A snapshot or crop is copied when it is still on the station, else named among the items not included."""
    source = picture(path)
    try:
        size = source.stat().st_size
    except OSError:
        absent.append(absent_picture_text(path, lang))
        return
    label = file_name(path)
    copies.append(PlannedCopy(source, f"{folder}/{_numbered(link, label)}", label, about, Say.CASE_PHASE_PICTURE,
                              size))


def _numbered(link: Link, name: str) -> str:
    """The link's number first: two items of one name stay two files, and the report's order is the folder's."""
    return f"{link.id:03d}_{safe_name(name)}"


def _clip_name(link: Link, target: RecordingLink) -> str:
    start = vn_moment(target.start_ms)
    return f"{CLIPS}/{link.id:03d}_{safe_name(target.camera_id)}_{start:%Y%m%d_%H%M%S}.mp4"


def _recorded_bytes(segments: list[SegmentRow], target: RecordingLink) -> int:
    """The bytes of the segments within the range (each pro rata): what the clip will copy, about."""
    total = 0.0
    for segment in segments:
        length = max(1, segment.end_ms - segment.start_ms)
        inside = min(segment.end_ms, target.end_ms) - max(segment.start_ms, target.start_ms)
        total += segment.bytes * max(0, inside) / length
    return max(1, round(total))
