"""Signed evidence: the station key (made once, owner-only, refused when others can read it), the manifest an
export carries, and the verifier that refuses any changed byte, missing file or wrong key."""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import threading
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from console.core.recording import TimeRange
from console.evidence.keys import (
    PRIVATE_KEY_FILE,
    PUBLIC_KEY_FILE,
    StationKey,
    fingerprint,
    key_folder,
    load_or_create_station_key,
    load_station_key,
    station_public_key,
)
from console.evidence.manifest import (
    ENCLOSED_KEY_FILE,
    MANIFEST_FILE,
    SIGNATURE_FILE,
    Labelled,
    write_manifest,
)
from console.evidence.messages import EvidenceError, Say, templates
from console.evidence.verify import KeySource, verify_export

_FIELD = re.compile(r"{(\w+)}")
START_MS = 1_764_745_000_000


@pytest.fixture()
def station(tmp_path: Path) -> StationKey:
    return load_or_create_station_key(tmp_path / "data")


def export(folder: Path, key: StationKey, clip_bytes: bytes = b"\x00\x00\x00\x18ftypisom" + bytes(range(256)) * 64
           ) -> Path:
    """An export as the console leaves it: the MP4, its record sheet, the signed manifest."""
    folder.mkdir(parents=True)
    clip = folder / "C01_20251203_1356.mp4"
    clip.write_bytes(clip_bytes)
    sheet = folder / "C01_20251203_1356.pdf"
    sheet.write_bytes(b"%PDF-1.4 bien ban trich xuat")
    write_manifest(folder, [clip, sheet], Labelled("C01", "Cổng UBND xã"), Labelled("S01", "Trụ sở UBND"),
                   TimeRange(START_MS, START_MS + 600_000), -2.0, "Nguyễn Văn An", START_MS + 900_000, "0.1.0", key)
    return clip


def flip_one_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def test_the_station_key_is_made_once_and_owner_only(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = load_or_create_station_key(data)
    again = load_or_create_station_key(data)
    assert again.public == first.public
    private = key_folder(data) / PRIVATE_KEY_FILE
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_folder(data).stat().st_mode) == 0o700
    assert station_public_key(data) == first.public  # About reads it without the private key
    assert sorted(p.name for p in key_folder(data).iterdir()) == [PRIVATE_KEY_FILE, PUBLIC_KEY_FILE]


