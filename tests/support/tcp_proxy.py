"""A TCP proxy on 127.0.0.1 that can stall or trickle what a camera sends: the faults a flaky radio link or an
overloaded camera shows a client, played between a real RTSP server and the console.

One thread, `selectors`, bounded: it serves until `close()` (tests use it as a context manager). Modes:
- `pass`: bytes flow both ways as fast as they come;
- `stall`: the camera's bytes are held (the connection stays open, nothing reaches the client);
- `trickle`: the camera's bytes reach the client at `rate` bytes per second (in small pieces), the rest waits.
The client's bytes (RTSP requests, keep-alives) always reach the camera.
"""

from __future__ import annotations

import selectors
import socket
import threading
import time
from dataclasses import dataclass, field
from types import TracebackType

TICK_S = 0.02
PIECE = 64


@dataclass
class _Pair:
    client: socket.socket
    server: socket.socket
    to_client: bytearray = field(default_factory=bytearray)
    to_server: bytearray = field(default_factory=bytearray)
    allowance: float = 0.0


class TcpProxy:
    def __init__(self, upstream_port: int, upstream_host: str = "127.0.0.1") -> None:
        self._upstream = (upstream_host, upstream_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.setblocking(False)
        self.port: int = self._listener.getsockname()[1]
        self._mode = "pass"
        self._rate = 0.0
        self._pairs: list[_Pair] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.connections = 0
        self._thread = threading.Thread(target=self._run, name="tcp-proxy", daemon=True)
        self._thread.start()

    def url(self, url: str) -> str:
        """`url` (an rtsp:// address of the upstream) pointed at the proxy instead."""
        host, port = self._upstream
        return url.replace(f"{host}:{port}", f"127.0.0.1:{self.port}", 1)

    def passthrough(self) -> None:
        with self._lock:
            self._mode = "pass"

    def stall(self) -> None:
        with self._lock:
            self._mode = "stall"

    def trickle(self, bytes_per_s: float) -> None:
        with self._lock:
            self._mode, self._rate = "trickle", bytes_per_s

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        for pair in self._pairs:
            pair.client.close()
            pair.server.close()
        self._listener.close()

    def __enter__(self) -> TcpProxy:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- the thread --------------------------------------------------------------------------------
    def _run(self) -> None:
        last = time.monotonic()
        while not self._stop.is_set():
            self._accept()
            now = time.monotonic()
            with self._lock:
                mode, rate = self._mode, self._rate
            for pair in list(self._pairs):
                if mode == "trickle":
                    pair.allowance = min(pair.allowance + rate * (now - last), max(rate, PIECE))
                if not self._pump(pair, mode):
                    self._drop(pair)
            last = now
            self._wait()

    def _accept(self) -> None:
        try:
            client, _ = self._listener.accept()
        except BlockingIOError:
            return
        try:
            server = socket.create_connection(self._upstream, timeout=2)
        except OSError:
            client.close()
            return
        for sock in (client, server):
            sock.setblocking(False)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._pairs.append(_Pair(client, server))
        self.connections += 1

    def _wait(self) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(self._listener, selectors.EVENT_READ)
            for pair in self._pairs:
                selector.register(pair.client, selectors.EVENT_READ)
                if len(pair.to_client) < 1 << 20:  # back-pressure on the camera while bytes wait
                    selector.register(pair.server, selectors.EVENT_READ)
            selector.select(TICK_S)

    def _pump(self, pair: _Pair, mode: str) -> bool:
        """Move what can move; False when either side closed."""
        try:
            if not _read_into(pair.client, pair.to_server):
                return False
            if len(pair.to_client) < 1 << 20 and not _read_into(pair.server, pair.to_client):
                return False
            _write_from(pair.server, pair.to_server, len(pair.to_server))
            if mode == "pass":
                _write_from(pair.client, pair.to_client, len(pair.to_client))
            elif mode == "trickle":
                sent = _write_from(pair.client, pair.to_client, min(int(pair.allowance), PIECE))
                pair.allowance -= sent
        except OSError:
            return False
        return True

    def _drop(self, pair: _Pair) -> None:
        self._pairs.remove(pair)
        pair.client.close()
        pair.server.close()


def _read_into(sock: socket.socket, buffer: bytearray) -> bool:
    try:
        data = sock.recv(65536)
    except BlockingIOError:
        return True
    if not data:
        return False
    buffer += data
    return True


def _write_from(sock: socket.socket, buffer: bytearray, limit: int) -> int:
    if not buffer or limit <= 0:
        return 0
    try:
        sent = sock.send(bytes(buffer[:limit]))
    except BlockingIOError:
        return 0
    del buffer[:sent]
    return sent
