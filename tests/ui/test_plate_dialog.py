"""*Đọc biển số* as the officer uses it, with the real OCR (loaded once for the module): on an alert's picture the
officer drags a box around the plate, reads it (the GUI goes on meanwhile), corrects the text and saves it to the
alert and an incident, then finds the alert by plate in the alert list and the incident in the *Vụ việc* dock; on an
incident's snapshot; on a paused playback frame ("read the whole picture")."""

from __future__ import annotations

import io
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QMainWindow, QWidget
from pytestqt.qtbot import QtBot

from console.core.alerts import AlertEvent, AlertKind
from console.core.config import SiteConfig
from console.core.users import Role, User
from console.core.vntime import now_ms
from console.incidents.model import IncidentQuery, PlateLink, SnapshotLink
from console.incidents.service import Incidents
from console.officers.guard import Guard, Officers
from console.plates.keeper import KeptPlate, PlateKeeper
from console.plates.service import PlateService
from console.simulator.scene import PlateTruth, SceneRenderer
from console.store.alerts import AlertStore, AlertWriter
from console.store.plates import alert_plates
from console.store.recordings import RecordingIndex
from console.ui.alerts.panel import AlertPanel, CommitBridge
from console.ui.incidents.install import install_incidents
from console.ui.plates.desk import PlateDesk
from console.ui.plates.dialog import PlateDialog
from console.ui.playback.window import PlaybackWindow
from tests.support.databases import OpenDb
from tests.support.stamped_clip import lay_out_recording

AN = User("nguyen.van.an", "Nguyễn Văn An", Role.OFFICER)
AT_MS = 1_790_000_000_000
LOOP_S = 4.0
FPS = 15


@pytest.fixture(scope="module")
def service() -> Iterator[PlateService]:
    made = PlateService()
    yield made
    made.close()


def scene_picture(camera: str, size: tuple[int, int] = (640, 360)) -> tuple[np.ndarray, PlateTruth]:
    """A picture of the simulator's scene with one plate wholly in it, and that plate."""
    scene = SceneRenderer(camera, "Điểm thử", *size, FPS, LOOP_S)
    n = round(0.5 * (scene.episodes[0].start_s + scene.episodes[0].end_s) * FPS)
    y, u, v = scene.frame(n)
    luma = Image.fromarray(y)
    rgb = Image.merge("YCbCr", (luma, Image.fromarray(u).resize(luma.size), Image.fromarray(v).resize(luma.size)))
    (truth,) = [t for t in scene.plates(n) if t.lane == 0]
    return np.asarray(rgb.convert("RGB")), truth


class Station:
    """console.db with one motion alert whose picture shows a plate, the incidents, the alert list and the dock
    in a main window that has the plate desk."""

    def __init__(self, folder: Path, open_db: OpenDb, config: SiteConfig, service: PlateService) -> None:
        self.folder = folder
        self.db_path, self.pictures = folder / "console.db", folder / "alerts"
        picture, self.truth = scene_picture("C01")
        out = io.BytesIO()
        Image.fromarray(picture).save(out, "JPEG", quality=80)  # as the analytics save an alert's picture
        open_db(self.db_path)
        self.writer = AlertWriter(self.db_path, self.pictures)
        self.alert_id = self.writer.next_id()
        self.writer.submit(AlertEvent(self.alert_id, "C01", "S01", AlertKind.MOTION, now_ms() - 60_000, 0.9, "start",
                                      snapshot=out.getvalue()))
        self.writer.close()
        self.writer = AlertWriter(self.db_path, self.pictures)
        self.db = open_db(self.db_path)
        self.officers = Officers(Guard(lambda: AN))
        self.incidents = Incidents(open_db(self.db_path).conn, self.officers, folder)
        self.window = QMainWindow()
        self.window.resize(1600, 900)
        self.window.setCentralWidget(QWidget())
        self.panel = AlertPanel(config, AlertStore(self.db), self.writer, CommitBridge(), self.pictures, [],
                                self.window, officers=self.officers)
        self.dock = install_incidents(self.window, self.incidents, ["C01", "C02"], snapshots=self.pictures)
        self.desk = PlateDesk(self.window, PlateKeeper(self.db_path, self.pictures, self.incidents, self.officers),
                              service)
        self.kept: list[KeptPlate] = []
        self.desk.kept.connect(self.kept.append)


