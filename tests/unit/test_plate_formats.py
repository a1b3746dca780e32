"""The Vietnamese plate normaliser: one-line car plates and two-line motorbike plates in their written forms, the
letters and digits OCR confuses fixed by their place on the plate, the search key, and garbage refused."""

from __future__ import annotations

import pytest

from console.incidents.fold import plate_key
from console.plates.formats import normalise, search_key


@pytest.mark.parametrize(("read", "written"), [
    ("29A-123.45", "29A-123.45"),
    ("29A12345", "29A-123.45"),
    ("29a 123 45", "29A-123.45"),
    ("  30H-1234 ", "30H-1234"),  # the older four-digit plate
    ("37K1234", "37K-1234"),
    ("51LD-123.45", "51LD-123.45"),  # a two-letter series
    ("43A—135,79", "43A-135.79"),  # a long dash, a comma for the dot
])
def test_one_line_plates_come_out_in_their_written_form(read: str, written: str) -> None:
    plate = normalise(read)
    assert plate is not None and plate.text == written and not plate.motorbike
    assert plate.lines == (written,)


@pytest.mark.parametrize(("lines", "written"), [
    (["59-B1", "234.56"], "59-B1 234.56"),
    (["29-X5", "1234"], "29-X5 1234"),
    (["99B1", "23456"], "99-B1 234.56"),
    ("59-B1 234.56", "59-B1 234.56"),  # as written on one line (typed, searched)
])
def test_two_line_motorbike_plates_join_top_to_bottom(lines: str | list[str], written: str) -> None:
    plate = normalise(lines)
    assert plate is not None and plate.text == written and plate.motorbike
    assert plate.lines == tuple(written.split(" "))


def test_a_square_car_plate_on_two_lines_reads_as_the_long_one() -> None:
    plate = normalise(["30A", "123.45"])
    assert plate is not None and plate.text == "30A-123.45"


def test_lines_out_of_order_are_no_plate() -> None:
    assert normalise(["234.56", "59-B1"]) is None


@pytest.mark.parametrize(("read", "written", "fixes"), [
    ("Z9A-123.45", "29A-123.45", 1),  # Z where the province's digit is: 2
    ("29A-I23.45", "29A-123.45", 1),  # I in the number: 1
    ("88D-4O2.6O", "88D-402.60", 2),  # O in the number: 0 (O is on no plate: cheap)
    ("36B-8O2.5l", "36B-802.51", 2),
    ("29S-9l5.O3", "29S-915.03", 2),
    ("3OA-123.45", "30A-123.45", 1),  # O in the province: 0
    ("2981-234.56", "29-B1 234.56", 1),  # a motorbike's plate read as one line, its B as 8
    ("59-81 234.56", "59-B1 234.56", 1),  # 8 where the series' letter is: B
    ("59-B1 234.S6", "59-B1 234.56", 1),  # S in the number: 5
    ("I29A-123.45I", "29A-123.45", 2),  # the plate's edges read as I
])
def test_confusions_are_fixed_by_position(read: str, written: str, fixes: int) -> None:
    plate = normalise(read)
    assert plate is not None and plate.text == written and plate.fixes == fixes


def test_letters_in_the_series_stay_letters() -> None:
    """B, D, S, Z, G are series letters: kept there, while the same characters become digits elsewhere."""
    for series in "BDSZG":
        plate = normalise(f"11{series}-{series}00.00")
        assert plate is not None and plate.series == series


@pytest.mark.parametrize("garbage", [
    "", "29A", "HELLO WORLD", "CAMERA 01", "MÔ PHỎNG", "12:03:07", "00:09", "Điểm S01", "C01 · Nút giao QL38",
    "12345678", "ABCDEFGH", "0912 345 678", "2026-11-24", "29A-123.4", "29A-123.456.7", "05A-123.45",  # no province 05
    "2gA-l23.4S", "SS-BI 234.S6", "29-B1 2345.6",
])
def test_garbage_is_refused(garbage: str) -> None:
    assert normalise(garbage) is None


def test_the_search_key_has_no_punctuation_and_is_the_incidents_own() -> None:
    assert search_key("29A-123.45") == "29A12345"
    assert search_key("59-B1 234.56") == "59B123456"
    assert search_key("29a 123.45") == plate_key("29A-123.45")
    plate = normalise(["59-B1", "234.56"])
    assert plate is not None and plate.key == "59B123456"
