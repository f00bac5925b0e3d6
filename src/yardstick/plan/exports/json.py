"""The plan as JSON (the same fields as plan.yaml), for programs and open data."""

from __future__ import annotations

from yardstick.plan.model import Plan

MEDIA_TYPE = "application/json"
SUFFIX = ".json"


def render(plan: Plan) -> bytes:
    return plan.model_dump_json(indent=2).encode("utf-8")
