"""Debian's RabbitMQ (3.10, its MQTT plugin) as the province broker: a private node a test starts from a temp folder,
every socket on 127.0.0.1.

The node (`rabbit-<pid>-<n>@localhost`) keeps its database, logs, plugin list and config in `folder`; it finds its
own epmd (started here on a free port, `ERL_EPMD_ADDRESS=127.0.0.1`), its distribution port is pinned and bound to
127.0.0.1 (`inet_dist_use_interface`, `inet_dist_listen_min/max`), AMQP is off, and the only client listener is MQTT
over TLS on 127.0.0.1 with the same kind of test PKI as mosquitto's. Anonymous MQTT is off; the accounts are made
with `rabbitmqctl import_definitions` reading JSON on its stdin (no password in an argv, a file or a log) and the
default `guest` is deleted. Each commune's user may write only the topics it sends under `bn.v1.<commune>.` and
read only `bn.v1.<commune>.receipts` and `.commands` on `amq.topic` (MQTT's `/` is `.` in a routing key);
`province` reads and writes all of `bn.v1.#`. These are RabbitMQ's topic permissions, the counterpart of
mosquitto's ACL.

`kill()` is `kill -9` of the node (its process group) and of its epmd; `start()` again brings the same node back on
the same ports with the same database (the accounts stay, retained messages do not). A first start takes ~9 s on
the 2-core box (more under load): besides the Erlang boot, the MQTT plugin waits 3–6 s (random) for cluster peers
before electing itself leader of its client-id tracker; a restart does not wait (~4 s).

What is not on 127.0.0.1 (seen with `ss` and `strace`): epmd also listens on [::1] (it always adds the loopback
addresses), and RabbitMQ 3.10's prelaunch checks that the distribution port is free by listening on it without an
address for ~0.1 ms (it cannot be told otherwise), before the real listener opens on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import time
from pathlib import Path

from console.uplink.schema import COMMUNE_READS, COMMUNE_WRITES
from tests.support.broker_process import (
    HOST,
    PROVINCE_PASSWORD,
    PROVINCE_USER,
    BrokerProcess,
    read_tail,
    wait_ready,
    write_private,
)
from tests.support.ports import free_ports

SBIN = Path("/usr/lib/rabbitmq/bin")  # the scripts themselves: /usr/sbin's wrappers su to the `rabbitmq` user
RABBITMQ_SERVER = SBIN / "rabbitmq-server"
RABBITMQCTL = SBIN / "rabbitmqctl"
EPMD = Path("/usr/bin/epmd")
START_TIMEOUT_S = 60.0  # a first start is ~9–12 s on the 2-core box (~17 s seen under load): room for worse
CTL_TIMEOUT_S = 30.0
EPMD_TIMEOUT_S = 5.0
CLOSE_TIMEOUT_S = 5.0
READY = "Server startup complete"
VHOST = "/"
EXCHANGE = "amq.topic"
_instances = itertools.count(1)


def _listening(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=0.2):
            return True
    except OSError:
        return False


def routing_key_pattern(mqtt_prefix: str) -> str:
    """The regular expression of RabbitMQ's topic permissions for an MQTT topic prefix (`/` becomes `.`)."""
    return "^" + re.escape(mqtt_prefix.replace("/", "."))


def commune_patterns(commune: str) -> tuple[str, str]:
    """A commune's (write, read) topic permissions: exactly the topics it sends under its root (never its
    `commands` nor `receipts`, which only the province writes), and its receipts and commands."""
    root = routing_key_pattern(f"bn/v1/{commune}/")

    def pattern(suffixes: tuple[str, ...]) -> str:
        # MQTT's single-level `+` is one routing-key word: no `.` in it
        words = "|".join(re.escape(s.replace("/", ".")).replace("\\+", "[^.]+") for s in suffixes)
        return f"{root}({words})$"

    return pattern(COMMUNE_WRITES), pattern(COMMUNE_READS)


