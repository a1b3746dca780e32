"""When to try the province broker again: exponential backoff with jitter, reset by a session that lasted.

aiomqtt does not reconnect by itself. A session that ends within seconds of its start (a broker that accepts
and drops at once) does not reset the backoff, or the console would knock every second.
"""

from __future__ import annotations

import random

from console.uplink.tuning import UplinkTuning


class Backoff:
    def __init__(self, tuning: UplinkTuning, rng: random.Random | None = None) -> None:
        self._tuning = tuning
        self._rng = rng or random.Random()
        self.attempt = 0  # failures since the last good session

    def next_delay(self, refused: bool = False) -> float:
        """Seconds until the next attempt after a failure (`refused`: the broker said no to our credentials)."""
        t = self._tuning
        self.attempt += 1
        base = min(t.backoff_cap_s, t.backoff_first_s * t.backoff_factor ** (self.attempt - 1))
        delay = min(t.backoff_cap_s, base * (1.0 + self._rng.uniform(-t.backoff_jitter, t.backoff_jitter)))
        return max(delay, t.refused_wait_s) if refused else delay

    def session_ended(self, lasted_s: float) -> None:
        if lasted_s >= self._tuning.good_session_s:
            self.attempt = 0
