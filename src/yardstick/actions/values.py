"""Entered values (資料項目): a data officer enters, a reviewer approves — never the same person —
and the approval queues the recompute of the manual KPIs that weigh the element."""

from __future__ import annotations

from yardstick.actions.recompute import enqueue_recompute
from yardstick.datasets.contract import DataElement
from yardstick.metrics.elements import ElementValue
from yardstick.metrics.errors import DefinitionError
from yardstick.metrics.manual import kpis_weighing
from yardstick.metrics.project import Project
from yardstick.state.accounts import APPROVE_VALUES, WRITE_RECORDS, Actor
from yardstick.state.storage import Storage


def data_element(project: Project, name: str) -> DataElement:
    declared = project.contracts.get(name)
    if not isinstance(declared, DataElement):
        known = [n for n, c in project.contracts.items() if isinstance(c, DataElement)]
        raise DefinitionError(f"no data element {name!r}; declared: {', '.join(known)}")
    return declared


def enter_value(
    storage: Storage,
    actor: Actor,
    project: Project,
    element: str,
    year: int,
    value: float,
    *,
    org_unit: str | None = None,
    note: str | None = None,
) -> ElementValue:
    """Record a value for review (a value is used by KPIs only once approved)."""
    declared = data_element(project, element)
    unit = project.org_units.get(org_unit or declared.org_unit).code
    actor.require(WRITE_RECORDS, project.code, unit, f"enter {element} for {unit}")
    with storage.atomic():
        return storage.elements(project.code).enter(
            declared, year, unit, value, actor.username, None, note
        )


def approve_value(
    storage: Storage,
    actor: Actor,
    project: Project,
    element: str,
    year: int,
    *,
    org_unit: str | None = None,
) -> ElementValue:
    """Approve the newest value waiting for approval; its KPIs are recomputed."""
    declared = data_element(project, element)
    unit = project.org_units.get(org_unit or declared.org_unit).code
    actor.require(APPROVE_VALUES, project.code, unit, f"approve {element} for {unit}")
    with storage.atomic():
        approved = storage.elements(project.code).approve(element, year, unit, actor.username)
        cells = {(kpi, year) for kpi in kpis_weighing(project.definitions.values(), element)}
        enqueue_recompute(
            storage, project.code, cells, actor.username, f"{element} {year}年 approved"
        )
    return approved
