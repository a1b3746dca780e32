"""Health that never lies, tested the way it was found: a stall/trickle proxy between the simulator and the
console's ingest, the state a tile would show sampled every 50 ms and checked against the capture time
stamped into each picture; every way a camera can be unreachable named for what happened; wrong credentials
tried three times, then left alone until the officer or new credentials say so; a backoff that starts afresh
after every good session."""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pytest

from console.core.config import SiteConfig, StreamKind, load_config
from console.core.credentials import Credentials, CredentialStore
from console.core.health import BACKOFF_FIRST_S, Failure, Phase, Shown, StreamStatus
from console.core.stamp import read_stamp
from console.media.display import FrameView, VideoImage
from console.media.ingest import IngestSettings, StreamIngest
from console.media.pool import CREDENTIALS_POLL_S, StreamPool
from console.simulator.server import Simulator, SimulatorOptions
from tests.support.siteconfig import write_demo_config
from tests.support.tcp_proxy import TcpProxy
from tests.support.waiting import wait_until

SAMPLE_S = 0.05


@pytest.fixture()
def live_sim(tmp_path: Path) -> Iterator[Simulator]:
    """Two cameras whose sub streams carry the capture time in their pixels."""
    config = load_config(write_demo_config(tmp_path / "health.toml", cameras=2))
    with Simulator(config, options=SimulatorOptions(loop_s=4.0, live_sub=True)) as sim:
        yield sim


@pytest.fixture()
def proxy(live_sim: Simulator) -> Iterator[TcpProxy]:
    port = urlsplit(live_sim.config.camera("C01").sub_url or "").port
    assert port is not None
    with TcpProxy(port) as running:
        yield running


def through(config: SiteConfig, proxy: TcpProxy) -> SiteConfig:
    """C01 reached through the proxy."""
    cameras = tuple(replace(c, sub_url=proxy.url(c.sub_url or ""), main_url=proxy.url(c.main_url))
                    if c.id == "C01" else c for c in config.cameras)
    return replace(config, cameras=cameras)


def stamp_of(image: VideoImage) -> int | None:
    rows = image.pixels.reshape(image.height, image.stride)[:, :image.width * 4]
    green = np.ascontiguousarray(rows.reshape(image.height, image.width, 4)[:, :, 1])
    return read_stamp(green, int(time.time() * 1000))


@dataclass
class Sample:
    at: float  # time.monotonic()
    shown: Shown
    age_s: float | None  # how old the picture on screen really is (from its stamp); None before the first


@dataclass
class Screen:
    """What a tile watching C01's sub stream shows, sampled like a screen grabber would."""

    pool: StreamPool
    view: FrameView = field(default_factory=lambda: FrameView(lambda: None))
    samples: list[Sample] = field(default_factory=list)
    image: VideoImage | None = None
    stamp_ms: int | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self.view.set_box(640, 360)
        self.pool.watch("C01", StreamKind.SUB, self.view)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)

    def status(self) -> StreamStatus:
        status = self.pool.status("C01", StreamKind.SUB)
        assert status is not None
        return status if self.image is None else status.with_picture(self.image.captured)

    def _run(self) -> None:
        while not self._stop.wait(SAMPLE_S):
            image = self.view.take()
            if image is not None:
                stamp = stamp_of(image)
                if stamp is not None:
                    self.image, self.stamp_ms = image, stamp
            now = time.monotonic()
            age = None if self.stamp_ms is None else time.time() - self.stamp_ms / 1000
            self.samples.append(Sample(now, self.status().shown(now), age))

    def first(self, after: float, states: tuple[Shown, ...]) -> float:
        seen = [s.at for s in self.samples if s.at >= after and s.shown in states]
        assert seen, f"the tile never showed {' or '.join(s.name for s in states)} after the fault"
        return seen[0] - after

    def fresh(self, limit_s: float) -> bool:
        """The tile shows live over a picture younger than `limit_s` (by its stamp)."""
        last = self.samples[-1] if self.samples else None
        return last is not None and last.shown is Shown.LIVE and last.age_s is not None and last.age_s < limit_s

    def green_over_old(self, limit_s: float) -> list[Sample]:
        return [s for s in self.samples if s.shown is Shown.LIVE and s.age_s is not None and s.age_s > limit_s]


