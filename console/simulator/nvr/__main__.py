"""`python -m console.simulator.nvr --credentials FILE`: a Hikvision and a Dahua recorder on 127.0.0.1 whose
channels are the cameras of a site config (the Gia Đông demo unless told), for the demo, training and the wizard.

The recorders' login is the credentials store's entry `--ref` (default `nvr`): a password never goes on the command
line; `--viewer-ref` names a second entry, an operator without playback rights (search, playback and download answer
403). Ports are free ones unless given; the ready line names them:

    RECORDER SIMULATOR READY hikvision http=41001 rtsp=41002 dahua http=41003 rtsp=41004
"""

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
from console.simulator.nvr.device_time import DeviceClock
from console.simulator.nvr.digest import RecorderUser
from console.simulator.nvr.recorder import RecorderFaults, RecorderSettings, Vendor, channels_of
from console.simulator.nvr.server import RecorderOptions, RecorderPorts, RecorderSimulator, RecorderSimulatorError

READY_LINE = "RECORDER SIMULATOR READY"
PARENT_POLL_S = 0.5


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m console.simulator.nvr", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", type=Path, default=None, help="site config (default: the Gia Đông demo)")
    parser.add_argument("--credentials", type=Path, required=True, help="credentials store holding the login")
    parser.add_argument("--ref", default="nvr", help="the store's entry for the recorders' login")
    parser.add_argument("--viewer-ref", default=None, metavar="REF",
                        help="the store's entry for a second login without playback rights (search, playback and "
                             "download refused with 403)")
    parser.add_argument("--vendor", choices=[v.value for v in Vendor], action="append",
                        help="serve only this vendor (repeat for both; default: both)")
    for vendor in Vendor:
        parser.add_argument(f"--{vendor.value}-http", type=int, default=0, metavar="PORT")
        parser.add_argument(f"--{vendor.value}-rtsp", type=int, default=0, metavar="PORT")
    parser.add_argument("--loop-s", type=float, default=8.0, help="length of each scene loop")
    parser.add_argument("--record", choices=["main", "sub"], default="main", help="the stream the recordings hold")
    parser.add_argument("--duration", type=float, default=0, help="stop after this many seconds (0: never)")
    faults = parser.add_argument_group("faults")
    faults.add_argument("--page-limit", type=int, default=None, help="search pages hold at most this many items")
    faults.add_argument("--phantom", action="store_true", help="list a recording in a gap with nothing behind it")
    faults.add_argument("--preamble", type=int, default=0, metavar="BYTES",
                        help="Dahua downloads: up to this many random bytes before the DHAV stream")
    faults.add_argument("--z-local", action="store_true", help="Hikvision writes local times under a Z")
    faults.add_argument("--dahua-zone-h", type=float, default=None, help="the Dahua recorder's zone (e.g. 8)")
    faults.add_argument("--events-silent", action="store_true",
                        help="event streams stay open and send nothing, not even heartbeats")
    faults.add_argument("--malformed", action="store_true",
                        help="broken answers: ISAPI XML cut in half, Dahua's lines an HTML error page")
    faults.add_argument("--advertised-host", default=None, metavar="HOST",
                        help="the address written into playback URIs (a LAN address behind a NAT)")
    faults.add_argument("--advertised-rtsp-port", type=int, default=None, metavar="PORT",
                        help="the RTSP port written into playback URIs")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactingFilter())
    config_path = args.config or demo_config_path()
    try:
        store = CredentialStore.load(args.credentials)
        config = load_config(config_path)  # the cameras' own logins are not the recorders'
    except ConfigError as exc:
        for issue in exc.errors:
            print(f"{config_path}: {issue.describe('vi')}", file=sys.stderr)
        return 1
    except CredentialStoreError as exc:
        print(exc.message("vi"), file=sys.stderr)
        return 1
    users: list[RecorderUser] = []
    for ref, playback in ((args.ref, True), (args.viewer_ref, False)):
        login = store.get(ref) if ref is not None else None
        if ref is not None and login is None:
            print(f"simulator: the credentials store has no entry [{ref}]", file=sys.stderr)
            return 1
        if login is not None:
            users.append(RecorderUser(login.username, login.password, playback=playback))
    vendors = tuple(Vendor(v) for v in args.vendor) if args.vendor else tuple(Vendor)
    ports = {v: RecorderPorts(getattr(args, f"{v.value}_http"), getattr(args, f"{v.value}_rtsp")) for v in vendors}
    settings = RecorderSettings(loop_s=args.loop_s, record_kind=StreamKind(args.record), clock=DeviceClock(
        z_means_local=args.z_local))
    simulator = RecorderSimulator(channels_of(config), tuple(users),
                                  RecorderOptions(vendors=vendors, ports=ports, settings=settings))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        simulator.start()
    except RecorderSimulatorError as exc:
        print(f"simulator: {exc}", file=sys.stderr)
        return 2
    for running in simulator.recorders.values():
        _set_faults(running.faults, args)
        if running.vendor is Vendor.DAHUA and args.dahua_zone_h is not None:
            running.clock.zone_offset_s = round(args.dahua_zone_h * 3600)
    addresses = " ".join(f"{r.vendor.value} http={r.http_port} rtsp={r.rtsp_port}"
                         for r in simulator.recorders.values())
    print(f"{READY_LINE} {addresses}", flush=True)
    _serve_until(stop, args.duration)
    simulator.stop()
    return 0


def _set_faults(faults: RecorderFaults, args: argparse.Namespace) -> None:
    faults.page_limit = args.page_limit
    faults.phantom = args.phantom
    faults.preamble_max_bytes = args.preamble
    faults.events_silent = args.events_silent
    faults.malformed = args.malformed
    faults.advertised_host = args.advertised_host
    faults.advertised_rtsp_port = args.advertised_rtsp_port


def _serve_until(stop: threading.Event, duration_s: float) -> None:
    """Until stopped, the duration is over, or the process that started us is gone (as the camera simulator)."""
    parent = os.getppid()
    deadline = time.monotonic() + duration_s if duration_s else None
    while not stop.wait(PARENT_POLL_S):
        if os.getppid() != parent or (deadline is not None and time.monotonic() >= deadline):
            return


if __name__ == "__main__":
    sys.exit(main())
