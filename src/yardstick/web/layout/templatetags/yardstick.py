"""Template tags: ROC years and dates as people read them, figures as the report shows them
(四捨五入, thousands separators), lights as badges, and charts drawn from Vega-Lite specs."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django import template
from django.utils import timezone, translation
from django.utils.html import format_html, json_script
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from yardstick.calendar import ROC_EPOCH_OFFSET
from yardstick.metrics.results import KpiValue, round_half_up
from yardstick.plan.rating import Light

register = template.Library()

_LIGHT_EN = {Light.GREEN: "Green", Light.YELLOW: "Yellow", Light.RED: "Red", Light.WHITE: "White"}


def _chinese() -> bool:
    return (translation.get_language() or "zh-hant").lower().startswith("zh")


@register.filter
def roc_year(year: int | None) -> str:
    """109 → 民國109年 (in English: ROC 109 (2020))."""
    if year is None:
        return "—"
    return f"民國{year}年" if _chinese() else f"ROC {year} ({year + ROC_EPOCH_OFFSET})"


@register.filter
def roc_date(value: date | datetime | str | None) -> str:
    """2020-12-31 → 109/12/31; a time of day is shown in the site's time zone (109/12/31 14:05)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{local.year - ROC_EPOCH_OFFSET}/{local:%m/%d %H:%M}"
    return f"{value.year - ROC_EPOCH_OFFSET}/{value:%m/%d}"


@register.filter
def figure(value: KpiValue | None) -> str:
    """A value as the report shows it (25.31%), or — when there is none."""
    if value is None or value.value is None:
        return "—"
    return value.shown()


@register.filter
def number(value: float | int | None, decimals: int = 0) -> str:
    """12345.675 → 12,345.68 with 四捨五入."""
    if value is None:
        return "—"
    return f"{round_half_up(float(value), int(decimals)):,.{int(decimals)}f}"


@register.filter
def percent(value: float | None, decimals: int = 1) -> str:
    """An achievement (1.046) as 104.6%."""
    if value is None:
        return "—"
    return f"{round_half_up(value * 100, int(decimals)):,.{int(decimals)}f}%"


@register.simple_tag
def light_badge(light: Light | str | None) -> SafeString:
    """The light as a coloured badge with its name (colour is never the only cue)."""
    if light is None:
        return format_html('<span class="light light-white">{}</span>', _("not yet defined"))
    light = Light(light)
    label = light.zh if _chinese() else _LIGHT_EN[light]
    return format_html('<span class="light light-{}">{}</span>', light.value, label)


@register.simple_tag
def chart(spec: dict[str, Any], element_id: str, label: str) -> SafeString:
    """A container vega-embed draws the spec into (the spec travels as JSON, not as script)."""
    data = json_script(spec, f"{element_id}-spec")
    return format_html(
        '<div class="chart" id="{}" data-chart-spec="{}-spec" data-chart-label="{}"></div>{}',
        element_id,
        element_id,
        label,
        data,
    )


_SEASONAL = re.compile(r"seasonal ratio from (\d+) earlier year\(s\)")
_BATCH_FILE = re.compile(r"'[^']*/batches/[^/']+/([0-9A-Za-z_-]+)/data\.parquet'")


@register.filter
def projection_method(method: str) -> str:
    """How a year-end projection was made, in the reader's language."""
    seasonal = _SEASONAL.fullmatch(method or "")
    if seasonal:
        return _("seasonal ratio from %(years)s earlier year(s)") % {"years": seasonal.group(1)}
    known = {
        "linear on cumulative counts": _("linear on cumulative counts"),
        "year-to-date value": _("year-to-date value"),
    }
    return known.get(method, method)


@register.filter
def without_paths(sql: str) -> str:
    """The SQL as shown to people: a batch's file named by the batch, not by the server's path."""
    return _BATCH_FILE.sub(lambda match: f"'batch {match.group(1)}'", sql)
