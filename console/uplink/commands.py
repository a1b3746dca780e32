"""The commune's answer to the province's commands (`bn/v1/<commune>/commands`): an allow-list of command types
(only `snapshot_request`), every command written to the station's audit trail with who asked and for which
camera, a rate limit so a province cannot flood a commune, and the live picture taken from the console's latest
decoded picture, made a small JPEG and sent on the commune's `snapshots` topic (or the refusal, and why).

Runs on the uplink's network loop: the picture is asked for through `PictureSource` (the console's GUI side
answers it without blocking its thread) and encoded in an executor thread.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import logging
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass

from console.audit.actions import AuditAction, AuditEntry
from console.core.vntime import now_ms
from console.uplink import schema
from console.uplink.schema import ALLOWED_COMMANDS, Command, CommandRefusal, MessageType
from console.uplink.snapshot import LivePicture, live_jpeg

log = logging.getLogger(__name__)

PictureSource = Callable[[str], "concurrent.futures.Future[LivePicture | None]"]
AuditSink = Callable[[AuditEntry], None]
HealthOf = Callable[[str], "str | None"]  # a camera's last reported health ("ok", "camera_offline", …), None: unknown
PROVINCE_ROLE = "province"
HEALTHY = "ok"


@dataclass(frozen=True)
class CommandLimits:
    per_camera_s: float = 5.0  # one picture of a camera at most this often
    total: int = 12  # pictures of all cameras together within `total_window_s`
    total_window_s: float = 60.0
    picture_timeout_s: float = 5.0  # the live picture must come within this


DEFAULT_LIMITS = CommandLimits()


class RateLimit:
    """At most one per camera every `per_camera_s`, and `total` in any `total_window_s` (monotonic seconds)."""

    def __init__(self, limits: CommandLimits) -> None:
        self._limits = limits
        self._last: dict[str, float] = {}
        self._recent: collections.deque[float] = collections.deque()

    def allow(self, camera: str, now_s: float) -> bool:
        limits = self._limits
        while self._recent and now_s - self._recent[0] >= limits.total_window_s:
            self._recent.popleft()
        last = self._last.get(camera)
        if (last is not None and now_s - last < limits.per_camera_s) or len(self._recent) >= limits.total:
            return False
        self._last[camera] = now_s
        self._recent.append(now_s)
        return True


@dataclass(frozen=True)
class Outcome:
    """What the commune answers (`payload` for its `snapshots` topic; None: nothing can be answered)."""

    payload: bytes | None
    refused: CommandRefusal | None = None


class CommandDesk:
    """Answers one command at a time as it arrives (`answer`, on the network loop)."""

    def __init__(self, cameras: Collection[str], pictures: PictureSource | None, audit: AuditSink | None, *,
                 limits: CommandLimits = DEFAULT_LIMITS, clock: Callable[[], float] = time.monotonic) -> None:
        self._cameras = frozenset(cameras)
        self._pictures = pictures
        self._audit = audit
        self._limits = limits
        self._clock = clock
        self._rate = RateLimit(limits)

    async def answer(self, commune: str, payload: bytes, health: HealthOf, max_bytes: int) -> Outcome:
        command = schema.parse_command(payload)
        if command is None:  # no request id to answer to: audited, logged, nothing sent
            self._record(None, "refused", CommandRefusal.MALFORMED, {"bytes": len(payload)})
            log.warning("uplink: a malformed command (%d bytes) from the province was refused", len(payload))
            return Outcome(None, CommandRefusal.MALFORMED)
        refusal = self._refusal(command, health)
        if refusal is not None:
            return self._refuse(commune, command, refusal)
        assert command.camera is not None
        picture = await self._picture(command.camera)
        if picture is None:
            return self._refuse(commune, command, CommandRefusal.NO_PICTURE)
        jpeg = await asyncio.get_running_loop().run_in_executor(None, live_jpeg, picture, max_bytes)
        if jpeg is None:
            return self._refuse(commune, command, CommandRefusal.NO_PICTURE)
        self._record(command, "done", None, {"bytes": len(jpeg), "taken_ms": picture.taken_ms})
        log.info("uplink: snapshot of %s sent to the province (request %s, %d bytes)", command.camera,
                 command.request, len(jpeg))
        return Outcome(schema.snapshot_reply_payload(commune, command.request, command.camera, picture.taken_ms,
                                                     jpeg))

    def _refusal(self, command: Command, health: HealthOf) -> CommandRefusal | None:
        if command.type not in ALLOWED_COMMANDS:
            return CommandRefusal.NOT_ALLOWED
        if command.type == MessageType.SNAPSHOT_REQUEST and command.camera is None:
            return CommandRefusal.MALFORMED
        if self._pictures is None:
            return CommandRefusal.UNAVAILABLE
        camera = command.camera or ""
        if camera not in self._cameras:
            return CommandRefusal.UNKNOWN_CAMERA
        state = health(camera)
        if state is not None and state != HEALTHY:
            return CommandRefusal.CAMERA_OFFLINE
        if not self._rate.allow(camera, self._clock()):
            return CommandRefusal.RATE_LIMITED
        return None

    async def _picture(self, camera: str) -> LivePicture | None:
        assert self._pictures is not None
        try:
            future = self._pictures(camera)
            async with asyncio.timeout(self._limits.picture_timeout_s):
                return await asyncio.wrap_future(future)
        except TimeoutError:
            return None
        except Exception:
            log.exception("uplink: the live picture of %s could not be taken", camera)
            return None

    def _refuse(self, commune: str, command: Command, reason: CommandRefusal) -> Outcome:
        self._record(command, "refused", reason, {})
        log.info("uplink: command %s of the province (request %s, camera %s) refused: %s", command.type,
                 command.request, command.camera, reason.value)
        return Outcome(schema.command_refused_payload(commune, command, reason, now_ms()), reason)

    def _record(self, command: Command | None, outcome: str, reason: CommandRefusal | None,
                extra: dict[str, object]) -> None:
        if self._audit is None:
            return
        details: dict[str, object] = {"command": command.type if command else None, "outcome": outcome, **extra}
        if reason is not None:
            details["reason"] = reason.value
        try:
            self._audit(AuditEntry(AuditAction.PROVINCE_COMMAND, (command.by if command else "") or "?",
                                   PROVINCE_ROLE, command.camera if command else None,
                                   f"request:{command.request}" if command else None, details))
        except Exception:
            log.exception("uplink: a command of the province could not be audited")
