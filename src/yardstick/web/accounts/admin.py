"""Accounts (帳號) and role assignments (角色指派) in the administration site.

Roles are the permissions: Django's groups and per-model permissions are not offered, and
``is_staff`` / ``is_superuser`` are shown but not edited here. Every change made in the admin
writes its audit entry (who, what, old → new) in the transaction of the change, as the
command line's ``yardstick user`` commands do.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import AbstractUser, Group
from django.db import transaction
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from yardstick.state.accounts import Role
from yardstick.web.accounts.admin_site import ADMIN_REASON, AdministratorsOnly
from yardstick.web.accounts.models import RoleAssignment
from yardstick.web.audit.stores import OrmAuditLog
from yardstick.web.layout.templatetags.yardstick import roc_date

User = get_user_model()
_ACCOUNT_FIELDS = ("username", "first_name", "last_name", "email", "is_active")


def assignment_summary(row: RoleAssignment) -> dict[str, str | None]:
    """What the audit keeps of a role assignment (as ``yardstick user grant`` records it)."""
    return {
        "role": row.role,
        "plan": row.plan.code if row.plan else None,
        "org_unit": row.org_unit.code if row.org_unit else None,
    }


def _record_assignment(actor: str, action: str, row: RoleAssignment, **change: Any) -> None:
    OrmAuditLog().record(
        actor, action, "account", row.user.get_username(),
        plan=row.plan.code if row.plan else "", reason=ADMIN_REASON, **change,
    )  # fmt: skip


def save_assignment(request: HttpRequest, row: RoleAssignment) -> None:
    """Save a new or changed assignment with its audit entry (granted, changed, or revoked from
    one person and granted to another)."""
    actor = request.user.get_username()
    old = RoleAssignment.objects.select_related("user", "plan", "org_unit").filter(pk=row.pk)
    before = old.first() if row.pk else None
    if before is None:
        row.granted_by = actor
    row.save()
    if before is None:
        _record_assignment(actor, "account.role_granted", row, new=assignment_summary(row))
    elif before.user_id != row.user_id:
        _record_assignment(actor, "account.role_revoked", before, old=assignment_summary(before))
        _record_assignment(actor, "account.role_granted", row, new=assignment_summary(row))
    elif assignment_summary(before) != assignment_summary(row):
        _record_assignment(
            actor, "account.role_changed", row,
            old=assignment_summary(before), new=assignment_summary(row),
        )  # fmt: skip


def revoke_assignment(request: HttpRequest, row: RoleAssignment) -> None:
    _record_assignment(
        request.user.get_username(), "account.role_revoked", row, old=assignment_summary(row)
    )
    row.delete()


class RoleAssignmentForm(ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = RoleAssignment
        fields = ("user", "role", "plan", "org_unit")
        labels = {
            "user": _("Account"),
            "role": _("Role"),
            "plan": _("Plan (empty: every plan)"),
            "org_unit": _("Org unit and those below it (empty: every unit)"),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        user = cleaned.get("user")
        user_id = user.pk if user is not None else self.instance.user_id
        same = RoleAssignment.objects.filter(
            user_id=user_id,
            role=cleaned.get("role"),
            plan=cleaned.get("plan"),
            org_unit=cleaned.get("org_unit"),
        )
        if user_id is not None and same.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("This account already holds this role for this plan and org unit.")
            )
        return cleaned


class Granted:
    """Who granted an assignment and when, as the admin's read-only columns."""

    @admin.display(description=_("Granted by"))
    def granted(self, row: RoleAssignment) -> str:
        return row.granted_by or "—"

    @admin.display(description=_("Granted at"), ordering="granted_at")
    def granted_on(self, row: RoleAssignment) -> str:
        return roc_date(row.granted_at) if row.granted_at else "—"


class RoleAssignmentInline(Granted, AdministratorsOnly, admin.TabularInline):  # type: ignore[type-arg]
    model = RoleAssignment
    form = RoleAssignmentForm
    fields = ("role", "plan", "org_unit", "granted", "granted_on")
    readonly_fields = ("granted", "granted_on")
    extra = 0
    verbose_name = _("role assignment")
    verbose_name_plural = _("role assignments")


