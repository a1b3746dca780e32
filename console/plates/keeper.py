"""A plate the officer confirmed, kept: its crop as a JPEG under the alert pictures' folder (`plates/<day>/`, a
path relative to that folder, as the alerts' own pictures are, so the incidents' dock and the case export find it),
a row on the alert when the picture was an alert's (searchable in the alert list), and a plate link with the crop
in an incident (searchable in the *Vụ việc* dock, exported with the case).

Both targets are checked before anything is written: the alert with the role's right to handle alerts, the incident
by `Incidents` (the officer's right, and the incident not closed). Blocking (a file, SQLite): run off the GUI thread.
"""

from __future__ import annotations

import io
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from console.core.atomic import write_durably
from console.core.vntime import now_ms, vn_moment
from console.incidents.model import PlateLink
from console.incidents.service import Incidents
from console.officers.guard import Officers, open_officers
from console.officers.roles import Permission
from console.plates.formats import normalise
from console.plates.reader import Box, Picture
from console.store.database import open_database
from console.store.plates import insert_alert_plate

PLATES_FOLDER = "plates"  # under the alert pictures' folder
CROP_QUALITY = 90
CROP_MIN_HEIGHT = 48  # a crop from a small picture is kept scaled up to this, so a report shows it legibly
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")  # kept out of a file name


@dataclass(frozen=True)
class PlateSource:
    """Where the picture read comes from: a camera's moment, and the alert or incident it belongs to."""

    camera_id: str | None = None
    at_ms: int | None = None
    alert_id: int | None = None  # the picture is this alert's
    incident_id: int | None = None  # the picture is this incident's (a linked snapshot)


@dataclass(frozen=True)
class KeptPlate:
    text: str
    crop: str  # relative to the alert pictures' folder
    alert_plate_id: int | None = None
    incident_id: int | None = None
    link_id: int | None = None


def confirmed_text(typed: str) -> str:
    """What is stored for what the officer typed: the plate's written form when it fits a Vietnamese layout, else
    the text as typed in upper case, spaces collapsed (a foreign or special plate is kept as the officer wrote it)."""
    plate = normalise(typed)
    return plate.text if plate is not None else " ".join(typed.upper().split())


def crop_jpeg(picture: Picture, box: Box) -> bytes:
    x0, y0, x1, y1 = box
    image = Image.fromarray(np.ascontiguousarray(picture[y0:y1, x0:x1]), "RGB")
    if 0 < image.height < CROP_MIN_HEIGHT:
        scale = CROP_MIN_HEIGHT / image.height
        image = image.resize((round(image.width * scale), CROP_MIN_HEIGHT), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=CROP_QUALITY)
    return out.getvalue()


class PlateKeeper:
    """`db_path`: console.db (the alert plates' table); `pictures`: the alert pictures' folder; `incidents`: the
    incidents' service (None: plates go to alerts only)."""

    def __init__(self, db_path: Path, pictures: Path, incidents: Incidents | None = None,
                 officers: Officers | None = None, clock: Callable[[], int] = now_ms) -> None:
        self.db_path = db_path
        self.pictures = pictures
        self.incidents = incidents
        self.officers = officers or open_officers()
        self.clock = clock

    def save(self, typed: str, picture: Picture, box: Box, source: PlateSource, *, to_alert: bool,
             incident_id: int | None, read_text: str = "", confidence: float | None = None) -> KeptPlate:
        """Keep the plate: `box` of `picture` as its crop, on the source's alert (`to_alert`) and/or as a link of
        `incident_id`. Raises ValueError (nothing to keep, nowhere to keep it), ActionRefusedError or
        IncidentError (refused: nothing was written)."""
        text = confirmed_text(typed)
        if not text:
            raise ValueError("no plate to keep")
        if to_alert and source.alert_id is None:
            raise ValueError("the picture is no alert's")
        if not to_alert and incident_id is None:
            raise ValueError("neither an alert nor an incident to keep the plate in")
        if incident_id is not None and self.incidents is None:
            raise ValueError("no incidents here")
        user = None
        if to_alert:
            user = self.officers.require(Permission.ACK_ALERT, camera=source.camera_id,
                                         target=f"alert:{source.alert_id}")
        if incident_id is not None and self.incidents is not None:
            user, _incident = self.incidents.require_open(incident_id)
        at = self.clock()
        crop = self._write_crop(picture, box, source, at)
        kept = KeptPlate(text, crop)
        if to_alert and source.alert_id is not None:
            db = open_database(self.db_path)
            try:
                with db.conn:
                    row = insert_alert_plate(db.conn, source.alert_id, text, crop=crop, box=box, read_text=read_text,
                                             confidence=confidence, camera_id=source.camera_id, at_ms=source.at_ms,
                                             saved_ms=at, saved_by=user.login if user is not None else "-")
            finally:
                db.close()
            kept = KeptPlate(text, crop, alert_plate_id=row.id)
        if incident_id is not None and self.incidents is not None:
            link = self.incidents.link(incident_id, PlateLink(text, source.camera_id, source.at_ms, None, crop))
            kept = KeptPlate(text, crop, kept.alert_plate_id, incident_id, link.id)
        return kept

    def _write_crop(self, picture: Picture, box: Box, source: PlateSource, at_ms: int) -> str:
        moment = vn_moment(source.at_ms if source.at_ms is not None else at_ms)
        camera = _UNSAFE.sub("_", source.camera_id or "anh")
        name = f"{camera}_{moment:%Y%m%d_%H%M%S}_{secrets.token_hex(4)}.jpg"
        relative = Path(PLATES_FOLDER) / f"{moment:%Y-%m-%d}" / name
        target = self.pictures / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        write_durably(target, crop_jpeg(picture, box))
        return relative.as_posix()
