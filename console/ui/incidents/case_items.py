"""The rows of an incident's linked items as the dock lists them: what each is, its pictures, and where a double
click takes the officer (a camera's moment in playback, a point on the map)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from console.incidents.model import (
    AlertLink,
    Incident,
    Link,
    LinkKind,
    PlateLink,
    Point,
    RecordingLink,
    SnapshotLink,
    VideoLink,
)
from console.incidents.service import CaseFile
from console.incidents.video_record import IntakeRecord
from console.ui.incidents.words import IncidentWords

AlertMoment = Callable[[int], tuple[str, int] | None]  # alert id → its camera and start (the alert log's)


@dataclass(frozen=True)
class CaseItem:
    link_id: int
    kind: LinkKind
    kind_text: str
    text: str
    added_ms: int
    added_by: str
    camera_id: str | None = None  # with at_ms: where playback opens
    at_ms: int | None = None
    point: Point | None = None  # where the map centres
    pictures: tuple[Path, ...] = ()  # a video's thumbnail strip, a snapshot, a plate's crop
    details: str = ""


@dataclass(frozen=True)
class PictureFolders:
    """Where stored pictures are: the intake's relative to the data folder, the alerts' snapshots relative to
    the alert snapshot folder (absolute paths as they are)."""

    data: Path
    snapshots: Path | None = None

    def stored(self, path: str) -> Path:
        return self.data / path

    def snapshot(self, path: str) -> Path:
        given = Path(path)
        if given.is_absolute():
            return given
        return (self.snapshots or self.data) / given


def case_items(case: CaseFile, words: IncidentWords, folders: PictureFolders,
               alert_moment: AlertMoment | None = None) -> list[CaseItem]:
    videos = {video.id: video for video in case.videos}
    return [_item(link, case.incident, videos, words, folders, alert_moment) for link in case.links]


def _item(link: Link, incident: Incident, videos: dict[int, IntakeRecord], words: IncidentWords,
          folders: PictureFolders, alert_moment: AlertMoment | None) -> CaseItem:
    base = CaseItem(link.id, link.kind, words.link_kind(link), "", link.added_ms, link.added_by)
    target = link.target
    if isinstance(target, AlertLink):
        camera, at = _alert_moment(target.alert_id, incident, alert_moment)
        return replace(base, text=words.alert(target), camera_id=camera, at_ms=at)
    if isinstance(target, RecordingLink):
        return replace(base, text=words.recording(target), camera_id=target.camera_id, at_ms=target.start_ms)
    if isinstance(target, SnapshotLink):
        return replace(base, text=words.snapshot(target), camera_id=target.camera_id, at_ms=target.at_ms,
                     pictures=(folders.snapshot(target.path),), details=target.path)
    if isinstance(target, PlateLink):
        pictures = (folders.snapshot(target.image),) if target.image else ()
        return replace(base, text=words.plate(target), camera_id=target.camera_id, at_ms=target.at_ms,
                     pictures=pictures)
    assert isinstance(target, VideoLink)
    video = videos.get(target.intake_id)
    if video is None:  # not expected: the link and the record are written in one transaction
        return replace(base, text=words.missing_video(target.intake_id))
    return replace(base, text=words.video(video), point=video.facts.location or video.claim.point,
                 pictures=tuple(folders.stored(t) for t in video.thumbnails), details=words.video_details(video))


def _alert_moment(alert_id: int, incident: Incident, lookup: AlertMoment | None) -> tuple[str | None, int | None]:
    found = lookup(alert_id) if lookup is not None else None
    if found is not None:
        return found
    if incident.origin_ref == f"alert:{alert_id}":  # opened on this alert: its camera and time are the incident's
        return incident.place.camera_id, incident.start_ms
    return None, None
