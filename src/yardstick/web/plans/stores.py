"""Plan versions over the ORM: append a version, mirror its KPIs and targets as rows."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from yardstick.metrics.bundle import PlanBundle
from yardstick.state.audit import AuditLog
from yardstick.state.plans import PlanSummary, PlanVersion, UnknownPlan
from yardstick.web.plans.models import Plan, PlanKpi, PlanTarget
from yardstick.web.plans.models import PlanVersion as VersionRow


class OrmPlanStore:
    def __init__(self, audit: AuditLog) -> None:
        self.audit = audit

    def plans(self) -> Sequence[PlanSummary]:
        rows = Plan.objects.annotate(count=Count("versions")).order_by("code")
        return [
            PlanSummary(row.code, row.ministry, row.start_year, row.end_year, row.count)
            for row in rows
        ]

    def current(self, code: str) -> PlanVersion:
        row = VersionRow.objects.filter(plan__code=code).order_by("-number").first()
        if row is None:
            raise UnknownPlan(_unknown(code))
        return _version(code, row)

    def version(self, code: str, number: int) -> PlanVersion:
        row = VersionRow.objects.filter(plan__code=code, number=number).first()
        if row is None:
            raise UnknownPlan(f"plan {code} has no version {number}")
        return _version(code, row)

    def versions(self, code: str) -> Sequence[PlanVersion]:
        rows = VersionRow.objects.filter(plan__code=code).order_by("number")
        return [_version(code, row) for row in rows]

    def save(self, code: str, bundle: PlanBundle, author: str, reason: str) -> PlanVersion:
        content = bundle.to_json()
        sha = bundle.sha256()
        with transaction.atomic():
            plan, _ = Plan.objects.get_or_create(
                code=code,
                defaults={
                    "ministry": bundle.plan.ministry or "",
                    "start_year": bundle.plan.start_year,
                    "end_year": bundle.plan.end_year,
                },
            )
            latest = plan.versions.order_by("-number").first()
            if latest is not None and latest.sha256 == sha:
                return _version(code, latest)
            number = (plan.versions.aggregate(n=Max("number"))["n"] or 0) + 1
            row = VersionRow.objects.create(
                plan=plan,
                number=number,
                content=content,
                sha256=sha,
                author=author,
                reason=reason,
                created_at=timezone.now(),
            )
            Plan.objects.filter(pk=plan.pk).update(
                ministry=bundle.plan.ministry or "",
                start_year=bundle.plan.start_year,
                end_year=bundle.plan.end_year,
            )
            _mirror_kpis(plan, bundle)
            self.audit.record(
                author,
                "plan.version_saved",
                "plan",
                code,
                plan=code,
                old={"version": latest.number, "sha256": latest.sha256} if latest else None,
                new={"version": number, "sha256": sha},
                reason=reason,
            )
        return PlanVersion(code, number, sha, author, reason, row.created_at, bundle)


def _mirror_kpis(plan: Plan, bundle: PlanBundle) -> None:
    """Replace the plan's KPI and target rows by those of ``bundle``."""
    PlanKpi.objects.filter(plan=plan).delete()
    for position, kpi in enumerate(bundle.plan.kpis):
        row = PlanKpi.objects.create(
            plan=plan, code=kpi.code, name=kpi.name, goal=str(kpi.goal), position=position
        )
        PlanTarget.objects.bulk_create(
            PlanTarget(
                kpi=row,
                year=target.year,
                text=target.text,
                value=target.value,
                unit=target.unit,
                direction=target.direction.value,
                direction_source=target.direction_source.value,
            )
            for target in kpi.targets
        )


def _version(code: str, row: VersionRow) -> PlanVersion:
    return PlanVersion(
        code,
        row.number,
        row.sha256,
        row.author,
        row.reason,
        row.created_at,
        PlanBundle.from_json(row.content),
    )


def _unknown(code: str) -> str:
    stored = list(Plan.objects.values_list("code", flat=True))
    known = f"stored plans: {', '.join(stored)}" if stored else "no plan is stored yet"
    return f"no plan {code!r} ({known}; `yardstick plan load plans/<plan>` stores one)"
