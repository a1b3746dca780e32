"""The tile's stream controller without RTSP: which stream, the hand-over that never goes black, no feed for
a tile nobody sees."""

from __future__ import annotations

from console.core.config import StreamKind, load_config
from console.core.layouts import StreamPolicy
from console.core.paths import demo_config_path
from console.media.display import VideoImage
from console.ui.live.tile_stream import TileStream
from tests.support.fake_frames import FakeFrames

SMALL = (380, 214)  # a 5×5 tile at 1920×1080
BIG = (1900, 1000)


def controller() -> tuple[TileStream, FakeFrames, list[tuple[VideoImage, bool]]]:
    frames = FakeFrames()
    shown: list[tuple[VideoImage, bool]] = []
    stream = TileStream(frames, load_config(demo_config_path()), lambda image, switched: shown.append(
        (image, switched)))
    stream.set_visible(True)
    stream.set_geometry(SMALL[1], SMALL)
    return stream, frames, shown


def test_small_tiles_pull_the_sub_stream_and_maximizing_hands_over_without_a_black_frame() -> None:
    stream, frames, shown = controller()
    stream.place("C01", 25, False)
    [sub] = frames.live()
    assert sub.kind is StreamKind.SUB and sub.box == SMALL
    sub.deliver()
    assert stream.kind is StreamKind.SUB and shown[-1][1] is False
    stream.place("C01", 25, True)
    stream.set_geometry(BIG[1], BIG)
    main = frames.live()[-1]
    assert main.kind is StreamKind.MAIN and stream.pending_kind is StreamKind.MAIN
    sub.deliver()  # the sub stream keeps the tile painted while the main one waits for its keyframe
    assert stream.kind is StreamKind.SUB and not sub.closed
    main.deliver()
    assert stream.kind is StreamKind.MAIN and sub.closed and shown[-1] == (shown[-1][0], True)
    assert shown[-1][0].source_width == 1920 and stream.pending_kind is None


def test_hidden_and_inactive_tiles_hold_no_feed_and_reopen_when_seen() -> None:
    stream, frames, _ = controller()
    stream.place("C02", 25, False)
    stream.set_active(False)  # another tile maximized, or the window minimized
    assert frames.live() == [] and stream.kind is None
    stream.set_active(True)
    assert [f.kind for f in frames.live()] == [StreamKind.SUB]
    stream.set_visible(False)
    assert frames.live() == []


def test_the_officers_override_and_a_new_camera() -> None:
    stream, frames, _ = controller()
    stream.place("C03", 25, False)
    frames.live()[0].deliver()
    stream.set_override(StreamPolicy.MAIN)
    assert stream.pending_kind is StreamKind.MAIN  # asked for the main stream even in a small tile
    stream.place("C04", 25, False)  # another camera: the override and both feeds go
    assert stream.override is None and [(f.camera_id, f.kind) for f in frames.live()] == [("C04", StreamKind.SUB)]
    stream.set_policy(StreamPolicy.MAIN)
    assert stream.pending_kind is StreamKind.MAIN
