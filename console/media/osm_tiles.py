"""Optional online base map (off unless the site file says `online_osm = true`): OpenStreetMap tiles
fetched in the background with an honest User-Agent, at most two connections (the tile usage policy), and
kept in a disk cache so a station that loses its internet keeps the map it has seen."""

from __future__ import annotations

import logging
import queue
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from console import __version__

log = logging.getLogger(__name__)

OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
USER_AGENT = f"camera-console/{__version__} (commune police video console; Bac Ninh provincial police)"
FETCH_THREADS = 2
TIMEOUT_S = 10.0
CACHE_DAYS = 30

Key = tuple[int, int, int]


class OsmTiles:
    def __init__(self, cache: Path, url: str = OSM_URL, ready: Callable[[Key], None] | None = None) -> None:
        self.cache = cache
        self.url = url
        self.ready = ready
        self._queue: queue.SimpleQueue[Key | None] = queue.SimpleQueue()
        self._pending: set[Key] = set()
        self._lock = threading.Lock()
        self.fetched = 0
        self.failed = 0
        self._threads = [threading.Thread(target=self._run, name=f"osm-{i}", daemon=True)
                         for i in range(FETCH_THREADS)]
        for thread in self._threads:
            thread.start()

    def path(self, key: Key) -> Path:
        z, x, y = key
        return self.cache / str(z) / str(x) / f"{y}.png"

    def cached(self, key: Key) -> bytes | None:
        """The tile from the disk cache (any age: stale beats nothing offline); refreshed in the background
        when older than CACHE_DAYS."""
        path = self.path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if time.time() - path.stat().st_mtime > CACHE_DAYS * 86400:
            self.request(key)
        return data

    def request(self, key: Key) -> None:
        with self._lock:
            if key in self._pending:
                return
            self._pending.add(key)
        self._queue.put(key)

    def close(self) -> None:
        for _ in self._threads:
            self._queue.put(None)

    def _run(self) -> None:
        while (key := self._queue.get()) is not None:
            z, x, y = key
            request = urllib.request.Request(self.url.format(z=z, x=x, y=y), headers={"User-Agent": USER_AGENT})
            try:
                with urllib.request.urlopen(request, timeout=TIMEOUT_S) as answer:
                    data = answer.read()
                target = self.path(key)
                target.parent.mkdir(parents=True, exist_ok=True)
                temporary = target.with_suffix(".part")
                temporary.write_bytes(data)
                temporary.replace(target)
                self.fetched += 1
            except (OSError, urllib.error.URLError) as exc:
                self.failed += 1
                log.debug("tile %s not fetched: %s", key, exc)
                continue
            finally:
                with self._lock:
                    self._pending.discard(key)
            if self.ready is not None:
                self.ready(key)
