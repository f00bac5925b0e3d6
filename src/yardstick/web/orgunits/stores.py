"""The deployment's org units over the ORM."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.db.models import Max

from yardstick.datasets.errors import OrgUnitError
from yardstick.datasets.orgunits import OrgUnit, OrgUnitKind, OrgUnits
from yardstick.state.audit import AuditLog
from yardstick.web.orgunits.models import OrgUnit as UnitRow

_FIELDS = ("name_zh", "name_en", "kind")


class OrmOrgUnitStore:
    def __init__(self, audit: AuditLog) -> None:
        self.audit = audit

    def org_units(self) -> OrgUnits:
        rows = UnitRow.objects.order_by("position", "id").values_list(
            "code", "name_zh", "name_en", "kind", "parent__code"
        )  # plain tuples: every page reads the units, and model instances cost more than the query
        units = [
            OrgUnit(
                code=code, name_zh=name_zh, name_en=name_en, kind=OrgUnitKind(kind), parent=parent
            )
            for code, name_zh, name_en, kind, parent in rows
        ]
        if not units:
            raise OrgUnitError(
                "no org units are stored yet (`yardstick plan load` stores a plan's)"
            )
        return OrgUnits(units)

    def merge(self, units: Sequence[OrgUnit], actor: str, reason: str) -> list[str]:
        changed = []
        with transaction.atomic():
            existing = {row.code: row for row in UnitRow.objects.all()}
            position = UnitRow.objects.aggregate(p=Max("position"))["p"] or 0
            for unit in units:
                row = existing.get(unit.code)
                if row is None:
                    position += 1
                    row = UnitRow.objects.create(
                        code=unit.code,
                        name_zh=unit.name_zh,
                        name_en=unit.name_en,
                        kind=unit.kind.value,
                        parent=existing[unit.parent] if unit.parent else None,
                        position=position,
                    )
                    existing[unit.code] = row
                    self.audit.record(
                        actor, "orgunit.created", "orgunit", unit.code,
                        new=unit.model_dump(mode="json"), reason=reason,
                    )  # fmt: skip
                    changed.append(unit.code)
                    continue
                old = {name: getattr(row, name) for name in _FIELDS}
                new = {"name_zh": unit.name_zh, "name_en": unit.name_en, "kind": unit.kind.value}
                if old != new:
                    UnitRow.objects.filter(pk=row.pk).update(**new)
                    self.audit.record(
                        actor, "orgunit.changed", "orgunit", unit.code,
                        old=old, new=new, reason=reason,
                    )  # fmt: skip
                    changed.append(unit.code)
            self.org_units()  # the merged hierarchy must still be one tree
        return changed
