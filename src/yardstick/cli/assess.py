"""``yardstick assess``, ``yardstick report`` and ``yardstick watch`` on a stored plan."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from yardstick.assess.plan_year import assessed_year
from yardstick.assess.projection import early_warnings
from yardstick.assess.watch import watch
from yardstick.calendar import parse_roc_month
from yardstick.cli.context import PlanOption, open_project, open_storage
from yardstick.plan.model import UNREVIEWED_MARK, UNREVIEWED_NOTE, Target
from yardstick.plan.rating import Light

console = Console()
STYLE = {Light.GREEN: "green", Light.YELLOW: "yellow", Light.RED: "red", Light.WHITE: "dim"}


def assess_command(
    year: Annotated[int, typer.Option("--year", help="ROC year")] = 109,
    plan: PlanOption = None,
) -> None:
    """KPI by KPI: target, actual, achievement (達成度) and light (燈號) for a year."""
    assessed = assessed_year(open_project(open_storage(), plan), year)
    table = Table(
        "KPI",
        "name",
        "target",
        "actual",
        "achievement",
        "light",
        "vs last year",
        title=f"{assessed.plan.ministry or ''} {year}年度 assessment",
    )
    for item in assessed.kpis:
        a = item.assessment
        achievement = "—" if a.achievement is None else f"{a.achievement * 100:.1f}%"
        light = (
            f"[{STYLE[a.light]}]{a.light.zh}[/]"
            + (f" {UNREVIEWED_MARK}" if a.rests_on_unreviewed_direction else "")
            + (f" [dim]{escape(a.reason)}[/]" if a.reason else "")
        )
        table.add_row(
            item.kpi.code,
            escape(item.kpi.name),
            escape(_target_shown(a.target)) if a.target else "—",
            a.shown,
            achievement,
            light,
            item.trend.change_text or "—",
        )
    console.print(table)
    if any(item.assessment.rests_on_unreviewed_direction for item in assessed.kpis):
        console.print(f"{UNREVIEWED_MARK} {UNREVIEWED_NOTE}", markup=False)
    counts = assessed.light_counts()
    console.print("　".join(f"{light.zh} {count}" for light, count in counts.items()))


def _target_shown(target: Target) -> str:
    """``50.5日（以下）``: the direction in the user's words, beside the target as printed."""
    return f"{target.text}（{target.direction.zh}）"


def report_command(
    year: Annotated[int, typer.Option("--year", help="ROC year")] = 109,
    format_name: Annotated[str, typer.Option("--format", "-f", help="pdf, xlsx or html")] = "pdf",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="file to write")] = None,
    plan: PlanOption = None,
) -> None:
    """Write the annual performance report (年度施政績效報告) as PDF, XLSX or HTML."""
    from yardstick.reports.formats import FORMATS, render_report
    from yardstick.reports.model import build_report

    project = open_project(open_storage(), plan)
    report = build_report(assessed_year(project, year), project.org_units)
    data = render_report(report, format_name)
    target = output or Path(f"report-{year}{FORMATS[format_name].SUFFIX}")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    console.print(f"wrote {target} ({len(data):,} bytes)")


def watch_command(
    as_of: Annotated[
        str, typer.Option("--as-of", help="ROC year and month of the latest records, e.g. 109-09")
    ],
    plan: PlanOption = None,
) -> None:
    """In-year: project each KPI to the year end from records up to a month; list early warnings."""
    month = parse_roc_month(as_of)
    project = open_project(open_storage(), plan)
    projections = watch(project, month.year, month.month)
    table = Table(
        "KPI",
        "name",
        f"to {month.year}年{month.month}月",
        "projected",
        "interval",
        "method",
        "light",
        title=f"projection to the end of {month.year}年",
    )
    names = {kpi.code: kpi.name for kpi in project.plan.kpis}
    for p in projections:
        interval = "—" if p.low is None or p.high is None else f"{p.low:,.2f} – {p.high:,.2f}"
        projected = "—" if p.projected is None else f"{p.projected:,.2f}"
        ytd = "—" if p.year_to_date is None else f"{p.year_to_date:,.2f}"
        table.add_row(
            p.kpi,
            escape(names[p.kpi]),
            ytd,
            projected,
            interval,
            escape(p.reason or p.method),
            f"[{STYLE[p.light]}]{p.light.zh}[/]",
        )
    console.print(table)
    warnings = early_warnings(projections)
    console.print(
        "early warnings: "
        + ("、".join(f"{p.kpi} {escape(names[p.kpi])}（{p.light.zh}）" for p in warnings) or "none")
    )
