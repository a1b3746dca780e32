"""Pytest plugin: the `broker` fixture runs a test once on each province broker, mosquitto and RabbitMQ.

mosquitto starts in ~20 ms: each test gets a fresh one, as before. A RabbitMQ node takes ~10 s to start, so a test
module shares one (`rabbitmq_node`, module scope); around each test it is started again if the test killed it, and
afterwards every account's retained `status` is cleared, so a test reads none left by another (a province started
later reads a status only from an exact subscription on RabbitMQ; the tests' exact subscriptions are to status
topics and to the camera health topics the same test wrote).

The accounts are the module's `BROKER_ACCOUNTS` ({user: password}; `province` is always there), else
`DEFAULT_ACCOUNTS`. A test for one broker only asks for `mosquitto` or `rabbitmq` instead of `broker`.

Register it in tests/conftest.py: `pytest_plugins = ["tests.support.brokers"]`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import paho.mqtt.client as paho
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from tests.support.broker_process import HOST, PROVINCE_PASSWORD, PROVINCE_USER, BrokerProcess, client_context
from tests.support.mosquitto import Mosquitto
from tests.support.rabbitmq import RabbitMQ

BROKERS = ("mosquitto", "rabbitmq")
COMMUNE, PASSWORD = "gia-dong", "Bi-Mat#2026"  # the commune the broker tests run, and its neighbour
NEIGHBOUR, NEIGHBOUR_PASSWORD = "dai-dong", "Pw-Two"
DEFAULT_ACCOUNTS = {COMMUNE: PASSWORD, NEIGHBOUR: NEIGHBOUR_PASSWORD}
CLEANUP_TIMEOUT_S = 5.0


def accounts_of(request: pytest.FixtureRequest) -> dict[str, str]:
    return dict(getattr(request.module, "BROKER_ACCOUNTS", DEFAULT_ACCOUNTS))


@pytest.fixture(scope="module")
def rabbitmq_node(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RabbitMQ]:
    """The module's RabbitMQ node (killed, with its epmd, after the module)."""
    node = RabbitMQ(tmp_path_factory.mktemp("rabbitmq"), accounts_of(request))
    node.start()
    try:
        yield node
    finally:
        node.kill()


@pytest.fixture()
def rabbitmq(request: pytest.FixtureRequest, rabbitmq_node: RabbitMQ) -> Iterator[RabbitMQ]:
    """The module's node, running at the start of the test and cleared of retained status after it."""
    if not rabbitmq_node.running:
        rabbitmq_node.start()
    yield rabbitmq_node
    if not rabbitmq_node.running:
        rabbitmq_node.start()
    clear_retained_status(rabbitmq_node, accounts_of(request))


@pytest.fixture()
def mosquitto(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Mosquitto]:
    with Mosquitto(tmp_path / "mosquitto", accounts_of(request)) as running:
        yield running


@pytest.fixture(params=BROKERS)
def broker(request: pytest.FixtureRequest) -> BrokerProcess:
    """The test once on mosquitto, once on RabbitMQ (`-k mosquitto` / `-k rabbitmq` picks one)."""
    found: BrokerProcess = request.getfixturevalue(request.param)
    return found


def clear_retained_status(broker: BrokerProcess, accounts: dict[str, str]) -> None:
    """An empty retained message on each account's `bn/v1/<user>/status` (the broker drops what it kept there)."""
    client = paho.Client(CallbackAPIVersion.VERSION2, client_id=f"cleanup-{time.monotonic_ns()}",
                         protocol=paho.MQTTv311)
    client.tls_set_context(client_context(broker.pki.ca_cert))
    client.username_pw_set(PROVINCE_USER, PROVINCE_PASSWORD)
    up = threading.Event()
    client.on_connect = lambda *_: up.set()
    client.connect(HOST, broker.port, keepalive=10)
    client.loop_start()
    try:
        if not up.wait(CLEANUP_TIMEOUT_S):
            raise AssertionError(f"{broker.name}: the clean-up client did not connect")
        sent = [client.publish(f"bn/v1/{user}/status", b"", qos=1, retain=True) for user in accounts]
        for info in sent:
            info.wait_for_publish(CLEANUP_TIMEOUT_S)
    finally:
        client.disconnect()
        client.loop_stop()
