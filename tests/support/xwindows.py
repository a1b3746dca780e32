"""What the X server shows: top-level window titles (read from the server, not from the program)."""

from __future__ import annotations

import subprocess


def window_titles() -> str:
    result = subprocess.run(["xwininfo", "-root", "-tree"], capture_output=True, text=True, timeout=10)
    return result.stdout
