"""The package the department builds, made once per test session from this checkout with a generated
commune seed (site config on free ports, two users, a small MBTiles pack)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.installed import write_seed

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def built_deb(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """`packaging/build.py deb --seed …`: its JSON report, with "deb" the package's path."""
    seed = write_seed(tmp_path_factory.mktemp("department") / "seed")
    build = subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py"), "deb", "--seed", str(seed)],
                           capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    report: dict[str, object] = json.loads(build.stdout[build.stdout.index("{"):])
    report["seed_dir"] = str(seed)
    return report
