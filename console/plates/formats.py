"""Vietnamese number plates as text: what OCR read (one line, or two lines top to bottom) turned into the plate's
written form, or refused.

A plate is a province code (2 digits), a series (1–2 letters and an optional digit) and a number (4 or 5 digits):
- one line, a car's long plate: `29A-123.45`, the older `30H-1234`; a car's square plate reads the same;
- two lines, a motorbike's: `59-B1` over `234.56`, written `59-B1 234.56`; a series with a digit is a motorbike's.

OCR confuses letters and digits that look alike (O/0, I/1, B/8, D/0, S/5, Z/2, G/6, A/4): a character is fixed by
its position (the province and the number are digits, the series starts with letters). Each fix costs 1, half when
the letter read is one no plate has (O, Q, I, J: only the digit can be meant); a dash or space out of place costs 1
too, a stray character cut off an end (the plate's border read as "I", "L" or "1") 1, half when it is no digit. A
reading that costs more than `MAX_COST`, puts a dot anywhere but inside a five-digit number, names no province
(11–99) or fits no layout is refused: the officer then sees what was read and types the plate.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import product

from console.incidents.fold import plate_key

# The series letters of Vietnamese plates (no I, J, O, Q, W); Đ as in the electric motorbikes' "MĐ".
LETTERS = frozenset("ABCDEFGHKLMNPRSTUVXYZĐ")
# A letter where a digit belongs, read as that digit; a digit where a letter belongs, read as that letter.
AS_DIGIT = {"O": "0", "Q": "0", "D": "0", "Đ": "0", "U": "0", "I": "1", "L": "1", "J": "1", "Z": "2", "S": "5",
            "B": "8", "G": "6", "A": "4", "T": "7"}
AS_LETTER = {"0": "D", "O": "D", "Q": "D", "8": "B", "5": "S", "2": "Z", "6": "G", "4": "A", "7": "T"}
MAX_COST = 1.5
_NEVER_ON_PLATES = frozenset("OQIJ")
_DASHES = str.maketrans({"—": "-", "–": "-", "_": "-", "~": "-", "=": "-", ",": ".", ":": ".", "·": ".", "•": ".",
                         "'": ".", "`": "."})
_LINE, _DASH, _DOT, _SPACE = "line", "-", ".", " "
_OUT_OF_PLACE = 1.0  # a dash or space where no layout puts one: costs like a fix
_STRAY = frozenset("1IJL")  # what a plate's edge or a screw beside the characters is read as
PROVINCES = range(11, 100)  # the provinces' codes (80: the central agencies)


@dataclass(frozen=True)
class Plate:
    province: str  # "29"
    series: str  # "A", "LD", "B1"
    number: str  # "12345" or "1234"
    fixes: int = 0  # characters changed (or cut off) to fit the layout

    @property
    def motorbike(self) -> bool:
        """A series ending in a digit is a motorbike's (its plate has two lines)."""
        return self.series[-1].isdigit()

    @property
    def number_text(self) -> str:
        return f"{self.number[:3]}.{self.number[3:]}" if len(self.number) == 5 else self.number

    @property
    def lines(self) -> tuple[str, ...]:
        """As on the plate, top to bottom."""
        if self.motorbike:
            return f"{self.province}-{self.series}", self.number_text
        return (f"{self.province}{self.series}-{self.number_text}",)

    @property
    def text(self) -> str:
        """The written form: `29A-123.45`, `59-B1 234.56`."""
        return " ".join(self.lines)

    @property
    def key(self) -> str:
        """The search form, letters and digits only: `29A12345`."""
        return search_key(self.text)


def search_key(text: str) -> str:
    """Any plate text as searched and compared: upper case, letters and digits only, diacritics folded
    (`29A-123.45` → `29A12345`, `59-B1 234.56` → `59B123456`). The incidents' plate search uses the same."""
    return plate_key(text)


@dataclass(frozen=True)
class _Read:
    chars: str  # letters and digits only
    breaks: dict[int, str]  # position in `chars` → the separator read before it


def _clean(lines: Sequence[str]) -> _Read:
    chars: list[str] = []
    breaks: dict[int, str] = {}
    for number, line in enumerate(lines):
        text = unicodedata.normalize("NFC", line).upper().translate(_DASHES)
        if number and chars:
            breaks[len(chars)] = _LINE
        for char in text:
            if char.isalnum() and (char.isascii() or char == "Đ"):
                chars.append(char)
            elif char in (_DASH, _DOT) or char.isspace():
                kind = _SPACE if char.isspace() else char
                if chars and breaks.get(len(chars)) in (None, _SPACE):  # the strongest separator seen there
                    breaks[len(chars)] = kind
    return _Read("".join(chars), {at: kind for at, kind in breaks.items() if 0 < at < len(chars)})


