"""Every UI string has a finished Vietnamese translation with the source's placeholders."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from console.core.config_messages import templates

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import i18n  # noqa: E402

_FIELD = re.compile(r"\{(\w*)\}")


def test_vietnamese_ts_has_no_unfinished_or_mismatched_entry() -> None:
    assert i18n.problems(i18n.TS) == []


def test_ts_problems_are_detected(tmp_path: Path) -> None:
    broken = tmp_path / "x.ts"
    broken.write_text(i18n.TS.read_text("utf-8").replace("{commune}</translation>", "{xa}</translation>", 1), "utf-8")
    assert any("placeholders differ" in p for p in i18n.problems(broken))


def test_config_messages_keep_placeholders_in_both_languages() -> None:
    for problem, (vi, en) in templates().items():
        assert sorted(_FIELD.findall(vi)) == sorted(_FIELD.findall(en)), problem
