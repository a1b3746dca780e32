"""What a case export writes and says, without a station: the report's words in both languages with the same
placeholders, the case export's sentences naming their file, file names any disk takes, and the per-clip manifest
unchanged by the case manifest's generalisation."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from console.core.recording import TimeRange
from console.evidence.keys import load_or_create_station_key
from console.evidence.manifest import (
    MANIFEST_FILE,
    CaseFacts,
    Labelled,
    RecordedRange,
    case_about,
    write_manifest,
)
from console.evidence.verify import verify_export
from console.incidents.case_folder import case_folder_name, safe_name
from console.incidents.messages import CaseExportError, Say
from console.incidents.messages import templates as sentences
from console.incidents.report_words import Word, templates, word

_FIELD = re.compile(r"{(\w+)}")
_CASE_FILE_SENTENCES = {Say.CASE_SOURCE_MISSING, Say.CASE_UNREADABLE, Say.CASE_ORIGINAL_CHANGED,
                        Say.CASE_CANNOT_WRITE, Say.CASE_NO_SPACE, Say.CASE_CLIP_FAILED, Say.CASE_REPORT_FAILED,
                        Say.CASE_PHASE_CLIP, Say.CASE_PHASE_ORIGINAL, Say.CASE_PHASE_PICTURE, Say.CASE_PHASE_NOTES,
                        Say.CASE_PHASE_REPORT, Say.CASE_PHASE_SIGN}
START_MS = 1_790_000_000_000


def test_every_report_word_has_both_languages_with_the_same_placeholders() -> None:
    assert set(templates()) == set(Word)
    for key, (vi, en) in templates().items():
        assert sorted(_FIELD.findall(vi)) == sorted(_FIELD.findall(en)), key
        assert vi != en, key
    assert word(Word.TITLE) == "Báo cáo hồ sơ vụ việc" and word(Word.COL_HASH) == "Mã băm SHA-256"


@pytest.mark.parametrize("say", sorted(_CASE_FILE_SENTENCES))
def test_what_the_case_export_says_about_a_file_names_it(say: Say) -> None:
    vi, _en = sentences()[say]
    params = {name: "x" for name in _FIELD.findall(vi)} | {"name": "IMG_0412.MOV"}
    refused = CaseExportError(say, **params)
    assert "IMG_0412.MOV" in refused.message() and "IMG_0412.MOV" in refused.message("en")


@pytest.mark.parametrize(("given", "safe"), [
    ("VID_20260101_065800.mp4", "VID_20260101_065800.mp4"),
    ("Video Đường làng.MOV", "Video_Duong_lang.MOV"),
    ("../../etc/passwd", "etc_passwd"),
    (".hidden", "hidden"),
    ("ảnh", "anh"),
    ("视频.mp4", "mp4"),
    ("a" * 200 + ".jpeg", "a" * 75 + ".jpeg"),
])
def test_file_names_in_the_case_folder_are_plain_ascii_and_stay_inside_it(given: str, safe: str) -> None:
    assert safe_name(given) == safe


def test_the_case_folder_is_named_by_incident_and_vietnam_time() -> None:
    assert case_folder_name(12, START_MS) == "vu_viec_12_20260921_211320"


def test_the_clip_manifest_keeps_its_fields_and_a_case_manifest_names_the_incident(tmp_path: Path) -> None:
    key = load_or_create_station_key(tmp_path / "data")
    clip_folder = tmp_path / "clip"
    clip_folder.mkdir()
    (clip_folder / "C01.mp4").write_bytes(b"\x00" * 64)
    write_manifest(clip_folder, [clip_folder / "C01.mp4"], Labelled("C01", "Cổng"), Labelled("S01", "Trụ sở"),
                   TimeRange(START_MS, START_MS + 1000), None, "An", START_MS, "0.1.0", key)
    document = json.loads((clip_folder / MANIFEST_FILE).read_text("utf-8"))
    assert list(document) == ["format", "camera", "site", "range", "camera_clock_offset_s", "exported_by",
                              "exported_at", "software_version", "files", "public_key"]
    case = CaseFacts(12, "Trộm xe máy", "theft", "open", "Cổng trường", None, None,
                     (RecordedRange(Labelled("C01", "Cổng"), TimeRange(START_MS, START_MS + 1000), 1.5,
                                    "doan_video/001_C01.mp4"),))
    about = case_about(case)
    assert about["case"]["incident_id"] == 12 and about["case"]["range"] is None
    assert about["recordings"][0]["camera_clock_offset_s"] == 1.5
    assert verify_export(clip_folder, key.public).ok
