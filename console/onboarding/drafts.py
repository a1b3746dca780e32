"""Cameras and sites as the wizard is about to write them: their ids, names, places and streams, and the
site file lines they become (only fields the site file's validator knows)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from console.core.config import Camera, Site, SiteConfig
from console.core.config_edit import DECIMALS, TomlValue
from console.core.geo import GeoPoint

DEFAULT_FOV_DEG = 90.0  # the validator's default too
DEFAULT_RANGE_M = 50.0
CAMERA_ID_PREFIX = "C"
SITE_ID_PREFIX = "S"
CREDENTIALS_PREFIX = "cam-"


@dataclass(frozen=True)
class OnvifOrigin:
    """Where the camera's ONVIF services answered (for PTZ, events and its clock later)."""

    host: str
    port: int


@dataclass(frozen=True)
class RecorderOrigin:
    """The recorder channel a camera is (its recordings and events are there): `recorder` / `recorder_channel`."""

    recorder_id: str
    channel: int


@dataclass(frozen=True)
class CameraDraft:
    id: str
    name: str
    site_id: str
    position: GeoPoint
    bearing_deg: float
    fov_deg: float
    range_m: float
    main_url: str
    sub_url: str | None
    credentials_ref: str | None
    onvif: OnvifOrigin | None = None
    recorder: RecorderOrigin | None = None

    def as_camera(self) -> Camera:
        """The camera as the map draws it before it is saved."""
        origin = self.recorder
        return Camera(self.id, self.name, self.site_id, self.position, self.bearing_deg, self.fov_deg,
                      self.range_m, self.main_url, self.sub_url, self.credentials_ref,
                      recorder=origin.recorder_id if origin else None,
                      recorder_channel=origin.channel if origin else None)


@dataclass(frozen=True)
class SiteDraft:
    id: str
    name: str
    position: GeoPoint
    address: str = ""
    notes: str = ""

    def as_site(self) -> Site:
        return Site(self.id, self.name, self.position, self.address, self.notes)


def next_ids(taken: Iterable[str], prefix: str, count: int) -> list[str]:
    """`count` ids after the highest `C07`-style id in use (never one already taken), two digits or more."""
    used = set(taken)
    numbers = [int(m.group(1)) for m in (re.fullmatch(rf"{re.escape(prefix)}(\d+)", t) for t in used) if m]
    ids: list[str] = []
    number = max(numbers, default=0)
    while len(ids) < count:
        number += 1
        candidate = f"{prefix}{number:02d}"
        if candidate not in used:
            ids.append(candidate)
    return ids


def credentials_ref(camera_id: str) -> str:
    return f"{CREDENTIALS_PREFIX}{camera_id.lower()}"


def _round(key: str, value: float) -> float:
    return round(float(value), DECIMALS[key])


def camera_values(draft: CameraDraft) -> dict[str, TomlValue]:
    values: dict[str, TomlValue] = {
        "id": draft.id, "name": draft.name, "site": draft.site_id,
        "lat": _round("lat", draft.position.lat), "lon": _round("lon", draft.position.lon),
        "bearing_deg": _round("bearing_deg", draft.bearing_deg % 360), "fov_deg": _round("fov_deg", draft.fov_deg),
        "range_m": _round("range_m", draft.range_m), "main_url": draft.main_url,
    }
    if draft.sub_url:
        values["sub_url"] = draft.sub_url
    if draft.credentials_ref:
        values["credentials"] = draft.credentials_ref
    if draft.recorder is not None:
        values["recorder"] = draft.recorder.recorder_id
        values["recorder_channel"] = draft.recorder.channel
    return values


def camera_tables(draft: CameraDraft) -> dict[str, dict[str, TomlValue]]:
    """`[cameras.onvif]`: where the camera's ONVIF services answer (its host only when it is not the main
    stream's); nothing else, so the console's defaults for events and PTZ apply."""
    if draft.onvif is None:
        return {}
    table: dict[str, TomlValue] = {"port": draft.onvif.port}
    if urlsplit(draft.main_url).hostname != draft.onvif.host:
        table["host"] = draft.onvif.host
    return {"onvif": table}


def site_values(draft: SiteDraft) -> dict[str, TomlValue]:
    values: dict[str, TomlValue] = {"id": draft.id, "name": draft.name, "lat": _round("lat", draft.position.lat),
                                    "lon": _round("lon", draft.position.lon)}
    if draft.address:
        values["address"] = draft.address
    if draft.notes:
        values["notes"] = draft.notes
    return values


def draft_of(camera: Camera) -> CameraDraft:
    """A saved camera, to edit."""
    origin = RecorderOrigin(camera.recorder, camera.recorder_channel) \
        if camera.recorder is not None and camera.recorder_channel is not None else None
    return CameraDraft(camera.id, camera.name, camera.site_id, camera.position, camera.bearing_deg, camera.fov_deg,
                       camera.range_m, camera.main_url, camera.sub_url, camera.credentials, recorder=origin)


def preview(config: SiteConfig, cameras: Iterable[CameraDraft], site: SiteDraft | None = None) -> SiteConfig:
    """`config` with the drafts in it (replacing saved cameras of the same id), for the map to draw."""
    drafts = {d.id: d.as_camera() for d in cameras}
    kept = tuple(c for c in config.cameras if c.id not in drafts)
    sites = config.sites + ((site.as_site(),) if site is not None and site.id not in {s.id for s in config.sites}
                            else ())
    return replace(config, sites=sites, cameras=kept + tuple(drafts.values()))
