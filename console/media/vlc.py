"""The one door to libVLC: python-vlc imported on first use, one shared Instance, media made and released here
(so the live ones can be counted), and libVLC's blocking calls run on one worker thread, never the caller's.

`import vlc` loads libVLC at once, from `PYTHON_VLC_LIB_PATH` / `VLC_PLUGIN_PATH` when they are set: the frozen
bundle's runtime hook (packaging/hooks/rthook_vlc.py) sets them before any of our code runs, and importing only
here, lazily, keeps it that way. A missing libVLC is `VlcUnavailableError` with the reason, never a crash.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# --no-xlib: libVLC under Xvfb otherwise took ~10× the CPU. Audio and video are chosen per media (the bell
# rings through the same instance the players decode pictures with).
INSTANCE_ARGS = (
    "--no-xlib",
    "--quiet",
    "--no-video-title-show",
    "--no-osd",
    "--no-snapshot-preview",
    "--no-sub-autodetect-file",
    "--no-stats",
    "--file-caching=100",
)
WORKER_NAME = "libvlc-worker"


class VlcUnavailableError(Exception):
    """libVLC could not be loaded (not installed, plugins missing)."""


class _Libvlc:
    """What this process shares of libVLC: the module, its Instance, the count of live media."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.module: Any = None
        self.error: str | None = None
        self.instance: Any = None
        self.media_alive = 0
        self.worker: _Worker | None = None


_shared = _Libvlc()


def load() -> Any:
    """python-vlc, imported on first use; `VlcUnavailableError` when libVLC cannot be loaded."""
    with _shared.lock:
        if _shared.module is None and _shared.error is None:
            try:
                import vlc
            except (ImportError, OSError, NotImplementedError) as exc:  # NotImplementedError: no libvlc found
                _shared.error = f"libVLC could not be loaded: {exc}"
            else:
                _shared.module = vlc
        if _shared.module is None:
            raise VlcUnavailableError(_shared.error)
        return _shared.module


def instance() -> Any:
    """The process's libVLC instance (loading its plugins took ~0.1 s: once, not per player)."""
    module = load()
    with _shared.lock:
        if _shared.instance is None:
            _shared.instance = new_instance(module, INSTANCE_ARGS)
        return _shared.instance


def new_instance(module: Any, args: tuple[str, ...]) -> Any:
    """A separate instance, for a check that needs its own outputs (the self-test's null video output)."""
    made = module.Instance(list(args))
    if made is None:
        raise VlcUnavailableError("libVLC started without its plugins (libvlc_new failed).")
    return made


def media_from_path(owner: Any, path: Path, *options: str) -> Any:
    """A media for a file, counted until `release_media`; options as `:no-audio`."""
    return _counted(owner.media_new_path(str(path)), options)


def media_from_callbacks(owner: Any, callbacks: tuple[Any, Any, Any, Any], opaque: Any, *options: str) -> Any:
    """A media read through callbacks (open, read, seek, close), counted until `release_media`."""
    return _counted(owner.media_new_callbacks(*callbacks, opaque), options)


def _counted(media: Any, options: tuple[str, ...]) -> Any:
    if media is None:
        raise VlcUnavailableError("libVLC could not create a media.")
    for option in options:
        media.add_option(option)
    with _shared.lock:
        _shared.media_alive += 1
    return media


def release_media(media: Any) -> None:
    """Release our reference (a player holds its own while it uses the media); None is nothing to release."""
    if media is None:
        return
    media.release()
    with _shared.lock:
        _shared.media_alive -= 1


def on_event(player: Any, event_type: Any, callback: Callable[[], None]) -> None:
    """Call `callback` (no arguments) on a player's event. python-vlc keeps every player's event manager, and
    so its callbacks, in a module-wide cache for the life of the process: keep them small (no reference to
    the owner's picture buffers) and let `forget_events` drop them when the player goes."""
    player.event_manager().event_attach(event_type, lambda _event: callback())


def forget_events(player: Any) -> None:
    """Detach a player's callbacks and drop its entry from python-vlc's cache (call before `release`)."""
    manager = player.event_manager()
    for event_type in list(getattr(manager, "_callbacks", {})):
        manager.event_detach(load().EventType(event_type))
    cache = getattr(type(player).__dict__.get("event_manager"), "_cache", None)
    if isinstance(cache, dict):
        cache.pop(player, None)


def media_alive() -> int:
    """Media made here and not yet released (the soak's `vlc_media_alive_end`)."""
    with _shared.lock:
        return _shared.media_alive


def off_gui(job: Callable[[], None]) -> threading.Event:
    """Run a blocking libVLC call (stop joins libVLC's threads) on the worker, in order with earlier ones;
    the returned event is set when it has run."""
    with _shared.lock:
        if _shared.worker is None:
            _shared.worker = _Worker(WORKER_NAME)
        worker = _shared.worker
    return worker.submit(job)


class _Worker:
    """One daemon thread running queued jobs in order; a failing job is logged and the next one runs."""

    def __init__(self, name: str) -> None:
        self._jobs: queue.SimpleQueue[tuple[Callable[[], None], threading.Event]] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, job: Callable[[], None]) -> threading.Event:
        done = threading.Event()
        self._jobs.put((job, done))
        return done

    def _run(self) -> None:
        while True:
            job, done = self._jobs.get()
            try:
                job()
            except Exception:  # one player's failure must not stop the others' (or the bell's) calls
                log.exception("libVLC call failed")
            finally:
                done.set()
