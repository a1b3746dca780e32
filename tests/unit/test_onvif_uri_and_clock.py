"""Stream addresses lose their credentials; clock offsets are worked out from whole-second answers."""

from __future__ import annotations

import datetime as dt

import pytest

from console.core.credentials import Credentials, with_credentials
from console.core.redact import has_userinfo_password, secret_params
from console.onvif.clock import TimeSample, offset_from
from console.onvif.messages import format_offset_en, format_offset_vi
from console.onvif.uri import strip_credentials


@pytest.mark.parametrize(("given", "expected"), [
    ("rtsp://192.168.1.64:554/Streaming/Channels/101?transportmode=unicast&profile=Profile_1",
     "rtsp://192.168.1.64:554/Streaming/Channels/101?transportmode=unicast&profile=Profile_1"),
    ("rtsp://admin:abc12345@192.168.1.64:554/Streaming/Channels/101", "rtsp://192.168.1.64:554/Streaming/Channels/101"),
    ("rtsp://admin@192.168.1.64/live", "rtsp://192.168.1.64/live"),
    ("rtsp://admin:a@b:c/d?x@192.168.1.64:554/ch1", "rtsp://192.168.1.64:554/ch1"),
    ("rtsp://admin:Gi%40%20Dong%3A2026%2Fsim@[fe80::1]:554/ch1", "rtsp://[fe80::1]:554/ch1"),
    ("rtsp://192.168.1.64:554/path@with-at/ch1", "rtsp://192.168.1.64:554/path@with-at/ch1"),
    ("rtsp://192.168.1.70:554/user=admin&password=hunter22&channel=1&stream=0.sdp",
     "rtsp://192.168.1.70:554/user={user}&password={password}&channel=1&stream=0.sdp"),
    ("rtsp://192.168.1.70/live?user=admin&pwd=s3cret&ch=2", "rtsp://192.168.1.70/live?user={user}&pwd={password}&ch=2"),
    ("  rtsp://10.0.0.2/a  ", "rtsp://10.0.0.2/a"),
])
def test_stream_uris_keep_no_credentials(given: str, expected: str) -> None:
    stripped = strip_credentials(given)
    assert stripped == expected
    assert not has_userinfo_password(stripped)
    assert all(value == "{password}" for _, value in secret_params(stripped))


def test_a_stripped_uri_plays_again_once_the_stored_credentials_are_added() -> None:
    creds = Credentials("admin", "Gi@ Dong:2026/sim")
    plain = strip_credentials("rtsp://admin:hunter22@127.0.0.1:8554/Streaming/Channels/101")
    assert with_credentials(plain, creds) == "rtsp://admin:Gi%40%20Dong%3A2026%2Fsim@127.0.0.1:8554/Streaming/Channels/101"
    dvr = strip_credentials("rtsp://10.0.0.9/user=admin&password=x&channel=1")
    assert with_credentials(dvr, creds) == "rtsp://10.0.0.9/user=admin&password=Gi%40%20Dong%3A2026%2Fsim&channel=1"


def _sample(camera_second: float, sent: float, rtt: float = 0.004) -> TimeSample:
    return TimeSample(dt.datetime.fromtimestamp(camera_second, dt.UTC), sent, sent + rtt)


@pytest.mark.parametrize("true_offset", [10800.0, 10800.37, -1.371, 0.0, -0.999, 0.62])
def test_three_answers_a_third_of_a_second_apart_give_the_offset_within_a_fifth_of_a_second(true_offset: float) -> None:
    start = 1_750_000_000.123
    samples = []
    for index in range(3):
        sent = start + index / 3
        camera_now = sent + 0.002 + true_offset  # the camera reads its clock halfway through the round trip
        samples.append(_sample(float(int(camera_now)), sent))  # … and says only the whole second
    offset, uncertainty = offset_from(samples)
    assert abs(offset - true_offset) <= uncertainty + 1e-6
    assert uncertainty < 0.2
    assert abs(offset - true_offset) < 0.2


def test_one_answer_is_known_to_half_a_second() -> None:
    offset, uncertainty = offset_from([_sample(1_750_000_100.0, 1_750_000_000.0, rtt=0.0)])
    assert offset == pytest.approx(100.5) and uncertainty == pytest.approx(0.5)


def test_disagreeing_answers_fall_back_to_their_mean_with_a_wide_uncertainty() -> None:
    offset, uncertainty = offset_from([_sample(1000.0, 1000.0, 0.0), _sample(1100.0, 1000.3, 0.0)])
    assert offset == pytest.approx(((0.5) + (99.7 + 0.5)) / 2)
    assert uncertainty >= 0.5


def test_offsets_are_written_as_people_read_them() -> None:
    assert format_offset_vi(10800.4) == "+3 giờ 0 phút 0 giây"
    assert format_offset_vi(192) == "+3 phút 12 giây"
    assert format_offset_vi(-12.2) == "-12 giây"
    assert format_offset_en(-3725) == "-1 h 2 min 5 s"
