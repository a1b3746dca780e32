"""GStreamer's own RTSP server (an independent implementation) for tests; run with Debian's python3.

    /usr/bin/python3 tests/support/gst_rtsp_server.py --port P --mounts N

Serves /camN (N = 1..mounts) from one shared videotestsrc → x264enc pipeline per mount, 640×360@15,
H.264 without B-frames, GOP 1 s. Prints "GST READY" once listening; exits on SIGTERM.
"""

from __future__ import annotations

import argparse
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

PIPELINE = ("( videotestsrc is-live=true pattern=ball ! video/x-raw,width=640,height=360,framerate=15/1 ! "
            "x264enc tune=zerolatency speed-preset=ultrafast key-int-max=15 bframes=0 ! "
            "video/x-h264,profile=baseline ! rtph264pay name=pay0 pt=96 config-interval=1 )")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--mounts", type=int, default=1)
    args = parser.parse_args()
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))
    # The default pool is too small for many simultaneous DESCRIBEs (ARCHITECTURE.md, measured).
    server.get_thread_pool().set_max_threads(64)
    mounts = server.get_mount_points()
    for index in range(1, args.mounts + 1):
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch(PIPELINE)
        factory.set_shared(True)
        mounts.add_factory(f"/cam{index}", factory)
    if server.attach(None) == 0:
        print(f"cannot listen on 127.0.0.1:{args.port}", file=sys.stderr)
        return 1
    loop = GLib.MainLoop()
    signal.signal(signal.SIGTERM, lambda *_: loop.quit())
    GLib.timeout_add(200, lambda: True)  # lets Python see the signal while GLib waits
    print("GST READY", flush=True)
    loop.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
