"""Jobs: queued work with a lease, so a killed worker's job is taken up again."""

from __future__ import annotations

from django.db import models


class Job(models.Model):
    """One piece of work: what, for which plan, its state, and the lease of the worker on it."""

    kind = models.CharField(max_length=40)
    plan = models.CharField(max_length=60, blank=True)
    payload = models.JSONField(default=dict)
    status = models.CharField(max_length=20, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    max_attempts = models.PositiveIntegerField(default=5)
    run_after = models.DateTimeField()
    lease_until = models.DateTimeField(null=True)
    worker = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    enqueued_by = models.CharField(max_length=150)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True)
    finished_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "run_after"])]
