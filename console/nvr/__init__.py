"""The console's recorder (NVR) adapters: Hikvision ISAPI, Dahua CGI and ONVIF Profile G behind one interface
(channels, search, calendar, playback URIs, downloads, clock, events), on asyncio and aiohttp, with no Qt.

    recorder = open_recorder(Vendor.HIKVISION, RecorderAddress("192.168.1.250", 80, 554), credentials)
    await recorder.read_clock()                     # time mode and zone, before any search
    found = await recorder.search_day(3, date.today())
"""

from __future__ import annotations

from console.core.credentials import Credentials
from console.nvr.dahua import DahuaRecorder
from console.nvr.hikvision import HikvisionRecorder
from console.nvr.http import CALL_TIMEOUT_S
from console.nvr.models import RecorderAddress, Vendor
from console.nvr.onvif_recorder import OnvifRecorder
from console.nvr.recorder import RecorderClient
from console.nvr.timebase import DeviceTimebase

__all__ = ["DahuaRecorder", "HikvisionRecorder", "OnvifRecorder", "RecorderClient", "open_recorder"]


def open_recorder(vendor: Vendor | str, address: RecorderAddress, credentials: Credentials | None, *,
                  timebase: DeviceTimebase | None = None, timeout_s: float = CALL_TIMEOUT_S) -> RecorderClient:
    """The adapter for a recorder of `vendor` (nothing is sent until the first call)."""
    kind = Vendor(vendor)
    adapters: dict[Vendor, type[HikvisionRecorder] | type[DahuaRecorder] | type[OnvifRecorder]] = {
        Vendor.HIKVISION: HikvisionRecorder, Vendor.DAHUA: DahuaRecorder, Vendor.ONVIF: OnvifRecorder}
    return adapters[kind](address, credentials, timebase=timebase, timeout_s=timeout_s)
