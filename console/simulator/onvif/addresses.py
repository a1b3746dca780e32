"""Where a simulated camera's ONVIF services live: the port rule and the service paths, for both sides."""

from __future__ import annotations

from urllib.parse import urlsplit

from console.core.config import Camera

ONVIF_PORT_OFFSET = 1000  # RTSP 18554 → ONVIF 19554: each camera's HTTP port sits beside its RTSP port
DEFAULT_RTSP_PORT = 554
DEFAULT_DISCOVERY_PORT = 3702  # WS-Discovery's port; the simulator answers unicast on it, never multicast
DEVICE_PATH = "/onvif/device_service"
MEDIA_PATH = "/onvif/media_service"
PTZ_PATH = "/onvif/ptz_service"
EVENTS_PATH = "/onvif/events_service"
SUBSCRIPTION_PREFIX = "/onvif/subscription/"  # + the pull point's number: each subscription its own address
MAX_PORT = 65535


def onvif_port(rtsp_port: int) -> int:
    """The ONVIF HTTP port of a simulated camera whose RTSP server listens on `rtsp_port`."""
    port = rtsp_port + ONVIF_PORT_OFFSET
    if rtsp_port <= 0 or port > MAX_PORT:
        raise ValueError(f"RTSP port {rtsp_port} leaves no ONVIF port (+{ONVIF_PORT_OFFSET} > {MAX_PORT})")
    return port


def rtsp_port(camera: Camera) -> int:
    return urlsplit(camera.main_url).port or DEFAULT_RTSP_PORT


def camera_onvif_port(camera: Camera) -> int:
    """The ONVIF HTTP port the simulator gives `camera` (from the RTSP port of its main stream)."""
    return onvif_port(rtsp_port(camera))


def service_url(host: str, port: int, path: str) -> str:
    return f"http://{host}:{port}{path}"
