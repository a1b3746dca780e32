"""Which stream a tile pulls, and the hand-over between two (no widget: the tile only paints what this gives).

A tile wants the sub stream in small tiles and the main one when it is maximized or large (the policy and the
officer's override decide; `core.layouts.pick_stream`). When the wanted stream changes, the new feed opens
beside the old one and the old keeps delivering until the new one's first picture (decoders start on a
keyframe): the tile never goes black on a switch. Inactive or hidden tiles hold no feed at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from console.core.config import SiteConfig, StreamKind
from console.core.layouts import StreamPolicy, pick_stream
from console.media.display import VideoImage


class FrameFeed(Protocol):
    """One subscription to one camera stream; `notify` (given at open) is called on the GUI thread when a
    picture waits, `take` returns it."""

    kind: StreamKind
    frames: int

    def resize(self, width: int, height: int) -> None: ...

    def take(self) -> VideoImage | None: ...

    def close(self) -> None: ...


class FrameSource(Protocol):
    """Where feeds come from: the stream pool in the console, a fake in tests (tests/support/fake_frames.py)."""

    def open(self, camera_id: str, kind: StreamKind, width: int, height: int,
             notify: Callable[[], None]) -> FrameFeed: ...


Show = Callable[[VideoImage, bool], None]  # (picture, True when it is the first of a newly switched stream)


class TileStream:
    """The stream decisions of one tile. `show` is called with each picture to paint."""

    def __init__(self, source: FrameSource, config: SiteConfig, show: Show) -> None:
        self._source = source
        self._config = config
        self._show = show
        self.camera_id: str | None = None
        self.policy = StreamPolicy.AUTO
        self.override: StreamPolicy | None = None
        self.tiles = 1
        self.maximized = False
        self.active = True
        self.visible = False
        self._height = 0
        self._box = (2, 2)
        self._feed: FrameFeed | None = None
        self._pending: FrameFeed | None = None

    # -- what the tile reports -----------------------------------------------------------------------
    @property
    def kind(self) -> StreamKind | None:
        return None if self._feed is None else self._feed.kind

    @property
    def pending_kind(self) -> StreamKind | None:
        return None if self._pending is None else self._pending.kind

    @property
    def frames(self) -> int:
        return 0 if self._feed is None else self._feed.frames

    # -- what the tile tells it ----------------------------------------------------------------------
    def place(self, camera_id: str | None, tiles: int, maximized: bool) -> bool:
        """Show `camera_id` on a layout of `tiles`; True when the camera changed (its picture is gone)."""
        changed = camera_id != self.camera_id
        if changed:
            self.close()
            self.camera_id = camera_id
            self.override = None
        self.tiles, self.maximized = tiles, maximized
        self.sync()
        return changed

    def set_geometry(self, video_height: int, box: tuple[int, int]) -> None:
        self._height, self._box = video_height, box
        self.sync()

    def set_visible(self, visible: bool) -> None:
        self.visible = visible
        self.sync()

    def set_active(self, active: bool) -> None:
        if active != self.active:
            self.active = active
            self.sync()

    def set_policy(self, policy: StreamPolicy) -> None:
        self.policy = policy
        self.sync()

    def set_override(self, override: StreamPolicy | None) -> None:
        self.override = override
        self.sync()

    def wanted(self) -> StreamKind | None:
        if self.camera_id is None:
            return None
        camera = self._config.camera(self.camera_id)
        return pick_stream(self.override or self.policy, self._height, self.tiles, self.maximized, camera.has_sub())

    # -- the feeds -----------------------------------------------------------------------------------
    def sync(self) -> None:
        wanted = self.wanted() if self.active and self.visible else None
        if wanted is None or self.camera_id is None:
            self.close()
            return
        if self._feed is None:
            self._feed = self._open(self.camera_id, wanted)
            return
        if self._feed.kind is wanted:
            self._drop_pending()
            self._feed.resize(*self._box)
            return
        if self._pending is None or self._pending.kind is not wanted:
            self._drop_pending()
            self._pending = self._open(self.camera_id, wanted)
        self._pending.resize(*self._box)
        self._feed.resize(*self._box)

    def close(self) -> None:
        self._drop_pending()
        if self._feed is not None:
            self._feed.close()
            self._feed = None

    def _open(self, camera_id: str, kind: StreamKind) -> FrameFeed:
        return self._source.open(camera_id, kind, *self._box, notify=self._ready)

    def _drop_pending(self) -> None:
        if self._pending is not None:
            self._pending.close()
            self._pending = None

    def _ready(self) -> None:
        pending = self._pending
        if pending is not None:
            image = pending.take()
            if image is not None:  # the new stream is on screen: retire the old one
                if self._feed is not None:
                    self._feed.close()
                self._feed, self._pending = pending, None
                self._show(image, True)
                return
        if self._feed is None:
            return
        image = self._feed.take()
        if image is not None:
            self._show(image, False)
