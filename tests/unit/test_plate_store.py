"""Plates kept and found again: migration 14, a plate saved on an alert's picture (its crop beside the alert
pictures, a row the alert list's plate filter finds), the same plate linked into an incident with its crop (the
*Vụ việc* dock's plate search finds it, its picture resolves as the dock and the case export resolve it), and a
refused save that leaves nothing behind. The OCR is not involved: what the officer confirmed is stored."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from console.core.alerts import AlertEvent, AlertKind
from console.core.users import Role, User
from console.incidents.messages import IncidentError
from console.incidents.model import IncidentQuery, IncidentStatus, PlateLink
from console.incidents.service import Incidents
from console.officers.guard import ActionRefusedError, Guard, Officers
from console.plates.keeper import PlateKeeper, PlateSource, confirmed_text
from console.store.alerts import AlertQuery, AlertStore, AlertWriter
from console.store.database import MIGRATIONS, SCHEMA_VERSION, open_database, schema_version
from console.store.plates import alert_plates, alerts_with_plate, schema_v14
from console.ui.incidents.case_items import PictureFolders

T0 = 1_780_300_000_000
AN = User("nguyen.van.an", "Nguyễn Văn An", Role.OFFICER)
PICTURE = np.zeros((360, 640, 3), np.uint8)
PICTURE[270:292, 300:390] = 235  # where the plate would be


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.fromarray(PICTURE).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture()
def station(tmp_path: Path) -> Iterator[tuple[Path, Path, list[int]]]:
    """console.db with three motion alerts (pictures saved), the alert pictures' folder."""
    db_path, pictures = tmp_path / "console.db", tmp_path / "alerts"
    writer = AlertWriter(db_path, pictures)
    ids = []
    for k, camera in enumerate(("C01", "C02", "C03")):
        alert_id = writer.next_id()
        ids.append(alert_id)
        writer.submit(AlertEvent(alert_id, camera, "S01", AlertKind.MOTION, T0 + k * 60_000, 0.8, "start",
                                 snapshot=jpeg()))
    writer.close()
    yield db_path, pictures, ids


@pytest.fixture()
def on_duty() -> list[User | None]:
    return [AN]


@pytest.fixture()
def incidents(station: tuple[Path, Path, list[int]], on_duty: list[User | None]) -> Iterator[Incidents]:
    db = open_database(station[0])
    yield Incidents(db.conn, Officers(Guard(lambda: on_duty[0])), station[0].parent, clock=lambda: T0 + 600_000)
    db.close()


def keeper(station: tuple[Path, Path, list[int]], incidents: Incidents) -> PlateKeeper:
    return PlateKeeper(station[0], station[1], incidents, incidents.officers, clock=lambda: T0 + 600_000)


def test_migration_14_adds_the_alert_plates_after_13(tmp_path: Path) -> None:
    db = open_database(tmp_path / "console.db")
    try:
        assert MIGRATIONS.index(schema_v14) == 13 and SCHEMA_VERSION >= 14
        assert schema_version(db) == SCHEMA_VERSION and "alert_plates" in db.table_names()
        assert {c.name for c in db.table("alert_plates").columns} >= {"alert_id", "text", "plate_key", "crop"}
    finally:
        db.close()


def test_a_plate_on_an_alert_is_kept_with_its_crop_and_found_by_the_alert_list(
        station: tuple[Path, Path, list[int]], incidents: Incidents) -> None:
    db_path, pictures, (first, second, third) = station
    kept = keeper(station, incidents).save("29a 123 45", PICTURE, (290, 262, 400, 300),
                                           PlateSource("C02", T0 + 60_000, alert_id=second), to_alert=True,
                                           incident_id=None, read_text="29A-I23.45", confidence=0.93)
    assert kept.text == "29A-123.45" and kept.incident_id is None and kept.alert_plate_id is not None
    crop = pictures / kept.crop
    assert kept.crop.startswith("plates/") and crop.is_file()
    assert Image.open(crop).size[1] >= 38  # the 110 × 38 crop, kept as it is
    db = open_database(db_path)
    try:
        (row,) = alert_plates(db.conn, second)
        assert (row.text, row.box, row.read_text, row.saved_by, row.camera_id) == (
            "29A-123.45", (290, 262, 400, 300), "29A-I23.45", AN.login, "C02")
        store = AlertStore(db)
        for typed in ("29A-123.45", "29a12345", "123.45", "9A1"):
            assert [r.id for r in store.query(AlertQuery(plate=typed))] == [second], typed
        assert store.query(AlertQuery(plate="30H")) == []
        assert [r.id for r in store.query(AlertQuery(plate="29A", camera_id="C02"))] == [second]
        assert store.query(AlertQuery(plate="29A", camera_id="C01")) == []
        assert len(store.query(AlertQuery())) == 3  # no plate asked: every alert
        assert store.query(AlertQuery(plate="29A", text="anything")) == []  # with the notes' search too
        assert store.query(AlertQuery(plate="29A", new_first=False))[0].id == second
        assert alerts_with_plate(db.conn, "29A-12345") == [second]
        del first, third
    finally:
        db.close()


