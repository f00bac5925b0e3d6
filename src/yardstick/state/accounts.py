"""Roles and who may do what (權限): plain rules over an actor's role assignments.

A role assignment is (role, plan or all plans, org-unit subtree or the whole deployment); a person
may hold several. The rules here are the only place permissions are decided: the command line and
the site both ask them before every write and every read of non-public data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from yardstick.errors import YardstickError


class Role(StrEnum):
    """The roles of the people the system serves."""

    PLANNING_OFFICER = "planning_officer"
    DATA_OFFICER = "data_officer"
    REVIEWER = "reviewer"
    AUDITOR = "auditor"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Role.PLANNING_OFFICER: "研考人員 planning officer",
    Role.DATA_OFFICER: "機關填報人員 agency data officer",
    Role.REVIEWER: "審核人員 reviewer",
    Role.AUDITOR: "稽核人員 auditor",
    Role.ADMINISTRATOR: "系統管理者 administrator",
}


class PermissionDenied(YardstickError):
    """The actor may not do this; the message says what was refused and why."""


class UnknownAccount(YardstickError):
    """No active account has this name."""


@dataclass(frozen=True)
class Assignment:
    """One role held for a plan (``None``: all plans) over an org-unit subtree (``None``: all)."""

    role: Role
    plan: str | None = None
    org_unit: str | None = None

    def covers(self, plan: str | None, org_unit: str | None) -> bool:
        """Whether this assignment reaches ``plan`` and ``org_unit`` (and everything below it)."""
        plan_ok = self.plan is None or plan is None or self.plan == plan
        return plan_ok and within(org_unit, self.org_unit)


def within(unit: str | None, subtree: str | None) -> bool:
    """Whether ``unit`` is ``subtree`` or below it; codes carry their path (``MOJ.AEA.TPE``)."""
    if subtree is None:
        return True
    if unit is None:
        return False
    return unit == subtree or unit.startswith(subtree + ".")


SYSTEM = "system"
"""The name the worker acts under when it recomputes what a person's change made stale."""


@dataclass(frozen=True)
class Actor:
    """Someone acting: an account name and the role assignments it holds."""

    username: str
    assignments: tuple[Assignment, ...] = field(default_factory=tuple)

    def holds(self, roles: Iterable[Role], plan: str | None, org_unit: str | None) -> bool:
        wanted = set(roles)
        return any(a.role in wanted and a.covers(plan, org_unit) for a in self.assignments)

    def require(
        self, roles: Iterable[Role], plan: str | None, org_unit: str | None, doing: str
    ) -> None:
        """Raise :class:`PermissionDenied` unless one of ``roles`` covers the plan and unit."""
        roles = tuple(roles)
        if not self.holds(roles, plan, org_unit):
            where = " ".join(
                part
                for part in (f"plan {plan}" if plan else "", f"unit {org_unit}" if org_unit else "")
                if part
            )
            needed = " or ".join(role.value for role in roles)
            raise PermissionDenied(
                f"{self.username} may not {doing}{' for ' + where if where else ''}: needs {needed}"
            )


def system_actor() -> Actor:
    """The worker: recomputes values, changes no one's data."""
    return Actor(SYSTEM, (Assignment(Role.PLANNING_OFFICER),))


# What each change needs. Data officers act for their own subtree; planning officers for any unit.
WRITE_RECORDS = (Role.DATA_OFFICER, Role.PLANNING_OFFICER)
APPROVE_VALUES = (Role.REVIEWER,)
EDIT_PLAN = (Role.PLANNING_OFFICER,)
RECOMPUTE = (Role.PLANNING_OFFICER, Role.ADMINISTRATOR)
READ_RECORDS = (Role.DATA_OFFICER, Role.REVIEWER, Role.AUDITOR, Role.PLANNING_OFFICER)
MANAGE_ACCOUNTS = (Role.ADMINISTRATOR,)


def refuse_self_approval(approver: str, entered_by: str) -> None:
    """Four eyes: nobody approves a value they entered themselves."""
    if approver == entered_by:
        raise PermissionDenied(f"{approver} entered this value and may not approve it too")
