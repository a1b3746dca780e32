"""The province's snapshot requests and their answers: each request an id, the commune and camera it asked,
then the commune's picture (and when it was taken), its refusal, or no answer within `ANSWER_TIMEOUT_S`.

Kept in memory only (the last `KEPT` requests): an answer is for the officer who asked, now. Thread-safe: the
receiver's loop writes, the window polls.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from enum import StrEnum

from console.province.validate import CommandAnswer

ANSWER_TIMEOUT_S = 15.0  # the commune waits ≤ 5 s for its live picture; the rest is the way there and back
KEPT = 100


class RequestState(StrEnum):
    SENDING = "sending"
    WAITING = "waiting"  # published; no answer yet
    ANSWERED = "answered"  # the picture came
    REFUSED = "refused"  # the commune said no (`refused` says why)
    NOT_SENT = "not_sent"  # the province is not connected to its broker
    TIMED_OUT = "timed_out"


@dataclass(frozen=True)
class SnapshotRequest:
    request: str
    commune: str
    camera: str
    by: str
    asked_ms: int
    state: RequestState = RequestState.SENDING
    jpeg: bytes | None = None
    taken_ms: int | None = None
    refused: str | None = None  # a CommandRefusal value
    answered_ms: int | None = None

    @property
    def done(self) -> bool:
        return self.state not in (RequestState.SENDING, RequestState.WAITING)


class SnapshotRequests:
    def __init__(self, timeout_s: float = ANSWER_TIMEOUT_S) -> None:
        self._timeout_ms = int(timeout_s * 1000)
        self._lock = threading.Lock()
        self._requests: OrderedDict[str, SnapshotRequest] = OrderedDict()

    def ask(self, commune: str, camera: str, by: str, now_ms: int) -> SnapshotRequest:
        request = SnapshotRequest(secrets.token_hex(8), commune, camera, by, now_ms)
        with self._lock:
            self._requests[request.request] = request
            while len(self._requests) > KEPT:
                self._requests.popitem(last=False)
        return request

    def sent(self, request: str) -> None:
        with self._lock:
            found = self._requests.get(request)
            if found is not None and found.state is RequestState.SENDING:
                self._requests[request] = replace(found, state=RequestState.WAITING)

    def not_sent(self, request: str, now_ms: int) -> None:
        with self._lock:
            found = self._requests.get(request)
            if found is not None and not found.done:
                self._requests[request] = replace(found, state=RequestState.NOT_SENT, answered_ms=now_ms)

    def answered(self, answer: CommandAnswer) -> bool:
        """The commune's answer to a request of ours; False (ignored) when it answers none we asked of it."""
        with self._lock:
            found = self._requests.get(answer.request)
            if found is None or found.done or found.commune != answer.commune or (
                    answer.camera is not None and answer.camera != found.camera):
                return False
            if answer.jpeg is not None:
                self._requests[answer.request] = replace(found, state=RequestState.ANSWERED, jpeg=answer.jpeg,
                                                         taken_ms=answer.taken_ms, answered_ms=answer.received_ms)
            else:
                self._requests[answer.request] = replace(found, state=RequestState.REFUSED, refused=answer.refused,
                                                         answered_ms=answer.received_ms)
            return True

    def get(self, request: str, now_ms: int) -> SnapshotRequest | None:
        """The request as it stands (timed out once `timeout_s` passed without an answer)."""
        with self._lock:
            found = self._requests.get(request)
            if found is not None and not found.done and now_ms - found.asked_ms > self._timeout_ms:
                found = self._requests[request] = replace(found, state=RequestState.TIMED_OUT, answered_ms=now_ms)
            return found
