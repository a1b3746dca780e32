"""Pytest plugin: after the whole suite, no test password may appear in anything the suite produced.

Swept: every file under the session's temporary folder (data folders, logs, SQLite databases, snapshots,
recordings, the temporary files of the console and its child processes, which get TMPDIR pointed there), the
artifacts folder's files written during the session, and every test's captured stdout, stderr and log.
TOML files are left out: they are the inputs (site files that tests make wrong on purpose, credentials stores
where passwords belong). Passwords are the suite's own (`SUITE_PASSWORDS`, kept complete by a test) and any
found in a credentials store the suite wrote (the demo's random one); each is looked for as written and
percent-encoded. A leak fails the run (exit status 1) and names the file or the test.

Register it in tests/conftest.py: `pytest_plugins = ["tests.support.secrets_sweep"]`.
"""

from __future__ import annotations

import os
import tempfile
import time
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

# Passwords the tests hand to the console (fixtures, stores, URLs); short common words ("x", "wrong") are left
# out: they would be found in any log.
SUITE_PASSWORDS = (
    "Gi@ Dong:2026/sim",
    "Cli-Sim-Admin-1",  # the recorder simulator's command-line test (tests/integration/test_nvr_simulator_cli.py)
    "Cli-Sim-Viewer-2",
    "Bi-Mat#2026",
    "not-the-password-xyz",
    "Secr3t!",
    "abc12345",
    "p@ss:w0rd",
    "hunter22",
    "a@b:c/d",
    "R4ndom-Demo",
    "Demo-Store#2026",
    "Dvr&Pw=2026",
    "Pw-2026",
    "Qu3ry-Pw",
    "Unclosed-Pw-2026",
    "B0m-Pw",
    "x-Pw26",
    "Pw-One",
    "Pw-Two",
    "a&b=c/d",
    "Pw-Console",
    "Inj3cted-Pw",
    "Bi-Mat-Syntax",
    "Sai-Mat-Khau",
    "Dung-Mat-Khau-1",
    "Mat-Khau-Moi-22",
    "Bench-Pw-2026",
    "Gi@ D:2026",
)
MIN_STORE_PASSWORD_CHARS = 6  # a shorter stored password would match by chance
SKIPPED_SUFFIXES = (".toml",)
_SESSION_TMP = "sweep-tmp"


@dataclass(frozen=True)
class Leak:
    where: str  # a file, or "<test id> (captured stdout)"
    secret: str

    def __str__(self) -> str:
        shown = self.secret[:2] + "…" if len(self.secret) > 2 else "…"
        return f"{self.where}: holds the test password {shown!r}"


def forms(secret: str) -> set[bytes]:
    """The bytes a password can be written as: itself and percent-encoded (as in a URL the console opened)."""
    return {secret.encode(), quote(secret, safe="").encode()}


def store_passwords(root: Path) -> set[str]:
    """Passwords held by the credentials stores under `root` (the demo makes a random one at first start)."""
    found: set[str] = set()
    for path in root.rglob("*.toml"):
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError, ValueError):
            continue
        for table in data.values():
            password = table.get("password") if isinstance(table, dict) else None
            if isinstance(password, str) and len(password) >= MIN_STORE_PASSWORD_CHARS:
                found.add(password)
    return found


def _files(root: Path, since: float | None) -> Iterator[Path]:
    """Regular files under `root` (modified since `since`); a folder that vanishes while it is walked (another
    pytest run on this machine cleaning its old temporary folders) is skipped, as `os.walk` does, instead of
    ending the sweep."""
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            if _wanted(path, since):
                yield path


def _wanted(path: Path, since: float | None) -> bool:
    try:
        if not path.is_file() or path.is_symlink() or path.name.endswith(SKIPPED_SUFFIXES):
            return False
        return since is None or path.stat().st_mtime >= since
    except OSError:
        return False


def file_leaks(roots: Iterable[tuple[Path, float | None]], secrets: Iterable[str]) -> list[Leak]:
    """Every (file, password) where the file holds the password; roots come with a 'modified since' or None."""
    wanted = [(secret, forms(secret)) for secret in secrets]
    leaks: list[Leak] = []
    for root, since in roots:
        if not root.is_dir():
            continue
        for path in _files(root, since):
            try:
                content = path.read_bytes()
            except OSError:
                continue
            leaks += [Leak(str(path), s) for s, encoded in wanted if any(e in content for e in encoded)]
    return leaks


def text_leaks(where: str, text: str, secrets: Iterable[str]) -> list[Leak]:
    return [Leak(where, s) for s in secrets if any(e.decode() in text for e in forms(s))]


class SecretsSweep:
    def __init__(self, config: pytest.Config) -> None:
        self._config = config
        self._started = time.time()
        self._captured: list[tuple[str, str]] = []
        self._tmp: Path | None = None

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionstart(self, session: pytest.Session) -> None:
        factory = getattr(self._config, "_tmp_path_factory", None)
        if factory is None:
            return
        self._tmp = factory.getbasetemp() / _SESSION_TMP
        self._tmp.mkdir(parents=True, exist_ok=True)
        os.environ["TMPDIR"] = str(self._tmp)  # the console's and its children's temporary files land here
        tempfile.tempdir = str(self._tmp)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        for name, text in report.sections:
            self._captured.append((f"{report.nodeid} ({name})", text))

    def leaks(self) -> list[Leak]:
        factory = getattr(self._config, "_tmp_path_factory", None)
        roots: list[tuple[Path, float | None]] = []
        if factory is not None:
            roots.append((factory.getbasetemp(), None))
        artifacts = os.environ.get("TEST_ARTIFACTS", str(Path(__file__).resolve().parents[2] / "artifacts"))
        roots.append((Path(artifacts), self._started))
        secrets = set(SUITE_PASSWORDS)
        if factory is not None:
            secrets |= store_passwords(factory.getbasetemp())
        found = file_leaks(roots, secrets)
        for where, text in self._captured:
            found += text_leaks(where, text, secrets)
        return found

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        found = self.leaks()
        if not found:
            return
        reporter = self._config.pluginmanager.get_plugin("terminalreporter")
        lines = ["secrets sweep: test passwords found in the suite's output", *(f"  {leak}" for leak in found)]
        for line in lines:
            if reporter is not None:
                reporter.write_line(line, red=True)
            else:
                print(line)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(SecretsSweep(config), "secrets-sweep")
