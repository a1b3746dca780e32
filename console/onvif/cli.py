"""`python -m console.onvif discover …`: find ONVIF cameras and print what each one is, one JSON object a line.

For the department's scripts and the technician's first look at a commune's network; the wizard uses the same
calls. Passwords come from a file (never the command line) and never appear in what is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TextIO

from console.core.credentials import Credentials
from console.core.redact import RedactingFilter
from console.onvif.clock import CLOCK_SAMPLES, DeviceClock, read_clock
from console.onvif.device import CALL_TIMEOUT_S, OnvifDevice, connect
from console.onvif.discovery import (
    DEFAULT_TARGET,
    PROBE_WAIT_S,
    ProbeMatch,
    expand_hosts,
    parse_target,
    probe,
    scan,
)
from console.onvif.errors import OnvifError, OnvifErrorKind, host_port
from console.onvif.messages import Say, render

EXIT_ALL_READ = 0
EXIT_NOTHING_ANSWERED = 1
EXIT_SOME_FAILED = 2
EXIT_USAGE = 3
CONNECT_CONCURRENCY = 16
# A scan of more pairs than this does not list every closed port on stderr (a /24 × 2 ports would be 508 lines).
LIST_UNREACHABLE_UP_TO = 16
_SILENT_WHEN_MANY = (OnvifErrorKind.UNREACHABLE, OnvifErrorKind.TIMEOUT)

HELP = """\
Tìm camera ONVIF và in mỗi thiết bị một dòng JSON.
Find ONVIF cameras and print one JSON object per device.

Không có --ports: gửi một gói dò WS-Discovery (Probe) tới --target (mặc định nhóm multicast
239.255.255.250:3702 của mạng nội bộ) và hỏi từng thiết bị trả lời.
Có --ports: KHÔNG dò WS-Discovery; hỏi thẳng GetSystemDateAndTime trên từng máy của --target (một địa chỉ,
một dải 192.168.1.10-20, hoặc 192.168.1.0/24) ở từng cổng HTTP đã cho — cho camera ở mạng con khác.

Without --ports: a WS-Discovery Probe goes to --target (default: the local multicast group) and every device
that answers is read. With --ports: no WS-Discovery; each host of --target (an address, a range
192.168.1.10-20, or 192.168.1.0/24) is asked GetSystemDateAndTime on each given HTTP port directly.

