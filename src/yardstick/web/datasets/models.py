"""The batch registry as tables: batches, their status events, and their years per date column."""

from __future__ import annotations

from django.db import models


class Batch(models.Model):
    """One ingested file: identity, counts, who ingested it, and whether it is in use."""

    id = models.CharField(max_length=64, primary_key=True)
    dataset = models.CharField(max_length=100, db_index=True)
    contract_version = models.PositiveIntegerField()
    org_unit = models.CharField(max_length=100, blank=True)
    source_name = models.CharField(max_length=500)
    checksum = models.CharField(max_length=64)
    source_bytes = models.BigIntegerField(null=True)
    rows_accepted = models.BigIntegerField()
    rows_quarantined = models.BigIntegerField()
    ingested_by = models.CharField(max_length=150)
    ingested_at = models.DateTimeField()
    status = models.CharField(max_length=20)

    class Meta:
        ordering = ["ingested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "org_unit", "checksum"], name="one_batch_per_file"
            )
        ]


class BatchEvent(models.Model):
    """A change of a batch's status: from what, to what, by whom, when and why."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="events")
    old_status = models.CharField(max_length=20, blank=True)
    new_status = models.CharField(max_length=20)
    actor = models.CharField(max_length=150)
    reason = models.TextField()
    at = models.DateTimeField()
    replaced_by = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["at", "id"]


class BatchCoverage(models.Model):
    """The first and last ROC year of a batch's records by one date column (cached)."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="coverage")
    period_column = models.CharField(max_length=100)
    first_year = models.SmallIntegerField(null=True)
    last_year = models.SmallIntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["batch", "period_column"], name="one_span_per_column")
        ]
