"""libVLC tuned for the lowest latency, playing one URL in its own window (a peer in benchmarks/latency.py)."""

from __future__ import annotations

import signal
import sys
import time

import vlc

OPTIONS = ["--network-caching=0", "--clock-jitter=0", "--clock-synchro=0", "--no-audio", "--no-xlib",
           "--vout=xcb_x11", "--no-video-title-show", "--no-osd", "--quiet"]


def main() -> int:
    instance = vlc.Instance(OPTIONS)
    player = instance.media_player_new()
    player.set_media(instance.media_new(sys.argv[1]))
    player.play()
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    while not stop:
        time.sleep(0.1)
    player.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
