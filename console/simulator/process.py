"""Starts the camera simulator as a child process (demo mode) and stops it with the console."""

from __future__ import annotations

import logging
import secrets
import subprocess
import sys
from pathlib import Path

from console.core.credentials import Credentials, CredentialStore

log = logging.getLogger(__name__)

DEMO_CREDENTIALS_REF = "demo"
DEMO_USER = "admin"
DEMO_PTZ_CAMERA = "C12"  # the demo's PTZ dome (its pictures look through a window the head turns)


def demo_credentials(path: Path) -> CredentialStore:
    """The demo's credentials store (0600), with a random password made on first start."""
    store = CredentialStore.load(path)
    if store.get(DEMO_CREDENTIALS_REF) is None:
        store.put(DEMO_CREDENTIALS_REF, Credentials(DEMO_USER, secrets.token_urlsafe(12)))
        store.save(path)
    return store


def simulator_command(config: Path, credentials: Path, extra: list[str] | None = None) -> list[str]:
    if getattr(sys, "frozen", False):  # the frozen console runs the simulator through its own executable
        return [sys.executable, "--run-simulator", "--config", str(config), "--credentials", str(credentials),
                *(extra or [])]
    return [sys.executable, "-m", "console.simulator", "--config", str(config), "--credentials", str(credentials),
            *(extra or [])]


DEMO_ONVIF = ["--onvif", "--discovery-port", "0", "--scene-events", "--ptz", DEMO_PTZ_CAMERA]


class SimulatorProcess:
    """The simulated cameras of the demo, in their own process so they never compete with the UI's GIL."""

    def __init__(self, config: Path, credentials: Path, log_path: Path) -> None:
        # ONVIF for the cameras whose `onvif` table the demo names (events follow the scripted vehicles); the
        # discovery responder on any free port: the demo never takes WS-Discovery's own port from a real tool.
        self._command = simulator_command(config, credentials, DEMO_ONVIF)
        self._log_path = log_path
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self._log_path.parent.mkdir(parents=True, exist_ok=True)
        with self._log_path.open("ab") as out:
            self._process = subprocess.Popen(self._command, stdout=out, stderr=subprocess.STDOUT,
                                             stdin=subprocess.DEVNULL)
        log.info("demo simulator started (pid %d), log in %s", self._process.pid, self._log_path)

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def stop(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(timeout=5)
        self._process = None
