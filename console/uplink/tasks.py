"""Small asyncio pieces both ends of the uplink use: run a session's loops until the first ends, publish a batch
and raise its first failure with every outcome collected, drop a client given up on, and end a session bounded."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
from collections.abc import Coroutine, Sequence
from typing import Any

import aiomqtt

from console.onvif.network_loop import NetworkLoop

log = logging.getLogger(__name__)


async def first_of(*coroutines: Coroutine[Any, Any, Any]) -> None:
    """Run them together until the first one ends; cancel the rest; raise what it raised."""
    tasks = [asyncio.ensure_future(c) for c in coroutines]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    for task in done:
        error = task.exception()
        if error is not None:
            raise error


async def publish_all(sends: Sequence[Coroutine[Any, Any, Any]]) -> None:
    """Issue the publishes together (paho writes them in order, the PUBACKs come back pipelined); every outcome is
    collected — a lost connection fails them all, and unretrieved each would be logged as never retrieved — and
    the first failure is raised."""
    outcomes = await asyncio.gather(*sends, return_exceptions=True)
    failed = next((o for o in outcomes if isinstance(o, BaseException)), None)
    if failed is not None:
        raise failed


def abandon(client: aiomqtt.Client) -> None:
    """Make sure a client given up on holds no socket (paho closes it once its DISCONNECT is written), and that the
    error of a connection the broker dropped is taken as seen: aiomqtt keeps it in a future that only its message
    iterator and its next publish read, so a session that ended otherwise (a publish timing out, waiting for its
    PUBACK, while a RabbitMQ node was killed) left "Future exception was never retrieved" in the log."""
    with contextlib.suppress(Exception):
        client._client.disconnect()  # aiomqtt keeps paho's client; nothing public closes it
    disconnected = client._disconnected
    if disconnected.done() and not disconnected.cancelled():
        disconnected.exception()


def end_session(network: NetworkLoop, stop: asyncio.Event, future: concurrent.futures.Future[Any], timeout_s: float,
                what: str) -> None:
    """Ask the session running on `network` to stop (it watches `stop`) and wait for it, bounded: cancelled when
    it overruns, logged when it ended with an error. `what` names it in the log."""
    with contextlib.suppress(RuntimeError):  # the loop has already ended
        network.call_soon(stop.set)
    try:
        future.result(timeout_s)
    except concurrent.futures.TimeoutError:
        log.warning("%s did not stop within %.1f s; cancelled", what, timeout_s)
        future.cancel()
    except Exception:
        log.exception("%s ended with an error", what)
