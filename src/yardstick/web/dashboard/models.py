"""What the dashboard reads besides the computed values: the year-to-date months of each KPI."""

from __future__ import annotations

from django.db import models


class MonthlyValue(models.Model):
    """A record-based KPI's year-to-date value at the end of a month, at ministry level.

    Stored by the worker after it recomputes (and by ``yardstick kpi compute``) so that a KPI page
    projects the year end from stored months, never running SQL on a request. ``fingerprint`` is
    that of the (KPI, year) value the months were computed with: when the value's fingerprint
    changes, its months are stale until computed again.
    """

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="monthly_values")
    kpi = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    value = models.FloatField(null=True)
    inputs = models.JSONField(default=dict)
    reason = models.TextField(blank=True)
    fingerprint = models.CharField(max_length=64)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["kpi", "year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "kpi", "year", "month"], name="one_value_per_kpi_month"
            )
        ]
