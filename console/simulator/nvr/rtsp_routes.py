"""Which stream an RTSP URL of each vendor names: Hikvision's `/Streaming/Channels/{ch}01|02` (live) and
`/Streaming/tracks/{ch}01?starttime=20210818T151815Z&endtime=…` (playback), Dahua's
`/cam/realmonitor?channel=1&subtype=0|1` and `/cam/playback?channel=1&starttime=2021_08_18_15_18_15&endtime=…`."""

from __future__ import annotations

import re

from console.core.config import StreamKind
from console.simulator.nvr.device_time import DeviceClock, TimeTextError
from console.simulator.nvr.rtsp_playback import LiveRequest, PlaybackRequest, Route

DAY_MS = 86_400_000
_HIK_LIVE = re.compile(r"^/Streaming/Channels/(\d+)$")
_HIK_TRACK = re.compile(r"^/Streaming/tracks/(\d+)$")
_KINDS = {1: StreamKind.MAIN, 2: StreamKind.SUB}


def hikvision_route(clock: DeviceClock) -> Route:
    def route(path: str, query: dict[str, str]) -> LiveRequest | PlaybackRequest | None:
        live = _HIK_LIVE.match(path)
        if live is not None:
            number = int(live.group(1))
            kind = _KINDS.get(number % 100)
            return LiveRequest(number // 100, kind) if kind is not None else None
        track = _HIK_TRACK.match(path)
        if track is None or "starttime" not in query:
            return None
        try:
            start = clock.read_compact(query["starttime"])
            end = clock.read_compact(query["endtime"]) if "endtime" in query else start + DAY_MS
        except TimeTextError:
            return None
        return PlaybackRequest(int(track.group(1)) // 100, start, end)

    return route


def dahua_route(clock: DeviceClock) -> Route:
    def route(path: str, query: dict[str, str]) -> LiveRequest | PlaybackRequest | None:
        try:
            channel = int(query.get("channel", ""))
        except ValueError:
            return None
        if path == "/cam/realmonitor":
            kind = _KINDS.get(int(query.get("subtype", "0") or 0) + 1)
            return LiveRequest(channel, kind) if kind is not None else None
        if path != "/cam/playback" or "starttime" not in query:
            return None
        try:
            start = clock.read_dahua(query["starttime"])
            end = clock.read_dahua(query["endtime"]) if "endtime" in query else start + DAY_MS
        except TimeTextError:
            return None
        return PlaybackRequest(channel, start, end)

    return route
