"""One MQTT connection to the province broker as aiomqtt builds it: TLS with the province CA (and the commune's
certificate when it logs in with one), the commune's user and password, MQTT 3.1.1 or 5, the last will
"offline"; and what a failed attempt means, in the officer's words.

aiomqtt turns socket and TLS errors into `MqttError(str(exc)) from None`: the original exception survives as
the error's `__context__`, which is where the kind of failure is read. No message of a library is shown: they
may name the broker's address, but never the password, which only paho holds.
"""

from __future__ import annotations

import logging
import ssl
from dataclasses import dataclass, field

import aiomqtt
from aiomqtt.exceptions import MqttCodeError, MqttConnectError

from console.core.credentials import Credentials
from console.core.uplink_settings import MqttProtocol, UplinkSettings
from console.uplink.messages import UplinkProblem
from console.uplink.tuning import UplinkTuning

# paho's own log lines (CONNECT flags, PUBACK ids) go here, under the console's logger tree; they hold no password.
MQTT_LOG = logging.getLogger("console.uplink.mqtt")
_BAD_CREDENTIALS = {4, 134}
_NOT_AUTHORIZED = {5, 135}


class UplinkSetupError(Exception):
    """The uplink cannot even try (a CA file, a certificate or the credentials are missing)."""

    def __init__(self, problem: UplinkProblem, **params: str) -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.params = params


@dataclass(frozen=True)
class Failure:
    problem: UplinkProblem
    params: dict[str, str] = field(default_factory=dict)
    refused: bool = False  # the broker said no to who we are: trying again soon will not help


def tls_context(settings: UplinkSettings) -> ssl.SSLContext:
    """Verify the broker against the province CA only (not the system's), TLS 1.2 at least."""
    try:
        context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=str(settings.ca_file))
    except (OSError, ssl.SSLError, ValueError):
        raise UplinkSetupError(UplinkProblem.CA_FILE, ca_file=str(settings.ca_file)) from None
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if settings.client_cert is not None:
        try:
            context.load_cert_chain(str(settings.client_cert),
                                    str(settings.client_key) if settings.client_key else None)
        except (OSError, ssl.SSLError, ValueError):
            raise UplinkSetupError(UplinkProblem.CLIENT_CERT, client_cert=str(settings.client_cert)) from None
    return context


def client_for(settings: UplinkSettings, credentials: Credentials | None, identifier: str, will: aiomqtt.Will,
               tuning: UplinkTuning) -> aiomqtt.Client:
    """A new client (call on the loop that will run it: aiomqtt binds to the running loop)."""
    if settings.credentials and credentials is None:
        raise UplinkSetupError(UplinkProblem.NO_CREDENTIALS, ref=settings.credentials)
    v5 = settings.protocol is MqttProtocol.V5
    client = aiomqtt.Client(
        settings.host, settings.port,
        username=credentials.username if credentials else None,
        password=credentials.password if credentials else None,
        identifier=identifier,
        protocol=aiomqtt.ProtocolVersion.V5 if v5 else aiomqtt.ProtocolVersion.V311,
        will=will,
        clean_session=None if v5 else True,  # receipts missed while away are made up by sending again
        keepalive=tuning.keepalive_s,
        timeout=tuning.publish_timeout_s,
        tls_context=tls_context(settings),
        max_inflight_messages=tuning.max_inflight,
        logger=MQTT_LOG,
    )
    # aiomqtt warns past 10 publishes awaiting their PUBACK; a drain keeps up to a batch of them on purpose.
    client.pending_calls_threshold = tuning.live_batch + tuning.max_inflight
    return client


def _code(error: MqttCodeError) -> int:
    rc = error.rc
    value = getattr(rc, "value", rc)
    return int(value) if isinstance(value, int) else -1


def failure_of(error: BaseException, settings: UplinkSettings, tuning: UplinkTuning) -> Failure:
    """What an attempt's or a session's exception means."""
    broker = {"broker": settings.broker}
    if isinstance(error, UplinkSetupError):
        return Failure(error.problem, dict(error.params))
    if isinstance(error, MqttConnectError):
        code = _code(error)
        if code in _BAD_CREDENTIALS:
            return Failure(UplinkProblem.CREDENTIALS_REFUSED, refused=True)
        if code in _NOT_AUTHORIZED:
            return Failure(UplinkProblem.NOT_AUTHORIZED, refused=True)
        return Failure(UplinkProblem.REFUSED, {"code": str(code)})
    cause = error.__cause__ or error.__context__
    for found in (error, cause):
        if isinstance(found, ssl.SSLCertVerificationError):
            return Failure(UplinkProblem.CERTIFICATE, {"ca_file": str(settings.ca_file)})
        if isinstance(found, ssl.SSLError):
            return Failure(UplinkProblem.TLS)
        if isinstance(found, TimeoutError):
            return Failure(UplinkProblem.TIMEOUT, broker | {"seconds": f"{tuning.connect_timeout_s:g}"})
        if isinstance(found, OSError):
            return Failure(UplinkProblem.UNREACHABLE, broker)
    if isinstance(error, aiomqtt.MqttError) and "timed out" in str(error):
        return Failure(UplinkProblem.TIMEOUT, broker | {"seconds": f"{tuning.publish_timeout_s:g}"})
    return Failure(UplinkProblem.LOST)