@pytest.fixture()
def station(qtbot: QtBot, tmp_path: Path, open_db: OpenDb, demo_site: SiteConfig,
            service: PlateService) -> Iterator[Station]:
    made = Station(tmp_path, open_db, demo_site, service)
    qtbot.addWidget(made.window)
    made.window.show()
    yield made
    made.window.close()
    made.writer.close()


def drag_box(qtbot: QtBot, dialog: PlateDialog, box: tuple[int, int, int, int]) -> None:
    """The officer's drag on the picture, from one corner of `box` (picture pixels) to the other."""
    picture = dialog.picture
    qtbot.waitExposed(picture)
    area = picture.to_widget(box)
    start, end = area.topLeft().toPoint(), area.bottomRight().toPoint()
    qtbot.mousePress(picture, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(picture, QPoint((start.x() + end.x()) // 2, (start.y() + end.y()) // 2))
    qtbot.mouseMove(picture, end)
    qtbot.mouseRelease(picture, Qt.MouseButton.LeftButton, pos=end)


def read_and_wait(qtbot: QtBot, dialog: PlateDialog, button: str) -> int:
    """Click a read button; the GUI's timer ticks while the worker reads (the ticks are returned)."""
    ticks = [0]
    timer = QTimer(dialog)
    timer.timeout.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))
    timer.start(10)
    qtbot.mouseClick(getattr(dialog, button), Qt.MouseButton.LeftButton)
    assert dialog.busy
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    timer.stop()
    return ticks[0]


def test_a_plate_read_on_an_alerts_picture_is_corrected_saved_and_found(qtbot: QtBot, station: Station) -> None:
    incident = station.incidents.create("Xe vượt đèn đỏ")
    station.dock.refresh()
    station.panel.refresh()
    station.panel.table.selectRow(0)
    assert station.panel.plate_button.isEnabled()
    dialog = station.panel.read_plate_selected()
    assert dialog is not None and station.desk.dialog is dialog
    assert dialog.to_alert.isChecked() and dialog.to_alert.isVisibleTo(dialog)
    assert not dialog.read_box.isEnabled() and not dialog.save_button.isEnabled()
    x0, y0, x1, y1 = station.truth.box
    drag_box(qtbot, dialog, (x0 - 14, y0 - 8, x1 + 14, y1 + 8))
    box = dialog.picture.box
    assert box is not None and abs(box[0] - (x0 - 14)) <= 2 and abs(box[3] - (y1 + 8)) <= 2
    assert dialog.read_box.isEnabled()
    ticks = read_and_wait(qtbot, dialog, "read_box")
    assert dialog.text.text() == station.truth.text, dialog.status.text()
    assert dialog.reading is not None and dialog.reading.best is not None
    assert ticks > 0 or dialog.reading.elapsed_s < 0.05  # the GUI went on while it read
    assert not dialog.crop.pixmap().isNull()
    # The officer retypes it their way: it is checked and stored in the written form.
    dialog.text.clear()
    qtbot.keyClicks(dialog.text, station.truth.text.replace("-", " ").replace(".", "").lower())
    assert dialog.hint.text() == dialog.tr("Vietnamese plate: {plate}").format(plate=station.truth.text)
    dialog.incident.setCurrentIndex(dialog.incident.findData(incident.id))
    assert dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(station.kept), timeout=10_000)
    (kept,) = station.kept
    assert (kept.text, kept.incident_id) == (station.truth.text, incident.id)
    assert (station.pictures / kept.crop).is_file()
    (row,) = alert_plates(station.db.conn, station.alert_id)
    assert row.text == station.truth.text and row.crop == kept.crop and row.read_text == station.truth.text
    link = next(lk for lk in station.incidents.case_file(incident.id).links if isinstance(lk.target, PlateLink))
    assert link.target.text == station.truth.text and link.target.image == kept.crop
    # The alert list's plate filter, typed as an officer would (part of it, no punctuation).
    key = station.truth.text.replace("-", "").replace(".", "")[:5]
    qtbot.keyClicks(station.panel.plate_search, key)
    qtbot.waitUntil(lambda: station.panel.query().plate == key and not station.panel._refresh_timer.isActive())
    assert [r.id for r in station.panel.model.rows()] == [station.alert_id]
    station.panel.plate_search.setText("11Z99")
    qtbot.waitUntil(lambda: not station.panel._refresh_timer.isActive() and not station.panel.model.rows())
    assert [i.id for i in station.incidents.search(IncidentQuery(plate=key))] == [incident.id]
    dialog.close()


