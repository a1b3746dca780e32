"""The playback picture is copied only when the player has a new one (it is polled every 40 ms)."""

from __future__ import annotations

import numpy as np
from pytestqt.qtbot import QtBot

from console.media.player import ShownPicture
from console.ui.playback.picture_view import PictureView


def test_an_unchanged_picture_is_not_copied_again(qtbot: QtBot) -> None:
    picture = ShownPicture(1280, 720)
    copies: list[int] = []
    real_copy = picture.copy

    def counted() -> tuple[np.ndarray, int]:
        copies.append(1)
        return real_copy()

    picture.copy = counted  # type: ignore[method-assign]
    view = PictureView()
    qtbot.addWidget(view)
    picture.put(np.full((720, 1280, 4), 200, np.uint8))
    for _ in range(50):  # two seconds of polls while paused
        view.show_new(picture)
    assert len(copies) == 1 and view.image is not None and view.image.pixelColor(5, 5).red() == 200
    picture.put(np.full((720, 1280, 4), 90, np.uint8))
    view.show_new(picture)
    assert len(copies) == 2 and view.image.pixelColor(5, 5).red() == 90
