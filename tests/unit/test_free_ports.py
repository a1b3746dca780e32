"""The tests' port picker stays out of the kernel's ephemeral range and leaves each ONVIF neighbour free."""

from __future__ import annotations

import socket

import pytest

from console.simulator.onvif.addresses import ONVIF_PORT_OFFSET
from tests.support import ports
from tests.support.ports import _ephemeral_start, free_ports


def test_ports_sit_below_the_ephemeral_range_with_free_distinct_neighbours() -> None:
    ports = free_ports(25)
    neighbours = [p + ONVIF_PORT_OFFSET for p in ports]
    assert len(set(ports) | set(neighbours)) == 50
    assert max(neighbours) < _ephemeral_start()
    for port in ports + neighbours:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", port))


def test_a_port_whose_neighbour_is_taken_is_not_given_out(monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = free_ports(2)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", first + ONVIF_PORT_OFFSET))
        busy.listen()
        monkeypatch.setattr(ports.random, "sample", lambda *_args, **_kw: [first, second])
        assert free_ports(1) == [second]
        with pytest.raises(RuntimeError):
            free_ports(2)