def test_a_plate_linked_into_an_incident_is_found_by_the_incidents_search(
        station: tuple[Path, Path, list[int]], incidents: Incidents) -> None:
    db_path, pictures, alerts = station
    incident = incidents.create("Xe gây tai nạn bỏ chạy")
    kept = keeper(station, incidents).save("59-B1 234.56", PICTURE, (300, 270, 390, 292),
                                           PlateSource("C01", T0, alert_id=alerts[0]), to_alert=True,
                                           incident_id=incident.id)
    assert kept.incident_id == incident.id and kept.link_id is not None and kept.alert_plate_id is not None
    link = next(lk for lk in incidents.case_file(incident.id).links if lk.id == kept.link_id)
    assert link.target == PlateLink("59-B1 234.56", "C01", T0, None, kept.crop)
    assert PictureFolders(db_path.parent, pictures).snapshot(kept.crop).is_file()  # as the dock shows it
    for typed in ("59B1", "59-B1 234.56", "23456"):
        assert [i.id for i in incidents.search(IncidentQuery(plate=typed))] == [incident.id]
    assert [i.id for i in incidents.search(IncidentQuery(text="59b123456"))] == [incident.id]
    db = open_database(db_path)
    try:
        assert [r.id for r in AlertStore(db).query(AlertQuery(plate="59B1"))] == [alerts[0]]
    finally:
        db.close()


def test_a_plate_from_playback_goes_to_the_incident_only(station: tuple[Path, Path, list[int]],
                                                         incidents: Incidents) -> None:
    incident = incidents.create("Trộm xe máy")
    kept = keeper(station, incidents).save("30H-1234", PICTURE, (0, 0, 640, 360), PlateSource("C03", T0),
                                           to_alert=False, incident_id=incident.id)
    assert kept.alert_plate_id is None and kept.incident_id == incident.id
    assert Image.open(station[1] / kept.crop).size == (640, 360)


def test_a_plate_typed_in_no_vietnamese_layout_is_kept_as_typed() -> None:
    assert confirmed_text("  kt 12 34 ") == "KT 12 34"
    assert confirmed_text("29a-12345") == "29A-123.45"


def test_a_refused_save_writes_nothing(station: tuple[Path, Path, list[int]], incidents: Incidents,
                                       on_duty: list[User | None]) -> None:
    db_path, pictures, alerts = station
    incident = incidents.create("Vụ việc")
    on_duty[0] = None  # the screen is locked
    with pytest.raises(ActionRefusedError):
        keeper(station, incidents).save("29A-123.45", PICTURE, (0, 0, 10, 10),
                                        PlateSource("C01", T0, alert_id=alerts[0]), to_alert=True, incident_id=None)
    on_duty[0] = AN
    incidents.set_status(incident.id, IncidentStatus.CLOSED)
    with pytest.raises(IncidentError):  # closed: nothing is added to it, not even to the alert
        keeper(station, incidents).save("29A-123.45", PICTURE, (0, 0, 10, 10),
                                        PlateSource("C01", T0, alert_id=alerts[0]), to_alert=True,
                                        incident_id=incident.id)
    with pytest.raises(ValueError):
        keeper(station, incidents).save("", PICTURE, (0, 0, 10, 10), PlateSource("C01", T0, alert_id=alerts[0]),
                                        to_alert=True, incident_id=None)
    assert not (pictures / "plates").exists()
    db = open_database(db_path)
    try:
        assert alert_plates(db.conn, alerts[0]) == []
    finally:
        db.close()
