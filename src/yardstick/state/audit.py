"""The audit log (稽核紀錄): one entry per change — who, when, what, old → new, and why.

Entries are written by the same store call (and so the same transaction) as the change they
record, never by model signals, which bulk updates bypass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

ACTIONS = frozenset(
    {
        "plan.version_saved",
        "plan.target_edited",
        "plan.imported",
        "orgunit.created",
        "orgunit.changed",
        "batch.ingested",
        "batch.withdrawn",
        "batch.replaced",
        "value.entered",
        "value.approved",
        "account.created",
        "account.changed",
        "account.password_changed",
        "account.deleted",
        "account.role_granted",
        "account.role_changed",
        "account.role_revoked",
        "job.enqueued",
        "data.restored",
        "data.imported",
    }
)
"""Every action an entry may name; a store refuses any other, so names cannot drift."""


@dataclass(frozen=True)
class AuditEntry:
    """One change as the audit log keeps it."""

    at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    plan: str = ""
    old: Any = None
    new: Any = None
    reason: str = ""


class AuditLog(Protocol):
    """Append-only: entries are added and read, never changed."""

    def record(
        self,
        actor: str,
        action: str,
        object_type: str,
        object_id: str,
        *,
        plan: str = "",
        old: Any = None,
        new: Any = None,
        reason: str = "",
    ) -> AuditEntry:
        """Add an entry (inside the caller's transaction, when there is one)."""
        ...

    def entries(
        self, object_type: str | None = None, object_id: str | None = None
    ) -> Sequence[AuditEntry]:
        """Entries oldest first, optionally of one object."""
        ...


def check_action(action: str) -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
