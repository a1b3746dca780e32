"""*Thêm vào vụ việc…* from the alert list: an alert added to an incident already open, with what an incident opened
on it would hold — the alert, the recordings from before it to after its end, its picture — so the case export
cuts that clip and copies that picture. A part the incident already holds is not linked twice."""

from __future__ import annotations

from console.incidents.messages import IncidentError, Say
from console.incidents.model import AlertLink, Link, LinkTarget, RecordingLink, SnapshotLink
from console.incidents.service import ALERT_POST_ROLL_MS, ALERT_PRE_ROLL_MS, AlertLike, Incidents


def alert_targets(alert: AlertLike) -> list[LinkTarget]:
    """The alert, and for a camera's alert its recording range and picture (as `create_from_alert` links them)."""
    targets: list[LinkTarget] = [AlertLink(alert.id)]
    if alert.camera_id is not None:
        end = alert.ended_ms if alert.ended_ms is not None else alert.started_ms
        targets.append(RecordingLink(alert.camera_id, alert.started_ms - ALERT_PRE_ROLL_MS, end + ALERT_POST_ROLL_MS))
        if alert.snapshot:
            targets.append(SnapshotLink(alert.snapshot, alert.camera_id, alert.started_ms))
    return targets


def add_alert(incidents: Incidents, incident_id: int, alert: AlertLike) -> list[Link]:
    """Link the alert's parts into the incident (each an officer's action, audited); the links made. An alert
    already in this incident is refused (`Say.ALREADY_LINKED`); a closed incident too (`Say.INCIDENT_CLOSED`)."""
    if incident_id in incidents.with_alert(alert.id):
        raise IncidentError(Say.ALREADY_LINKED, incident=incident_id)
    made: list[Link] = []
    for target in alert_targets(alert):
        try:
            made.append(incidents.link(incident_id, target))
        except IncidentError as exc:
            if exc.say is not Say.ALREADY_LINKED or isinstance(target, AlertLink):
                raise
    return made
