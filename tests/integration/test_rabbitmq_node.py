"""The test helper's RabbitMQ node fails at once, and says why, when it cannot start; and leaves nothing running."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from tests.support.broker_process import HOST
from tests.support.rabbitmq import RabbitMQ


def test_a_node_whose_distribution_port_is_taken_fails_at_once_saying_why(tmp_path: Path) -> None:
    node = RabbitMQ(tmp_path / "rabbitmq", {"gia-dong": "Bi-Mat#2026"})
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as squatter:
        squatter.bind((HOST, node.dist_port))
        squatter.listen(1)
        started = time.monotonic()
        with pytest.raises(RuntimeError, match="dist_port_already_used") as refused:
            node.start()
        took = time.monotonic() - started
    assert f"RabbitMQ node {node.node} exited at start" in str(refused.value)  # with the node's own words
    assert not node.running and node.pids() == set()
    with pytest.raises(OSError):  # its epmd is gone too
        socket.create_connection((HOST, node.epmd_port), timeout=1).close()
    assert took < 30  # the prelaunch's check, long before the 60 s bound
