"""Sparklines: a KPI's values over the plan's years as a small SVG drawn on the server.

Sixteen small lines on a page are cheaper as SVG markup than as sixteen Vega views, need no
script, and carry their text alternative (every year's value) as the image's accessible name.
Colours are presentation attributes, which the site's content security policy allows.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT, PAD = 100.0, 24.0, 3.0
LINE = "#0b5cad"


def sparkline(points: Sequence[tuple[int, float | None]], label: str) -> SafeString:
    """The line through the known ``(year, value)`` points, named ``label`` for screen readers;
    empty when fewer than two years have a value."""
    known = [(year, value) for year, value in points if value is not None]
    if len(known) < 2:
        return SafeString("")
    years = [year for year, _ in points]
    low, high = min(v for _, v in known), max(v for _, v in known)
    first, last = min(years), max(years)

    def x(year: int) -> float:
        return PAD + (WIDTH - 2 * PAD) * (year - first) / ((last - first) or 1)

    def y(value: float) -> float:
        if high == low:
            return HEIGHT / 2
        return HEIGHT - PAD - (HEIGHT - 2 * PAD) * (value - low) / (high - low)

    coordinates = [(round(x(year), 1), round(y(value), 1)) for year, value in known]
    line = " ".join(f"{cx},{cy}" for cx, cy in coordinates)
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="1.8" fill="' + LINE + '"></circle>',
        coordinates,
    )
    return format_html(
        '<svg class="spark" viewBox="0 0 {} {}" role="img" aria-label="{}" focusable="false">'
        "<title>{}</title>"
        '<polyline points="{}" fill="none" stroke="{}" stroke-width="1.5"></polyline>{}</svg>',
        int(WIDTH),
        int(HEIGHT),
        label,
        label,
        line,
        LINE,
        dots,
    )
