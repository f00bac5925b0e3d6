"""Database faults a user can act on, in one line: no tables yet, the server unreachable, locked."""

from __future__ import annotations


def database_fault(error: Exception) -> str | None:
    """The message for a Django database error, or None when ``error`` is not one."""
    try:
        from django.db import DatabaseError, InterfaceError
    except ImportError:  # pragma: no cover - Django is a dependency
        return None
    if not isinstance(error, DatabaseError | InterfaceError):
        return None
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    lowered = text.lower()
    if "no such table" in lowered or ("relation" in lowered and "does not exist" in lowered):
        return f"the database has no tables yet ({text}); run `yardstick db migrate`"
    if "database is locked" in lowered:
        return f"the database stayed locked by another writer ({text}); try again"
    if "connection" in lowered or "could not connect" in lowered:
        return f"cannot reach the database ({text}); check DATABASE_URL"
    return f"database error: {text}"
