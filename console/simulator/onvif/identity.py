"""Who a simulated camera says it is: maker, model, firmware, serial, MAC, endpoint UUID, deterministic per id."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

MANUFACTURER = "HIKVISION"
# Fixed bullets and a dome of the kinds the communes buy; PTZ models come with the PTZ service.
MODELS = ("DS-2CD1023G0E-I", "DS-2CD2043G2-I", "DS-2CD1143G2-LIU", "DS-2CD2T47G2-L")
FIRMWARES = ("V5.7.3 build 220112", "V5.7.12 build 230710", "V5.5.800 build 210628")
HARDWARE_ID = "88"
MAC_PREFIX = "44:19:b6"  # an OUI registered to Hangzhou Hikvision
UUID_NAMESPACE = uuid.UUID("6f1c2a52-6b1e-4b7a-9d0e-5b3f0c8d2a11")  # ours: endpoint UUIDs of simulated cameras


@dataclass(frozen=True)
class DeviceIdentity:
    manufacturer: str
    model: str
    firmware: str
    serial: str
    hardware_id: str
    mac: str
    endpoint_uuid: uuid.UUID
    hostname: str

    @property
    def endpoint_urn(self) -> str:
        return self.endpoint_uuid.urn


def _digest(camera_id: str) -> bytes:
    return hashlib.sha256(f"camera-console-simulator/{camera_id}".encode()).digest()


def identity_for(camera_id: str) -> DeviceIdentity:
    """The same identity for the same camera id on every run and every machine."""
    digest = _digest(camera_id)
    model = MODELS[digest[0] % len(MODELS)]
    year, month, day = 2021 + digest[1] % 4, 1 + digest[2] % 12, 1 + digest[3] % 28
    number = int.from_bytes(digest[4:8], "big") % 1_000_000_000
    serial = f"{model}{year}{month:02d}{day:02d}AAWR{number:09d}"
    mac = ":".join([MAC_PREFIX, *(f"{b:02x}" for b in digest[8:11])])
    return DeviceIdentity(MANUFACTURER, model, FIRMWARES[digest[11] % len(FIRMWARES)], serial, HARDWARE_ID, mac,
                          uuid.uuid5(UUID_NAMESPACE, camera_id), f"IPC-{camera_id}")


def default_clock_offset_s(camera_id: str) -> float:
    """A camera's own small clock error at start, within ±2 s: cameras on NTP are that close, not exact."""
    digest = _digest(camera_id)
    return round((int.from_bytes(digest[12:14], "big") / 0xFFFF) * 4.0 - 2.0, 3)
