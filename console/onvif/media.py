"""Media1 profiles of a device and their stream addresses (GetProfiles, GetStreamUri), read into our values.

Media1 only (issue 18): Media2 adds H.265 names and more, but the codec a tile plays is read from the stream
itself, and every Profile S camera answers Media1. The encoding given here is what the camera claims.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from console.onvif.errors import OnvifErrorKind
from console.onvif.soap import BadReplyError
from console.onvif.uri import strip_credentials

RTSP_STREAM_SETUP = {"Stream": "RTP-Unicast", "Transport": {"Protocol": "RTSP"}}

Call = Callable[[str, Awaitable[Any]], Awaitable[Any]]


@dataclass(frozen=True)
class MediaProfile:
    token: str
    name: str
    encoding: str | None  # "H264", "JPEG", "MPEG4" (Media1 has no H265 name; such cameras say H264 or omit)
    width: int | None
    height: int | None
    fps: float | None  # the encoder's frame rate limit
    stream_uri: str | None  # RTSP address without credentials (userinfo dropped, login parameters as placeholders)
    ptz: bool  # the profile carries a PTZ configuration


def _field(node: Any, *path: str) -> Any:
    for name in path:
        if node is None:
            return None
        node = getattr(node, name, None)
    return node


def _int(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _float(value: Any) -> float | None:
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _text(value: Any) -> str | None:
    return str(value).strip() if value is not None and str(value).strip() else None


def read_profile(profile: Any, stream_uri: str | None) -> MediaProfile:
    token = _text(_field(profile, "token"))
    if token is None:
        raise BadReplyError(OnvifErrorKind.MALFORMED, "a media profile without a token")
    encoder = _field(profile, "VideoEncoderConfiguration")
    return MediaProfile(
        token=token,
        name=_text(_field(profile, "Name")) or token,
        encoding=_text(_field(encoder, "Encoding")),
        width=_int(_field(encoder, "Resolution", "Width")),
        height=_int(_field(encoder, "Resolution", "Height")),
        fps=_float(_field(encoder, "RateControl", "FrameRateLimit")),
        stream_uri=strip_credentials(stream_uri) if stream_uri else None,
        ptz=_field(profile, "PTZConfiguration") is not None,
    )


async def read_profiles(media_service: Any, call: Call) -> tuple[MediaProfile, ...]:
    """Every profile with its RTSP address; `call` runs each request with the caller's timeout and mapping."""
    profiles = await call("GetProfiles", media_service.GetProfiles())
    read: list[MediaProfile] = []
    for profile in profiles or []:
        token = _text(_field(profile, "token"))
        uri = None
        if token is not None:
            answer = await call("GetStreamUri", media_service.GetStreamUri(
                {"StreamSetup": RTSP_STREAM_SETUP, "ProfileToken": token}))
            uri = _text(_field(answer, "Uri"))
        read.append(read_profile(profile, uri))
    return tuple(read)
