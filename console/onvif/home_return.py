"""A PTZ camera back at its home after the officer leaves it: `home_after_min` minutes after the last gesture
(per camera, in the site file) it goes to its `home_preset`, or to its home position when none is named. Once
there it stays until someone moves it again; a camera nobody touched is never moved. The audit trail's row for
that return names the system, not the officer on duty: the console moved the camera."""

from __future__ import annotations

import asyncio
import logging
import time

from console.audit.chain import SYSTEM_USER
from console.onvif.errors import OnvifError
from console.onvif.ptz import PtzController, PtzGesture
from console.onvif.waits import cancelled, woken_or_after

log = logging.getLogger(__name__)


class HomeReturn:
    def __init__(self, controller: PtzController, after_s: float, preset: str | None = None) -> None:
        self._controller = controller
        self._after_s = after_s
        self._preset = preset
        self._last: float | None = None  # monotonic end of the officer's last gesture; None: nothing to undo
        self._own = False  # our own goto is going on: its gesture does not count as the officer's
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.returns = 0

    def start(self) -> None:
        if self._task is None and self._after_s > 0:
            name = f"ptz-home-{self._controller.camera_id}"
            self._task = asyncio.get_running_loop().create_task(self._run(), name=name)

    def gesture(self, gesture: PtzGesture) -> None:
        """Every gesture of the controller (on the network loop): the officer's re-arm the idle time."""
        if not self._own:
            self._last = time.monotonic()
            self._wake.set()

    async def close(self) -> None:
        await cancelled(self._task)
        self._task = None

    async def _run(self) -> None:
        while True:
            if self._last is None:
                await woken_or_after(self._wake, None)
                continue
            idle = time.monotonic() - self._last
            if idle < self._after_s or self._controller.moving:
                await woken_or_after(self._wake, max(0.1, self._after_s - idle))
                continue
            self._last = None
            await self._go_home()

    async def _go_home(self) -> None:
        self._own = True
        actor, self._controller.actor = self._controller.actor, SYSTEM_USER  # copied into the goto's gesture
        try:
            if self._preset is not None:
                await self._controller.goto_preset(self._preset)
            else:
                await self._controller.goto_home()
            self.returns += 1
            log.info("%s: back to its home after %.0f s idle", self._controller.camera_id, self._after_s)
        except OnvifError as exc:
            log.warning("%s: could not return home: %s", self._controller.camera_id, exc.message_en)
        finally:
            self._own = False
            self._controller.actor = actor
