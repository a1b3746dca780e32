"""Why every Qt override in console/ui is `@qt_override`: PySide6 crashes the process when two Python overrides
raise inside one call into Qt. The bare case dies with SIGSEGV in a fresh process; guarded, the process lives and
each exception reaches sys.excepthook; and no override in console/ui is left without the guard."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import sys
from PySide6.QtWidgets import QApplication, QWidget
from console.ui.widgets.overrides import qt_override
app = QApplication(sys.argv)
seen = []
sys.excepthook = lambda kind, exc, tb: seen.append(kind.__name__)
GUARD = {guard}
class Tile(QWidget):
    def showEvent(self, event):
        raise StopIteration("a camera the pool does not know")
if GUARD:
    Tile.showEvent = qt_override(Tile.showEvent)
parent = QWidget()
tiles = [Tile(parent) for _ in range(3)]
parent.show()
print("alive", seen)
"""


def run(guard: bool) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", SCRIPT.format(guard=guard)], capture_output=True, text=True,
                          timeout=60, env=env, cwd=ROOT)


def test_two_raising_overrides_crash_pyside_unless_guarded() -> None:
    bare = run(False)
    assert bare.returncode == -11, (bare.returncode, bare.stdout, bare.stderr[-500:])  # SIGSEGV: PySide's bug
    guarded = run(True)
    assert guarded.returncode == 0, guarded.stderr[-800:]
    assert guarded.stdout.strip() == "alive ['StopIteration', 'StopIteration', 'StopIteration']"


def _unguarded(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and (node.name.endswith("Event") or node.name in
                                                  ("event", "eventFilter")):
            names = {d.id if isinstance(d, ast.Name) else getattr(d, "attr", "") for d in node.decorator_list}
            if "qt_override" not in names:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    return found


def test_every_qt_override_in_the_ui_is_guarded() -> None:
    missing = [line for path in sorted((ROOT / "console" / "ui").rglob("*.py")) for line in _unguarded(path)]
    assert missing == []