def test_a_plate_read_on_an_incidents_snapshot_goes_into_that_incident(qtbot: QtBot, station: Station) -> None:
    picture, truth = scene_picture("C02", (1280, 720))
    path = station.pictures / "2026" / "snapshot_C02.png"
    path.parent.mkdir(parents=True)
    Image.fromarray(picture).save(path)
    incident = station.incidents.create("Trộm xe")
    station.incidents.link(incident.id, SnapshotLink(str(path), "C02", AT_MS))
    station.dock.select(incident.id)
    view = station.dock.case_view
    snapshot_row = next(i for i, item in enumerate(view.items_model.rows()) if item.pictures)
    view.items.selectRow(snapshot_row)
    assert view.read_plate.isVisibleTo(view)
    with qtbot.waitSignal(view.read_plate_requested):
        qtbot.mouseClick(view.read_plate, Qt.MouseButton.LeftButton)
    dialog = station.desk.dialog
    assert dialog is not None and dialog.incident.currentData() == incident.id and not dialog.to_alert.isVisibleTo(
        dialog)
    read_and_wait(qtbot, dialog, "read_all")  # the whole picture: the plates found are outlined
    assert dialog.text.text() == truth.text and dialog.picture.found
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(station.kept), timeout=10_000)
    assert station.kept[0].incident_id == incident.id and station.kept[0].alert_plate_id is None
    assert [i.id for i in station.incidents.search(IncidentQuery(plate=truth.text))] == [incident.id]
    dialog.close()


def write_scene_clip(path: Path, camera: str) -> None:
    """LOOP_S of the simulator's scene at 640×360 as a recorded segment (H.264 in MPEG-TS)."""
    scene = SceneRenderer(camera, "Điểm thử", 640, 360, FPS, LOOP_S)
    with av.open(str(path), "w", format="mpegts") as container:
        stream = container.add_stream("libx264", rate=FPS, options={"preset": "ultrafast", "bf": "0", "g": str(FPS),
                                                                   "keyint_min": "1", "sc_threshold": "0"})
        stream.width, stream.height, stream.pix_fmt = 640, 360, "yuv420p"
        stream.bit_rate = 1_000_000
        stream.time_base = Fraction(1, FPS)
        for n in range(scene.frames):
            y, u, v = scene.frame(n)
            frame = av.VideoFrame.from_numpy_buffer(np.concatenate([y.ravel(), u.ravel(), v.ravel()])
                                                     .reshape(360 * 3 // 2, 640), format="yuv420p")
            frame.pts = n
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))


def test_a_plate_is_read_on_a_paused_playback_frame(qtbot: QtBot, station: Station, open_db: OpenDb,
                                                    demo_site: SiteConfig) -> None:
    clip = station.folder / "clip.ts"
    write_scene_clip(clip, "C03")
    index = RecordingIndex(open_db(station.db_path))
    lay_out_recording(index, station.folder / "rec", "C03", clip, AT_MS, 2, int(LOOP_S * 1000), 1000)
    window = PlaybackWindow(demo_site, open_db(station.db_path), station.folder / "rec", station.folder, "",
                            station.window)
    qtbot.addWidget(window)
    window.show()
    if window.player is None:
        pytest.skip("libVLC is not available")
    assert window.plate_button.isVisibleTo(window)
    scene = SceneRenderer("C03", "Điểm thử", 640, 360, FPS, LOOP_S)
    first = scene.episodes[0]
    window.open_camera("C03", AT_MS + round((first.start_s + 0.4 * (first.end_s - first.start_s)) * 1000))
    player = window.player
    qtbot.waitUntil(lambda: player.picture.shown > 2 and window.picture._shown == player.picture.shown,
                    timeout=10_000)  # pictures decoded, and on screen
    qtbot.mouseClick(window.plate_button, Qt.MouseButton.LeftButton)
    assert player.paused  # the officer reads a still
    dialog = station.desk.dialog
    assert dialog is not None and dialog.source.camera_id == "C03" and dialog.source.alert_id is None
    read_and_wait(qtbot, dialog, "read_all")
    assert dialog.text.text() in scene.plate_texts, [c.text for c in dialog.reading.candidates]  # type: ignore[union-attr]
    assert not dialog.save_button.isEnabled()  # no alert here, no incident chosen yet
    dialog.close()
    window.close()
