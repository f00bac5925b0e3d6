"""A plan, its immutable versions, and the KPIs and targets of its current version as rows.

A version's content is the canonical JSON of the plan bundle (plan, metric definitions, dataset
contracts, and the published document when there is one) with its SHA-256: never updated, so a
value's lineage always points at the exact definition that produced it. The KPI and target rows
mirror the current version for what the workflow must reference relationally.
"""

from __future__ import annotations

from django.db import models


class Plan(models.Model):
    """A medium-term plan (中程施政計畫), e.g. ``moj-106-109``."""

    code = models.SlugField(max_length=60, unique=True)
    ministry = models.CharField(max_length=100, blank=True)
    start_year = models.PositiveSmallIntegerField()
    end_year = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class PlanVersion(models.Model):
    """One immutable version of a plan's content."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    sha256 = models.CharField(max_length=64)
    author = models.CharField(max_length=150)
    reason = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="one_version_number_per_plan")
        ]

    def __str__(self) -> str:
        return f"{self.plan.code} v{self.number}"


class PlanKpi(models.Model):
    """A KPI (關鍵績效指標) of the plan's current version."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="kpis")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=300)
    goal = models.CharField(max_length=20)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="one_kpi_per_code")]

    def __str__(self) -> str:
        return f"{self.plan.code} {self.code}"


class PlanTarget(models.Model):
    """A KPI's target (目標值) for an ROC year, as the current version states it."""

    kpi = models.ForeignKey(PlanKpi, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=200)
    value = models.FloatField()
    unit = models.CharField(max_length=20, blank=True)
    direction = models.CharField(max_length=20)
    direction_source = models.CharField(max_length=20)

    class Meta:
        ordering = ["kpi", "year"]
        constraints = [models.UniqueConstraint(fields=["kpi", "year"], name="one_target_per_year")]
