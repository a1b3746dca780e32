"""What one wizard knows between its pages (GUI thread only): the controller, the devices table, the shared
credentials and the cameras about to be written (and, when importing a recorder's channels, that recorder)."""

from __future__ import annotations

from dataclasses import dataclass, field

from console.core.credentials import Credentials
from console.onboarding.controller import OnboardingController
from console.onboarding.drafts import CAMERA_ID_PREFIX, CameraDraft, next_ids
from console.onboarding.nvr_import import RecorderDraft
from console.ui.onboarding.device_table import DeviceTableModel
from console.ui.onboarding.tasks import NetworkTasks


@dataclass
class WizardSession:
    controller: OnboardingController
    tasks: NetworkTasks
    devices: DeviceTableModel
    credentials: Credentials | None = None  # the shared login (None: the cameras want none)
    drafts: list[CameraDraft] = field(default_factory=list)
    logins: dict[str, Credentials] = field(default_factory=dict)  # by camera id
    importing_recorder: bool = False  # the recorder page, not the network search, makes the cameras
    recorder: RecorderDraft | None = None  # the recorder whose channels the drafts are

    def take_recorder(self, recorder: RecorderDraft, drafts: list[CameraDraft], login: Credentials | None) -> None:
        """The cameras are channels of `recorder`: its login serves their streams."""
        self.recorder, self.drafts = recorder, drafts
        self.logins = {d.id: login for d in drafts} if login is not None else {}

    def forget_recorder(self) -> None:
        self.importing_recorder, self.recorder = False, None
        self.drafts, self.logins = [], {}

    def make_drafts(self) -> None:
        """The cameras to add, from the ticked rows: ONVIF ones first, then the typed ones; ids after the
        site file's highest, each standing at the first site until the placement page says otherwise."""
        config = self.controller.config
        site_id = config.sites[0].id
        shared = self.credentials
        drafts = self.controller.onvif_drafts(self.devices.taken_devices(), None, site_id, shared is not None)
        logins = {d.id: shared for d in drafts if shared is not None}
        typed = [e.typed for e in self.devices.taken() if e.typed is not None]
        taken_ids = [c.id for c in config.cameras] + [d.id for d in drafts]
        position = config.site(site_id).position
        for camera_id, camera in zip(next_ids(taken_ids, CAMERA_ID_PREFIX, len(typed)), typed, strict=True):
            login = camera.main.credentials or shared
            drafts.append(self.controller.typed_draft(camera_id, camera.name or camera_id, camera.main, camera.sub,
                                                      site_id, position, login is not None))
            if login is not None:
                logins[camera_id] = login
        self.drafts, self.logins = drafts, logins
