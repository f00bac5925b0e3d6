"""Settings read from the environment through small typed helpers that fail loudly.

A value that cannot be read is an :class:`ImproperlyConfigured` naming the variable, never a
silent default. Secrets may come from a file (``NAME_FILE``, as Docker and systemd provide them).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool) -> bool:
    """``true/false``, ``1/0``, ``yes/no`` or ``on/off``; anything else is an error."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: expected true or false")


def env_int(name: str, default: int, minimum: int = 0) -> int:
    """A whole number of at least ``minimum``."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r}: expected a whole number") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name}={value!r}: must be at least {minimum}")
    return number


def env_text(name: str, default: str) -> str:
    value = os.environ.get(name)
    return default if value is None or not value.strip() else value.strip()


def env_secret(name: str) -> str | None:
    """``NAME``, or the content of the file ``NAME_FILE`` names (which must exist)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ImproperlyConfigured(f"{name}_FILE={path!r}: {error.strerror}") from None
    value = os.environ.get(name)
    return value.strip() if value and value.strip() else None


def database_from_url(url: str, base_dir: Path) -> dict[str, object]:
    """Django's DATABASES entry for ``sqlite:///path`` or ``postgres://user@host:port/name``.

    SQLite runs in WAL mode with a busy timeout, and every transaction takes the write lock at
    its start (``BEGIN IMMEDIATE``), so two writers queue instead of failing half-way.
    """
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        # sqlite:///var/x.sqlite3 is relative to the project, sqlite:////srv/x.sqlite3 absolute
        name = unquote(parts.path.removeprefix("/"))
        path = Path(name) if name.startswith("/") else base_dir / name
        return sqlite_database(path)
    if parts.scheme in ("postgres", "postgresql"):
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")) or "yardstick",
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL={url!r}: expected sqlite:///path/to/file or postgres://user@host:port/name"
    )


def sqlite_database(path: Path) -> dict[str, object]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "CONN_MAX_AGE": 60,
        "OPTIONS": {
            "timeout": 60,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON;",
        },
        "TEST": {"NAME": None},
    }
