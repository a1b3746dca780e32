"""`python -m console.simulator --config FILE`: serve every camera of a site config on 127.0.0.1."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path

from console.core.config import ConfigError, StreamKind, load_config
from console.core.credentials import CredentialStore, CredentialStoreError
from console.core.paths import demo_config_path
from console.core.redact import RedactingFilter
from console.simulator.onvif.addresses import DEFAULT_DISCOVERY_PORT
from console.simulator.rtp import Codec
from console.simulator.server import DEFAULT_LOOP_S, Simulator, SimulatorError, SimulatorOptions

READY_LINE = "SIMULATOR READY"
PARENT_POLL_S = 0.5


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m console.simulator",
                                     description="Camera simulator: RTSP on 127.0.0.1 for every camera of a config")
    parser.add_argument("--config", type=Path, default=None, help="site config (default: the Gia Đông demo)")
    parser.add_argument("--credentials", type=Path, default=None,
                        help="credentials store; cameras with a credentials ref then require Digest auth")
    parser.add_argument("--live", action="store_true",
                        help="sub streams carry the shared live picture with capture-time blocks")
    parser.add_argument("--codec", choices=[c.value for c in Codec], default=Codec.H264.value)
    parser.add_argument("--loop-s", type=float, default=DEFAULT_LOOP_S, help="length of each scene loop")
    parser.add_argument("--gop-s", type=float, default=1.0, help="keyframe interval in seconds (≤ 2)")
    parser.add_argument("--no-prepare", action="store_true", help="encode loops on first request instead")
    parser.add_argument("--duration", type=float, default=0, help="stop after this many seconds (0: never)")
    parser.add_argument("--onvif", action="store_true",
                        help="also serve ONVIF (device, media, events; PTZ on --ptz cameras) per camera on its "
                             "RTSP port + 1000")
    parser.add_argument("--discovery-port", type=int, default=DEFAULT_DISCOVERY_PORT,
                        help="with --onvif: answer unicast WS-Discovery probes on 127.0.0.1 at this UDP port")
    parser.add_argument("--ptz", default="", metavar="C01,C07",
                        help="these cameras are PTZ: their picture is a window over a wide scene that ONVIF PTZ "
                             "moves (live-encoded while watched)")
    parser.add_argument("--scene-events", action="store_true",
                        help="with --onvif: motion events follow the scripted vehicles (else only injected ones)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactingFilter())
    if not 0 < args.gop_s <= 2:
        parser.error("--gop-s must be in (0, 2]")
    config_path = args.config or demo_config_path()
    try:
        store = CredentialStore.load(args.credentials) if args.credentials else None
        config = load_config(config_path, store.refs if store else None)
    except ConfigError as exc:
        for issue in exc.errors:
            print(f"{config_path}: {issue.describe('vi')}", file=sys.stderr)
        return 1
    except CredentialStoreError as exc:
        print(exc.message("vi"), file=sys.stderr)
        return 1
    options = SimulatorOptions(loop_s=args.loop_s, gop_s=args.gop_s, codec=Codec(args.codec),
                               live_sub=args.live, onvif=args.onvif,
                               discovery_port=args.discovery_port if args.onvif else None,
                               ptz_cameras=frozenset(c.strip() for c in args.ptz.split(",") if c.strip()),
                               scene_events=args.scene_events)
    simulator = Simulator(config, store, options)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        simulator.start()  # unknown --ptz ids: a SimulatorError, reported below
        if not args.no_prepare:
            started = time.monotonic()
            simulator.prepare((StreamKind.SUB, StreamKind.MAIN))
            logging.info("loops ready in %.1f s", time.monotonic() - started)
    except SimulatorError as exc:
        print(f"simulator: {exc}", file=sys.stderr)
        simulator.stop()
        return 2
    print(f"{READY_LINE} {len(config.cameras)} cameras", flush=True)
    serve_until(stop, args.duration)
    simulator.stop()
    return 0


def serve_until(stop: threading.Event, duration_s: float | None) -> None:
    """Until stopped, `duration_s` is over, or the process that started us is gone (a crashed console must
    not leave its demo cameras holding the ports)."""
    parent = os.getppid()
    deadline = time.monotonic() + duration_s if duration_s else None
    while not stop.wait(PARENT_POLL_S):
        if os.getppid() != parent or (deadline is not None and time.monotonic() >= deadline):
            return


if __name__ == "__main__":
    sys.exit(main())
