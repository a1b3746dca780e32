"""Where the open incidents are on the map: each incident not closed at its place (its map point, else its camera's
position, else its site's), and each citizen's video of it at the place the phone wrote (else the one the person
claimed). No Qt: the map's incident layer draws what this returns, read on a worker thread."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from console.core.config import SiteConfig
from console.incidents.model import Incident, IncidentQuery, IncidentStatus, Place, Point
from console.incidents.service import Incidents

OPEN_STATUSES = frozenset({IncidentStatus.OPEN, IncidentStatus.FORWARDED})
MAX_ON_MAP = 500  # the dock's own limit: a station with more open incidents has other problems


@dataclass(frozen=True)
class MapPositions:
    """The site file's positions of cameras and sites (WGS 84), by id."""

    cameras: Mapping[str, Point]
    sites: Mapping[str, Point]

    @classmethod
    def of(cls, config: SiteConfig) -> MapPositions:
        return cls({c.id: Point(c.position.lat, c.position.lon) for c in config.cameras},
                   {s.id: Point(s.position.lat, s.position.lon) for s in config.sites})


@dataclass(frozen=True)
class IncidentSpot:
    """One marker: the incident, where, and — for a citizen's video's location — which file put it there."""

    incident: Incident
    point: Point
    video_file: str | None = None  # None: the incident's own place


def place_point(place: Place, positions: MapPositions) -> Point | None:
    """The most precise point a place gives: the point set on the map, the camera's position, the site's."""
    if place.point is not None and place.point.valid():
        return place.point
    if place.camera_id is not None and place.camera_id in positions.cameras:
        return positions.cameras[place.camera_id]
    if place.site_id is not None and place.site_id in positions.sites:
        return positions.sites[place.site_id]
    return None


def open_incident_spots(incidents: Incidents, positions: MapPositions) -> list[IncidentSpot]:
    """Every open or forwarded incident's markers, newest incident first. Blocking (the database): a worker's call."""
    spots: list[IncidentSpot] = []
    for incident in incidents.search(IncidentQuery(statuses=OPEN_STATUSES, limit=MAX_ON_MAP)):
        point = place_point(incident.place, positions)
        if point is not None:
            spots.append(IncidentSpot(incident, point))
        for video in incidents.case_file(incident.id).videos:
            where = video.facts.location or video.claim.point
            if where is not None and where.valid():
                spots.append(IncidentSpot(incident, where, video.file_name))
    return spots
