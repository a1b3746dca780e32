"""Proves the pinned PySide6 survives cross-thread signal storms (6.12.0 died after ~600 emits on 3.11)."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot

EMITTERS = 8
EMITS_EACH = 1250  # 10,000 in all


class Relay(QObject):
    frame_ready = Signal(str, int, bool)


def test_10000_cross_thread_emits_all_arrive(qtbot: QtBot) -> None:
    relay = Relay()
    received: list[int] = []
    relay.frame_ready.connect(lambda _name, n, _ok: received.append(n))

    def emit_many(offset: int) -> None:
        for n in range(EMITS_EACH):
            relay.frame_ready.emit("C01", offset + n, True)

    threads = [threading.Thread(target=emit_many, args=(i * EMITS_EACH,)) for i in range(EMITTERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    qtbot.waitUntil(lambda: len(received) == EMITTERS * EMITS_EACH, timeout=30_000)
    assert sorted(received) == list(range(EMITTERS * EMITS_EACH))
