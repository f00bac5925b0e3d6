"""Role assignments: a person may hold several, each for a plan (or all) and an org-unit subtree."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from yardstick.state.accounts import Role


class RoleAssignment(models.Model):
    """``user`` holds ``role`` for ``plan`` (all plans when empty) over ``org_unit`` and below
    (the whole deployment when empty)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(max_length=30, choices=[(r.value, r.label) for r in Role])
    plan = models.ForeignKey("plans.Plan", null=True, blank=True, on_delete=models.CASCADE)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit", null=True, blank=True, on_delete=models.PROTECT
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.CharField(max_length=150)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "plan", "org_unit"],
                name="one_assignment_per_scope",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role} {self.plan or 'all plans'} {self.org_unit or 'all units'}"


class LoginAttempt(models.Model):
    """A sign-in attempt, kept to throttle guessing (by account name and by address)."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=64, db_index=True)
    succeeded = models.BooleanField()
    at = models.DateTimeField(db_index=True)
