"""One wizard's work from first search to save: what it found, read and tested, and the cameras it writes.

Coroutines (`find`, `read`, `test_stream`) run on the ONVIF network loop, each step under its timeout; the
rest is quick and runs wherever it is called (saving writes files: the dialog calls it off the GUI thread).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from console.core.config import SiteConfig, stream_key
from console.core.config_edit import SiteFileEditor
from console.core.credentials import Credentials, CredentialStore
from console.core.geo import GeoPoint
from console.onboarding import devices, nvr_import, saving
from console.onboarding.devices import DeviceRow, Discovery, Search
from console.onboarding.drafts import (
    CAMERA_ID_PREFIX,
    DEFAULT_FOV_DEG,
    DEFAULT_RANGE_M,
    SITE_ID_PREFIX,
    CameraDraft,
    OnvifOrigin,
    SiteDraft,
    credentials_ref,
    next_ids,
)
from console.onboarding.limits import DEFAULT_LIMITS, OnboardingLimits
from console.onboarding.nvr_import import ChannelPick, RecorderDevice, RecorderDraft, RecorderReading
from console.onboarding.stream_check import StreamCheck, check_stream
from console.onboarding.streams import TypedStream, choose_streams, stream_address


class OnboardingController:
    def __init__(self, config: SiteConfig, editor: SiteFileEditor, store: CredentialStore,
                 limits: OnboardingLimits = DEFAULT_LIMITS) -> None:
        self.config = config
        self.editor = editor
        self.store = store
        self.limits = limits

    # -- on the network loop ------------------------------------------------------------------------
    async def find(self, search: Search) -> Discovery:
        return await devices.find(search, wait_s=self.limits.probe_wait_s, timeout_s=self.limits.call_timeout_s)

    async def read(self, rows: Sequence[DeviceRow], credentials: Credentials) -> tuple[DeviceRow, ...]:
        """The rows read again with the shared credentials (each one's error, if any, in its row)."""
        return await devices.read([row.found for row in rows], credentials, timeout_s=self.limits.call_timeout_s)

    async def test_stream(self, uri: str, credentials: Credentials | None) -> StreamCheck:
        """Raises StreamCheckError."""
        return await check_stream(uri, credentials, self.limits)

    async def read_recorder(self, device: RecorderDevice, credentials: Credentials | None) -> RecorderReading:
        """A recorder's channels. Raises NvrError or EmptyRecorderError (messages naming the recorder)."""
        return await nvr_import.read_recorder(device, credentials, timeout_s=self.limits.call_timeout_s)

    # -- drafts -------------------------------------------------------------------------------------
    def saved_camera_at(self, main_url: str) -> str | None:
        """The id of a camera of the site file already on this stream (found again by a search)."""
        key = stream_key(main_url)
        return next((c.id for c in self.config.cameras if stream_key(c.main_url) == key), None)

    def main_url(self, row: DeviceRow) -> str | None:
        choice = choose_streams(row.profiles)
        return stream_address(choice.main.stream_uri or "", row.host) if choice is not None else None

    def new_ids(self, count: int) -> list[str]:
        return next_ids((c.id for c in self.config.cameras), CAMERA_ID_PREFIX, count)

    def new_site(self, name: str, position: GeoPoint | None = None) -> SiteDraft:
        [site_id] = next_ids((s.id for s in self.config.sites), SITE_ID_PREFIX, 1)
        return SiteDraft(site_id, name.strip(), position or self.config.commune.centre)

    def onvif_drafts(self, rows: Sequence[DeviceRow], site: SiteDraft | None, site_id: str,
                     with_credentials: bool) -> list[CameraDraft]:
        """A draft per readable row, standing at its site (the map moves it), in the rows' order."""
        position = site.position if site is not None else self.config.site(site_id).position
        drafts = []
        usable = [(row, choice) for row in rows if (choice := choose_streams(row.profiles)) is not None]
        for camera_id, (row, choice) in zip(self.new_ids(len(usable)), usable, strict=True):
            name = row.name or " ".join(filter(None, (row.model, row.host))) or camera_id
            sub = stream_address(choice.sub.stream_uri or "", row.host) if choice.sub is not None else None
            drafts.append(CameraDraft(
                camera_id, name, site_id, position, 0.0, DEFAULT_FOV_DEG, DEFAULT_RANGE_M,
                stream_address(choice.main.stream_uri or "", row.host), sub,
                credentials_ref(camera_id) if with_credentials else None, OnvifOrigin(row.host, row.port)))
        return drafts

    def typed_draft(self, camera_id: str, name: str, main: TypedStream, sub: TypedStream | None,
                    site_id: str, position: GeoPoint, with_credentials: bool) -> CameraDraft:
        """A camera without ONVIF, from the RTSP addresses the technician typed."""
        return CameraDraft(camera_id, name, site_id, position, 0.0, DEFAULT_FOV_DEG, DEFAULT_RANGE_M, main.url,
                           sub.url if sub is not None else None,
                           credentials_ref(camera_id) if with_credentials else None)

    def recorder_drafts(self, reading: RecorderReading, picks: Sequence[ChannelPick],
                        with_credentials: bool) -> tuple[RecorderDraft, list[CameraDraft]]:
        """The recorder's table (with the time mode its clock showed) and a camera per ticked channel."""
        recorder = nvr_import.recorder_draft(self.config, self.store.refs(), reading.device, with_credentials,
                                             reading.time)
        return recorder, nvr_import.channel_drafts(self.config, recorder, reading, picks)

    # -- saving (writes files: off the GUI thread) --------------------------------------------------
    def save_new(self, cameras: Sequence[CameraDraft], logins: Mapping[str, Credentials],
                 site: SiteDraft | None = None) -> SiteConfig:
        """ConfigError (nothing written) when the result would not validate."""
        self.config = saving.add_cameras(self.editor, self.store, cameras, logins, site)
        return self.config

    def save_recorder(self, recorder: RecorderDraft, cameras: Sequence[CameraDraft],
                      logins: Mapping[str, Credentials], site: SiteDraft | None = None) -> SiteConfig:
        """ConfigError (nothing written) when the result would not validate."""
        self.config = saving.add_recorder(self.editor, self.store, recorder, cameras, logins, site)
        return self.config

    def save_camera(self, draft: CameraDraft, login: Credentials | None = None) -> SiteConfig:
        self.config = saving.update_camera(self.editor, self.store, draft, login)
        return self.config

    def remove_camera(self, camera_id: str) -> SiteConfig:
        self.config = saving.remove_camera(self.editor, self.store, camera_id)
        return self.config

    def save_site(self, site: SiteDraft, new: bool) -> SiteConfig:
        self.config = (saving.add_site if new else saving.update_site)(self.editor, self.store, site)
        return self.config
