"""Every timing and limit of the uplink, with its unit, in one place (tests shorten some of them)."""

from __future__ import annotations

from dataclasses import dataclass

from console.uplink.schema import MAX_SNAPSHOT_BYTES


@dataclass(frozen=True)
class UplinkTuning:
    # The broker declares a silent commune dead after 1.5 keepalives and sends its last will: ≤ 23 s, inside
    # the province view's 30 s. (A killed process closes its socket: the will goes at once.)
    keepalive_s: int = 15
    connect_timeout_s: float = 15.0  # TCP + TLS + CONNACK
    publish_timeout_s: float = 10.0  # one PUBACK; longer ends the session
    subscribe_timeout_s: float = 10.0
    disconnect_timeout_s: float = 2.0  # the clean "offline" and DISCONNECT at stop
    status_every_s: float = 60.0  # retained status and camera health again (RabbitMQ: retained per node)
    receipt_timeout_s: float = 60.0  # a message the province has not confirmed by then is sent again
    window: int = 1000  # messages sent and not yet confirmed, at most
    live_batch: int = 200  # live rows read per step
    poll_s: float = 1.0  # the outbox is read at least this often (besides the writer's wake-up)
    status_refresh_s: float = 2.0  # the backlog count the UI shows
    backoff_first_s: float = 1.0
    backoff_factor: float = 2.0
    backoff_cap_s: float = 60.0
    backoff_jitter: float = 0.25  # ±25 %: 100 communes behind one restarted broker do not knock at once
    refused_wait_s: float = 60.0  # at least this long after the broker refused our credentials
    good_session_s: float = 10.0  # a session this long resets the backoff
    max_inflight: int = 100  # QoS 1 publishes awaiting their PUBACK
    snapshot_max_bytes: int = MAX_SNAPSHOT_BYTES
    stop_timeout_s: float = 5.0


DEFAULT_TUNING = UplinkTuning()
