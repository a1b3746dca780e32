"""Versions of the media libraries this build runs on (About box, --self-test, bug reports)."""

from __future__ import annotations

import av

from console.media import vlc as libvlc


def libvlc_version() -> str | None:
    """libVLC's version, or None when it cannot be loaded (it is only needed for playback)."""
    try:
        return str(libvlc.load().libvlc_get_version().decode())
    except (libvlc.VlcUnavailableError, AttributeError):
        return None


def media_versions() -> dict[str, str | None]:
    return {"pyav": av.__version__, "libavcodec": ".".join(map(str, av.library_versions["libavcodec"])),
            "libvlc": libvlc_version()}