def watch_through_proxy(live_sim: Simulator, proxy: TcpProxy, pools: list[StreamPool]) -> Screen:
    pool = StreamPool(through(live_sim.config, proxy))
    pools.append(pool)
    screen = Screen(pool)
    screen.start()
    wait_until(lambda: screen.status().shown(time.monotonic()) is Shown.LIVE and screen.image is not None, 10,
               what="C01 live through the proxy with a stamped picture")
    return screen


@pytest.mark.parametrize("fault", ["stall", "trickle"])
def test_a_stalled_or_trickled_link_is_frozen_then_lost_and_never_green_over_an_old_picture(
        fault: str, live_sim: Simulator, proxy: TcpProxy, pools: list[StreamPool]) -> None:
    screen = watch_through_proxy(live_sim, proxy, pools)
    time.sleep(2.0)  # two seconds of a healthy link first
    began = time.monotonic()
    if fault == "stall":
        proxy.stall()
    else:
        proxy.trickle(1000)  # 1 kB/s: a picture now and then, ever older
    time.sleep(12.0)  # the fault lasts 12 s
    proxy.passthrough()
    wait_until(lambda: screen.fresh(1.0), 15, what="C01 live again over a picture under 1 s old")
    screen.stop()
    assert screen.first(began, (Shown.STALLED, Shown.LOST)) <= 2.5
    assert screen.first(began, (Shown.LOST,)) <= 5.0
    assert screen.green_over_old(2.5) == []  # never "live" over a picture older than 2.5 s
    assert screen.fresh(1.0)  # and back for real


def test_after_a_reconnect_the_overlay_stays_until_the_first_new_picture(
        live_sim: Simulator, proxy: TcpProxy, pools: list[StreamPool]) -> None:
    screen = watch_through_proxy(live_sim, proxy, pools)
    proxy.stall()
    wait_until(lambda: screen.samples[-1].shown is Shown.LOST, 6, what="C01 lost behind the stalled link")
    resumed = time.monotonic()
    proxy.passthrough()
    wait_until(lambda: screen.samples[-1].shown is Shown.LIVE, 15, what="C01 live again after the link resumed")
    screen.stop()
    after = [s for s in screen.samples if s.at >= resumed]
    assert after and all(s.age_s is not None and s.age_s <= 2.5 for s in after if s.shown is Shown.LIVE)


def test_the_backoff_starts_afresh_after_every_good_session(live_sim: Simulator, pools: list[StreamPool]) -> None:
    pool = StreamPool(live_sim.config)
    pools.append(pool)
    view = FrameView(lambda: None)
    view.set_box(320, 180)
    pool.watch("C02", StreamKind.SUB, view)
    delays = []
    for _ in range(20):
        wait_until(lambda: (s := pool.status("C02", StreamKind.SUB)) is not None and s.phase is Phase.LIVE, 10)
        live_sim.restart("C02", down_s=0.3)
        wait_until(lambda: (s := pool.status("C02", StreamKind.SUB)) is not None and s.retry_at is not None, 5)
        status = pool.status("C02", StreamKind.SUB)
        assert status is not None and status.retry_at is not None
        delays.append(status.retry_at - status.since)
    assert max(delays) <= BACKOFF_FIRST_S * 1.2 + 0.01, delays  # the 20th outage starts at 0.5 s like the 1st


# -- every way a camera can be unreachable ---------------------------------------------------------------


