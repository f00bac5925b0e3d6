"""Entered data element values (append-only) and computed KPI values with their lineage."""

from __future__ import annotations

from django.db import models


class EnteredValue(models.Model):
    """A value of a data element for an ROC year and org unit, as entered; never updated."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="entered_values")
    element = models.CharField(max_length=100)
    year = models.PositiveSmallIntegerField()
    org_unit = models.CharField(max_length=100)
    value = models.FloatField()
    entered_by = models.CharField(max_length=150)
    approved_by = models.CharField(max_length=150, blank=True)
    entered_at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["plan", "element", "year", "org_unit"])]


class ComputedCell(models.Model):
    """One (KPI, ROC year) as last computed: its fingerprint and lineage, shared by its values."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="computed_cells")
    kpi = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    fingerprint = models.CharField(max_length=64)
    lineage = models.JSONField(null=True)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "kpi", "year"], name="one_cell_per_kpi_year")
        ]


class ComputedValue(models.Model):
    """A KPI's value for an ROC year and org unit (or why it cannot be computed)."""

    cell = models.ForeignKey(ComputedCell, on_delete=models.CASCADE, related_name="values")
    org_unit = models.CharField(max_length=100)
    value = models.FloatField(null=True)
    unit = models.CharField(max_length=20)
    decimals = models.PositiveSmallIntegerField()
    inputs = models.JSONField(default=dict)
    reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cell", "org_unit"], name="one_value_per_unit")
        ]
