"""What a case report (*Báo cáo hồ sơ vụ việc*) says: the incident's summary, its timeline of notes and links,
every file of the case folder with its SHA-256, the linked items that could not be included, and the notes file;
plain text in the report's language (no Qt: the UI lays it out as an official PDF form)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from console.core.vntime import format_vn_ms
from console.incidents.model import (
    AlertLink,
    Incident,
    Link,
    LinkKind,
    LinkTarget,
    PlateLink,
    Point,
    RecordingLink,
    SnapshotLink,
    VideoLink,
    kind_label,
    status_label,
)
from console.incidents.report_words import Word, word
from console.incidents.service import CaseFile
from console.incidents.video_record import IntakeRecord, channel_label

NO_VALUE = "—"
POINT_DECIMALS = 6  # ~0,1 m: as precise as a phone's GPS says, never rounded to another house
_KIND_WORDS = {LinkKind.ALERT: Word.KIND_ALERT, LinkKind.RECORDING: Word.KIND_RECORDING,
               LinkKind.SNAPSHOT: Word.KIND_SNAPSHOT, LinkKind.VIDEO: Word.KIND_VIDEO, LinkKind.PLATE: Word.KIND_PLATE}


@dataclass(frozen=True)
class CaseNames:
    """How the report names cameras and sites (their names in the site file); an unknown id is shown as is."""

    cameras: Mapping[str, str] = field(default_factory=dict)
    sites: Mapping[str, str] = field(default_factory=dict)
    camera_points: Mapping[str, Point] = field(default_factory=dict)  # positions, for the report's map picture
    site_points: Mapping[str, Point] = field(default_factory=dict)

    def camera(self, camera_id: str) -> str:
        name = self.cameras.get(camera_id, "")
        return f"{name} ({camera_id})" if name and name != camera_id else camera_id

    def site(self, site_id: str) -> str:
        name = self.sites.get(site_id, "")
        return f"{name} ({site_id})" if name and name != site_id else site_id


@dataclass(frozen=True)
class ExportedFile:
    """One file of the case folder as the report lists it."""

    name: str  # relative to the case folder, '/'-separated
    about: str  # what it is, in the report's language
    sha256: str
    size: int


@dataclass(frozen=True)
class TimelineEntry:
    at_ms: int
    who: str
    what: str


@dataclass(frozen=True)
class CaseReport:
    lang: str
    incident_id: int
    exported_at_ms: int
    exported_by: str
    title: str
    subtitle: str
    summary_heading: str
    summary: tuple[tuple[str, str], ...]
    timeline_heading: str
    timeline_columns: tuple[str, str, str]
    timeline: tuple[TimelineEntry, ...]
    files_heading: str
    files_columns: tuple[str, str, str, str, str]
    files: tuple[ExportedFile, ...]
    absent_heading: str
    absent: tuple[str, ...]
    map_heading: str
    map_point: Point | None  # where the map picture is centred (None: the incident has no place on the map)
    map_caption: str  # under the picture
    map_note: str  # instead of the picture: why there is none (the PDF writer uses it when no map covers the point)
    verify_note: str
    signers: tuple[tuple[str, str], ...]  # (the signer's title, the name printed under the space; "" by hand)

    def moment(self, at_ms: int) -> str:
        return format_vn_ms(at_ms)

    def size(self, size: int) -> str:
        """Bytes grouped as the language writes numbers (Vietnamese: 1.234.567)."""
        grouped = f"{size:,}"
        return grouped if self.lang == "en" else grouped.replace(",", ".")


@dataclass(frozen=True)
class Contents:
    clips: int
    videos: int
    pictures: int


def case_report(case: CaseFile, files: Sequence[ExportedFile], absent: Sequence[str], contents: Contents,
                exported_by: str, exported_at_ms: int, fingerprint: str, names: CaseNames,
                lang: str = "vi") -> CaseReport:
    incident = case.incident

    def w(key: Word, **params: object) -> str:
        return word(key, lang, params)

    summary = [
        (w(Word.NUMBER), str(incident.id)),
        (w(Word.NAME), incident.title),
        (w(Word.KIND), kind_label(incident.kind, lang)),
        (w(Word.STATUS), status_label(incident.status, lang)),
        (w(Word.PLACE), place_text(incident, names)),
        *([(w(Word.POINT), point_text(incident.place.point, lang))] if incident.place.point is not None else []),
        (w(Word.TIME), time_range_text(incident.start_ms, incident.end_ms, lang)),
        (w(Word.OFFICERS), ", ".join(incident.officers) or NO_VALUE),
        (w(Word.OPENED), w(Word.OPENED_VALUE, time=format_vn_ms(incident.created_ms), officer=incident.created_by)),
        (w(Word.EXPORTED_AT), format_vn_ms(exported_at_ms)),
        (w(Word.EXPORTED_BY), exported_by),
        (w(Word.FINGERPRINT), fingerprint),
        (w(Word.CONTENTS), w(Word.CONTENTS_VALUE, clips=contents.clips, videos=contents.videos,
                             pictures=contents.pictures, notes=len(case.notes))),
    ]
    return CaseReport(
        lang, incident.id, exported_at_ms, exported_by, w(Word.TITLE),
        w(Word.SUBTITLE, number=incident.id, title=incident.title), w(Word.SUMMARY), tuple(summary),
        w(Word.TIMELINE), (w(Word.COL_TIME), w(Word.COL_WHO), w(Word.COL_WHAT)), timeline(case, names, lang),
        w(Word.FILES), (w(Word.COL_NUMBER), w(Word.COL_FILE), w(Word.COL_ABOUT), w(Word.COL_SIZE), w(Word.COL_HASH)),
        tuple(files), w(Word.ABSENT), tuple(absent), w(Word.MAP_HEADING), *_map_words(case, names, lang),
        w(Word.VERIFY),
        ((w(Word.EXPORTED_BY), exported_by), (w(Word.HEAD_OF_UNIT), "")))


def map_place(case: CaseFile, names: CaseNames, lang: str = "vi") -> tuple[Point, str] | None:
    """Where the report's map picture is centred, and what put it there: the incident's point, its camera's
    position, its site's, else the first place a received video gives (the phone's, else the person's)."""
    place = case.incident.place
    if place.point is not None and place.point.valid():
        return place.point, word(Word.MAP_FROM_POINT, lang)
    if place.camera_id is not None and place.camera_id in names.camera_points:
        return names.camera_points[place.camera_id], word(Word.MAP_FROM_CAMERA, lang,
                                                          {"camera": names.camera(place.camera_id)})
    if place.site_id is not None and place.site_id in names.site_points:
        return names.site_points[place.site_id], word(Word.MAP_FROM_SITE, lang, {"site": names.site(place.site_id)})
    for video in case.videos:
        point = video.facts.location or video.claim.point
        if point is not None and point.valid():
            return point, word(Word.MAP_FROM_VIDEO, lang, {"file": video.file_name})
    return None


