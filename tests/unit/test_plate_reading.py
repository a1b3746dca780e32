"""Plate reading with the real OCR (RapidOCR over the wheel's ONNX models, loaded once for the module with the
network refused): synthetic one- and two-line plates drawn with PIL, the simulator's vehicles, read exactly; the
reads run on the plate service's worker thread."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from console.plates.reader import Box, Candidate, RapidOcrReader, TextLine, plates_in
from console.plates.service import PlateService
from console.simulator.scene import PLATES, SceneRenderer

FONTS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf")


@dataclass
class Loaded:
    reader: RapidOcrReader
    first: list[Candidate]  # the first read, made with the network refused too
    attempts: list[str]  # every way out to the network tried meanwhile


@pytest.fixture(scope="module")
def loaded() -> Loaded:
    """The engine built and first used with every way out to the network refused (and noted); only for that
    while (a whole suite's other threads may use the loopback)."""
    attempts: list[str] = []
    loading = threading.get_ident()  # the engine is built and run on the thread that reads: this one

    def refuse(what: str, original: Any) -> Any:
        def refused(*args: Any, **kwargs: Any) -> Any:
            if threading.get_ident() != loading:  # another test's thread (a camera retrying): not the engine's
                return original(*args, **kwargs)
            attempts.append(f"{what}{args[1:] if what == 'connect' else args}")
            raise OSError(f"network refused by the test: {what}")
        return refused

    from rapidocr.utils import download_file

    reader = RapidOcrReader()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", refuse("connect", socket.socket.connect))
        patch.setattr(socket.socket, "connect_ex", refuse("connect_ex", socket.socket.connect_ex))
        patch.setattr(socket, "create_connection", refuse("create_connection", socket.create_connection))
        patch.setattr(socket, "getaddrinfo", refuse("getaddrinfo", socket.getaddrinfo))
        patch.setattr(download_file.DownloadFile, "run",
                      classmethod(refuse("download", download_file.DownloadFile.run.__func__)))
        reader.load()
        first = reader.read(plate_picture(["29A-123.45"]))
    return Loaded(reader, first, attempts)


@pytest.fixture(scope="module")
def reader(loaded: Loaded) -> RapidOcrReader:
    return loaded.reader


def test_the_engine_loads_from_the_wheel_without_the_network(loaded: Loaded) -> None:
    assert loaded.attempts == []
    assert [c.text for c in loaded.first] == ["29A-123.45"]
    assert loaded.reader.load_s is not None and loaded.reader.load_s < 30
    assert loaded.reader.load() == loaded.reader.load_s  # built once


def _font(size: int) -> ImageFont.FreeTypeFont:
    path = next(p for p in FONTS if Path(p).exists())
    return ImageFont.truetype(path, size)


def plate_picture(lines: list[str], width: int | None = None, scene: tuple[int, int] | None = None,
                  at: tuple[int, int] = (0, 0)) -> np.ndarray:
    """A Vietnamese plate drawn with PIL: white, black border and characters; one line on a long plate (520 × 110),
    two on a motorbike's (280 × 200), `width` pixels wide; alone, or at `at` on a grey `scene`."""
    big_w, big_h = (520, 110) if len(lines) == 1 else (280, 200)
    image = Image.new("RGB", (big_w, big_h), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((3, 3, big_w - 4, big_h - 4), outline="black", width=6)
    font = _font(78)
    row_h = big_h / len(lines)
    for number, line in enumerate(lines):
        left, top, right, bottom = draw.textbbox((0, 0), line, font=font)
        squeeze = min(1.0, (big_w - 40) / (right - left))
        text = Image.new("RGB", (right - left + 4, bottom - top + 4), "white")
        ImageDraw.Draw(text).text((2 - left, 2 - top), line, fill="black", font=font)
        text = text.resize((max(1, round(text.width * squeeze)), text.height), Image.Resampling.LANCZOS)
        image.paste(text, (round((big_w - text.width) / 2), round(number * row_h + (row_h - text.height) / 2)))
    if width is not None:
        image = image.resize((width, round(width * big_h / big_w)), Image.Resampling.LANCZOS)
    if scene is None:
        return np.asarray(image, dtype=np.uint8)
    background = Image.new("RGB", scene, (96, 100, 92))
    background.paste(image, at)
    return np.asarray(background, dtype=np.uint8)


ONE_LINE = ["29A-123.45", "51G-246.80", "30H-1234", "88D-402.60", "34Z-270.48"]
TWO_LINE = [("59-B1", "234.56"), ("29-X5", "123.45"), ("43-D2", "815.07"), ("36-S8", "5120")]


@pytest.mark.parametrize("text", ONE_LINE)
@pytest.mark.parametrize("width", [520, 110])
def test_synthetic_one_line_plates_read_exactly(reader: RapidOcrReader, text: str, width: int) -> None:
    found = reader.read(plate_picture([text], width))
    assert found and found[0].text == text and found[0].plate is not None


@pytest.mark.parametrize("lines", TWO_LINE)
@pytest.mark.parametrize("width", [280, 80])
def test_synthetic_two_line_plates_read_exactly_top_to_bottom(reader: RapidOcrReader, lines: tuple[str, str],
                                                               width: int) -> None:
    found = reader.read(plate_picture(list(lines), width))
    assert found and found[0].text == " ".join(lines)
    assert found[0].lines == lines  # the two lines, top first
    plate = found[0].plate
    assert plate is not None and plate.motorbike and plate.lines == lines


def test_a_box_around_a_plate_in_a_bigger_picture(reader: RapidOcrReader) -> None:
    picture = plate_picture(["59-B1", "234.56"], 90, scene=(1280, 720), at=(700, 400))
    found = reader.read(picture, (690, 390, 800, 480))
    assert [c.text for c in found] == ["59-B1 234.56"]
    x0, y0, x1, y1 = found[0].box
    assert 690 <= x0 < x1 <= 800 and 390 <= y0 < y1 <= 480  # in the picture's pixels


def rgb(planes: tuple[np.ndarray, np.ndarray, np.ndarray]) -> np.ndarray:
    y, u, v = planes
    luma = Image.fromarray(y)
    image = Image.merge("YCbCr", (luma, Image.fromarray(u).resize(luma.size), Image.fromarray(v).resize(luma.size)))
    return np.asarray(image.convert("RGB"), dtype=np.uint8)


def loose(box: Box) -> Box:
    """As an officer drags it: a fifth of the plate's width and half its height more on each side."""
    x0, y0, x1, y1 = box
    dx, dy = (x1 - x0) // 5, (y1 - y0) // 2
    return x0 - dx, y0 - dy, x1 + dx, y1 + dy


@pytest.mark.parametrize(("camera", "size"), [("C03", (1920, 1080)), ("C11", (640, 360)), ("C20", (640, 360))])
def test_the_simulators_vehicles_read_exactly(reader: RapidOcrReader, camera: str, size: tuple[int, int]) -> None:
    width, height = size
    scene = SceneRenderer(camera, "Điểm thử", width, height, 15, 30.0)
    assert all(text in PLATES for text in scene.plate_texts)
    read = []
    for episode in scene.episodes:
        n = round((episode.start_s + 0.5 * (episode.end_s - episode.start_s)) * scene.fps)
        (truth,) = [t for t in scene.plates(n) if t.lane == episode.lane]
        assert truth.inside(width, height)
        found = reader.read(rgb(scene.frame(n)), loose(truth.box))
        read.append((found[0].text if found else None, truth.text))
    assert [got for got, _ in read] == [want for _, want in read] == list(scene.plate_texts)


def test_the_whole_picture_finds_the_plate_and_not_the_captions(reader: RapidOcrReader) -> None:
    scene = SceneRenderer("C05 · Cổng chợ", "Điểm S02", 640, 360, 15, 30.0)
    n = round(0.3 * 30 * 15)
    found = reader.read(rgb(scene.frame(n)))
    assert [c.text for c in found] == [t.text for t in scene.plates(n)]


def test_nothing_legible_gives_nothing(reader: RapidOcrReader) -> None:
    sky = np.full((200, 400, 3), (150, 170, 200), np.uint8)
    assert reader.read(sky) == []
    assert reader.read(sky, (10, 10, 200, 80)) == []


def test_text_that_is_no_plate_comes_back_raw_in_a_box_only(reader: RapidOcrReader) -> None:
    sign = plate_picture(["HELLO"], 300)
    found = reader.read(sign, (0, 0, sign.shape[1], sign.shape[0]))
    assert len(found) == 1 and found[0].plate is None and found[0].text == "HELLO"
    assert reader.read(sign) == []  # the whole picture: plates only


def test_stacked_lines_pair_only_when_they_make_a_plate() -> None:
    lines = [TextLine("59-B1", 0.99, (100, 100, 180, 130)), TextLine("234.56", 0.98, (95, 135, 185, 165)),
             TextLine("29A-123.45", 0.97, (400, 100, 560, 130)), TextLine("C01", 0.99, (10, 10, 40, 30))]
    found = plates_in(lines)
    assert [c.text for c in found] == ["59-B1 234.56", "29A-123.45"]
    assert found[0].box == (95, 100, 185, 165) and found[0].confidence == 0.98


def test_the_service_reads_on_its_worker(reader: RapidOcrReader) -> None:
    threads: list[str] = []

    class Watching:
        def read(self, picture: np.ndarray, box: Box | None = None) -> list[Candidate]:
            threads.append(threading.current_thread().name)
            return reader.read(picture, box)

    service = PlateService(Watching())
    try:
        reading = service.read(plate_picture(["30H-1234"], 200)).result(timeout=30)
    finally:
        service.close()
    assert reading.best is not None and reading.best.text == "30H-1234" and reading.elapsed_s > 0
    assert threads and threads[0].startswith("plate-reader") and threads[0] != threading.current_thread().name
