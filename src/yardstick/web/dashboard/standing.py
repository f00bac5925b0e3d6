"""A KPI's standing in a year for an org unit: its value against the plan's target, or why there
is no light to show.

The plan's targets are the ministry's. A rate, a mean or a weighted score of an agency can be
held against them; an agency's part of a count or a sum (persons, kilograms, cases) cannot — 40
of the ministry's 4,000 persons is not a red light — so such a value is shown unassessed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from yardstick.assess.achievement import Assessment, assess_value
from yardstick.metrics.definition import AggregateDefinition, AggregateFunction, MetricDefinition
from yardstick.metrics.results import KpiValue, round_half_up
from yardstick.plan.model import KPI, Direction, Target
from yardstick.plan.rating import Light, RatingScheme


@dataclass(frozen=True)
class Standing:
    """One KPI in one year for one org unit, as a page shows it."""

    kpi: KPI
    year: int
    target: Target | None
    value: KpiValue | None
    assessment: Assessment | None
    light: Light | None
    note: str
    """Why the light is white or missing: not yet defined, no value yet, the reason it cannot be
    computed, or a share of a total; empty for an assessed value."""

    @property
    def marked(self) -> bool:
        """The light rests on a direction nobody reviewed (shown with ※)."""
        return self.assessment is not None and self.assessment.rests_on_unreviewed_direction


def is_share_of_total(definition: MetricDefinition | None) -> bool:
    """A count or a sum: a unit's value is its part of the ministry's, not comparable to the target."""
    return isinstance(definition, AggregateDefinition) and definition.measure.function in (
        AggregateFunction.COUNT,
        AggregateFunction.SUM,
    )


def standing_of(
    kpi: KPI,
    definition: MetricDefinition | None,
    value: KpiValue | None,
    year: int,
    scheme: RatingScheme,
    at_root: bool,
) -> Standing:
    """The standing of ``kpi`` in ``year`` from its stored ``value`` (None: nothing stored)."""
    target = kpi.target_for(year)
    if definition is None:
        return Standing(kpi, year, target, value, None, Light.WHITE, _("not yet defined"))
    if value is None:
        return Standing(kpi, year, target, None, None, Light.WHITE, _("no value yet"))
    if value.value is None:
        reason = _("cannot compute: %(reason)s") % {"reason": value.reason or _("no value")}
        return Standing(kpi, year, target, value, None, Light.WHITE, reason)
    if not at_root and is_share_of_total(definition):
        note = _("a part of the ministry's total: not assessed against its target")
        return Standing(kpi, year, target, value, None, None, note)
    assessment = assess_value(value, target, scheme, kpi.code, year)
    note = "" if assessment.reason is None else _("no target for this year")
    return Standing(kpi, year, target, value, assessment, assessment.light, note)


def direction_text(target: Target) -> str:
    """以上（越高越好） or 以下（越低越好）: the direction in words, never its code."""
    if target.direction is Direction.AT_LEAST:
        return _("at least (以上): higher is better")
    return _("at most (以下): lower is better")


def input_text(number: float | None) -> str:
    """A numerator or denominator as people read it: 1,001 or 4,380.12."""
    if number is None:
        return "—"
    decimals = 0 if float(number).is_integer() else 2
    return f"{round_half_up(float(number), decimals):,.{decimals}f}"
