"""Plan versions (計畫版本): a plan's content stored immutably, each version with its author and
reason; and the deployment's org units, which outlive any one plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from yardstick.datasets.orgunits import OrgUnit, OrgUnits
from yardstick.errors import YardstickError
from yardstick.metrics.bundle import PlanBundle


class UnknownPlan(YardstickError):
    """No stored plan has this code."""


@dataclass(frozen=True)
class PlanVersion:
    """One stored version of a plan."""

    plan: str
    number: int
    sha256: str
    author: str
    reason: str
    created_at: datetime
    bundle: PlanBundle


@dataclass(frozen=True)
class PlanSummary:
    code: str
    ministry: str
    start_year: int
    end_year: int
    versions: int


class PlanStore(Protocol):
    def plans(self) -> Sequence[PlanSummary]:
        """Every stored plan, by code."""
        ...

    def current(self, code: str) -> PlanVersion:
        """The newest version; :class:`UnknownPlan` if the plan is not stored."""
        ...

    def version(self, code: str, number: int) -> PlanVersion: ...

    def versions(self, code: str) -> Sequence[PlanVersion]: ...

    def save(self, code: str, bundle: PlanBundle, author: str, reason: str) -> PlanVersion:
        """Store ``bundle`` as the plan's next version (an audit entry in the same transaction).

        Content equal to the current version's (same SHA-256) stores nothing and returns it.
        """
        ...


class OrgUnitStore(Protocol):
    def org_units(self) -> OrgUnits:
        """The deployment's hierarchy of org units."""
        ...

    def merge(self, units: Sequence[OrgUnit], actor: str, reason: str) -> list[str]:
        """Add units that are new and update changed names; each change audited. Codes changed."""
        ...
