"""GStreamer's own RTSP server (an independent implementation) for tests; run with Debian's python3.

    /usr/bin/python3 tests/support/gst_rtsp_server.py --port P --mounts N [--codec h265] [--bframes] [--frames N]
                                                      [--digest USER] (password on stdin)

Serves /camN (N = 1..mounts) from one shared videotestsrc → encoder pipeline per mount, 640×360@15, GOP 1 s:
H.264 baseline without B-frames by default, H.265 with `--codec h265`, H.264 main with two B-frames with
`--bframes` (what some cameras send and the RTP path hands to FFmpeg); `--frames N` ends each stream after N
pictures (GStreamer then sends RTCP BYE). `--digest USER` requires Digest auth
with the password read from the first line of stdin (never argv). Prints "GST READY" once listening; exits on
SIGTERM.
"""

from __future__ import annotations

import argparse
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
gi.require_version("GstRtsp", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402

SOURCE = "videotestsrc is-live=true pattern=ball{frames} ! video/x-raw,width=640,height=360,framerate=15/1"
ENCODERS = {
    "h264": ("x264enc tune=zerolatency speed-preset=ultrafast key-int-max=15 bframes=0 ! "
             "video/x-h264,profile=baseline ! rtph264pay name=pay0 pt=96 config-interval=1"),
    "h265": ("x265enc tune=zerolatency speed-preset=ultrafast key-int-max=15 ! "
             "rtph265pay name=pay0 pt=96 config-interval=1"),
    "bframes": ("x264enc speed-preset=ultrafast key-int-max=15 bframes=2 b-adapt=false ! "
                "video/x-h264,profile=main ! rtph264pay name=pay0 pt=96 config-interval=1"),
}


def pipeline(codec: str, bframes: bool, frames: int = 0) -> str:
    source = SOURCE.format(frames=f" num-buffers={frames}" if frames else "")
    return f"( {source} ! {ENCODERS['bframes' if bframes else codec]} )"


def require_digest(server: GstRtspServer.RTSPServer, user: str, password: str) -> GstRtspServer.RTSPPermissions:
    """Digest auth on the server; the permissions every mount must carry for that user to play it."""
    auth = GstRtspServer.RTSPAuth()
    auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
    token = GstRtspServer.RTSPToken()
    token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "user")
    auth.add_digest(user, password, token)
    server.set_auth(auth)
    permissions = GstRtspServer.RTSPPermissions()
    for permission in ("media.factory.access", "media.factory.construct"):
        permissions.add_permission_for_role("user", permission, True)
    return permissions


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--mounts", type=int, default=1)
    parser.add_argument("--codec", choices=("h264", "h265"), default="h264")
    parser.add_argument("--bframes", action="store_true", help="H.264 main profile with B-frames")
    parser.add_argument("--digest", metavar="USER", help="require Digest auth; the password is stdin's first line")
    parser.add_argument("--frames", type=int, default=0,
                        help="end each stream after this many pictures (its RTCP says BYE); 0: never")
    args = parser.parse_args()
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))
    # The default pool is too small for many simultaneous DESCRIBEs (ARCHITECTURE.md, measured).
    server.get_thread_pool().set_max_threads(64)
    permissions = require_digest(server, args.digest, sys.stdin.readline().rstrip("\n")) if args.digest else None
    mounts = server.get_mount_points()
    for index in range(1, args.mounts + 1):
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch(pipeline(args.codec, args.bframes, args.frames))
        if permissions is not None:
            factory.set_permissions(permissions)
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
