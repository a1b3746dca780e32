"""The coarse motion grid: where a picture moved as 144 bits in 18 bytes, a drawn rectangle as the cells it
covers, pictures merged into moments, the search periods in Vietnam time."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from console.core.motion import (
    GRID_BYTES,
    GRID_COLUMNS,
    MotionDetector,
    MotionSettings,
    grid_bytes,
    grid_from_bytes,
    grid_of,
)
from console.core.vntime import vn_moment
from console.search.motion_search import Moment, Period, Region, merge
from console.simulator.scene import SceneRenderer


def test_a_moving_corner_sets_its_cell_and_no_other() -> None:
    moving = np.zeros((54, 96), bool)
    moving[0:2, 0:1] = True  # top-left: cell 0
    moving[50:54, 92:96] = True  # bottom-right: cell 143
    assert grid_of(moving) == 1 | 1 << 143


def test_one_noisy_pixel_does_not_make_a_cell_move() -> None:
    moving = np.zeros((54, 96), bool)
    moving[20, 40] = True
    assert grid_of(moving) == 0


def test_the_grid_is_18_bytes_and_round_trips() -> None:
    cells = 1 | 1 << 17 | 1 << 143
    data = grid_bytes(cells)
    assert len(data) == GRID_BYTES == 18
    assert grid_from_bytes(data) == cells
    assert data[-1] == 1  # cell 0 is the last byte's lowest bit


def test_the_detector_keeps_a_grid_without_any_zone() -> None:
    renderer = SceneRenderer("C01", "Điểm thử", 640, 360, 15, 30.0)
    detector = MotionDetector(MotionSettings())  # motion alerts off: the grid is still kept
    grids = []
    for second in range(30):  # one picture a second, as the analytics on a 1 s GOP
        picture = Image.fromarray(renderer.frame(second * renderer.fps)[0]).resize((96, 54))
        assert detector.sample(np.asarray(picture, dtype=np.uint8)) == 0.0
        grids.append(detector.grid)
    boxes = [renderer.vehicle_boxes(s * renderer.fps) for s in range(30)]
    moving = [g for g, b in zip(grids, boxes, strict=True) if b and b[0][2] > 0 and b[0][0] < renderer.width]
    assert grids[:MotionDetector.LEARN_SAMPLES] == [0] * MotionDetector.LEARN_SAMPLES
    assert moving and all(moving[1:])
    sky = Region.from_rect(0.25, 0.05, 0.75, 0.3).mask
    assert not any(g & sky for g in grids)


def test_a_rectangle_takes_every_cell_it_overlaps() -> None:
    whole = Region.from_rect(0.0, 0.0, 1.0, 1.0)
    assert len(whole.cells) == 144 and whole.mask == (1 << 144) - 1
    left_half = Region.from_rect(0.0, 0.0, 0.5, 1.0)
    assert {c % GRID_COLUMNS for c in left_half.cells} == set(range(8)) and len(left_half.cells) == 72
    inner = Region.from_rect(0.07, 0.12, 0.12, 0.2)  # inside column 1 (1/16..2/16), row 1 (1/9..2/9)
    assert inner.cells == {1 * GRID_COLUMNS + 1}


def test_a_rectangle_drawn_backwards_or_past_the_edge_is_the_same() -> None:
    assert Region.from_rect(0.9, 0.8, 0.6, 0.5) == Region.from_rect(0.6, 0.5, 0.9, 0.8)
    assert Region.from_rect(-0.5, -1.0, 2.0, 3.0) == Region.from_rect(0.0, 0.0, 1.0, 1.0)
    assert len(Region.from_rect(0.5, 0.5, 0.5, 0.5).cells) == 1  # a click: the cell under it


def test_a_region_refuses_cells_outside_the_grid() -> None:
    with pytest.raises(ValueError, match="outside"):
        Region(frozenset({144}))


def test_pictures_merge_into_moments_across_short_gaps() -> None:
    assert merge([1000, 2000, 4000, 9000, 10_000, 20_000]) == [
        Moment(1000, 4000, 3), Moment(9000, 10_000, 2), Moment(20_000, 20_000, 1)]
    assert merge([]) == []
    assert merge([0, 2001], gap_ms=2000) == [Moment(0, 0, 1), Moment(2001, 2001, 1)]


@pytest.mark.parametrize(("period", "hours"), [(Period.HOUR, 1), (Period.DAY, 24), (Period.WEEK, 168)])
def test_periods_are_whole_hours_and_days_of_vietnam_time(period: Period, hours: int) -> None:
    at = int(vn_moment(0).replace(year=2026, month=6, day=3, hour=14, minute=25).timestamp() * 1000)
    start, end = period.bounds(at)
    assert end - start == hours * 3_600_000 and start <= at < end
    assert vn_moment(start).minute == 0 and (period is Period.HOUR or vn_moment(start).hour == 0)
