"""Rendered annual reports, kept until their inputs change."""

from __future__ import annotations

from django.db import models


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
