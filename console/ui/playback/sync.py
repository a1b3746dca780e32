"""Up to three more cameras played back on the playback window's clock (synchronized playback).

Each companion has its own libVLC player and follows the main camera: every seek, play, pause, rate and
frame step of the main camera is repeated at the main camera's moment — playing, from that exact moment
(the frames before it decoded unseen); paused, the exact frame (a still). While playing, a companion that
drifts more than `DRIFT_MS` from the main camera is put back on its moment (not again within
`RESYNC_AFTER_S`, the time a re-sync needs to catch up). A camera with nothing recorded at the moment says so
and joins in as soon as its recording starts.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from console.core.config import SiteConfig
from console.media.player import PlayerUnavailableError, RecordingPlayer
from console.media.vlc_input import KeyframeFinder
from console.store.recordings import RecordingIndex
from console.ui.playback.picture_view import PictureView

log = logging.getLogger(__name__)

MAX_COMPANIONS = 3
DRIFT_MS = 400
RESYNC_AFTER_S = 2.0
IDLE_CHECK_S = 1.0
COMPANION_SIZE = (640, 360)
TOLERANCE_MS = 1000  # a recording starting this soon after the moment counts as "there"


class CompanionView(QWidget):
    """One more camera: its picker, its picture, its player following the main camera's clock."""

    remove_requested = Signal(object)

    def __init__(self, config: SiteConfig, index: RecordingIndex, recordings: Path, keyframes: KeyframeFinder,
                 camera_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("playbackCompanion")
        self.index = index
        self.camera = QComboBox(self)
        for camera in config.cameras:
            self.camera.addItem(camera.label, camera.id)
        self.camera.setCurrentIndex(max(0, self.camera.findData(camera_id)))
        remove = QPushButton("×", self)
        remove.setToolTip(self.tr("Remove this camera from synchronized playback"))
        remove.setFixedWidth(28)
        remove.clicked.connect(lambda: self.remove_requested.emit(self))
        top = QHBoxLayout()
        top.addWidget(self.camera, 1)
        top.addWidget(remove)
        self.picture = PictureView(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.picture, 1)
        try:
            self.player: RecordingPlayer | None = RecordingPlayer(recordings, index.at, keyframes, COMPANION_SIZE)
        except PlayerUnavailableError as exc:
            log.error("synchronized playback unavailable: %s", exc)
            self.player = None
        self._synced_at = 0.0
        self._idle = False  # nothing recorded at the main camera's moment
        self._checked_at = 0.0

    def camera_id(self) -> str:
        return str(self.camera.currentData())

    def follow(self, at_ms: int, playing: bool, rate: float) -> None:
        """Show this camera at the main camera's moment, playing or paused like it."""
        player = self.player
        if player is None:
            return
        self._synced_at = self._checked_at = time.monotonic()
        segment = self.index.at(self.camera_id(), at_ms)
        if segment is None or segment.start_ms > at_ms + TOLERANCE_MS:
            self._idle = True
            if not player.paused:
                player.pause()
            self.picture.show_image(None, self.tr("Nothing recorded at this moment."))
            return
        self._idle = False
        self.picture.message = ""
        player.set_rate(rate)
        player.open(self.camera_id(), at_ms, play=playing, exact=True)

    def tick(self, main_ms: int | None, playing: bool, rate: float) -> None:
        """Called by the window's timer: paint, go on into the next segment, and keep to the main clock."""
        player = self.player
        if player is None:
            return
        player.poll()
        self.picture.show_new(player.picture)
        if main_ms is None or not playing:
            return
        now = time.monotonic()
        if self._idle:
            if now - self._checked_at >= IDLE_CHECK_S:
                self._checked_at = now
                segment = self.index.at(self.camera_id(), main_ms)
                if segment is not None and segment.start_ms <= main_ms + TOLERANCE_MS:
                    self.follow(main_ms, playing, rate)
            return
        own = player.time_ms()
        drifted = own is None or abs(own - main_ms) > DRIFT_MS or player.paused
        if drifted and now - self._synced_at >= RESYNC_AFTER_S:
            self.follow(main_ms, playing, rate)

    def close_player(self) -> None:
        if self.player is not None:
            self.player.close()
            self.player = None
