"""The browser tests' fixtures: the site as ``make demo`` serves it, and Debian's Chromium.

``live_site`` (once a session) runs ``scripts/demo.sh`` in a folder of its own (a SQLite file,
the demo at scale 0.002, no report files, not served), then ``scripts/serve.sh`` — gunicorn with
whitenoise and the worker beside it — on a free port of 127.0.0.1; it stops them at the end.
``browser`` drives ``/usr/bin/chromium`` through Playwright (no browser download). Both skip
with a message where Chromium is missing, and fail in CI.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PLAN = "moj-106-109"


@dataclass(frozen=True)
class LiveSite:
    """A demo deployment served on ``url``; its state under ``home``/var."""

    url: str
    home: Path
    passwords: dict[str, str]
    log: Path

    @property
    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "YARDSTICK_HOME": str(self.home),
            "YARDSTICK_DATA_DIR": str(self.home / "var" / "data"),
            "COLUMNS": "200",
        }
        env.pop("DATABASE_URL", None)
        return env

    def python(self, code: str, *args: str) -> Any:
        """Run ``code`` in a process on the site's database; what it prints last, as JSON."""
        done = subprocess.run(
            [sys.executable, "-c", code, *args],
            cwd=REPO, env=self.env, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    def server_errors(self) -> list[str]:
        """Tracebacks the server logged (a 500 on some request)."""
        text = self.log.read_text("utf-8", errors="replace")
        return text.split("Traceback")[1:]


def _needs_chromium() -> None:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (scripts/install-system-deps.sh installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_served(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(
                f"the server stopped (exit {server.returncode}):\n{log.read_text()[-3000:]}"
            )
        try:
            with urllib.request.urlopen(f"{url}/accounts/login/", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    pytest.fail(f"the server did not answer within 90 s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def live_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    """The demo served by gunicorn as ``make demo`` serves it, for the whole session."""
    _needs_chromium()
    home = tmp_path_factory.mktemp("live-site")
    env = {
        **os.environ,
        "YARDSTICK_HOME": str(home),
        "DEMO_SCALE": "0.002",
        "DEMO_REPORTS": "0",
        "DEMO_SERVE": "0",
        "COLUMNS": "200",
    }
    for name in ("DATABASE_URL", "YARDSTICK_DATA_DIR", "YARDSTICK_USER"):
        env.pop(name, None)
    demo = subprocess.run(
        ["bash", "scripts/demo.sh"], cwd=REPO, env=env, capture_output=True, text=True,
        timeout=600, check=False,
    )  # fmt: skip
    (home / "demo.log").write_text(demo.stdout + demo.stderr, "utf-8")
    assert demo.returncode == 0, demo.stderr[-3000:]
    accounts = json.loads((home / "var" / "demo-accounts.json").read_text("utf-8"))
    port = _free_port()
    log = home / "server.log"
    serve_env = {
        **env,
        "DEMO_PORT": str(port),
        "DEMO_ACCESS_LOG": str(home / "access.log"),
    }
    with log.open("wb") as output:
        server = subprocess.Popen(
            ["bash", "scripts/serve.sh"], cwd=REPO, env=serve_env, stdout=output,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_served(url, server, log)
        yield LiveSite(url, home, {a["username"]: a["password"] for a in accounts}, log)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, through Playwright; one per test module.

    Module-scoped on purpose: Playwright's synchronous API keeps an event loop running in the
    thread, which Django would take for an async context in the tests that follow.
    """
    _needs_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """test-artifacts/ at the top of the repository: the screenshots, emptied once a session."""
    folder = REPO / "test-artifacts" / "screenshots"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder
