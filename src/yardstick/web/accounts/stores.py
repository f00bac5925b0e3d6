"""Accounts over Django's auth: who an actor is and which roles they hold."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from yardstick.state.accounts import Actor, Assignment, Role, UnknownAccount
from yardstick.state.audit import AuditLog
from yardstick.web.accounts.models import RoleAssignment
from yardstick.web.orgunits.models import OrgUnit
from yardstick.web.plans.models import Plan


class OrmAccounts:
    def __init__(self, audit: AuditLog) -> None:
        self.audit = audit

    def actor(self, username: str) -> Actor:
        """The active account ``username`` with its role assignments."""
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise UnknownAccount(
                f"no active account {username!r} (`yardstick user add` creates one)"
            )
        rows = RoleAssignment.objects.filter(user=user).select_related("plan", "org_unit")
        assignments = tuple(
            Assignment(
                Role(row.role),
                row.plan.code if row.plan else None,
                row.org_unit.code if row.org_unit else None,
            )
            for row in rows
        )
        if user.is_superuser and not any(a.role is Role.ADMINISTRATOR for a in assignments):
            assignments += (Assignment(Role.ADMINISTRATOR),)
        return Actor(user.get_username(), assignments)

    def create(self, username: str, password: str, created_by: str, email: str = "") -> None:
        with transaction.atomic():
            get_user_model().objects.create_user(username, email=email, password=password)
            self.audit.record(
                created_by, "account.created", "account", username, new={"username": username}
            )

    def grant(
        self,
        username: str,
        assignment: Assignment,
        granted_by: str,
    ) -> bool:
        """Give ``username`` the assignment; False when they already hold it."""
        with transaction.atomic():
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                raise UnknownAccount(f"no account {username!r}")
            plan = Plan.objects.get(code=assignment.plan) if assignment.plan else None
            unit = OrgUnit.objects.get(code=assignment.org_unit) if assignment.org_unit else None
            _, created = RoleAssignment.objects.get_or_create(
                user=user,
                role=assignment.role.value,
                plan=plan,
                org_unit=unit,
                defaults={"granted_by": granted_by},
            )
            if created:
                self.audit.record(
                    granted_by,
                    "account.role_granted",
                    "account",
                    username,
                    plan=assignment.plan or "",
                    new={
                        "role": assignment.role.value,
                        "plan": assignment.plan,
                        "org_unit": assignment.org_unit,
                    },
                )
            return created
