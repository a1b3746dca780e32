"""The bell's sound-device probe on Linux: an ALSA card or a PulseAudio / PipeWire server, read from real files."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from console.media.alarm_bell import sound_device_present

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the probe reads Linux's /proc")


def test_no_card_and_no_sound_server_is_no_device(tmp_path: Path) -> None:
    cards = tmp_path / "cards"
    cards.write_text("--- no soundcards ---\n")
    assert not sound_device_present(cards, runtime_dir=str(tmp_path), pulse_server="")
    assert not sound_device_present(tmp_path / "missing", runtime_dir="", pulse_server="")  # no ALSA driver


def test_an_alsa_card_or_a_sound_server_is_a_device(tmp_path: Path) -> None:
    cards = tmp_path / "cards"
    cards.write_text(" 0 [PCH            ]: HDA-Intel - HDA Intel PCH\n"
                     "                      HDA Intel PCH at 0xf7f10000 irq 32\n")
    assert sound_device_present(cards, runtime_dir="", pulse_server="")
    none = tmp_path / "none"
    none.write_text("--- no soundcards ---\n")
    (tmp_path / "run" / "pulse").mkdir(parents=True)
    (tmp_path / "run" / "pulse" / "native").touch()
    assert sound_device_present(none, runtime_dir=str(tmp_path / "run"), pulse_server="")
    assert sound_device_present(none, runtime_dir="", pulse_server="tcp:10.0.0.5")
