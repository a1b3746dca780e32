"""Audit checkpoints reach the province: each signed checkpoint's outbox row is written in the checkpoint's own
transaction and published; the province gets the row's hash and signature, which verify with the station key."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from console.app import start_audit
from console.audit.actions import AuditAction, AuditEntry
from console.audit.chain import CHECKPOINT_ACTION, checkpoint_message
from console.core.credentials import Credentials
from console.evidence.keys import station_public_key
from console.store.audit import AuditQuery, query
from tests.support.mosquitto import Mosquitto, ProvinceStand, commune_console, uplink_settings
from tests.support.waiting import wait_until

COMMUNE = "gia-dong"
PASSWORD = "Bi-Mat#2026"


def test_signed_checkpoints_travel_to_the_province_with_their_signature(tmp_path: Path) -> None:
    broker = Mosquitto(tmp_path / "broker", {COMMUNE: PASSWORD}).start()
    try:
        with ProvinceStand(broker) as province, \
                commune_console(tmp_path / "c", uplink_settings(broker, COMMUNE), Credentials(COMMUNE, PASSWORD)) as c:
            audit = start_audit(c.db_path.parent, c.publisher)
            assert audit is not None
            for i in range(3):
                audit.append(AuditEntry(AuditAction.PLAYBACK_VIEWED, "trucban1", "officer", camera="C01",
                                        details={"start_ms": i, "end_ms": i + 1}))
            audit.close()  # a signed checkpoint at shutdown
            wait_until(lambda: province.on_topic("/audit/checkpoint"), 10, what="the checkpoint at the province")
            [message] = province.on_topic("/audit/checkpoint")
            conn = sqlite3.connect(c.db_path)
            [row] = [r for r in query(conn, AuditQuery()) if r.action == CHECKPOINT_ACTION]
            conn.close()
            data = message.data
            assert (data["row"], data["hash"], data["signature"]) == (row.id, row.hash, row.signature)
            key = station_public_key(c.db_path.parent)
            assert data["key"] == key.fingerprint()
            assert key.verify(bytes.fromhex(data["signature"]), checkpoint_message(data["hash"]))
            wait_until(lambda: c.backlog() == [], 10, what="the checkpoint confirmed")
    finally:
        broker.kill()
