"""The one door to onvif-zeep-async: imported on first use, with its import-time and construction-time side
effects undone, and every SOAP answer checked before zeep reads it.

The library, as of 4.3:
- takes ~0.7 s to import (zeep, lxml, aiohttp, httpx): never at console start, only when ONVIF is used;
- calls `logging.basicConfig(level=INFO)` on import, which would give the root logger a stderr handler and
  INFO level where none was set (a CLI, a test): a placeholder handler on the root makes that call a no-op,
  and the root's handlers and level are put back exactly as they were in any case;
- pops `http_proxy`/`https_proxy` from `os.environ` in `ONVIFCamera.__init__` (for the whole process): the
  variables are saved and restored around the constructor;
- parses replies with lxml in recovery mode (zeep's `strict=False`), so a truncated or garbled answer can
  come out as a half-filled result instead of an error: each service's transport checks that an answer is a
  well-formed SOAP envelope first (`console.onvif.soap.check_reply`);
- always signs with a UsernameToken, and fails on a user of None: without credentials, no token is sent;
- would keep a SQLite cache of remote schemas in the user's cache folder: `no_cache=True`, its WSDLs ship
  inside the package and it refuses remote loads anyway.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from console.onvif.soap import check_reply

PROXY_VARIABLES = ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "no_proxy", "NO_PROXY",
                   "all_proxy", "ALL_PROXY")


@dataclass(frozen=True)
class OnvifLibrary:
    """What the adapter uses of the library, once it is imported."""

    camera_class: Any  # ONVIFCamera with checked transports
    wsdl_dir: str


_lock = threading.Lock()
_loaded: OnvifLibrary | None = None


@contextmanager
def root_logging_kept() -> Iterator[None]:
    """Whatever runs inside cannot change the root logger's handlers or level (logging.basicConfig)."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    placeholder = logging.NullHandler()
    if not handlers:
        root.addHandler(placeholder)  # basicConfig does nothing when the root already has a handler
    try:
        yield
    finally:
        for handler in list(root.handlers):
            if handler not in handlers:
                root.removeHandler(handler)
        for handler in handlers:
            if handler not in root.handlers:
                root.addHandler(handler)
        root.setLevel(level)


@contextmanager
def proxy_environment_kept() -> Iterator[None]:
    """Proxy variables come out of the block exactly as they went in (present, absent, same values)."""
    saved = {name: os.environ.get(name) for name in PROXY_VARIABLES}
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            elif os.environ.get(name) != value:
                os.environ[name] = value


def _checked_post_xml(transport: Any) -> None:
    """Make `transport.post_xml` refuse an answer that is not a well-formed SOAP envelope."""
    if getattr(transport, "_console_checked", False):
        return
    post_xml = transport.post_xml

    async def checked(address: str, envelope: Any, headers: dict[str, str]) -> Any:
        response = await post_xml(address, envelope, headers)
        check_reply(response.content or b"")
        return response

    transport.post_xml = checked
    transport._console_checked = True


def _camera_class(base: Any) -> Any:
    class CheckedCamera(base):  # type: ignore[misc]
        """ONVIFCamera whose every service checks answers before zeep reads them."""

        async def create_onvif_service(self, name: str, port_type: str | None = None,
                                       read_timeout: int | None = None, write_timeout: int | None = None) -> Any:
            service = await super().create_onvif_service(name, port_type, read_timeout, write_timeout)
            _checked_post_xml(service.transport)
            if self.user is None:  # no login: no UsernameToken (the library would build one for user None)
                service.zeep_client.wsse = None
            return service

    return CheckedCamera


def load() -> OnvifLibrary:
    """The library, imported once per process (blocking ~0.7 s the first time: call it off the GUI thread,
    or through `load_async`)."""
    global _loaded  # noqa: PLW0603
    with _lock:
        if _loaded is None:
            with root_logging_kept():
                import onvif
                import onvif.client

            _loaded = OnvifLibrary(camera_class=_camera_class(onvif.ONVIFCamera),
                                   wsdl_dir=str(onvif.client._WSDL_PATH))
        return _loaded


async def load_async() -> OnvifLibrary:
    """`load` on a worker thread, so the event loop keeps turning while the library imports."""
    import asyncio

    if _loaded is not None:
        return _loaded
    return await asyncio.to_thread(load)


def new_camera(library: OnvifLibrary, host: str, port: int, user: str | None, password: str | None,
               *, adjust_time: bool) -> Any:
    """An ONVIFCamera (digest auth, no schema cache); call inside a running event loop (it opens an
    aiohttp session) and close it with `await camera.close()`."""
    with proxy_environment_kept():
        return library.camera_class(host, port, user, password, wsdl_dir=library.wsdl_dir, encrypt=True,
                                    no_cache=True, adjust_time=adjust_time)
