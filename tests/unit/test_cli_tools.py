"""`camera-console onvif|audit|evidence …` runs the department's tools as `python -m console.<tool>` does: the
frozen bundle has no `-m`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from console.__main__ import main


def test_evidence_and_audit_verify_run_through_the_console_command(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evidence", "verify", str(tmp_path), "--json"]) == 1  # an empty folder is no signed export
    assert json.loads(capsys.readouterr().out)["problem"] == "no_manifest"
    assert main(["audit", "verify", "--db", str(tmp_path / "missing.db"), "--json"]) == 2  # nothing to check


def test_the_onvif_tool_is_reached(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as asked:
        main(["onvif", "--help"])
    assert asked.value.code == 0 and "discover" in capsys.readouterr().out
