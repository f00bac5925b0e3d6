"""The audit log over the ORM: an entry is one INSERT on the caller's connection and transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from yardstick.state.audit import AuditEntry, check_action
from yardstick.web.audit.models import AuditEntry as AuditRow


class OrmAuditLog:
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
        check_action(action)
        row = AuditRow.objects.create(
            at=timezone.now(),
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=object_id,
            plan=plan,
            old=old,
            new=new,
            reason=reason,
        )
        return _entry(row)

    def entries(
        self, object_type: str | None = None, object_id: str | None = None
    ) -> Sequence[AuditEntry]:
        rows = AuditRow.objects.all()
        if object_type is not None:
            rows = rows.filter(object_type=object_type)
        if object_id is not None:
            rows = rows.filter(object_id=object_id)
        return [_entry(row) for row in rows.order_by("id")]


def _entry(row: AuditRow) -> AuditEntry:
    return AuditEntry(
        row.at,
        row.actor,
        row.action,
        row.object_type,
        row.object_id,
        row.plan,
        row.old,
        row.new,
        row.reason,
    )
