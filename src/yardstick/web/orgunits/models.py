"""The deployment's org units: one row per unit, its parent, and when it stopped existing."""

from __future__ import annotations

from django.db import models


class OrgUnit(models.Model):
    """An org unit (機關) with its stable hierarchical code (``MOJ.AEA.TPE``)."""

    code = models.CharField(max_length=100, unique=True)
    name_zh = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    kind = models.CharField(max_length=40)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    position = models.PositiveIntegerField(default=0, help_text="order among all units")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"