class Listener:
    """A TCP server on 127.0.0.1 that does one bad thing to every connection."""

    def __init__(self, behaviour: str) -> None:
        self.behaviour = behaviour
        self.sock = socket.create_server(("127.0.0.1", 0), backlog=0 if behaviour == "backlog_full" else 8)
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        self._stop = False
        if behaviour == "backlog_full":  # never accepts: its queue fills, new SYNs are dropped
            for _ in range(4):
                filler = socket.socket()
                filler.setblocking(False)
                with contextlib.suppress(BlockingIOError):
                    filler.connect(("127.0.0.1", self.port))
                self.held.append(filler)
        else:
            threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self.behaviour == "silent":
                self.held.append(conn)
                continue
            with contextlib.suppress(OSError):
                conn.recv(4096)
            if self.behaviour == "reset":
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()

    def close(self) -> None:
        self._stop = True
        for sock in self.held:
            sock.close()
        self.sock.close()


def closed_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as sock:
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(("behaviour", "expected", "detail"), [
    ("refused", Failure.REFUSED, ""),
    ("backlog_full", Failure.TIMEOUT, ""),  # connect timed out: an unroutable camera looks the same
    ("silent", Failure.TIMEOUT, "no answer"),  # accepts and never answers
    ("reset", Failure.CLOSED, "reset"),
    ("closed", Failure.CLOSED, "closed"),
])
def test_an_unreachable_camera_is_named_for_what_happened(behaviour: str, expected: Failure, detail: str) -> None:
    server = None if behaviour == "refused" else Listener(behaviour)
    port = closed_port() if server is None else server.port
    ingest = StreamIngest("X01", f"rtsp://127.0.0.1:{port}/Streaming/Channels/102",
                          settings=IngestSettings(open_timeout_s=2.0, read_timeout_s=2.0))
    ingest.start()
    try:
        wait_until(lambda: ingest.status().failure is not None, 10)
        status = ingest.status()
        assert status.failure is expected, status
        assert detail in status.detail
    finally:
        ingest.stop()
        ingest.join(5)
        if server is not None:
            server.close()


# -- wrong credentials -----------------------------------------------------------------------------------


def test_wrong_credentials_are_tried_three_times_then_left_until_they_change(
        tmp_path: Path, demo_password: Credentials, pools: list[StreamPool]) -> None:
    right = CredentialStore({"demo": demo_password})
    config = load_config(write_demo_config(tmp_path / "auth.toml", cameras=1, credentials="demo"), right.refs)
    with Simulator(config, right, SimulatorOptions(loop_s=4.0)):
        port = urlsplit(config.camera("C01").sub_url or "").port
        assert port is not None
        with TcpProxy(port) as counter:  # counts the console's logins: one connection per attempt
            store_file = tmp_path / "credentials.toml"
            wrong = CredentialStore({"demo": Credentials("admin", "not-the-password-xyz")}, store_file)
            wrong.save()
            pool = StreamPool(through(config, counter), wrong, IngestSettings(auth_retry_s=(0.3, 0.3)))
            pools.append(pool)
            pool.watch("C01", StreamKind.SUB, FrameView(lambda: None))
            wait_until(lambda: (s := pool.status("C01", StreamKind.SUB)) is not None and s.phase is Phase.HALTED, 15)
            status = pool.status("C01", StreamKind.SUB)
            assert status is not None and status.failure is Failure.AUTH and status.auth_failures == 3
            assert status.retry_at is None and pool.is_lost("C01")
            time.sleep(2.0)  # many retry intervals (0.3 s) in which nothing may happen
            assert counter.connections == 3  # no fourth login: the camera never locks the account
            # The officer's *Thử lại* tries once more (still wrong: halted again after three).
            pool.retry("C01")
            wait_until(lambda: counter.connections >= 4, 5)
            wait_until(lambda: (s := pool.status("C01", StreamKind.SUB)) is not None and s.phase is Phase.HALTED, 5)
            # New credentials imported into the store's file: the next health tick reads them and tries at once.
            CredentialStore({"demo": demo_password}, store_file).save()
            pool.tick(time.monotonic() + CREDENTIALS_POLL_S)
            wait_until(lambda: (s := pool.status("C01", StreamKind.SUB)) is not None and s.phase is Phase.LIVE, 15)
