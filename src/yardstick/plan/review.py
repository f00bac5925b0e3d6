"""Carry a reviewer's decisions over to a freshly imported plan.

A reviewer sets, in plan.yaml, what the document's wording does not carry: a target's direction
(``direction_source: reviewed`` with a ``note`` saying why). When the document is imported again,
those decisions are kept for every target whose printed text has not changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from yardstick.plan.model import KPI, DirectionSource, Plan, Target


@dataclass(frozen=True)
class DroppedReview:
    """A review that no longer applies because the target it was about changed or went away."""

    kpi: str
    year: int
    reason: str


def keep_reviews(imported: Plan, reviewed: Plan) -> tuple[Plan, list[DroppedReview]]:
    """``imported`` with the reviewed directions of ``reviewed`` applied where targets still match."""
    result = imported.model_copy(deep=True, update={"rating": reviewed.rating})
    dropped: list[DroppedReview] = []
    for old_kpi in reviewed.kpis:
        for old in old_kpi.targets:
            if old.direction_source is not DirectionSource.REVIEWED:
                continue
            new = _target(result, old_kpi.code, old.year)
            if new is None:
                dropped.append(DroppedReview(old_kpi.code, old.year, "the target is gone"))
            elif new.text != old.text:
                dropped.append(
                    DroppedReview(
                        old_kpi.code, old.year, f"the target changed: {old.text!r} → {new.text!r}"
                    )
                )
            else:
                new.note = old.note  # first: a reviewed direction must carry its note
                new.direction, new.direction_source = old.direction, old.direction_source
    return result, dropped


def _target(plan: Plan, code: str, year: int) -> Target | None:
    try:
        return plan.kpi(code).target_for(year)
    except KeyError:
        return None


def unreviewed_directions(plan: Plan) -> list[tuple[KPI, Target]]:
    """The targets whose direction nobody stated: the default, or suggested by the KPI's name.

    ``plan import`` lists them so that they are reviewed before the plan is used: a light
    assessed in the wrong direction is green where it should be red.
    """
    return [
        (kpi, target) for kpi in plan.kpis for target in kpi.targets if target.direction_unreviewed
    ]
