"""The stream addresses the wizard writes: what GetStreamUri said, without any login, at a host the station can
reach; the main stream the largest picture, the sub stream the smallest; a typed address's login taken out."""

from __future__ import annotations

import pytest

from console.core.credentials import Credentials
from console.onboarding.drafts import next_ids
from console.onboarding.streams import choose_streams, stream_address, typed_stream
from console.onvif.media import MediaProfile


def profile(token: str, width: int, height: int, uri: str | None = "rtsp://192.168.1.64:554/x") -> MediaProfile:
    return MediaProfile(token, token, "H264", width, height, 25.0, uri and f"{uri}/{token}", False)


def test_main_is_the_largest_picture_and_sub_the_smallest_other() -> None:
    choice = choose_streams([profile("sub", 640, 360), profile("main", 1920, 1080), profile("third", 1280, 720),
                             profile("none", 3840, 2160, uri=None)])
    assert choice is not None and (choice.main.token, choice.sub and choice.sub.token) == ("main", "sub")
    assert choose_streams([profile("only", 1920, 1080)]) == choose_streams([profile("only", 1920, 1080)])
    assert choose_streams([profile("none", 1, 1, uri=None)]) is None


def test_an_address_loses_its_login_and_gets_a_host_the_station_reaches() -> None:
    assert stream_address("rtsp://admin:Pw-2026@192.168.1.64:554/Streaming/Channels/101", "192.168.1.64") == \
        "rtsp://192.168.1.64:554/Streaming/Channels/101"
    assert stream_address("rtsp://0.0.0.0:8554/live", "10.0.0.9") == "rtsp://10.0.0.9:8554/live"
    assert stream_address("rtsp://127.0.0.1/live", "10.0.0.9") == "rtsp://10.0.0.9/live"  # the camera's own loopback
    assert stream_address("rtsp://127.0.0.1:18554/live", "127.0.0.1") == "rtsp://127.0.0.1:18554/live"
    assert stream_address("rtsp://192.168.1.64/live", "192.168.1.64", rtsp_port=10554) == \
        "rtsp://192.168.1.64:10554/live"
    assert stream_address("rtsp://192.168.1.70/cam?user=admin&password=Qu3ry-Pw", "192.168.1.70") == \
        "rtsp://192.168.1.70/cam?user={user}&password={password}"


def test_a_typed_address_gives_its_login_to_the_store_and_refuses_what_is_not_rtsp() -> None:
    typed = typed_stream(" rtsp://admin:p%40ss%3Aw0rd@192.168.1.70:554/ch1 ")
    assert typed.url == "rtsp://192.168.1.70:554/ch1" and typed.credentials == Credentials("admin", "p@ss:w0rd")
    assert typed_stream("rtsp://192.168.1.70/ch1").credentials is None
    for wrong in ("http://192.168.1.70/", "192.168.1.70", "rtsp://", "rtsp://host:99999/x"):
        with pytest.raises(ValueError):
            typed_stream(wrong)


def test_new_ids_follow_the_highest_and_skip_taken_ones() -> None:
    assert next_ids(["C01", "C07", "C08-old", "X"], "C", 3) == ["C08", "C09", "C10"]
    assert next_ids([], "S", 1) == ["S01"]