def _map_words(case: CaseFile, names: CaseNames, lang: str) -> tuple[Point | None, str, str]:
    """The map's point, the caption under its picture, and the sentence said when no offline map covers it."""
    found = map_place(case, names, lang)
    if found is None:
        return None, "", word(Word.NO_MAP_PLACE, lang)
    point, source = found
    params = {"source": source, "point": point_text(point, lang)}
    return point, word(Word.MAP_CAPTION, lang, params), word(Word.NO_MAP_DATA, lang, params)


def timeline(case: CaseFile, names: CaseNames, lang: str = "vi") -> tuple[TimelineEntry, ...]:
    """The incident's opening, its notes and its links, in time order (a note and a link of one moment: as stored)."""
    incident = case.incident
    videos = {video.id: video for video in case.videos}
    entries = [TimelineEntry(incident.created_ms, incident.created_by,
                             word(Word.EVENT_OPENED, lang, {"title": incident.title}))]
    entries += [TimelineEntry(note.at_ms, note.author, word(Word.EVENT_NOTE, lang, {"text": note.text}))
                for note in case.notes]
    entries += [TimelineEntry(link.added_ms, link.added_by, _linked(link, videos, names, lang)) for link in case.links]
    return tuple(sorted(entries, key=lambda entry: entry.at_ms))


def _linked(link: Link, videos: Mapping[int, IntakeRecord], names: CaseNames, lang: str) -> str:
    return word(Word.EVENT_LINK, lang, {"kind": word(_KIND_WORDS[link.kind], lang),
                                        "item": item_text(link.target, videos, names, lang)})


