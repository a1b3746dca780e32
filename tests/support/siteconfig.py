"""Site configs for tests, made from the shipped Gia Đông demo with its ports moved to free ones."""

from __future__ import annotations

import re
from pathlib import Path

from console.core.paths import demo_config_path
from tests.support.ports import free_ports

_PORT = re.compile(r"127\.0\.0\.1:(\d+)")
_CAMERA_BLOCK = re.compile(r"\n\[\[cameras\]\]\n")


def write_demo_config(path: Path, cameras: int | None = None, credentials: str | None = None) -> Path:
    """Copy of the demo config with free ports, optionally only the first `cameras` cameras."""
    text = demo_config_path().read_text("utf-8")
    head, *blocks = _CAMERA_BLOCK.split(text)
    if cameras is not None:
        blocks = blocks[:cameras]
    ports = free_ports(len(blocks))
    out = [head]
    for block, port in zip(blocks, ports, strict=True):
        block = _PORT.sub(f"127.0.0.1:{port}", block)
        block = re.sub(r'credentials = "demo"\n?', f'credentials = "{credentials}"\n' if credentials else "", block)
        out.append(block)
    body = "\n[[cameras]]\n".join(out)
    body = body.replace('credentials_file = "credentials.toml"\n', "")
    if cameras is not None:  # keep only sites that still have cameras, so the config stays warning-free
        used = set(re.findall(r'site = "(S\d+)"', "".join(blocks)))
        site_blocks = body.split("\n[[sites]]\n")
        kept = [b for b in site_blocks[1:] if re.search(r'id = "(S\d+)"', b).group(1) in used]  # type: ignore[union-attr]
        body = "\n[[sites]]\n".join([site_blocks[0], *kept])
    path.write_text(body, "utf-8")
    return path
