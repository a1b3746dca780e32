"""Every timing and limit of the province receiver, with its unit, in one place (tests shorten some of them)."""

from __future__ import annotations

from dataclasses import dataclass

from console.uplink.tuning import UplinkTuning


@dataclass(frozen=True)
class ReceiverTuning:
    keepalive_s: int = 15
    connect_timeout_s: float = 15.0  # TCP + TLS + CONNACK
    subscribe_timeout_s: float = 10.0
    publish_timeout_s: float = 10.0  # one receipt's PUBACK; longer ends the session
    batch_max: int = 5000  # messages stored in one transaction (a drain of 100 communes: ~5,000 msg/s)
    # One client, the province's own: it may knock sooner and more often than 100 communes behind one broker.
    backoff_first_s: float = 0.5
    backoff_factor: float = 2.0
    backoff_cap_s: float = 10.0
    backoff_jitter: float = 0.25
    refused_wait_s: float = 30.0
    good_session_s: float = 10.0
    stop_timeout_s: float = 5.0
    drop_log_every_s: float = 60.0  # at most `drop_log_burst` dropped-message lines per this period
    drop_log_burst: int = 20
    max_inflight: int = 1000  # receipts awaiting their PUBACK

    def backoff(self) -> UplinkTuning:
        """The same backoff with jitter as the communes' (console/uplink/backoff.py), with these timings."""
        return UplinkTuning(backoff_first_s=self.backoff_first_s, backoff_factor=self.backoff_factor,
                            backoff_cap_s=self.backoff_cap_s, backoff_jitter=self.backoff_jitter,
                            refused_wait_s=self.refused_wait_s, good_session_s=self.good_session_s)


DEFAULT_TUNING = ReceiverTuning()