Mã thoát / exit status: 0 mọi thiết bị đọc được (all devices read); 1 không thiết bị nào trả lời (nothing
answered); 2 có thiết bị trả lời nhưng không đọc được (some answered but could not be read); 3 sai tham số.
"""


@dataclass(frozen=True)
class Found:
    """A device that answered: where, and what discovery or the scan already told."""

    host: str
    port: int
    match: ProbeMatch | None = None
    clock: DeviceClock | None = None


# Where a device that answered but cannot be used is told about: (Vietnamese, English) sentences. The CLI
# prints them on stderr; the wizard shows them in its table.
Problem = Callable[[str, str], None]


def _print_problem(vi: str, en: str) -> None:
    print(f"LỖI: {vi}\n    (en) {en}", file=sys.stderr)


def _say(say: Say, out: TextIO = sys.stderr, **params: str) -> None:
    print(f"LỖI: {render(say, 'vi', params)}\n    (en) {render(say, 'en', params)}", file=out)


def _report(error: OnvifError) -> None:
    _print_problem(error.message_vi, error.message_en)


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def device_object(found: Found, device: OnvifDevice | None, error: OnvifError | None) -> dict[str, Any]:
    """The contract of issue 18 (address … events), then what else is known (mac, scopes, the error)."""
    info = device.info if device else None
    clock = device.clock if device else found.clock
    match = found.match
    return {
        "address": found.host,
        "port": found.port,
        "manufacturer": info.manufacturer if info else None,
        "model": info.model if info else None,
        "firmware": info.firmware if info else None,
        "serial": info.serial if info else None,
        "clock_offset_s": _round(clock.offset_s if clock else None),
        "profiles": [{"token": p.token, "name": p.name, "encoding": p.encoding, "width": p.width,
                      "height": p.height, "fps": p.fps, "stream_uri": p.stream_uri}
                     for p in (device.profiles if device else ())],
        "ptz": device.ptz if device else False,
        "events": device.events if device else False,
        "hardware_id": info.hardware_id if info else None,
        "mac": info.mac if info else None,
        "clock_uncertainty_s": _round(clock.uncertainty_s if clock else None),
        "clock_adjusted": device.clock_adjusted if device else False,
        "endpoint": match.endpoint if match else None,
        "xaddrs": list(match.xaddrs) if match else [],
        "scopes": list(match.scopes) if match else [],
        "error": None if error is None else {"kind": error.kind.value, "message_vi": error.message_vi,
                                             "message_en": error.message_en},
    }


async def probe_devices(target: str, wait_s: float, problem: Problem = _print_problem) -> list[Found]:
    """The devices answering a WS-Discovery Probe to `target` (one without a usable address is a problem)."""
    found = []
    for match in await probe(target, wait_s=wait_s):
        address = match.device_address()
        if address is None:
            params = {"device": match.endpoint}
            problem(render(Say.CLI_NO_ADDRESS, "vi", params), render(Say.CLI_NO_ADDRESS, "en", params))
            continue
        found.append(Found(address[0], address[1], match=match))
    return found


async def scan_devices(hosts: Sequence[str], ports: Sequence[int], timeout_s: float,
                       problem: Problem = _print_problem) -> list[Found]:
    """The ONVIF devices among `hosts` × `ports`; what answers but is not ONVIF (or, for a few pairs, does not
    answer) is a problem."""
    answers = await scan(hosts, ports, timeout_s=timeout_s, clock_samples=CLOCK_SAMPLES)
    many = len(answers) > LIST_UNREACHABLE_UP_TO
    found = []
    for answer in answers:
        if answer.error is None:
            found.append(Found(answer.host, answer.port, clock=answer.clock))
        elif not (many and answer.error.kind in _SILENT_WHEN_MANY):
            problem(answer.error.message_vi, answer.error.message_en)
    return found


async def read_devices(found: Sequence[Found], credentials: Credentials | None,
                       timeout_s: float) -> list[tuple[Found, OnvifDevice | None, OnvifError | None]]:
    """Each device read with `credentials` (its clock first, without a login), at most CONNECT_CONCURRENCY at
    once, in the order given."""
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)

    async def one(item: Found) -> tuple[Found, OnvifDevice | None, OnvifError | None]:
        async with gate:
            try:
                if item.clock is None:  # read first, so a device that refuses the login still shows its clock
                    item = replace(item, clock=await read_clock(item.host, item.port, timeout_s=timeout_s))
                return item, await connect(item.host, item.port, credentials, timeout_s=timeout_s,
                                           clock=item.clock), None
            except OnvifError as exc:
                return item, None, exc

    return list(await asyncio.gather(*(one(item) for item in found)))


def _print_human(obj: dict[str, Any]) -> None:
    where = host_port(obj["address"], obj["port"])
    print(f"{where}  {obj['manufacturer'] or '?'} {obj['model'] or '?'}  firmware {obj['firmware'] or '?'}  "
          f"serial {obj['serial'] or '?'}  lệch giờ {obj['clock_offset_s']} s  PTZ {obj['ptz']}  "
          f"sự kiện {obj['events']}")
    for profile in obj["profiles"]:
        print(f"    {profile['token']} {profile['name']}: {profile['encoding']} {profile['width']}×"
              f"{profile['height']} {profile['fps']} fps  {profile['stream_uri']}")


async def discover(target: str, ports: Sequence[int], credentials: Credentials | None, *, wait_s: float,
                   timeout_s: float, as_json: bool) -> int:
    if ports:
        found = await scan_devices(expand_hosts(target), ports, timeout_s)
    else:
        found = await probe_devices(target, wait_s)
    if not found:
        _say(Say.CLI_NOTHING_ANSWERED, target=target)
        return EXIT_NOTHING_ANSWERED
    results = await read_devices(found, credentials, timeout_s)
    for item, device, error in results:
        obj = device_object(item, device, error)
        if as_json:
            print(json.dumps(obj, ensure_ascii=False), flush=True)
        else:
            _print_human(obj)
        if error is not None:
            _report(error)
    return EXIT_SOME_FAILED if any(error for _, _, error in results) else EXIT_ALL_READ


def parse_ports(text: str) -> list[int]:
    ports = [int(p) for p in text.split(",") if p.strip()]
    if not ports or any(not 0 < p < 65536 for p in ports):
        raise ValueError(text)
    return list(dict.fromkeys(ports))


def scan_target(target: str) -> str:
    """--target with --ports: hosts only (a host:port keeps its host); never the multicast group."""
    if any(mark in target for mark in ("-", "/", ",")):
        expand_hosts(target)  # ValueError when it is not a range
        return target
    host, _ = parse_target(target)
    return host


def is_multicast(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_multicast
    except ValueError:
        return False


def _password(path: Path) -> str:
    text = path.read_text("utf-8")
    return text.splitlines()[0] if text.splitlines() else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m console.onvif", description="Camera ONVIF (ONVIF cameras)")
    sub = parser.add_subparsers(dest="command", required=True)
    cmd = sub.add_parser("discover", help="tìm camera ONVIF / find ONVIF cameras", description=HELP,
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    cmd.add_argument("--target", default=DEFAULT_TARGET,
                     help=f"nơi gửi gói dò, hoặc các máy để hỏi với --ports / where the probe goes, or the hosts "
                          f"--ports asks (default {DEFAULT_TARGET})")
    cmd.add_argument("--ports", default="", help="P,P,…: hỏi thẳng các cổng HTTP này / ask these HTTP ports directly")
    cmd.add_argument("--user", help="tên đăng nhập camera / camera user name")
    cmd.add_argument("--password-file", type=Path, help="tệp chứa mật khẩu (dòng đầu) / file holding the password")
    cmd.add_argument("--wait", type=float, default=PROBE_WAIT_S, help="giây chờ trả lời dò / seconds to collect "
                                                                      "probe answers")
    cmd.add_argument("--timeout", type=float, default=CALL_TIMEOUT_S, help="giây cho mỗi yêu cầu / seconds per "
                                                                           "request")
    cmd.add_argument("--json", action="store_true", help="mỗi thiết bị một dòng JSON / one JSON object a line")
    args = parser.parse_args(argv)
    handler = logging.StreamHandler()
    handler.addFilter(RedactingFilter())
    logging.basicConfig(level=logging.WARNING, handlers=[handler])

    if args.password_file is not None and not args.user:
        _say(Say.CLI_PASSWORD_WITHOUT_USER)
        return EXIT_USAGE
    if args.user and args.password_file is None:
        _say(Say.CLI_USER_WITHOUT_PASSWORD)
        return EXIT_USAGE
    credentials = None
    if args.user:
        try:
            credentials = Credentials(args.user, _password(args.password_file))
        except (OSError, UnicodeDecodeError) as exc:
            _say(Say.CLI_PASSWORD_FILE, path=str(args.password_file), reason=type(exc).__name__)
            return EXIT_USAGE
    try:
        ports = parse_ports(args.ports) if args.ports else []
    except ValueError:
        _say(Say.CLI_BAD_PORTS, ports=args.ports)
        return EXIT_USAGE
    target = args.target
    try:
        if ports:
            target = scan_target(target)
            if any(is_multicast(host) for host in expand_hosts(target)):
                _say(Say.CLI_MULTICAST_WITH_PORTS, target=args.target)
                return EXIT_USAGE
        else:
            parse_target(target)
    except ValueError:
        _say(Say.CLI_BAD_TARGET, target=args.target)
        return EXIT_USAGE
    return asyncio.run(discover(target, ports, credentials, wait_s=args.wait, timeout_s=args.timeout,
                                as_json=args.json))


if __name__ == "__main__":
    sys.exit(main())
