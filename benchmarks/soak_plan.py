"""When each fault of the soak happens: camera restarts spread so every camera gets at least its share, and in
every minute a layout change, a playback window, a stall and garbage answers; a whole site cut every ten minutes.

The last `SETTLE_S` seconds are quiet: every camera is up, the wall is back on 25 tiles and the end figures are
taken from a console that should look exactly as it did at the start.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import StrEnum

SETTLE_S = 30.0
FIRST_RESTART_S = 3.0
RESTARTS_PER_CAMERA = 4  # at least, whatever the length of the run (the issue: ≥ 4 each, ≥ 100 in all)
RESTART_EVERY_MAX_S = 6.0  # a long run restarts more often than its minimum share
RESTART_DOWN_S = (1.0, 4.0)  # a reboot's outage, drawn uniformly
SITE_CUT_FIRST_S = 60.0
SITE_CUT_EVERY_S = 600.0
SITE_CUT_S = 30.0
HOLD_S = 8.0  # how long a layout change or a playback window lasts
FAULT_S = 6.0  # how long a stall or garbage answers last: past the console's 4 s "lost"
SLOPE_FROM_MIN_LONG = 5.0  # memory settles (caches, first segments, first alerts) in the first minutes
SLOPE_FROM_MIN_SHORT = 1.0  # a run shorter than LONG_RUN_MIN has no 5 minutes to spare
LONG_RUN_MIN = 10.0
EVERY_MINUTE_S = {"layout": 5.0, "playback": 20.0, "stall": 32.0, "garbage": 44.0}  # offset in each minute


class Action(StrEnum):
    RESTART = "restart"
    STALL = "stall"
    GARBAGE = "garbage"
    SITE_CUT = "site_cut"
    LAYOUT = "layout"
    PLAYBACK = "playback"


@dataclass(frozen=True)
class Step:
    at_s: float  # from the start of the soak
    action: Action
    hold_s: float  # outage of a restart or site cut; duration of a stall, garbage, layout or playback


def slope_from_min(minutes: float) -> float:
    """Where the memory slope starts: after the first 5 minutes, the first minute in a short run."""
    return SLOPE_FROM_MIN_LONG if minutes >= LONG_RUN_MIN else SLOPE_FROM_MIN_SHORT


def restart_interval_s(fault_s: float, cameras: int) -> float:
    """Restarts this far apart give every camera `RESTARTS_PER_CAMERA` within the faulty part of the run."""
    usable = fault_s - FIRST_RESTART_S - RESTART_DOWN_S[1]
    return min(RESTART_EVERY_MAX_S, usable / (RESTARTS_PER_CAMERA * cameras))


def plan(minutes: float, cameras: int, rng: random.Random) -> list[Step]:
    """Every step of a run of `minutes`, in time order; each one is over before the quiet end begins."""
    fault_end = minutes * 60 - SETTLE_S
    steps: list[Step] = []
    interval = restart_interval_s(fault_end, cameras)
    at = FIRST_RESTART_S
    while interval > 0:
        down = round(rng.uniform(*RESTART_DOWN_S), 1)
        if at + down > fault_end:
            break
        steps.append(Step(round(at, 2), Action.RESTART, down))
        at += interval
    for minute in range(int(minutes) + 1):
        for name, offset in EVERY_MINUTE_S.items():
            action = Action(name)
            hold = HOLD_S if action in (Action.LAYOUT, Action.PLAYBACK) else FAULT_S
            at = minute * 60 + offset
            if at + hold <= fault_end:
                steps.append(Step(at, action, hold))
    at = SITE_CUT_FIRST_S
    while at + SITE_CUT_S <= fault_end:
        steps.append(Step(at, Action.SITE_CUT, SITE_CUT_S))
        at += SITE_CUT_EVERY_S
    return sorted(steps, key=lambda s: s.at_s)
