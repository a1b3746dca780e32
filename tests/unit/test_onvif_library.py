"""The ONVIF library is loaded only when used, and using it leaves the process as it was: root logging
untouched, proxy variables kept, no Qt, nothing of it imported by the rest of the package."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from tests.support.source_imports import imports

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "console" / "onvif"

# Loads the library, builds and closes a camera object, and prints what the process looks like after.
_USE_THE_LIBRARY = """
import asyncio, json, logging, os, sys
{setup}
before = {{"handlers": [repr(h) for h in logging.getLogger().handlers], "level": logging.getLogger().level,
          "env": {{k: os.environ.get(k) for k in ("http_proxy", "https_proxy", "HTTP_PROXY", "no_proxy")}}}}
from console.onvif.library import load, new_camera
library = load()
async def use():
    camera = new_camera(library, "127.0.0.1", 9, "admin", "pw", adjust_time=False)
    await camera.close()
asyncio.run(use())
after = {{"handlers": [repr(h) for h in logging.getLogger().handlers], "level": logging.getLogger().level,
         "env": {{k: os.environ.get(k) for k in ("http_proxy", "https_proxy", "HTTP_PROXY", "no_proxy")}}}}
print(json.dumps({{"before": before, "after": after, "onvif": "onvif" in sys.modules}}))
"""


def _run(code: str, env_extra: dict[str, str] | None = None) -> dict[str, object]:
    env = {"PATH": "/usr/bin:/bin", **(env_extra or {})}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT,
                         env=env, check=True)
    result: dict[str, object] = json.loads(run.stdout.strip().splitlines()[-1])
    assert run.stderr == "", run.stderr  # basicConfig's handler would have printed the library's INFO here
    return result


def test_loading_the_library_leaves_an_unconfigured_root_logger_unconfigured() -> None:
    result = _run(_USE_THE_LIBRARY.format(setup=""))
    assert result["onvif"] is True
    assert result["before"] == result["after"]
    assert result["after"]["handlers"] == [] and result["after"]["level"] == 30  # type: ignore[index]


def test_loading_the_library_keeps_the_consoles_own_handlers_and_level() -> None:
    setup = "logging.getLogger().addHandler(logging.StreamHandler(sys.stdout)); logging.getLogger().setLevel(10)"
    result = _run(_USE_THE_LIBRARY.format(setup=setup))
    assert result["before"] == result["after"]


def test_a_camera_object_leaves_the_proxy_variables_as_they_were() -> None:
    proxies = {"http_proxy": "http://proxy.invalid:3128", "https_proxy": "http://proxy.invalid:3129",
               "HTTP_PROXY": "http://upper.invalid:1", "no_proxy": "localhost"}
    result = _run(_USE_THE_LIBRARY.format(setup=""), proxies)
    assert result["before"] == result["after"]
    assert result["after"]["env"] == proxies  # type: ignore[index]


def test_the_library_can_also_be_absent_from_the_environment_entirely() -> None:
    result = _run(_USE_THE_LIBRARY.format(setup=""))
    assert result["after"]["env"] == {"http_proxy": None, "https_proxy": None, "HTTP_PROXY": None,  # type: ignore[index]
                                      "no_proxy": None}


def test_importing_the_adapter_loads_neither_the_library_nor_zeep_nor_qt() -> None:
    probe = ("import sys, console.onvif.cli, console.onvif.device, console.onvif.discovery, console.onvif.clock\n"
             "print(sorted(m for m in ('onvif', 'zeep', 'lxml', 'aiohttp', 'PySide6') if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, cwd=ROOT,
                         check=True)
    assert run.stdout.strip() == "[]"


def test_only_the_library_door_imports_onvif_and_nothing_imports_qt() -> None:
    door = PACKAGE / "library.py"
    for path in PACKAGE.rglob("*.py"):
        names = imports(path)
        assert not any(n.startswith("PySide6") for n in names), path
        if path != door:
            assert not any(n == "onvif" or n.startswith(("onvif.", "zeep")) for n in names), path
    top_level = {alias.name for node in ast.parse(door.read_text("utf-8")).body if isinstance(node, ast.Import)
                 for alias in node.names}
    assert not any(n.startswith("onvif") for n in top_level)  # imported inside `load`, never at import time
