"""What the dashboard's pages read besides the computed values: the year-to-date months of each
KPI; and the rendered annual reports, kept until their inputs change."""

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


class ReportFile(models.Model):
    """The annual report (年度施政績效報告) of a plan year in one format, as the worker rendered it.

    ``inputs_fingerprint`` names what it was rendered from (the plan version, the computed
    (KPI, year) cells up to its year, the org units); when the current inputs have another
    fingerprint the file is stale. ``path`` is relative to the storage folder.
    """

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="report_files")
    year = models.PositiveSmallIntegerField()
    format = models.CharField(max_length=10)
    inputs_fingerprint = models.CharField(max_length=64)
    path = models.CharField(max_length=500)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField()
    job = models.ForeignKey("jobs.Job", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["plan", "year", "format"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "year", "format"], name="one_report_file_per_year_and_format"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.year} {self.format}"
