"""Arrows point downward: core imports nothing of ours or Qt; widgets live only under console/ui."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.source_imports import imports

PACKAGE = Path(__file__).resolve().parents[2] / "console"


def modules(sub: str) -> list[Path]:
    return sorted((PACKAGE / sub).rglob("*.py"))


@pytest.mark.parametrize("layer", ["core", "media", "store", "simulator", "plates", "bookmarks"])
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


def test_only_the_libvlc_door_imports_vlc() -> None:
    """`import vlc` loads libVLC at once: only console/media/vlc.py does it, lazily, after the bundle's paths."""
    door = PACKAGE / "media" / "vlc.py"
    offenders = [str(p) for p in PACKAGE.rglob("*.py") if p != door and "vlc" in imports(p)]
    assert offenders == []
    top_level = {n for node in ast.parse(door.read_text("utf-8")).body if isinstance(node, ast.Import)
                 for n in (alias.name for alias in node.names)}
    assert "vlc" not in top_level  # imported inside `load`, never when the module is imported


def test_nothing_in_the_package_imports_the_tests() -> None:
    offenders = [str(p) for p in PACKAGE.rglob("*.py") if any(n.split(".")[0] == "tests" for n in imports(p))]
    assert offenders == []


@pytest.mark.parametrize("tool", ["console.config", "console.cli.config_check", "console.cli.credentials"])
def test_command_line_tools_run_without_qt(tool: str) -> None:
    """A technician checks a site file on a machine where Qt may not even start: the tools never load it."""
    probe = f"import sys, {tool}; print(sorted(m for m in sys.modules if m.startswith('PySide6')))"
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                         cwd=PACKAGE.parent, check=True)
    assert run.stdout.strip() == "[]"


def test_the_data_folder_is_where_qt_puts_application_data(tmp_path: Path) -> None:
    """core/paths.data_dir (no Qt) names the folder QStandardPaths gave earlier versions, so data stays put."""
    probe = ("from PySide6.QtCore import QCoreApplication, QStandardPaths\n"
             "from console.core.paths import APPLICATION_NAME, data_dir\n"
             "QCoreApplication.setApplicationName(APPLICATION_NAME)\n"
             "QCoreApplication.setOrganizationName('')\n"
             "qt = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)\n"
             "print(qt == str(data_dir()), qt, data_dir())\n")
    for extra in ({}, {"XDG_DATA_HOME": str(tmp_path / "xdg")}):
        env = {"HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin", **extra}
        run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                             cwd=PACKAGE.parent, env=env, check=True)
        assert run.stdout.startswith("True "), run.stdout


@pytest.mark.parametrize("layer", ["core", "media"])
def test_core_and_media_never_import_the_store(layer: str) -> None:
    """The database is handed in (index openers, protocols in core): media never opens SQLite itself."""
    offenders = {str(p): sorted(n for n in imports(p) if n.startswith("console.store")) for p in modules(layer)}
    assert {k: v for k, v in offenders.items() if v} == {}
    sqlite = [str(p) for p in modules(layer) if "sqlite3" in imports(p) or "sqlite_utils" in imports(p)]
    assert sqlite == []


UI_ROOMS = {"live", "map", "alerts", "playback", "shell", "widgets", "onboarding", "officers", "audit", "incidents",
            "province", "plates", "bookmarks"}


def test_the_ui_is_a_house_of_rooms_by_concern() -> None:
    """console/ui holds folders only, one per concern; a new file goes into the room it belongs to."""
    ui = PACKAGE / "ui"
    loose = sorted(p.name for p in ui.glob("*.py") if p.name != "__init__.py")
    rooms = {p.name for p in ui.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert loose == [] and rooms == UI_ROOMS


def test_shared_widgets_depend_on_no_room() -> None:
    """ui/widgets is below the rooms: the rooms use it, it uses none of them."""
    offenders = {str(p): sorted(n for n in imports(p) if n.startswith("console.ui.") and
                                not n.startswith("console.ui.widgets"))
                 for p in modules("ui/widgets")}
    assert {k: v for k, v in offenders.items() if v} == {}
