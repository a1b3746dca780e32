"""Who is connected to what: one ingest (and one display decoder) per camera stream, shared by everyone.

Tiles `watch` a camera's main or sub stream with a `FrameView`; the pool opens the connection on first
use and closes it `linger_s` after the last view leaves (so paging back and forth does not reconnect).
`keep` holds a stream open with no viewer, which is how every camera's health stays known even when it
is on no tile (and where the recorder and analytics will attach).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass

from console.core.config import Camera, IngestPath, SiteConfig, StreamKind
from console.core.credentials import CredentialStore, CredentialStoreError, with_credentials
from console.core.health import Phase, StreamStatus
from console.media.display import DisplayDecoder, FrameView
from console.media.ingest import IngestSettings, PacketSink, StreamIngest
from console.media.rtp.ingest import RtpIngest

log = logging.getLogger(__name__)

DEFAULT_LINGER_S = 10.0
CREDENTIALS_POLL_S = 5.0  # how often the credentials store's file is looked at (one stat)

Key = tuple[str, StreamKind]


@dataclass
class _Entry:
    ingest: StreamIngest
    decoder: DisplayDecoder
    kept: bool = False
    idle_since: float | None = None


class StreamPool:
    def __init__(self, config: SiteConfig, credentials: CredentialStore | None = None,
                 settings: IngestSettings | None = None, linger_s: float = DEFAULT_LINGER_S) -> None:
        self._config = config
        self._credentials = credentials
        self._settings = settings or IngestSettings()
        self._linger_s = linger_s
        self._entries: dict[Key, _Entry] = {}
        self._retired: list[StreamIngest] = []
        self._credentials_seen = self._credentials_stamp()
        self._credentials_checked = time.monotonic()

    @staticmethod
    def key(camera: Camera, kind: StreamKind) -> Key:
        """Cameras without a sub stream serve main for both kinds: one key, one connection."""
        return camera.id, kind if camera.has_sub() else StreamKind.MAIN

    def _url(self, camera: Camera, kind: StreamKind) -> str:
        creds = None
        if camera.credentials and self._credentials is not None:
            creds = self._credentials.get(camera.credentials)
        return with_credentials(camera.url(kind), creds)

    def _entry(self, camera_id: str, kind: StreamKind) -> _Entry:
        camera = self._config.camera(camera_id)
        key = self.key(camera, kind)
        entry = self._entries.get(key)
        if entry is None or entry.ingest.stopping:
            label = f"{camera.id}/{key[1].value}"
            path = RtpIngest if camera.ingest is IngestPath.RTP else StreamIngest
            ingest = path(label, self._url(camera, key[1]), camera.transport, self._settings)
            decoder = DisplayDecoder(label)
            ingest.attach(decoder)
            ingest.start()
            entry = self._entries[key] = _Entry(ingest, decoder)
        entry.idle_since = None
        return entry

    def watch(self, camera_id: str, kind: StreamKind, view: FrameView) -> None:
        self._entry(camera_id, kind).decoder.add_view(view)

    def unwatch(self, camera_id: str, kind: StreamKind, view: FrameView) -> None:
        entry = self._entries.get(self.key(self._config.camera(camera_id), kind))
        if entry is None or not entry.decoder.remove_view(view):
            return
        if not entry.decoder.views and not entry.kept:
            entry.idle_since = time.monotonic()

    def keep(self, camera_ids: Iterable[str], kind: StreamKind) -> None:
        """Hold these streams open for good (health for every camera, later recording and analytics)."""
        for camera_id in camera_ids:
            self._entry(camera_id, kind).kept = True

    def attach(self, camera_id: str, kind: StreamKind, sink: PacketSink) -> None:
        """Another consumer (analytics, recorder) on the stream's one connection, which is kept open."""
        entry = self._entry(camera_id, kind)
        entry.kept = True
        entry.ingest.attach(sink)

    def status(self, camera_id: str, kind: StreamKind) -> StreamStatus | None:
        entry = self._entries.get(self.key(self._config.camera(camera_id), kind))
        return None if entry is None else entry.ingest.status()

    def camera_status(self, camera_id: str) -> StreamStatus | None:
        """The camera's health: its sub stream's if open, else its main stream's."""
        return self.status(camera_id, StreamKind.SUB) or self.status(camera_id, StreamKind.MAIN)

    def is_lost(self, camera_id: str) -> bool:
        """Some stream of the camera is waiting to reconnect or was given up on."""
        return any(entry.ingest.status().phase in (Phase.WAITING, Phase.HALTED)
                   for (camera, _kind), entry in self._entries.items() if camera == camera_id)

    def retry(self, camera_id: str) -> None:
        """Connect every stream of the camera again now, with a fresh backoff (the officer's *Thử lại*)."""
        for (camera, _kind), entry in self._entries.items():
            if camera == camera_id:
                log.info("%s: retry asked", entry.ingest.label)
                entry.ingest.retry_now()

    def set_credentials(self, credentials: CredentialStore) -> list[str]:
        """New credentials (the store was imported again): streams whose address changed use it from their next
        connection, and a stream lost or given up on tries again at once. Returns the cameras changed."""
        self._credentials = credentials
        changed: list[str] = []
        for (camera_id, kind), entry in self._entries.items():
            url = self._url(self._config.camera(camera_id), kind)
            if entry.ingest.url != url:
                entry.ingest.set_url(url)
                changed.append(camera_id)
        return sorted(set(changed))

    def _credentials_stamp(self) -> tuple[int, int] | None:
        path = self._credentials.path if self._credentials is not None else None
        try:
            stat = path.stat() if path is not None else None
        except OSError:
            return None
        return None if stat is None else (stat.st_mtime_ns, stat.st_size)

    def _watch_credentials(self, now: float) -> None:
        """Credentials imported again (`--import-credentials` while the console runs): read the store anew, so
        a camera given up on after wrong credentials is tried at once with the new ones."""
        if self._credentials is None or self._credentials.path is None or \
                now - self._credentials_checked < CREDENTIALS_POLL_S:
            return
        self._credentials_checked = now
        stamp = self._credentials_stamp()
        if stamp is None or stamp == self._credentials_seen:
            return
        self._credentials_seen = stamp
        try:
            fresh = CredentialStore.load(self._credentials.path)
        except CredentialStoreError as exc:
            log.warning("credentials store changed but cannot be read: %s", exc.message("en"))
            return
        changed = self.set_credentials(fresh)
        log.info("credentials store changed; cameras with new credentials: %s", ", ".join(changed) or "none")

    def open_streams(self) -> list[Key]:
        return sorted(self._entries, key=lambda k: (k[0], k[1].value))

    def tick(self, now: float | None = None) -> None:
        """Close the streams nobody has watched for `linger_s` (called by the UI's health timer)."""
        now = time.monotonic() if now is None else now
        self._watch_credentials(now)
        for key, entry in list(self._entries.items()):
            if entry.idle_since is not None and now - entry.idle_since >= self._linger_s:
                log.info("%s: no viewer for %.0f s, closing", entry.ingest.label, self._linger_s)
                entry.ingest.stop()
                self._retired.append(entry.ingest)
                del self._entries[key]
        self._retired = [i for i in self._retired if not i.join(0)]

    def close(self, timeout_s: float = 6.0) -> None:
        """Stop every stream; waits at most `timeout_s` in all (threads are daemons: exit never hangs)."""
        ingests = [e.ingest for e in self._entries.values()] + self._retired
        self._entries.clear()
        self._retired = []
        for ingest in ingests:
            ingest.stop()
        deadline = time.monotonic() + timeout_s
        for ingest in ingests:
            if not ingest.join(max(0.0, deadline - time.monotonic())):
                log.warning("%s: still closing at exit", ingest.label)
