"""The uplink is no widget code: console/uplink imports neither Qt, qasync nor the UI (the network loop thread
and the status snapshot are plain Python)."""

from __future__ import annotations

from pathlib import Path

from tests.support.source_imports import imports

PACKAGE = Path(__file__).resolve().parents[2] / "console"


def test_the_uplink_imports_no_qt_and_no_ui() -> None:
    modules = sorted((PACKAGE / "uplink").rglob("*.py"))
    assert modules
    offenders = {str(p): sorted(n for n in imports(p) if n.startswith(("PySide6", "console.ui", "qasync")))
                 for p in modules}
    assert {k: v for k, v in offenders.items() if v} == {}
