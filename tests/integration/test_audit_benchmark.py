"""`python -m benchmarks.audit` runs end to end (small sizes), writes the issue's JSON keys, catches every
tamper case, and `--keep-db` leaves a trail that `python -m console.audit verify` checks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from console.officers.roles import Permission

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"rows", "append_per_s", "verify_s", "tamper_cases", "tamper_detected", "role_checks",
        "role_refusals_correct", "login_ms_p95", "export_sign_ms"}


def test_audit_benchmark_smoke(tmp_path: Path) -> None:
    out, kept = tmp_path / "audit.json", tmp_path / "kept" / "console.db"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "CAMERA_CONSOLE_DATA": str(tmp_path / "data")}
    result = subprocess.run([sys.executable, "-m", "benchmarks.audit", "--json", str(out), "--rows", "3000",
                             "--export-mb", "2", "--keep-db", str(kept)], capture_output=True, text=True,
                            timeout=300, cwd=ROOT, env=env)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    data = json.loads(out.read_text("utf-8"))
    assert data.keys() >= KEYS
    assert data["rows"] == 3000 and data["verify_ok"] is True and data["rows_stored"] == 3000 + 3
    assert data["tamper_cases"] >= 6 and data["tamper_detected"] == data["tamper_cases"]
    assert data["append_per_s"] > 0 and data["verify_s"] >= 0 and data["export_sign_ms"] > 0
    assert data["export_verified"] is True
    assert data["role_checks"] == data["role_refusals_correct"] == 3 * len(Permission) and data["role_wrong"] == []
    assert data["login_ms_p95"] > 0
    check = subprocess.run([sys.executable, "-m", "console.audit", "verify", "--db", str(kept), "--json"],
                           capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)
    assert check.returncode == 0 and json.loads(check.stdout)["rows"] == 3003, check.stdout + check.stderr