def definitions(accounts: dict[str, str]) -> dict[str, object]:
    """The users, their vhost permissions (what MQTT needs: publish to amq.topic, a queue per subscription) and
    their topic permissions, as `rabbitmqctl import_definitions` reads them."""
    queues = "mqtt-subscription-.*"
    users, permissions, topics = [], [], []
    for user, password in accounts.items():
        users.append({"name": user, "password": password, "tags": ""})
        permissions.append({"user": user, "vhost": VHOST, "configure": f"^{queues}$",
                            "write": f"^(amq\\.topic|{queues})$", "read": f"^(amq\\.topic|{queues})$"})
        if user == PROVINCE_USER:
            write = read = routing_key_pattern("bn/v1/")
        else:
            write, read = commune_patterns(user)
        topics.append({"user": user, "vhost": VHOST, "exchange": EXCHANGE, "write": write, "read": read})
    return {"users": users, "permissions": permissions, "topic_permissions": topics}


class RabbitMQ(BrokerProcess):
    """One private RabbitMQ node with the MQTT plugin; `kill()` is `kill -9`, `start()` again serves the same ports,
    database and accounts."""

    name = "rabbitmq"
    retained_to_wildcards = False
    refused_publish_closes = True

    def __init__(self, folder: Path, accounts: dict[str, str]) -> None:
        super().__init__(folder)
        self.port, self.epmd_port, self.dist_port = free_ports(3)
        self.node = f"rabbit-{os.getpid()}-{next(_instances)}@localhost"
        self.log = folder / "log" / "rabbit.log"
        self._accounts = {PROVINCE_USER: PROVINCE_PASSWORD, **accounts}
        self._created = False
        self._node: subprocess.Popen[bytes] | None = None
        self._epmd: subprocess.Popen[bytes] | None = None
        self._write_files()

    # --- files -------------------------------------------------------------------------------------------------

    def _write_files(self) -> None:
        folder = self.folder
        # The Erlang cookie: HOME is the folder for the node and for rabbitmqctl alike.
        write_private(folder / ".erlang.cookie", secrets.token_hex(20).encode())
        (folder / "rabbitmq-env.conf").write_text("")  # not /etc/rabbitmq's
        (folder / "enabled_plugins").write_text("[rabbitmq_mqtt].\n")
        # The syslog app (started at boot, stopped once logging is set up: it logs nothing here) opens a UDP socket
        # for ~4 s; bound to 127.0.0.1 rather than 0.0.0.0.
        (folder / "advanced.config").write_text("[{syslog, [{protocol, {rfc3164, udp, [{ip, {127,0,0,1}}]}}]}].\n")
        pki = self.pki
        (folder / "rabbitmq.conf").write_text("\n".join([
            "listeners.tcp = none",  # no AMQP
            "mqtt.listeners.tcp = none",  # TLS only
            f"mqtt.listeners.ssl.default = {HOST}:{self.port}",
            f"ssl_options.cacertfile = {pki.ca_cert}",
            f"ssl_options.certfile = {pki.server_cert}",
            f"ssl_options.keyfile = {pki.server_key}",
            "ssl_options.versions.1 = tlsv1.3",
            "ssl_options.versions.2 = tlsv1.2",
            "ssl_options.verify = verify_none",
            "ssl_options.fail_if_no_peer_cert = false",
            "mqtt.allow_anonymous = false",
            f"mqtt.vhost = {VHOST}",
            f"mqtt.exchange = {EXCHANGE}",
            "log.console = false",
            f"log.file = {self.log}",
            "log.file.level = info",
            "",
        ]))

    def _env(self) -> dict[str, str]:
        folder = self.folder
        return {
            **{k: v for k, v in os.environ.items() if not k.startswith(("RABBITMQ_", "ERL_"))},
            "HOME": str(folder),
            "RABBITMQ_CONF_ENV_FILE": str(folder / "rabbitmq-env.conf"),
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_MNESIA_BASE": str(folder / "mnesia"),
            "RABBITMQ_LOG_BASE": str(folder / "log"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(folder / "enabled_plugins"),
            "RABBITMQ_CONFIG_FILE": str(folder / "rabbitmq.conf"),
            "RABBITMQ_ADVANCED_CONFIG_FILE": str(folder / "advanced.config"),
            "RABBITMQ_DIST_PORT": str(self.dist_port),  # inet_dist_listen_min = max = this port
            # Every Erlang VM of the broker reads ERL_FLAGS: the node, the throwaway `erl -sname` its prelaunch runs
            # to make sure epmd is up (its distribution listened on 0.0.0.0 for ~0.1 s), and rabbitmqctl (a
            # short-lived node too): distribution on 127.0.0.1, and never an epmd of their own (ours is there).
            "ERL_FLAGS": "-kernel inet_dist_use_interface {127,0,0,1} -start_epmd false",
            "ERL_CRASH_DUMP_SECONDS": "0",  # a crash dump would hold the node's memory, accounts included
            "ERL_EPMD_ADDRESS": HOST,
            "ERL_EPMD_PORT": str(self.epmd_port),
        }

    # --- processes ---------------------------------------------------------------------------------------------

    def start(self) -> RabbitMQ:
        began = time.monotonic()
        try:
            self._start_epmd()
            logged = len(self.log_text())
            output = (self.folder / "node.out").open("ab")
            try:
                # A session of its own: rabbitmq-server is a shell that runs beam.smp as its child; kill() takes both.
                self._node = subprocess.Popen([str(RABBITMQ_SERVER)], env=self._env(), cwd=self.folder,
                                              stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                                              start_new_session=True)
            finally:
                output.close()
            wait_ready(self._node, lambda: READY in self.log_text()[logged:], START_TIMEOUT_S,
                       f"RabbitMQ node {self.node}", self._tail)
            if not self._created:
                self._create_accounts()
                self._created = True
        except BaseException:
            self.kill()
            raise
        self.started_s.append(time.monotonic() - began)
        return self

    def _start_epmd(self) -> None:
        if self._epmd is not None and self._epmd.poll() is None:
            return
        self._epmd = subprocess.Popen([str(EPMD), "-port", str(self.epmd_port), "-address", HOST],
                                      env=self._env(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + EPMD_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._epmd.poll() is not None:
                raise RuntimeError(f"epmd exited at start (port {self.epmd_port})")
            try:
                with socket.create_connection((HOST, self.epmd_port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError(f"epmd did not listen on {HOST}:{self.epmd_port} within {EPMD_TIMEOUT_S:g} s")

    def _create_accounts(self) -> None:
        """Every account in one `rabbitmqctl import_definitions` (the JSON on stdin); then no `guest`."""
        self.ctl(["import_definitions"], stdin=json.dumps(definitions(self._accounts)))
        self.ctl(["delete_user", "guest"])

    def ctl(self, arguments: list[str], stdin: str | None = None) -> str:
        """`rabbitmqctl -n NODE …` against this node; its output. A failure is a RuntimeError with rabbitmqctl's
        error, unless it read `stdin` (it may quote what it read: the accounts' passwords)."""
        done = subprocess.run([str(RABBITMQCTL), "-q", "-n", self.node, *arguments], env=self._env(), cwd=self.folder,
                              input=(stdin or "").encode(), capture_output=True, timeout=CTL_TIMEOUT_S)
        if done.returncode != 0:
            said = "(not shown: it read secrets on stdin)" if stdin is not None else \
                done.stderr.decode(errors="replace")[-1000:]
            raise RuntimeError(f"rabbitmqctl {arguments[0]} failed ({done.returncode}): {said}")
        return done.stdout.decode(errors="replace")

    def kill(self) -> None:
        """SIGKILL to the node's process group (the shell and its child beam.smp), then to its epmd; returns once
        their ports are closed (beam.smp is init's to reap, a zombie holds no socket)."""
        if self._node is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._node.pid, signal.SIGKILL)
            self._node.wait(timeout=10)
            self._node = None
        if self._epmd is not None:
            if self._epmd.poll() is None:
                self._epmd.kill()
            self._epmd.wait(timeout=10)
            self._epmd = None
        deadline = time.monotonic() + CLOSE_TIMEOUT_S
        while any(_listening(port) for port in (self.port, self.dist_port, self.epmd_port)):
            if time.monotonic() > deadline:
                raise RuntimeError(f"RabbitMQ node {self.node}: its ports are still open after kill -9")
            time.sleep(0.01)

    @property
    def running(self) -> bool:
        return self._node is not None and self._node.poll() is None

    def pids(self) -> set[int]:
        """The processes of the node's group (the shell, beam.smp) and epmd, for a look at their sockets."""
        found = {self._epmd.pid} if self._epmd is not None and self._epmd.poll() is None else set()
        if self._node is None or self._node.poll() is not None:
            return found
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[2]) == self._node.pid:  # the process group
                found.add(int(stat.parent.name))
        return found

    def _tail(self) -> str:
        return f"{read_tail(self.log)}\n--- node output:\n{read_tail(self.folder / 'node.out', 1500)}"
