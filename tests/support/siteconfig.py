"""Site configs for tests, made from the shipped Gia Đông demo with its ports moved to free ones."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

from console.core.paths import demo_config_path
from console.simulator.onvif.addresses import onvif_port as simulator_onvif_port
from tests.support.ports import free_ports

_PORT = re.compile(r"127\.0\.0\.1:\d+")


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_value(v)}" for k, v in value.items()) + " }"
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def dump_toml(data: dict[str, Any]) -> str:
    """Enough TOML for site configs: top-level values, [tables] and [[arrays of tables]]."""
    lines = [f"{k} = {_value(v)}" for k, v in data.items() if not isinstance(v, dict | list)]
    for key, value in data.items():
        if isinstance(value, dict):
            lines += ["", f"[{key}]", *(f"{k} = {_value(v)}" for k, v in value.items())]
        elif isinstance(value, list):
            for entry in value:
                lines += ["", f"[[{key}]]", *(f"{k} = {_value(v)}" for k, v in entry.items())]
    return "\n".join(lines) + "\n"


def write_demo_config(path: Path, cameras: int | None = None, credentials: str | None = None,
                      camera_keys: dict[str, Any] | None = None, onvif: dict[str, Any] | None = None) -> Path:
    """Copy of the demo config on free ports, optionally only its first `cameras` cameras and their sites, with
    `camera_keys` (e.g. `{"ingest": "ffmpeg"}`) set on every camera, and with `onvif` every camera gets an
    `onvif` table (those keys, and the simulator's ONVIF port for it)."""
    data = tomllib.loads(demo_config_path().read_text("utf-8"))
    data.pop("credentials_file", None)
    data.pop("map", None)  # the demo's map files stay beside the demo: a test that wants a map names its own
    chosen = data["cameras"][:cameras] if cameras is not None else data["cameras"]
    for camera, port in zip(chosen, free_ports(len(chosen)), strict=True):
        for key in ("main_url", "sub_url"):
            camera[key] = _PORT.sub(f"127.0.0.1:{port}", camera[key])
        camera.pop("credentials", None)
        camera.pop("onvif", None)  # the demo's ONVIF ports are the demo simulator's: asked for below
        if credentials:
            camera["credentials"] = credentials
        camera.update(camera_keys or {})
        if onvif is not None:
            camera["onvif"] = {"port": simulator_onvif_port(port), **onvif}
    used = {c["site"] for c in chosen}
    data["sites"] = [s for s in data["sites"] if s["id"] in used]
    data["cameras"] = chosen
    path.write_text(dump_toml(data), "utf-8")
    return path
