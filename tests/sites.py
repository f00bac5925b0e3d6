"""A deployment of its own for the few tests about the real ``yardstick`` process (exit code,
one line on stderr, no traceback): a SQLite file, a storage folder, the environment to run in.

A template is set up once a session (``db migrate``, admin, planner and reviewer, the MOJ plan
loaded); each test runs on a copy of its database file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.deployment import MOJ_FOLDER, PASSWORD

DATABASE = "yardstick.sqlite3"


@dataclass(frozen=True)
class Site:
    """The deployment under ``root``: its database file, its storage folder and environment."""

    root: Path

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{self.root / DATABASE}",
            "YARDSTICK_HOME": str(self.root),
            "YARDSTICK_DATA_DIR": str(self.root / "data"),
            "PW": PASSWORD,
            "COLUMNS": "200",
        }

    def run(self, *args: str, user: str = "planner") -> subprocess.CompletedProcess[str]:
        """``python -m yardstick.cli ARGS`` as ``user`` (empty: no account named)."""
        return subprocess.run(
            [sys.executable, "-m", "yardstick.cli", *args],
            env={**self.env, "YARDSTICK_USER": user},
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip

    def copy(self, root: Path) -> Site:
        """A copy of this deployment under ``root`` (database and storage folder)."""
        root.mkdir(parents=True)
        shutil.copy(self.root / DATABASE, root / DATABASE)
        if (self.root / "data").exists():
            shutil.copytree(self.root / "data", root / "data")
        return Site(root)


def set_up_site(root: Path) -> Site:
    """A migrated database with admin, planner and reviewer, and the MOJ plan loaded."""
    site = Site(root)
    steps = [
        (("db", "migrate"), ""),
        (("user", "add", "admin", "--role", "administrator", "--password-env", "PW"), ""),
        (("user", "add", "planner", "--role", "planning_officer", "--password-env", "PW"), "admin"),
        (("user", "add", "reviewer", "--role", "reviewer", "--password-env", "PW"), "admin"),
        (("plan", "load", str(MOJ_FOLDER)), "planner"),
    ]
    for args, user in steps:
        done = site.run(*args, user=user)
        assert done.returncode == 0, done.stderr
    return site