def test_two_threads_at_first_start_get_the_same_key(tmp_path: Path) -> None:
    data = tmp_path / "data"
    keys: list[StationKey] = []
    threads = [threading.Thread(target=lambda: keys.append(load_or_create_station_key(data))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({k.public for k in keys}) == 1
    assert sorted(p.name for p in key_folder(data).iterdir()) == [PRIVATE_KEY_FILE, PUBLIC_KEY_FILE]


def test_a_private_key_others_can_read_is_refused_in_vietnamese(tmp_path: Path, station: StationKey) -> None:
    private = key_folder(tmp_path / "data") / PRIVATE_KEY_FILE
    pem = private.read_bytes()
    for mode in (0o640, 0o604, 0o660):
        os.chmod(private, mode)
        with pytest.raises(EvidenceError) as refused:
            load_station_key(tmp_path / "data")
        assert refused.value.say is Say.KEY_READABLE_BY_OTHERS
        vietnamese = refused.value.message("vi")
        assert "người khác đọc được" in vietnamese and f"chmod 600 {private}" in vietnamese
        assert f"quyền {mode:o}" in vietnamese
        assert pem.decode() not in vietnamese + str(refused.value)
    os.chmod(private, 0o600)
    assert load_station_key(tmp_path / "data").public == station.public


def test_a_replaced_public_key_file_is_refused(tmp_path: Path, station: StationKey) -> None:
    other = load_or_create_station_key(tmp_path / "other")
    (key_folder(tmp_path / "data") / PUBLIC_KEY_FILE).write_bytes(other.public.pem())
    with pytest.raises(EvidenceError) as refused:
        load_station_key(tmp_path / "data")
    assert refused.value.say is Say.KEY_MISMATCH


def test_the_fingerprint_is_the_sha256_of_the_raw_public_key_in_groups_of_four(station: StationKey) -> None:
    digest = hashlib.sha256(station.public.raw).hexdigest().upper()
    assert station.public.fingerprint() == fingerprint(station.public.raw)
    assert station.public.fingerprint().replace(" ", "") == digest
    assert [len(g) for g in station.public.fingerprint().split(" ")] == [4] * 16


def test_the_key_never_shows_its_private_half(station: StationKey) -> None:
    pem = station.path.read_bytes()
    raw = serialization.load_pem_private_key(pem, None).private_bytes(  # type: ignore[union-attr]
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    for shown in (repr(station), str(station), f"{station}"):
        assert raw.hex() not in shown and pem.decode() not in shown
        assert station.public.fingerprint() in shown


def test_an_export_verifies_with_the_station_key_and_carries_it(tmp_path: Path, station: StationKey) -> None:
    clip = export(tmp_path / "export", station)
    folder = clip.parent
    document = json.loads((folder / MANIFEST_FILE).read_text("utf-8"))
    assert [(f["name"], f["size"]) for f in document["files"]] == [(clip.name, clip.stat().st_size),
                                                                  ("C01_20251203_1356.pdf", 28)]
    assert document["files"][0]["sha256"] == hashlib.sha256(clip.read_bytes()).hexdigest()
    assert document["camera"] == {"id": "C01", "name": "Cổng UBND xã"} and document["exported_by"] == "Nguyễn Văn An"
    assert document["range"]["start"]["vietnam"] == "03/12/2025 13:56:40 (UTC+7)"
    assert document["camera_clock_offset_s"] == -2.0 and document["software_version"] == "0.1.0"
    assert document["public_key"]["fingerprint_sha256"] == station.public.fingerprint()
    assert len((folder / SIGNATURE_FILE).read_bytes()) == 64
    assert (folder / ENCLOSED_KEY_FILE).read_bytes() == station.public.pem()
    for target in (clip, folder):
        verdict = verify_export(target, station.public)
        assert verdict.ok and verdict.key_source is KeySource.GIVEN
        assert verdict.signed_by == station.public.fingerprint() and all(f.ok for f in verdict.files)
    alone = verify_export(clip)
    assert alone.ok and alone.key_source is KeySource.ENCLOSED and "biên bản" in alone.note("vi")


def test_a_changed_byte_in_the_mp4_is_refused(tmp_path: Path, station: StationKey) -> None:
    clip = export(tmp_path / "export", station)
    flip_one_byte(clip, 4000)
    verdict = verify_export(clip, station.public)
    assert not verdict.ok and verdict.problem is Say.FILE_CHANGED
    assert [f.ok for f in verdict.files] == [False, True]
    assert clip.name in (verdict.reason("vi") or "") and "đã bị thay đổi" in (verdict.reason("vi") or "")


def test_a_longer_or_shorter_mp4_is_refused(tmp_path: Path, station: StationKey) -> None:
    clip = export(tmp_path / "export", station)
    size = clip.stat().st_size
    with open(clip, "ab") as handle:
        handle.write(b"\x00")
    assert verify_export(clip, station.public).problem is Say.FILE_SIZE_CHANGED
    os.truncate(clip, size - 1)
    verdict = verify_export(clip, station.public)
    assert verdict.problem is Say.FILE_SIZE_CHANGED and f"{size - 1} byte" in (verdict.reason("vi") or "")


@pytest.mark.parametrize("offset", [0, 300, -3])
def test_a_changed_byte_in_the_manifest_is_refused(tmp_path: Path, station: StationKey, offset: int) -> None:
    clip = export(tmp_path / "export", station)
    flip_one_byte(clip.parent / MANIFEST_FILE, offset)
    for key in (station.public, None):
        verdict = verify_export(clip, key)
        assert not verdict.ok and verdict.problem in {Say.BAD_SIGNATURE, Say.MANIFEST_UNREADABLE}


def test_a_manifest_edited_to_match_an_edited_video_is_refused(tmp_path: Path, station: StationKey) -> None:
    clip = export(tmp_path / "export", station)
    flip_one_byte(clip, 100)
    manifest = clip.parent / MANIFEST_FILE
    document = json.loads(manifest.read_text("utf-8"))
    document["files"][0]["sha256"] = hashlib.sha256(clip.read_bytes()).hexdigest()
    manifest.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", "utf-8")
    assert verify_export(clip, station.public).problem is Say.BAD_SIGNATURE


def test_an_export_signed_with_another_key_is_refused(tmp_path: Path, station: StationKey) -> None:
    forger = load_or_create_station_key(tmp_path / "forger")
    clip = export(tmp_path / "export", forger)
    verdict = verify_export(clip, station.public)
    assert verdict.problem is Say.WRONG_KEY
    assert station.public.fingerprint() in (verdict.reason("vi") or "")
    assert forger.public.fingerprint() in (verdict.reason("vi") or "")
    alone = verify_export(clip)  # consistent with itself: the fingerprint tells who signed
    assert alone.ok and alone.signed_by == forger.public.fingerprint() != station.public.fingerprint()


def test_a_swapped_enclosed_key_file_is_refused(tmp_path: Path, station: StationKey) -> None:
    clip = export(tmp_path / "export", station)
    other = load_or_create_station_key(tmp_path / "other")
    (clip.parent / ENCLOSED_KEY_FILE).write_bytes(other.public.pem())
    assert verify_export(clip).problem is Say.ENCLOSED_KEY_DIFFERS


def test_missing_pieces_are_named(tmp_path: Path, station: StationKey) -> None:
    clip = export(tmp_path / "export", station)
    (clip.parent / "C01_20251203_1356.pdf").unlink()
    assert verify_export(clip, station.public).problem is Say.FILE_MISSING
    (clip.parent / SIGNATURE_FILE).unlink()
    assert verify_export(clip, station.public).problem is Say.NO_SIGNATURE
    (clip.parent / MANIFEST_FILE).unlink()
    assert verify_export(clip, station.public).problem is Say.NO_MANIFEST


def test_a_file_beside_the_export_is_not_evidence(tmp_path: Path, station: StationKey) -> None:
    clip = export(tmp_path / "export", station)
    stranger = clip.parent / "them_vao.mp4"
    stranger.write_bytes(b"added later")
    assert verify_export(clip, station.public).unlisted == ("them_vao.mp4",)
    assert verify_export(stranger, station.public).problem is Say.NOT_IN_MANIFEST


def test_a_signed_manifest_may_not_name_files_outside_its_folder(tmp_path: Path, station: StationKey) -> None:
    clip = export(tmp_path / "export", station)
    manifest = clip.parent / MANIFEST_FILE
    document = json.loads(manifest.read_text("utf-8"))
    document["files"][0]["name"] = "../data/keys/station-ed25519.key"
    data = json.dumps(document).encode()
    manifest.write_bytes(data)
    (clip.parent / SIGNATURE_FILE).write_bytes(station.sign(data))
    assert verify_export(clip, station.public).problem is Say.BAD_FILE_NAME


def test_the_writer_keeps_one_export_per_folder_and_files_inside_it(tmp_path: Path, station: StationKey) -> None:
    clip = export(tmp_path / "export", station)
    args = (Labelled("C01", "x"), Labelled("S01", "y"), TimeRange(0, 1), None, "a", 1, "0.1.0", station)
    with pytest.raises(EvidenceError) as exists:
        write_manifest(clip.parent, [clip], *args)
    assert exists.value.say is Say.MANIFEST_EXISTS
    outside = tmp_path / "outside.mp4"
    outside.write_bytes(b"x")
    (tmp_path / "second").mkdir()
    with pytest.raises(EvidenceError) as escaped:
        write_manifest(tmp_path / "second", [outside], *args)
    assert escaped.value.say is Say.FILE_OUTSIDE_FOLDER
    assert not (tmp_path / "second" / MANIFEST_FILE).exists()


def test_every_message_has_both_languages_with_the_same_placeholders() -> None:
    assert set(templates()) == set(Say)
    for say, (vi, en) in templates().items():
        assert sorted(_FIELD.findall(vi)) == sorted(_FIELD.findall(en)), say
