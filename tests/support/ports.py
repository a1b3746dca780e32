"""Free TCP ports on 127.0.0.1 for servers started by tests.

Ports are chosen below the kernel's ephemeral range (`ip_local_port_range`), never inside it: a port the kernel
hands out for outgoing connections can be taken by any client socket between our check and the server's bind.
The simulator opens each camera's ONVIF port at its RTSP port + ONVIF_PORT_OFFSET, so a port is given out only
when that neighbour is free too (CI once failed on `address already in use` for an ONVIF port 1000 above an
ephemeral RTSP port).
"""

from __future__ import annotations

import random
import socket
from pathlib import Path

from console.simulator.onvif.addresses import ONVIF_PORT_OFFSET

_LOWEST = 10000
_RANGE_FILE = Path("/proc/sys/net/ipv4/ip_local_port_range")


def _ephemeral_start() -> int:
    try:
        return int(_RANGE_FILE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def _bind(port: int) -> socket.socket | None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError:
        sock.close()
        return None
    return sock


def free_ports(count: int) -> list[int]:
    """`count` distinct ports, each free on 127.0.0.1 together with its ONVIF neighbour, none of them or their
    neighbours overlapping."""
    highest = _ephemeral_start() - ONVIF_PORT_OFFSET - 1
    held: list[socket.socket] = []
    taken: set[int] = set()
    ports: list[int] = []
    try:
        for port in random.sample(range(_LOWEST, highest), k=min(highest - _LOWEST, 4000)):
            if len(ports) == count:
                break
            pair = (port, port + ONVIF_PORT_OFFSET)
            if taken.intersection(pair):
                continue
            sockets = [s for s in map(_bind, pair) if s is not None]
            held.extend(sockets)
            if len(sockets) == len(pair):
                ports.append(port)
                taken.update(pair)
    finally:
        for sock in held:
            sock.close()
    if len(ports) < count:
        raise RuntimeError(f"only {len(ports)} of {count} free port pairs on 127.0.0.1")
    return ports
