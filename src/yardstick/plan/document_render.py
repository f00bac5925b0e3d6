"""Write a plan in the published document layout (the inverse of :mod:`yardstick.plan.document`).

Used to export a reviewed plan back to the layout ministries publish, and by the property tests
that check ``parse(render(plan)) == plan``. Grouping cells repeat as blanks, as published.
"""

from __future__ import annotations

from yardstick.plan.document_kpis import HEADER as KPI_HEADER
from yardstick.plan.document_programmes import HEADER as PROGRAMME_HEADER
from yardstick.plan.document_programmes import NO_KPI
from yardstick.plan.model import KPI, OutlineItem, Plan, Programme


def render_document(plan: Plan) -> str:
    """The plan as the text of a published document."""
    lines = [plan.section_titles.outline]
    for heading in plan.outline:
        lines.extend(_outline_lines(heading))
    lines += ["", "", plan.section_titles.kpis]
    lines += _kpi_table(plan)
    lines += ["", "註：", plan.evaluation_mechanisms_intro]
    lines += [
        f"\u3000\u3000{code}.{meaning}" for code, meaning in plan.evaluation_mechanisms.items()
    ]
    lines += ["", "", plan.section_titles.programmes]
    lines += _programme_table(plan)
    return "\n".join(lines) + "\n"


def _outline_lines(item: OutlineItem) -> list[str]:
    lines = [f"{item.label}{item.text}"]
    for child in item.items:
        lines.extend(_outline_lines(child))
    return lines


def _cells(texts: list[str]) -> list[str]:
    """One cell per line, each with its tab; a wrapped cell continues without one."""
    return [f"\t{text}" for text in texts]


def _kpi_table(plan: Plan) -> list[str]:
    years = sorted({target.year for kpi in plan.kpis for target in kpi.targets})
    header = [*KPI_HEADER[:-1], KPI_HEADER[-1]]
    lines = _cells(header) + [line for year in years for line in (f"\t{year}年度", "目標值")]
    previous_goal: int | None = None
    for kpi in plan.kpis:
        lines += ["", *_cells(_kpi_row(plan, kpi, years, kpi.goal == previous_goal))]
        previous_goal = kpi.goal
    return lines


def _kpi_row(plan: Plan, kpi: KPI, years: list[int], same_goal: bool) -> list[str]:
    goal = ["", ""] if same_goal else [str(kpi.goal), plan.goal(kpi.goal).name]
    targets = [target.text for year in years if (target := kpi.target_for(year)) is not None]
    return [
        *goal,
        str(kpi.number),
        kpi.name,
        str(kpi.evaluation_mechanism),
        kpi.evaluation_method,
        kpi.measurement_standard,
        *targets,
    ]


def _programme_table(plan: Plan) -> list[str]:
    lines = _cells(list(PROGRAMME_HEADER))
    previous: str | None = None
    for programme in plan.programmes:
        lines += [
            "",
            *_cells(_programme_row(plan, programme, programme.outline_heading == previous)),
        ]
        previous = programme.outline_heading
    return lines


def _programme_row(plan: Plan, programme: Programme, same_heading: bool) -> list[str]:
    links = "、".join(plan.kpi(code).name for code in programme.kpis) or NO_KPI
    return [
        "" if same_heading else programme.outline_heading,
        programme.name,
        str(programme.period),
        programme.category.value,
        links,
    ]
