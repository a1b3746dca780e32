"""Version, commit and build date: written into the bundle by the packaging build, read from git in a checkout."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from console import __version__

BUILD_INFO_FILE = "build_info.json"
GIT_TIMEOUT_S = 2.0


@dataclass(frozen=True)
class BuildInfo:
    version: str
    commit: str | None  # short hash; None when neither the bundle nor git knows it
    built_utc: datetime | None  # None when running from a source checkout

    def to_json(self) -> str:
        return json.dumps({"version": self.version, "commit": self.commit,
                           "built_utc": self.built_utc.isoformat() if self.built_utc else None})

    def one_line(self) -> str:
        """`0.1.0 (commit 3ad9b4b, built 2026-11-24 15:40 UTC)` for --version and logs."""
        parts = [f"commit {self.commit}" if self.commit else "commit unknown"]
        parts.append(f"built {self.built_utc:%Y-%m-%d %H:%M} UTC" if self.built_utc else "source checkout")
        return f"{self.version} ({', '.join(parts)})"


def parse_build_info(text: str) -> BuildInfo:
    data = json.loads(text)
    built = data.get("built_utc")
    return BuildInfo(version=str(data.get("version") or __version__), commit=data.get("commit") or None,
                     built_utc=datetime.fromisoformat(built).astimezone(UTC) if built else None)


def git_commit(checkout: Path) -> str | None:
    """The checkout's short commit hash, `+` appended when files are modified; None without git."""
    if not (checkout / ".git").exists():
        return None
    try:
        head = subprocess.run(["git", "-C", str(checkout), "rev-parse", "--short=7", "HEAD"], capture_output=True,
                              text=True, timeout=GIT_TIMEOUT_S, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(checkout), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=GIT_TIMEOUT_S, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return f"{head}+" if dirty else head


def load_build_info(resources: Path, checkout: Path | None) -> BuildInfo:
    """The bundle's build_info.json when present, else the checkout's git commit and no build date."""
    path = resources / BUILD_INFO_FILE
    if path.is_file():
        try:
            return parse_build_info(path.read_text("utf-8"))
        except (OSError, ValueError, AttributeError):
            pass  # a damaged file must not stop the console: fall through to what can be known
    return BuildInfo(__version__, git_commit(checkout) if checkout else None, None)
