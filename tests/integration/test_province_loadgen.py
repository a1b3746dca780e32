"""The load generator's simulated communes (real alert writers, outboxes and publishers) against the province
receiver over mosquitto on 127.0.0.1: everything raised is stored once, nothing is lost."""

from __future__ import annotations

from pathlib import Path

from console.core.credentials import Credentials
from console.core.uplink_settings import MqttProtocol
from console.province.config import ProvinceCommune, ProvinceConfig
from console.province.receiver import ProvinceReceiver
from console.province.tuning import ReceiverTuning
from console.uplink.loadgen import LoadGenerator, LoadPlan, commune_ids
from tests.support.mosquitto import HOST, PROVINCE_PASSWORD, PROVINCE_USER, TEST_TUNING, Mosquitto
from tests.support.waiting import wait_until

PASSWORD = "Secr3t!"


def test_five_communes_for_five_seconds_nothing_lost_nothing_stored_twice(tmp_path: Path) -> None:
    ids = commune_ids(5)
    with Mosquitto(tmp_path / "broker", {c: PASSWORD for c in ids}) as broker:
        config = ProvinceConfig(HOST, broker.port, broker.pki.ca_cert, Credentials(PROVINCE_USER, PROVINCE_PASSWORD),
                                MqttProtocol.V311, tuple(ProvinceCommune(c, c, 21.0, 106.0) for c in ids))
        receiver = ProvinceReceiver(config, tmp_path / "province.db", tmp_path / "snaps",
                                    tuning=ReceiverTuning(backoff_first_s=0.2, backoff_cap_s=1.0)).start()
        plan = LoadPlan(communes=5, cameras_per_commune=3, alerts_per_s=10, seconds=5, health_per_s=2)
        generator = LoadGenerator(plan, broker.port, broker.pki.ca_cert, {c: Credentials(c, PASSWORD) for c in ids},
                                  tmp_path / "communes", tuning=TEST_TUNING)
        try:
            wait_until(lambda: receiver.status().connected, 10, what="the province subscribed")
            generator.start()
            assert generator.wait_connected(10)
            generator.run()
            assert generator.drain(20)
            summary = generator.summary()
            queries = receiver.queries()
            stored = {c: queries.seqs(c) for c in ids}
            alerts = queries.alerts()
            states = queries.communes()
            queries.close()
        finally:
            generator.stop()
            receiver.stop()
    lost = {c: set(range(1, summary.newest_seq[c] + 1)) - set(stored[c]) for c in ids}
    assert all(not missing for missing in lost.values()), lost
    assert sum(len(s) for s in stored.values()) == summary.messages  # each (commune, seq) once: duplicates 0
    assert summary.alerts_raised == len(alerts) > 30
    assert summary.health_changes > 0 and summary.waiting == 0
    assert {s.id for s in states} == set(ids)
