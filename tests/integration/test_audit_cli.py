"""The two verifiers as the department and a prosecutor run them: fresh processes, JSON on stdout, exit 1 on
tampering; the evidence one on a machine with no console data folder at all."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchmarks.audit import changed_field, signed_trail
from console.core.recording import TimeRange
from console.evidence.keys import PUBLIC_KEY_FILE, key_folder, load_or_create_station_key
from console.evidence.manifest import MANIFEST_FILE, Labelled, write_manifest

ROOT = Path(__file__).resolve().parents[2]
AUDIT_KEYS = {"rows", "ok", "first_bad_row", "reason", "last_checkpoint"}
EVIDENCE_KEYS = {"ok", "files", "signed_by", "reason"}
HEAVY = ("PySide6", "av", "numpy", "sqlite_utils", "vlc", "PIL")


def run(args: list[str], env: dict[str, str], cwd: Path = ROOT) -> tuple[int, dict[str, Any], str]:
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=120, cwd=cwd, env=env)
    return done.returncode, json.loads(done.stdout) if done.stdout.startswith("{") else {}, done.stdout + done.stderr


def bare_env(home: Path, data: Path) -> dict[str, str]:
    """A machine that has never run the console: an empty home, no data folder."""
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "CAMERA_CONSOLE_DATA": str(data), "LANG": "C.UTF-8",
            "PYTHONPATH": str(ROOT)}


def test_audit_verify_passes_a_signed_trail_and_fails_a_tampered_one(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    db, _ = signed_trail(data, 5000)
    env = bare_env(tmp_path / "home", data)
    code, result, output = run(["-m", "console.audit", "verify", "--json"], env)  # default: the data folder's db
    assert code == 0, output
    assert result.keys() >= AUDIT_KEYS and result["ok"] is True and result["rows"] == 5000 + 5  # a checkpoint each 1000
    assert result["first_bad_row"] is None and result["reason"] is None and result["last_checkpoint"] == 5005
    changed_field(db)
    code, result, output = run(["-m", "console.audit", "verify", "--db", str(db), "--json"], env)
    assert code == 1, output
    assert (result["ok"], result["first_bad_row"], result["finding"]) == (False, 4321, "changed_row")
    assert "đã bị sửa" in result["reason_vi"]
    code, _, output = run(["-m", "console.audit", "verify", "--db", str(db)], env)
    assert code == 1 and "Dòng" in output  # the plain line is Vietnamese


def test_audit_verify_cannot_check_without_a_database_or_key(tmp_path: Path) -> None:
    env = bare_env(tmp_path / "home", tmp_path / "nothing")
    code, result, _ = run(["-m", "console.audit", "verify", "--json"], env)
    assert code == 2 and result["ok"] is False and result["finding"] == "no_database"
    data = tmp_path / "data"
    db, _ = signed_trail(data, 10)
    shutil.rmtree(key_folder(data))
    code, result, _ = run(["-m", "console.audit", "verify", "--db", str(db), "--json"], env)
    assert code == 2 and result["finding"] == "no_public_key"


def test_evidence_verify_runs_on_a_prosecutors_pc(tmp_path: Path) -> None:
    station = load_or_create_station_key(tmp_path / "station")
    folder = tmp_path / "usb" / "C01_2025-12-03"
    folder.mkdir(parents=True)
    clip = folder / "C01_2025-12-03_1356.mp4"
    clip.write_bytes(b"\x00\x00\x00\x18ftypisom" + bytes(range(256)) * 400)
    write_manifest(folder, [clip], Labelled("C01", "Cổng UBND xã"), Labelled("S01", "Trụ sở"),
                   TimeRange(1_764_745_000_000, 1_764_745_600_000), None, "Nguyễn Văn An", 1_764_746_000_000,
                   "0.1.0", station)
    pc = tmp_path / "prosecutor"
    received = pc / "received"
    shutil.copytree(folder, received)  # only what the USB stick carried
    (pc / "home").mkdir()
    env = bare_env(pc / "home", pc / "no-console-data")
    probe = ("import runpy, sys\nsys.argv = ['console.evidence', *sys.argv[1:]]\ntry:\n"
             "    runpy.run_module('console.evidence', run_name='__main__')\nexcept SystemExit as done:\n"
             f"    heavy = sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})\n"
             "    sys.stderr.write('HEAVY=' + repr(heavy))\n    raise\n")
    mp4 = received / clip.name
    code, result, output = run(["-c", probe, "verify", str(mp4), "--json"], env, cwd=pc)
    assert code == 0, output
    assert "HEAVY=[]" in output
    assert result.keys() >= EVIDENCE_KEYS and result["ok"] is True and result["reason"] is None
    assert result["signed_by"] == station.public.fingerprint() and result["key_source"] == "enclosed"
    assert [f["name"] for f in result["files"]] == [clip.name] and result["files"][0]["ok"] is True
    code, result, output = run(["-m", "console.evidence", "verify", str(received), "--public-key",
                                str(received / PUBLIC_KEY_FILE), "--json"], env, cwd=pc)
    assert code == 0 and result["key_source"] == "given", output
    assert not (pc / "no-console-data").exists() and list((pc / "home").iterdir()) == []

    other = load_or_create_station_key(tmp_path / "other")
    (tmp_path / "other.pub").write_bytes(other.public.pem())
    code, result, _ = run(["-m", "console.evidence", "verify", str(mp4), "--public-key", str(tmp_path / "other.pub"),
                           "--json"], env, cwd=pc)
    assert code == 1 and result["ok"] is False and result["problem"] == "wrong_key"

    data = bytearray(mp4.read_bytes())
    data[5000] ^= 0x20
    mp4.write_bytes(bytes(data))
    code, result, output = run(["-m", "console.evidence", "verify", str(mp4), "--json"], env, cwd=pc)
    assert code == 1 and result["ok"] is False and result["files"][0]["ok"] is False, output
    assert "đã bị thay đổi" in result["reason_vi"]
    shutil.copyfile(clip, mp4)
    manifest = received / MANIFEST_FILE
    manifest.write_text(manifest.read_text("utf-8").replace("Nguyễn Văn An", "Nguyễn Văn Ân"), "utf-8")
    code, result, _ = run(["-m", "console.evidence", "verify", str(mp4), "--json"], env, cwd=pc)
    assert code == 1 and result["problem"] == "bad_signature"
    code, _, output = run(["-m", "console.evidence", "verify", str(mp4)], env, cwd=pc)
    assert code == 1 and "tệp kê khai đã bị sửa" in output  # the plain report is Vietnamese


def test_the_audit_verifier_loads_neither_qt_nor_pyav(tmp_path: Path) -> None:
    """The department's technician checks a copied database on any machine: the verifier is light."""
    probe = f"import sys, console.audit.cli\nprint(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, cwd=ROOT,
                          env=bare_env(tmp_path, tmp_path / "data"))
    assert done.stdout.strip() == "[]", done.stderr
