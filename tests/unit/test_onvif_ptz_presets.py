"""Presets as an officer sees them: the named ones only (Hikvision lists all 300 of its slots, set or not)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from console.onvif.ptz import PtzController, PtzStatus, is_unnamed, read_presets


def _slot(token: str, name: str | None, position: bool) -> dict[str, Any]:
    item: dict[str, Any] = {"token": token, "Name": name}
    if position:
        item["PTZPosition"] = {"PanTilt": {"x": 0.1, "y": -0.2}, "Zoom": {"x": 0.3}}
    return item


class PresetList:
    def __init__(self, presets: list[dict[str, Any]]) -> None:
        self.presets = presets

    async def GetPresets(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        assert params == {"ProfileToken": "Profile_1"}
        return self.presets


HIKVISION = [_slot(str(i), "", False) for i in range(1, 301)]
HIKVISION[0] = _slot("1", "Cổng UBND xã", True)
HIKVISION[4] = _slot("5", "Ngã ba chợ", True)


def test_three_hundred_empty_slots_are_hidden_and_the_named_presets_kept() -> None:
    ptz = PtzController("C01", PresetList(HIKVISION), "Profile_1", address="127.0.0.1:9")
    shown = asyncio.run(ptz.presets())
    assert [(p.token, p.name) for p in shown] == [("1", "Cổng UBND xã"), ("5", "Ngã ba chợ")]
    assert shown[0].position == PtzStatus(0.1, -0.2, 0.3, None)
    assert len(asyncio.run(ptz.presets(include_unnamed=True))) == 300


@pytest.mark.parametrize(("token", "name", "position", "hidden"), [
    ("7", "", False, True),
    ("7", None, True, True),
    ("7", "   ", True, True),
    ("7", "7", True, True),  # the name is the token: never named by anyone
    ("7", "Preset 7", False, True),  # a firmware's default name on an empty slot
    ("7", "preset_007", False, True),
    ("7", "Preset 7", True, False),  # … but saved with a position: someone set it
    ("7", "Cầu Gia Đông", False, False),
    ("7", "Điểm 2", False, False),
])
def test_what_counts_as_an_empty_slot(token: str, name: str | None, position: bool, hidden: bool) -> None:
    status = PtzStatus(0.0, 0.0, 0.0, None) if position else None
    assert is_unnamed(token, name, status) is hidden


def test_preset_positions_are_read_when_the_camera_gives_them() -> None:
    presets = read_presets([_slot("1", "A", True), _slot("2", "B", False), {"Name": "no token"}])
    assert [p.token for p in presets] == ["1", "2"]
    assert presets[0].position is not None and presets[1].position is None
