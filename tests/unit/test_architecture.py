"""Arrows point downward: core imports nothing of ours or Qt; widgets live only under console/ui."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "console"


def imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def modules(sub: str) -> list[Path]:
    return sorted((PACKAGE / sub).rglob("*.py"))


@pytest.mark.parametrize("layer", ["core", "media", "store", "simulator"])
def test_layer_does_not_import_qt(layer: str) -> None:
    offenders = [str(p) for p in modules(layer) if any(n.startswith("PySide6") for n in imports(p))]
    assert offenders == []


def test_core_imports_nothing_else_of_ours() -> None:
    offenders = {str(p): sorted(n for n in imports(p) if n.startswith("console.") and
                                not n.startswith("console.core"))
                 for p in modules("core")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_widgets_only_under_ui() -> None:
    outside = [p for p in PACKAGE.rglob("*.py") if "ui" not in p.relative_to(PACKAGE).parts[:1]
               and p.name != "app.py"]
    offenders = [str(p) for p in outside if any(n.startswith("PySide6.QtWidgets") for n in imports(p))]
    assert offenders == []
