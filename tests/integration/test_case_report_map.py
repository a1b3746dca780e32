"""The case report's map picture: drawn from the station's offline MBTiles pack around the incident's place on the
case export's kind of thread (a QThread), embedded in the PDF with the red dot exactly at the place; a place the
pack does not cover gets no picture and a Vietnamese sentence saying so; an incident placed by its camera is drawn
at the camera's position."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from console.core.config import MapConfig
from console.core.geo import GeoPoint, tile_of, tms_row
from console.core.users import Role, User
from console.core.vntime import now_ms
from console.incidents.case_report import CaseNames, CaseReport, Contents, case_report
from console.incidents.model import Place, Point
from console.incidents.service import Incidents
from console.officers.guard import Guard, Officers
from console.ui.incidents.case_report_pdf import write_case_report_pdf
from console.ui.map.snippet import SNIPPET_SIZE, SNIPPET_ZOOM, render_snippet
from console.ui.widgets.background import BackgroundCall
from console.ui.widgets.form_units import FormUnits
from tests.support.databases import OpenDb

UNITS = FormUnits("Công an huyện Thuận Thành", "Công an xã Gia Đông", "Gia Đông", "CAX")
AN = User("nguyen.van.an", "Nguyễn Văn An", Role.OFFICER)
PLACE = Point(21.0601, 106.0589)
FAR = Point(21.2000, 106.3000)  # 30 km away: outside the pack
TILE_GREEN = QColor("#8ce99a")


def write_pack(path: Path, around: Point, reach: int = 3) -> None:
    """A tiny MBTiles pack: plain green tiles at SNIPPET_ZOOM, `reach` tiles on each side of the place."""
    tile = QImage(256, 256, QImage.Format.Format_RGB32)
    tile.fill(TILE_GREEN)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    tile.save(buffer, "PNG")  # type: ignore[call-overload]
    png = bytes(data.data())
    x0, y0 = tile_of(GeoPoint(around.lat, around.lon), SNIPPET_ZOOM)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    conn.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
    conn.executemany("INSERT INTO metadata VALUES (?, ?)", [("name", "Gia Đông"), ("format", "png")])
    conn.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)",
                     [(SNIPPET_ZOOM, x, tms_row(y, SNIPPET_ZOOM), png)
                      for x in range(x0 - reach, x0 + reach + 1) for y in range(y0 - reach, y0 + reach + 1)])
    conn.commit()
    conn.close()


def report_of(incidents: Incidents, place: Place, names: CaseNames | None = None) -> CaseReport:
    incident = incidents.create("Trộm xe máy trước cổng chợ", place=place)
    return case_report(incidents.case_file(incident.id), [], [], Contents(0, 0, 0), AN.full_name, now_ms(),
                       "E565 D70D", names or CaseNames())


def pdf_on_a_qthread(qtbot: QtBot, path: Path, report: CaseReport, maps: MapConfig) -> None:
    call = BackgroundCall()
    with qtbot.waitSignal(call.done, timeout=20_000) as done:
        call.start(lambda: write_case_report_pdf(path, report, UNITS, maps), "case report")
    assert isinstance(done.args[0], int), done.args


def images_of(pdf: Path, folder: Path) -> list[Image.Image]:
    subprocess.run(["pdfimages", "-png", str(pdf), str(folder / "img")], check=True, timeout=60)
    return [Image.open(p).convert("RGB") for p in sorted(folder.glob("img-*.png"))]


def text_of(pdf: Path) -> str:
    run = subprocess.run(["pdftotext", str(pdf), "-"], check=True, timeout=60, capture_output=True, text=True)
    return " ".join(run.stdout.split())


def rgb(image: Image.Image, x: int, y: int) -> tuple[int, int, int]:
    r, g, b = image.getpixel((x, y))  # type: ignore[misc]
    return int(r), int(g), int(b)


def _red(pixel: tuple[int, int, int]) -> bool:
    r, g, b = pixel
    return r > 190 and g < 90 and b < 90


def test_the_pdf_of_a_case_with_a_place_carries_the_map_with_the_dot_at_the_place(
        qtbot: QtBot, open_db: OpenDb, tmp_path: Path) -> None:
    write_pack(tmp_path / "map.mbtiles", PLACE)
    incidents = Incidents(open_db(tmp_path / "console.db").conn, Officers(Guard(lambda: AN)), tmp_path / "data")
    report = report_of(incidents, Place(point=PLACE))
    pdf = tmp_path / "bao_cao_vu_viec.pdf"
    pdf_on_a_qthread(qtbot, pdf, report, MapConfig(mbtiles=tmp_path / "map.mbtiles"))
    [picture] = [image for image in images_of(pdf, tmp_path) if image.size == SNIPPET_SIZE]
    width, height = picture.size
    assert _red(rgb(picture, width // 2, height // 2))  # the dot on the place itself
    corner = rgb(picture, 40, 40)  # the pack's tile (the PDF keeps the picture as JPEG: near, not equal)
    assert all(abs(a - b) <= 6 for a, b in zip(corner, (TILE_GREEN.red(), TILE_GREEN.green(), TILE_GREEN.blue()),
                                               strict=True))
    assert not _red(rgb(picture, width // 2 + 60, height // 2))  # a dot, not a red picture
    text = text_of(pdf)
    assert "Sơ đồ vị trí vụ việc" in text and "Chấm đỏ: vị trí vụ việc (điểm đánh dấu trên bản đồ)" in text
    assert "không có dữ liệu" not in text


def test_a_place_no_map_covers_gets_a_sentence_instead_of_a_picture(
        qtbot: QtBot, open_db: OpenDb, tmp_path: Path) -> None:
    write_pack(tmp_path / "map.mbtiles", PLACE)
    incidents = Incidents(open_db(tmp_path / "console.db").conn, Officers(Guard(lambda: AN)), tmp_path / "data")
    far = report_of(incidents, Place(point=FAR))
    pdf = tmp_path / "far.pdf"
    pdf_on_a_qthread(qtbot, pdf, far, MapConfig(mbtiles=tmp_path / "map.mbtiles"))
    assert [image for image in images_of(pdf, tmp_path) if image.size == SNIPPET_SIZE] == []
    assert ("Bản đồ ngoại tuyến của trạm không có dữ liệu tại vị trí vụ việc (điểm đánh dấu trên bản đồ, "
            "vĩ độ 21,200000, kinh độ 106,300000)") in text_of(pdf)
    nowhere = report_of(incidents, Place(text="ngoài đồng"))
    pdf_on_a_qthread(qtbot, tmp_path / "nowhere.pdf", nowhere, MapConfig())
    assert "Vụ việc chưa có vị trí trên bản đồ" in text_of(tmp_path / "nowhere.pdf")


def test_an_incident_placed_by_its_camera_is_drawn_at_the_cameras_position(tmp_path: Path, open_db: OpenDb,
                                                                           qtbot: QtBot) -> None:
    write_pack(tmp_path / "map.mbtiles", PLACE)
    incidents = Incidents(open_db(tmp_path / "console.db").conn, Officers(Guard(lambda: AN)), tmp_path / "data")
    names = CaseNames({"C01": "Cổng chợ"}, {"S01": "Chợ Khám"}, {"C01": PLACE}, {"S01": FAR})
    report = report_of(incidents, Place("S01", "C01"), names)
    assert report.map_point == PLACE and "camera Cổng chợ (C01)" in report.map_caption
    snippet = render_snippet(MapConfig(mbtiles=tmp_path / "map.mbtiles"), GeoPoint(PLACE.lat, PLACE.lon))
    assert snippet is not None and QColor(snippet.image.pixel(*snippet.marker)).red() > 190
    assert render_snippet(MapConfig(), GeoPoint(PLACE.lat, PLACE.lon)) is None  # no map at all: no picture