def item_text(target: LinkTarget, videos: Mapping[int, IntakeRecord], names: CaseNames, lang: str = "vi") -> str:
    """A linked item in one line."""
    if isinstance(target, AlertLink):
        return word(Word.ITEM_ALERT, lang, {"alert": target.alert_id})
    if isinstance(target, RecordingLink):
        return word(Word.ITEM_RECORDING, lang, {"camera": names.camera(target.camera_id),
                                                "start": format_vn_ms(target.start_ms),
                                                "end": format_vn_ms(target.end_ms)})
    if isinstance(target, SnapshotLink):
        return picture_text(target, names, lang)
    if isinstance(target, PlateLink):
        return word(Word.ITEM_PLATE, lang, {"plate": target.text})
    assert isinstance(target, VideoLink)
    video = videos.get(target.intake_id)
    if video is None:  # not expected: a video's link and record are stored in one transaction
        return word(Word.ITEM_VIDEO, lang, {"file": f"#{target.intake_id}", "name": NO_VALUE, "channel": NO_VALUE})
    return word(Word.ITEM_VIDEO, lang, {"file": video.file_name, "name": video.bringer.name,
                                        "channel": channel_label(video.channel, lang)})


def picture_text(target: SnapshotLink, names: CaseNames, lang: str = "vi") -> str:
    if target.camera_id and target.at_ms is not None:
        return word(Word.ITEM_SNAPSHOT, lang, {"camera": names.camera(target.camera_id),
                                               "time": format_vn_ms(target.at_ms)})
    return word(Word.ITEM_PICTURE, lang, {"file": file_name(target.path)})


def clip_text(target: RecordingLink, first_ms: int, names: CaseNames, lang: str = "vi") -> str:
    return word(Word.ITEM_CLIP, lang, {"camera": names.camera(target.camera_id), "start": format_vn_ms(target.start_ms),
                                       "end": format_vn_ms(target.end_ms), "first": format_vn_ms(first_ms)})


def original_text(video: IntakeRecord, lang: str = "vi") -> str:
    text = word(Word.ITEM_ORIGINAL, lang, {"file": video.file_name, "name": video.bringer.name,
                                           "channel": channel_label(video.channel, lang),
                                           "time": format_vn_ms(video.received_ms), "officer": video.officer})
    point = video.facts.location or video.claim.point
    return f"{text}; {point_text(point, lang)}" if point is not None else text


def plate_picture_text(target: PlateLink, lang: str = "vi") -> str:
    return word(Word.ITEM_PLATE_PICTURE, lang, {"plate": target.text})


def absent_recording_text(target: RecordingLink, names: CaseNames, lang: str = "vi") -> str:
    return word(Word.ABSENT_RECORDING, lang, {"camera": names.camera(target.camera_id),
                                              "start": format_vn_ms(target.start_ms),
                                              "end": format_vn_ms(target.end_ms)})


def absent_picture_text(path: str, lang: str = "vi") -> str:
    return word(Word.ABSENT_PICTURE, lang, {"file": file_name(path)})


def place_text(incident: Incident, names: CaseNames) -> str:
    place = incident.place
    parts = [place.text] if place.text else []
    if place.camera_id:
        parts.append(names.camera(place.camera_id))
    if place.site_id:
        parts.append(names.site(place.site_id))
    return " · ".join(parts) or NO_VALUE


def point_text(point: Point, lang: str = "vi") -> str:
    """Degrees with the language's decimal separator (Vietnamese prose writes 21,028500)."""
    def degrees(value: float) -> str:
        text = f"{value:.{POINT_DECIMALS}f}"
        return text if lang == "en" else text.replace(".", ",")

    return word(Word.POINT_VALUE, lang, {"lat": degrees(point.lat), "lon": degrees(point.lon)})


def time_range_text(start_ms: int | None, end_ms: int | None, lang: str = "vi") -> str:
    if start_ms is not None and end_ms is not None and start_ms != end_ms:
        return word(Word.TIME_RANGE, lang, {"start": format_vn_ms(start_ms), "end": format_vn_ms(end_ms)})
    known = start_ms if start_ms is not None else end_ms
    return NO_VALUE if known is None else format_vn_ms(known)


def notes_text(case: CaseFile, lang: str = "vi") -> str:
    """The notes file of the case folder: a heading, then every note in order, its later lines indented."""
    incident = case.incident
    lines = [word(Word.NOTES_HEADING, lang, {"number": incident.id, "title": incident.title}), ""]
    for note in case.notes:
        first, *rest = note.text.splitlines() or [""]
        lines.append(word(Word.NOTE_LINE, lang, {"time": format_vn_ms(note.at_ms), "author": note.author,
                                                 "text": first}))
        lines += [f"    {line}" for line in rest]
    if not case.notes:
        lines.append(word(Word.NO_NOTES, lang))
    return "\n".join(lines) + "\n"


def file_name(stored: str) -> str:
    return stored.replace("\\", "/").rsplit("/", 1)[-1]
