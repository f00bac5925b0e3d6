"""Template filters of the dashboard's pages: a target's direction in words (never its code),
the names and numbers of a value's inputs."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from yardstick.plan.model import DirectionSource, Target
from yardstick.web.dashboard.standing import direction_text, input_text

register = template.Library()


@register.filter
def direction(target: Target | None) -> str:
    """以上（越高越好） / 以下（越低越好） (in English: at least (以上): higher is better)."""
    return "—" if target is None else direction_text(target)


@register.filter
def input_number(number: float | None) -> str:
    """A numerator or denominator: 1,001 or 4,380.12 (四捨五入)."""
    return input_text(number)


@register.filter
def direction_source(target: Target | None) -> str:
    """Where the target's direction comes from: its wording, a guess, or a reviewer."""
    if target is None:
        return "—"
    words = {
        DirectionSource.WORDING: _("the target's wording"),
        DirectionSource.NAME: _("guessed from the KPI's name, not reviewed"),
        DirectionSource.DEFAULT: _("the default, not reviewed"),
        DirectionSource.REVIEWED: _("reviewed"),
    }
    return words[target.direction_source]


@register.filter
def input_name(name: str) -> str:
    """numerator → 分子, denominator → 分母, measure → 量測值; a formula's own names as written."""
    words = {
        "numerator": _("numerator"),
        "denominator": _("denominator"),
        "measure": _("measure"),
    }
    return words.get(name, name)