def _digit(char: str) -> tuple[str, float] | None:
    if char.isdigit():
        return char, 0.0
    found = AS_DIGIT.get(char)
    if found is None:
        return None
    return found, 0.5 if char in _NEVER_ON_PLATES else 1.0


def _letter(char: str) -> tuple[str, float] | None:
    if char in LETTERS:
        return char, 0.0
    found = AS_LETTER.get(char)
    return (found, 0.5 if char in _NEVER_ON_PLATES else 1.0) if found is not None else None


def _layouts(length: int) -> Iterator[tuple[int, int, int]]:
    """(series letters, series digit, number digits) adding up with the province to `length` characters."""
    for letters, digit, number in product((1, 2), (0, 1), (5, 4)):
        if 2 + letters + digit + number == length:
            yield letters, digit, number


def _fit(read: _Read, letters: int, digit: int, number: int) -> tuple[Plate, float] | None:
    """The plate in this layout and what it cost (fixes and separators out of place), or None."""
    chars = read.chars
    kinds = ["d", "d", *("l" * letters), *("d" * digit), *("d" * number)]
    fixed: list[str] = []
    cost = 0.0
    for char, kind in zip(chars, kinds, strict=True):
        found = _digit(char) if kind == "d" else _letter(char)
        if found is None:
            return None
        fixed.append(found[0])
        cost += found[1]
    fixes = sum(1 for a, b in zip(chars, fixed, strict=True) if a != b)
    series_end = 2 + letters + digit
    allowed = {2: {_DASH, _SPACE}, series_end: {_DASH, _SPACE, _LINE}}
    if number == 5:
        allowed[series_end + 3] = {_DOT, _SPACE}
    for at, kind in read.breaks.items():
        if kind in allowed.get(at, set()):
            continue
        if kind in (_LINE, _DOT):
            return None  # two lines split elsewhere than after the series, a dot not in the number: another layout
        cost += _OUT_OF_PLACE
    text = "".join(fixed)
    if int(text[:2]) not in PROVINCES:
        return None
    plate = Plate(text[:2], text[2:series_end], text[series_end:], fixes)
    return plate, cost


def _best(read: _Read) -> tuple[Plate, float] | None:
    found = [fit for layout in _layouts(len(read.chars)) if (fit := _fit(read, *layout)) is not None]
    if not found:
        return None
    # Cheapest; then a letters-only series and five digits (today's car plates) before the rarer layouts.
    return min(found, key=lambda fit: (fit[1], fit[0].motorbike, len(fit[0].number) != 5))


def _trimmed(read: _Read) -> Iterator[tuple[_Read, float]]:
    """The reading itself, then with one stray character cut off either end (or both), and what that costs."""
    chars = read.chars
    for head, tail in ((0, 0), (1, 0), (0, 1), (1, 1)):
        if len(chars) - head - tail < 7:
            continue
        kept = {at - head: kind for at, kind in read.breaks.items() if head < at < len(chars) - tail}
        cut = chars[:head] + chars[len(chars) - tail:]
        if all(c in _STRAY for c in cut):
            yield _Read(chars[head:len(chars) - tail], kept), sum(1.0 if c.isdigit() else 0.5 for c in cut)


def normalise(lines: str | Sequence[str]) -> Plate | None:
    """The plate in `lines` (one string, or the lines read top to bottom), or None when it fits no Vietnamese
    layout within `MAX_COST`."""
    read = _clean([lines] if isinstance(lines, str) else list(lines))
    if not 7 <= len(read.chars) <= 12:  # 2 + 1 + 0 + 4 … 2 + 2 + 1 + 5, and a stray character either end
        return None
    best: tuple[Plate, float] | None = None
    for candidate, trim in _trimmed(read):
        fit = _best(candidate)
        if fit is None:
            continue
        plate, cost = fit
        cost += trim
        if best is None or cost < best[1]:
            cut = len(read.chars) - len(candidate.chars)
            best = (Plate(plate.province, plate.series, plate.number, plate.fixes + cut), cost)
    if best is None or best[1] > MAX_COST:
        return None
    return best[0]
