"""Charts as Vega-Lite specs (built with Altair), rendered to SVG for reports.

The web app draws the same specs in the browser; reports render them with vl-convert. Years on
axes are ROC years; text uses a Traditional Chinese font.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import vl_convert

from yardstick.assess.trend import Trend
from yardstick.plan.model import Target
from yardstick.plan.rating import Light

FONT = "Noto Sans CJK TC"
LIGHT_COLOURS = {
    Light.GREEN: "#2e7d32",
    Light.YELLOW: "#f9a825",
    Light.RED: "#c62828",
    Light.WHITE: "#bdbdbd",
}


def _data(rows: list[dict[str, Any]]) -> Any:
    return alt.Data(values=rows)  # type: ignore[no-untyped-call]


def _config(chart: alt.TopLevelMixin) -> dict[str, Any]:
    spec: dict[str, Any] = chart.configure(font=FONT).configure_view(stroke=None).to_dict()
    return spec


def trend_spec(trend: Trend, target: Target | None) -> dict[str, Any]:
    """The KPI by ROC year, with the target as a dashed line."""
    rows = [
        {"年度": f"{year}年", "實際值": value} for year, value in trend.points if value is not None
    ]
    line = (
        alt.Chart(_data(rows))
        .mark_line(point=True, color="#1565c0")
        .encode(
            x=alt.X("年度:O", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("實際值:Q", title=trend.unit, scale=alt.Scale(zero=False)),
            tooltip=["年度:O", "實際值:Q"],
        )
    )
    layers: list[Any] = [line]
    if target is not None:
        rule = (
            alt.Chart(_data([{"目標值": target.value}]))
            .mark_rule(strokeDash=[6, 4], color="#c62828")
            .encode(y="目標值:Q")
        )
        layers.append(rule)
    return _config(alt.layer(*layers).properties(width=300, height=140))


def lights_spec(counts_by_goal: list[tuple[str, dict[Light, int]]]) -> dict[str, Any]:
    """Stacked bars: how many KPIs of each strategic goal have each light."""
    rows = [
        {"目標": goal, "燈號": light.zh, "KPI數": count}
        for goal, counts in counts_by_goal
        for light, count in counts.items()
        if count
    ]
    colours = alt.Scale(
        domain=[light.zh for light in Light], range=[LIGHT_COLOURS[light] for light in Light]
    )
    chart = (
        alt.Chart(_data(rows))
        .mark_bar()
        .encode(
            y=alt.Y("目標:N", title=None, sort=None),
            x=alt.X("KPI數:Q", title="KPI 數", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "燈號:N", scale=colours, legend=alt.Legend(title=None, orient="bottom")
            ),
        )
    )
    return _config(chart.properties(width=420, height=24 * max(1, len(counts_by_goal))))


def breakdown_spec(
    rows: list[tuple[str, float]], unit: str, target: Target | None = None
) -> dict[str, Any]:
    """Horizontal bars: a KPI's value in each org unit (name, value), largest first; the target
    as a dashed rule where the units' values can be held against it (rates, not shares)."""
    data = [{"機關": name, "實際值": value} for name, value in rows]
    bars = (
        alt.Chart(_data(data))
        .mark_bar(color="#1565c0")
        .encode(
            y=alt.Y("機關:N", title=None, sort="-x"),
            x=alt.X("實際值:Q", title=unit),
            tooltip=["機關:N", "實際值:Q"],
        )
    )
    layers: list[Any] = [bars]
    if target is not None:
        rule = (
            alt.Chart(_data([{"目標值": target.value}]))
            .mark_rule(strokeDash=[6, 4], color="#c62828")
            .encode(x="目標值:Q")
        )
        layers.append(rule)
    return _config(alt.layer(*layers).properties(width=360, height=18 * max(1, len(rows))))


def svg(spec: dict[str, Any]) -> str:
    """Render a Vega-Lite spec to an SVG string."""
    rendered: str = vl_convert.vegalite_to_svg(spec)
    return rendered
