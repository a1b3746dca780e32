"""Motion events from the picture: a camera's motion property follows its scripted vehicles.

A fixed camera is in motion while a vehicle of its loop crosses (the loop plays on the wall clock); a PTZ camera
while a vehicle is inside its current window, so turning away from the road ends the motion. Sampled every
`SAMPLE_S`, a change is published at most that late.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping

from console.simulator.onvif.device import OnvifDevice
from console.simulator.onvif.event_topics import EventKind
from console.simulator.scene import motion_script

SAMPLE_S = 0.1

MotionNow = Callable[[float], bool]  # epoch seconds → whether the picture shows motion then


def loop_motion(loop_s: float) -> MotionNow:
    """Motion of a fixed camera whose loop of `loop_s` seconds plays frame n at wall-clock n / fps."""
    episodes = motion_script(loop_s)

    def moving(epoch_s: float) -> bool:
        t = epoch_s % loop_s
        return any(episode.start_s <= t < episode.end_s for episode in episodes)

    return moving


async def follow_scene_motion(devices: Mapping[str, OnvifDevice], sources: Mapping[str, MotionNow]) -> None:
    """Publish every camera's motion changes until cancelled."""
    while True:
        now = time.time()
        for camera_id, moving in sources.items():
            device = devices.get(camera_id)
            if device is None:
                continue
            state = moving(now)
            if state != device.events.properties[EventKind.MOTION]:
                device.events.publish(EventKind.MOTION, state)
        await asyncio.sleep(SAMPLE_S)
