"""Org units (機關) in the administration site: add a unit under its parent, rename one.

A code is its parent's code, a dot and one segment (``MOJ.AEA.TPE``) and never changes, since
batches, values and role assignments refer to it: code and parent are fixed once a unit exists,
and units are not deleted here. Every change writes its audit entry in its transaction, in the
shape ``yardstick plan load`` writes when it merges a plan's org units.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Max
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from yardstick.datasets.orgunits import CODE_PATTERN, OrgUnitKind
from yardstick.web.accounts.admin_site import ADMIN_REASON, AdministratorsOnly
from yardstick.web.audit.stores import OrmAuditLog
from yardstick.web.orgunits.models import OrgUnit

KINDS = {
    OrgUnitKind.MINISTRY: _("ministry"),
    OrgUnitKind.AGENCY: _("agency"),
    OrgUnitKind.PROSECUTORS_OFFICE: _("prosecutors office"),
    OrgUnitKind.ENFORCEMENT_BRANCH: _("enforcement branch"),
    OrgUnitKind.CORRECTIONAL_FACILITY: _("correctional facility"),
}
_FIELDS = ("name_zh", "name_en", "kind", "position")


class OrgUnitForm(forms.ModelForm):  # type: ignore[type-arg]
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[(k.value, label) for k, label in KINDS.items()]
    )

    class Meta:
        model = OrgUnit
        fields = ("code", "parent", "name_zh", "name_en", "kind", "position")
        labels = {
            "code": _("Code"),
            "parent": _("Parent unit"),
            "name_zh": _("Name (Chinese)"),
            "name_en": _("Name (English)"),
            "position": _("Position among all units"),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.pk is None:
            self._check_place(cleaned.get("code") or "", cleaned.get("parent"))
        return cleaned

    def _check_place(self, code: str, parent: OrgUnit | None) -> None:
        if parent is None and OrgUnit.objects.exists():
            self.add_error("parent", _("Every unit but the ministry sits under a parent unit."))
        elif not re.fullmatch(CODE_PATTERN, code):
            self.add_error(
                "code",
                _("A code is segments of capitals, digits or _ joined by dots (MOJ.AEA.TPE)."),
            )
        elif parent is not None and code.rpartition(".")[0] != parent.code:
            self.add_error(
                "code",
                _("The code must be the parent's code %(parent)s, a dot and one more segment.")
                % {"parent": parent.code},
            )


def unit_summary(unit: OrgUnit) -> dict[str, Any]:
    return {
        "code": unit.code,
        "name_zh": unit.name_zh,
        "name_en": unit.name_en,
        "kind": unit.kind,
        "parent": unit.parent.code if unit.parent else None,
    }


@admin.register(OrgUnit)
class OrgUnitAdmin(AdministratorsOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    form = OrgUnitForm
    list_display = ("code", "name_zh", "name_en", "kind_label", "parent_code", "position")
    list_filter = ("kind",)
    search_fields = ("code", "name_zh", "name_en")
    list_select_related = ("parent",)
    list_per_page = 100
    ordering = ("position", "code")

    @admin.display(description=_("Kind"), ordering="kind")
    def kind_label(self, unit: OrgUnit) -> str:
        return str(KINDS.get(OrgUnitKind(unit.kind), unit.kind))

    @admin.display(description=_("Parent unit"), ordering="parent__code")
    def parent_code(self, unit: OrgUnit) -> str:
        return unit.parent.code if unit.parent else "—"

    def get_readonly_fields(
        self, request: HttpRequest, obj: OrgUnit | None = None
    ) -> tuple[str, ...]:
        return ("code", "parent") if obj is not None else ()

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        last = OrgUnit.objects.aggregate(p=Max("position"))["p"] or 0
        return {**super().get_changeform_initial_data(request), "position": last + 1}

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: OrgUnit, form: Any, change: bool) -> None:
        before = OrgUnit.objects.filter(pk=obj.pk).values(*_FIELDS).first() if change else None
        obj.save()
        audit, actor = OrmAuditLog(), request.user.get_username()
        if before is None:
            audit.record(
                actor, "orgunit.created", "orgunit", obj.code,
                new=unit_summary(obj), reason=ADMIN_REASON,
            )  # fmt: skip
            return
        changed = [name for name in _FIELDS if before[name] != getattr(obj, name)]
        if changed:
            audit.record(
                actor, "orgunit.changed", "orgunit", obj.code,
                old={n: before[n] for n in changed}, new={n: getattr(obj, n) for n in changed},
                reason=ADMIN_REASON,
            )  # fmt: skip
