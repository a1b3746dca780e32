"""The secrets sweep finds a test password left in a log, a database or captured output, and knows them all."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

from tests.support.secrets_sweep import SUITE_PASSWORDS, file_leaks, store_passwords, text_leaks

ROOT = Path(__file__).resolve().parents[2]
SHORT_OR_COMMON = {"x", "p", "wrong", "secret", "123456", "s3cret", 'p"w\\d'}
_LITERALS = (re.compile(r'Credentials\(\s*"[^"]*",\s*[\'"]([^\'"]+)[\'"]'),
             re.compile(r'password = \\?"([^"\\]+)'),
             re.compile(r"rtsp://[A-Za-z]+:([^@\s\"']+?)@(?:\d|\[)"))


def test_every_password_the_tests_use_is_swept_for() -> None:
    used: set[str] = set()
    for path in (ROOT / "tests").rglob("*.py"):
        text = path.read_text("utf-8")
        for pattern in _LITERALS:
            used |= {unquote(m) for m in pattern.findall(text) if "{" not in m and "***" not in m}
    unswept = {u for u in used - SHORT_OR_COMMON if not any(s in u for s in SUITE_PASSWORDS)}
    assert unswept == set(), "add them to tests/support/secrets_sweep.py SUITE_PASSWORDS"


def test_sweep_finds_passwords_in_files_databases_and_captured_text(tmp_path: Path) -> None:
    import sqlite3

    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "console.log").write_text("open rtsp://admin:Gi%40%20Dong%3A2026%2Fsim@127.0.0.1/x\n")
    with sqlite3.connect(tmp_path / "console.db") as db:
        db.execute("create table t (v text)")
        db.execute("insert into t values ('hunter22')")
    (tmp_path / "credentials.toml").write_text('[demo]\nusername = "admin"\npassword = "R4ndom-Demo"\n')
    (tmp_path / "clean.log").write_text("open rtsp://admin:***@127.0.0.1/x\n")
    secrets = set(SUITE_PASSWORDS) | store_passwords(tmp_path)
    assert "R4ndom-Demo" in secrets
    found = {(Path(leak.where).name, leak.secret) for leak in file_leaks([(tmp_path, None)], secrets)}
    for planted in ("logs/console.log", "console.db"):  # this suite's own sweep must not find them
        (tmp_path / planted).unlink()
    assert found == {("console.log", "Gi@ Dong:2026/sim"), ("console.db", "hunter22")}
    assert [leak.secret for leak in text_leaks("t (stdout)", "user R4ndom-Demo", secrets)] == ["R4ndom-Demo"]


_LEAKING_TEST = """
def test_writes_a_log(tmp_path):
    (tmp_path / "camera.log").write_text("connecting with Bi-Mat#2026")

def test_prints(capsys):
    print("LEAK-PRINT hunter22")
"""


def _inner_run(tmp_path: Path, body: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_inner.py").write_text(body, "utf-8")
    env = {**{k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"},  # its own basetemp, not ours
           "PYTHONPATH": str(ROOT), "TEST_ARTIFACTS": str(tmp_path / "artifacts")}
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "tests.support.secrets_sweep", "-q",
               "--basetemp", str(tmp_path / "inner"), str(tmp_path / "test_inner.py")]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)


def test_a_run_that_leaks_fails_and_names_the_file_and_the_test(tmp_path: Path) -> None:
    leaking = _inner_run(tmp_path, _LEAKING_TEST)
    shutil.rmtree(tmp_path / "inner")  # this suite's own sweep must not find the planted leak
    assert leaking.returncode == 1, leaking.stdout
    assert "camera.log: holds the test password 'Bi…'" in leaking.stdout
    assert "test_inner.py::test_prints (Captured stdout call): holds the test password 'hu…'" in leaking.stdout
    assert "Bi-Mat#2026" not in leaking.stdout and "hunter22" not in leaking.stdout
    clean = _inner_run(tmp_path, "def test_nothing():\n    print('rtsp://admin:***@127.0.0.1/x')\n")
    shutil.rmtree(tmp_path / "inner")
    assert clean.returncode == 0, clean.stdout
