"""Every time limit and count of the onboarding wizard, in one place."""

from __future__ import annotations

from dataclasses import dataclass

from console.onvif.device import CALL_TIMEOUT_S
from console.onvif.discovery import PROBE_WAIT_S

STREAM_OPEN_TIMEOUT_S = 5.0  # connect + DESCRIBE/SETUP/PLAY of one stream
STREAM_READ_TIMEOUT_S = 5.0  # FFmpeg's socket timeout between packets
STREAM_FIRST_FRAME_S = 8.0  # a camera with a long GOP sends its first keyframe within this
STREAM_MEASURE_S = 1.5  # after the first picture, packets are counted this long for fps and bitrate
STREAM_TESTS_AT_ONCE = 2  # 1080p decoding: two at a time leave the GUI thread its CPU on a 2-core station
DEFAULT_PORTS = (80, 8000)  # Hikvision/Dahua ONVIF ports when the technician types addresses


@dataclass(frozen=True)
class OnboardingLimits:
    """What one wizard waits for (tests shorten them)."""

    probe_wait_s: float = PROBE_WAIT_S  # collecting WS-Discovery answers
    call_timeout_s: float = CALL_TIMEOUT_S  # each ONVIF request
    stream_open_timeout_s: float = STREAM_OPEN_TIMEOUT_S
    stream_read_timeout_s: float = STREAM_READ_TIMEOUT_S
    stream_first_frame_s: float = STREAM_FIRST_FRAME_S
    stream_measure_s: float = STREAM_MEASURE_S

    @property
    def stream_test_s(self) -> float:
        """The most one stream test may take, all steps together."""
        return self.stream_open_timeout_s + self.stream_first_frame_s + self.stream_measure_s + 1.0


DEFAULT_LIMITS = OnboardingLimits()
