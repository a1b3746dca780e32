"""A camera put on a tile shows its current picture at once: the stream is already connected (kept for its
health) and its decoder kept the packets since the last keyframe, so nobody waits for the next keyframe."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from console.core.config import IngestPath, StreamKind
from console.core.health import Phase
from console.media.display import WARM_S, FrameView, VideoImage
from console.media.pool import StreamPool
from console.simulator.server import Simulator
from tests.support.waiting import wait_until

FRAME_S = 1 / 15


class FirstPicture(FrameView):
    """A view that remembers the first picture it was given."""

    def __init__(self) -> None:
        super().__init__(lambda: None)
        self.first: VideoImage | None = None
        self.set_box(320, 180)

    def put(self, image: VideoImage) -> None:
        if self.first is None:
            self.first = image
        super().put(image)


@pytest.mark.parametrize("ingest", [IngestPath.RTP, IngestPath.FFMPEG])
def test_a_kept_stream_put_on_a_tile_shows_its_newest_picture_at_once(simulator: Simulator,
                                                                       pools: list[StreamPool],
                                                                       ingest: IngestPath) -> None:
    cameras = tuple(replace(c, ingest=ingest) for c in simulator.config.cameras[:2])
    pool = StreamPool(replace(simulator.config, cameras=cameras))
    pools.append(pool)
    pool.keep([c.id for c in cameras], StreamKind.SUB)
    wait_until(lambda: all((s := pool.status(c.id, StreamKind.SUB)) is not None and s.phase is Phase.LIVE
                           for c in cameras), 15, what="both streams live, watched by nobody")
    for camera in cameras * 2:  # GOP 1 s: a keyframe wait would be up to 15 frames
        time.sleep(WARM_S + 0.2)  # past the warm spell: the decoder is idle, only keeping the GOP
        decoder = pool._entries[pool.key(camera, StreamKind.SUB)].decoder
        # Mid-GOP (the keyframe ≥ 6 frames old, the next one ≥ 5 frames away), as a drop usually is.
        wait_until(lambda d=decoder: 6 <= len(d._gop) <= 10, 3, what="the kept GOP 6 to 10 frames long")
        view = FirstPicture()
        attached = time.monotonic()
        pool.watch(camera.id, StreamKind.SUB, view)
        wait_until(lambda v=view: v.first is not None, 5, what=f"{camera.id}: a picture for the new tile")
        first = view.first
        assert first is not None
        # Decoded from what was kept before the tile came, and the newest of it (not the GOP's keyframe).
        assert first.received < attached and attached - first.received < 3 * FRAME_S
        pool.unwatch(camera.id, StreamKind.SUB, view)
        view.close()
    decoder = pool._entries[pool.key(cameras[0], StreamKind.SUB)].decoder
    assert decoder.caught_up == 2
