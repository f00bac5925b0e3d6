"""Append-only audit entries. The actor is kept as text, so history survives a deleted account."""

from __future__ import annotations

from django.db import models


class AuditEntry(models.Model):
    """Who did what to which object, when, from what to what, and why."""

    at = models.DateTimeField(db_index=True)
    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=200)
    plan = models.CharField(max_length=60, blank=True)
    old = models.JSONField(null=True)
    new = models.JSONField(null=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
