"""The words of the incidents' room: statuses, kinds, channels, places, time ranges and linked items, translated
(glossary: Vụ việc, Đang xử lý / Đã chuyển / Đã đóng, Biển số)."""

from __future__ import annotations

from PySide6.QtCore import QObject

from console.core.vntime import format_vn_ms
from console.incidents.model import (
    AlertLink,
    Incident,
    IncidentKind,
    IncidentStatus,
    Link,
    Place,
    PlateLink,
    RecordingLink,
    SnapshotLink,
    VideoLink,
)
from console.incidents.video_record import Channel, IntakeRecord


class IncidentWords(QObject):
    """One instance per room; every sentence through `self.tr` (the lupdate context is this class)."""

    def status(self, status: IncidentStatus) -> str:
        return {
            IncidentStatus.OPEN: self.tr("Open"),
            IncidentStatus.FORWARDED: self.tr("Forwarded"),
            IncidentStatus.CLOSED: self.tr("Closed"),
        }[status]

    def kind(self, kind: IncidentKind) -> str:
        return {
            IncidentKind.THEFT: self.tr("Theft"),
            IncidentKind.TRAFFIC: self.tr("Traffic accident"),
            IncidentKind.DISORDER: self.tr("Public disorder"),
            IncidentKind.FIRE: self.tr("Fire or explosion"),
            IncidentKind.OTHER: self.tr("Other"),
        }[kind]

    def channel(self, channel: Channel) -> str:
        return {
            Channel.USB: self.tr("USB stick, memory card or phone cable"),
            Channel.ZALO: self.tr("Zalo"),
            Channel.EMAIL: self.tr("Email"),
            Channel.OTHER: self.tr("Other means"),
        }[channel]

    def place(self, place: Place) -> str:
        parts = []
        if place.text:
            parts.append(place.text)
        if place.camera_id:
            parts.append(self.tr("camera {camera}").format(camera=place.camera_id))
        if place.site_id:
            parts.append(self.tr("site {site}").format(site=place.site_id))
        if place.point is not None:
            parts.append(f"{place.point.lat:.5f}, {place.point.lon:.5f}")
        return " · ".join(parts) or "—"

    def time_range(self, start_ms: int | None, end_ms: int | None) -> str:
        if start_ms is not None and end_ms is not None and start_ms != end_ms:
            return self.tr("{start} to {end}").format(start=format_vn_ms(start_ms), end=format_vn_ms(end_ms))
        known = start_ms if start_ms is not None else end_ms
        return "—" if known is None else format_vn_ms(known)

    def when(self, incident: Incident) -> str:
        """The list's time column: the facts' time when known, else when the incident was opened."""
        return format_vn_ms(incident.start_ms if incident.start_ms is not None else incident.created_ms)

    def opened(self, incident: Incident) -> str:
        return self.tr("Opened {time} by {officer}").format(time=format_vn_ms(incident.created_ms),
                                                             officer=incident.created_by)

    def link_kind(self, link: Link) -> str:
        target = link.target
        if isinstance(target, AlertLink):
            return self.tr("Alert")
        if isinstance(target, RecordingLink):
            return self.tr("Recording")
        if isinstance(target, SnapshotLink):
            return self.tr("Snapshot")
        if isinstance(target, VideoLink):
            return self.tr("Citizen's video")
        return self.tr("Plate")

    def alert(self, target: AlertLink) -> str:
        return self.tr("Alert no. {alert}").format(alert=target.alert_id)

    def recording(self, target: RecordingLink) -> str:
        return self.tr("Camera {camera}, {start} to {end}").format(
            camera=target.camera_id, start=format_vn_ms(target.start_ms), end=format_vn_ms(target.end_ms))

    def snapshot(self, target: SnapshotLink) -> str:
        if target.camera_id and target.at_ms is not None:
            return self.tr("Picture of camera {camera} at {time}").format(camera=target.camera_id,
                                                                         time=format_vn_ms(target.at_ms))
        return self.tr("Picture {file}").format(file=target.path.rsplit("/", 1)[-1])

    def plate(self, target: PlateLink) -> str:
        if target.camera_id and target.at_ms is not None:
            return self.tr("Plate {plate}, camera {camera} at {time}").format(
                plate=target.text, camera=target.camera_id, time=format_vn_ms(target.at_ms))
        return self.tr("Plate {plate}").format(plate=target.text)

    def video(self, record: IntakeRecord) -> str:
        length = record.facts.duration_ms
        seconds = self.tr("{seconds} s").format(seconds=round(length / 1000)) if length else "?"
        return self.tr("{file} ({length}), provided by {name} ({channel})").format(
            file=record.file_name, length=seconds, name=record.bringer.name, channel=self.channel(record.channel))

    def missing_video(self, video_id: int) -> str:
        return self.tr("Video no. {video}").format(video=video_id)

    def video_details(self, record: IntakeRecord) -> str:
        """The tooltip and the line under the thumbnail strip: the hash and what the person and the file say."""
        lines = [self.tr("SHA-256: {sha256}").format(sha256=record.sha256),
                 self.tr("Received {time} by {officer}").format(time=format_vn_ms(record.received_ms),
                                                                officer=record.officer)]
        if record.claim.at_ms is not None:
            lines.append(self.tr("Claimed time: {time}").format(time=format_vn_ms(record.claim.at_ms)))
        if record.claim.place:
            lines.append(self.tr("Claimed place: {place}").format(place=record.claim.place))
        if record.facts.created_ms is not None:
            lines.append(self.tr("The file says it was recorded at {time}").format(
                time=format_vn_ms(record.facts.created_ms)))
        if record.original_preferred:
            lines.append(self.tr("Came through a chat app: ask for the original file from the phone"))
        return "\n".join(lines)
