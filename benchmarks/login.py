"""The benchmarks' officer at the real console's login screen: an admin seeded into the data folder before the
console starts, and the login typed with a real X keyboard (xdotool's XTest) once the window shows — the
benchmarks measure the console as an officer uses it, behind no backdoor."""

from __future__ import annotations

import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from console.officers.accounts import Accounts
from console.store.database import open_database
from console.store.readonly import open_read_only

BENCH_LOGIN = "docbench"
BENCH_NAME = "Cán bộ đo đạc"
BENCH_PASSWORD = "Bench-Pw-2026"  # the benchmark's own throwaway account (in the suite's swept passwords)
LOGIN_TIMEOUT_S = 30.0


def seed_admin(data: Path) -> None:
    """An installation with its first admin (the benchmark's), before the console opens the data folder."""
    data.mkdir(parents=True, exist_ok=True)
    open_database(data / "console.db").close()
    accounts = Accounts(data / "console.db")
    if not accounts.has_admin():
        accounts.create_first_admin(BENCH_LOGIN, BENCH_NAME, BENCH_PASSWORD)


def _logged_in(data: Path) -> bool:
    try:
        conn = open_read_only(data / "console.db", timeout_s=2.0)
    except sqlite3.Error:
        return False
    try:
        row = conn.execute("SELECT 1 FROM audit WHERE action = 'login' AND user = ? LIMIT 1", [BENCH_LOGIN]).fetchone()
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    return row is not None


def _area(display: str, window: str, xdotool: Callable[..., str]) -> int:
    """Width × height of an X window (xdotool's `getwindowgeometry --shell`), 0 when it cannot be read."""
    try:
        fields = dict(line.split("=", 1) for line in xdotool(display, "getwindowgeometry", "--shell", window).split()
                      if "=" in line)
        return int(fields.get("WIDTH", 0)) * int(fields.get("HEIGHT", 0))
    except (subprocess.CalledProcessError, ValueError):
        return 0


def log_in(display: str, pid: int, data: Path, xdotool: Callable[..., str]) -> None:
    """Type the benchmark's login into the console's login screen; return once the audit trail says it is in."""
    deadline = time.monotonic() + LOGIN_TIMEOUT_S
    windows: list[str] = []
    while not windows and time.monotonic() < deadline:
        try:
            windows = xdotool(display, "search", "--onlyvisible", "--pid", str(pid)).split()
        except subprocess.CalledProcessError:  # no window yet
            time.sleep(0.3)
    if not windows:
        raise RuntimeError("the console's window did not show")
    time.sleep(1.0)  # the login screen is up and its user field has the focus
    window = max(windows, key=lambda w: _area(display, w, xdotool))  # the main window, not a tooltip or popup
    while time.monotonic() < deadline:
        # No window manager: X gives the keyboard to the window under the pointer. A corner of the window is the
        # lock screen's shade (a click there would change nothing; the pointer is only moved).
        xdotool(display, "mousemove", "--window", window, "5", "5", "click", "1")
        xdotool(display, "windowfocus", window)
        xdotool(display, "type", "--delay", "30", BENCH_LOGIN)
        xdotool(display, "key", "Tab")
        xdotool(display, "type", "--delay", "30", BENCH_PASSWORD)
        xdotool(display, "key", "Return")
        for _ in range(20):
            if _logged_in(data):
                return
            time.sleep(0.25)
    raise RuntimeError("the benchmark's login was not accepted")


def log_in_window(window: object) -> None:
    """In-process (a probe of `console.app.run`): fill the window's login screen and press its button, as the
    officer would — the first start's admin form on a fresh data folder, else the login."""
    from PySide6.QtWidgets import QWidget

    from console.ui.officers.lock_screen import LockScreen, Mode

    screen = window.findChild(LockScreen) if isinstance(window, QWidget) else None
    if screen is None or not screen.isVisible():
        return
    screen.login.setText(BENCH_LOGIN)
    screen.password.setText(BENCH_PASSWORD)
    if screen.mode is Mode.FIRST_ADMIN:
        screen.full_name.setText(BENCH_NAME)
        screen.repeat.setText(BENCH_PASSWORD)
    screen.button.click()