def roles_of(user: AbstractUser) -> str:
    """``reviewer; data_officer MOJ.AEA`` — each assignment's role, plan and unit."""
    parts = []
    for row in user.role_assignments.all():  # type: ignore[attr-defined]
        scope = " ".join(
            x
            for x in (row.plan.code if row.plan else "", row.org_unit.code if row.org_unit else "")
            if x
        )
        parts.append(f"{Role(row.role).label}{' ' + scope if scope else ''}")
    return "; ".join(sorted(parts)) or "—"


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class AccountAdmin(AdministratorsOnly, UserAdmin):  # type: ignore[type-arg]
    inlines = (RoleAssignmentInline,)
    list_display = ("username", "email", "is_active", "roles", "last_login")
    list_filter = ("is_active", "role_assignments__role")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (
            _("Status"),
            {"fields": ("is_active", "is_staff", "is_superuser", "last_login", "date_joined")},
        ),
    )
    readonly_fields = ("is_staff", "is_superuser", "last_login", "date_joined")
    filter_horizontal = ()

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return (
            super()
            .get_queryset(request)
            .prefetch_related("role_assignments__plan", "role_assignments__org_unit")
        )

    @admin.display(description=_("Roles"))
    def roles(self, user: AbstractUser) -> str:
        return roles_of(user)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = User.objects.filter(pk=obj.pk).values(*_ACCOUNT_FIELDS).first() if change else None
        super().save_model(request, obj, form, change)
        after = {name: getattr(obj, name) for name in _ACCOUNT_FIELDS}
        audit, actor = OrmAuditLog(), request.user.get_username()
        if before is None:
            audit.record(
                actor, "account.created", "account", obj.get_username(),
                new={"username": obj.get_username()}, reason=ADMIN_REASON,
            )  # fmt: skip
            return
        changed = [name for name in _ACCOUNT_FIELDS if before[name] != after[name]]
        if changed:
            audit.record(
                actor, "account.changed", "account", obj.get_username(),
                old={n: before[n] for n in changed}, new={n: after[n] for n in changed},
                reason=ADMIN_REASON,
            )  # fmt: skip

    def save_formset(
        self,
        request: HttpRequest,
        form: Any,
        formset: BaseInlineFormSet[Any, Any, Any],
        change: bool,
    ) -> None:
        if formset.model is not RoleAssignment:
            super().save_formset(request, form, formset, change)
            return
        rows = formset.save(commit=False)
        for row in formset.deleted_objects:
            revoke_assignment(request, row)
        for row in rows:
            save_assignment(request, row)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        OrmAuditLog().record(
            request.user.get_username(), "account.deleted", "account", obj.get_username(),
            old={"username": obj.get_username(), "roles": roles_of(obj)}, reason=ADMIN_REASON,
        )  # fmt: skip
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        with transaction.atomic():
            for user in queryset.prefetch_related(
                "role_assignments__plan", "role_assignments__org_unit"
            ):
                self.delete_model(request, user)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = self.get_object(request, unquote(id))
                OrmAuditLog().record(
                    request.user.get_username(), "account.password_changed", "account",
                    user.get_username() if user else id, reason=ADMIN_REASON,
                )  # fmt: skip
        return response


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(Granted, AdministratorsOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    form = RoleAssignmentForm
    list_display = (
        "user",
        "role_label",
        "plan_shown",
        "org_unit_shown",
        "granted",
        "granted_on",
    )
    list_filter = ("role", "plan")
    search_fields = ("user__username", "org_unit__code", "org_unit__name_zh")
    list_select_related = ("user", "plan", "org_unit")
    fields = ("user", "role", "plan", "org_unit", "granted", "granted_on")
    readonly_fields = ("granted", "granted_on")

    @admin.display(description=_("Role"), ordering="role")
    def role_label(self, row: RoleAssignment) -> str:
        return Role(row.role).label

    @admin.display(description=_("Plan"), ordering="plan__code")
    def plan_shown(self, row: RoleAssignment) -> str:
        return row.plan.code if row.plan else str(_("every plan"))

    @admin.display(description=_("Org unit"), ordering="org_unit__position")
    def org_unit_shown(self, row: RoleAssignment) -> str:
        return str(row.org_unit) if row.org_unit else str(_("every unit"))

    def save_model(
        self, request: HttpRequest, obj: RoleAssignment, form: Any, change: bool
    ) -> None:
        save_assignment(request, obj)

    def delete_model(self, request: HttpRequest, obj: RoleAssignment) -> None:
        revoke_assignment(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[RoleAssignment]) -> None:
        with transaction.atomic():
            for row in queryset.select_related("user", "plan", "org_unit"):
                revoke_assignment(request, row)
