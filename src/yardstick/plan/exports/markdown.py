"""The plan as readable Markdown: outline, goals with their KPIs and targets, programmes."""

from __future__ import annotations

from yardstick.plan.model import (
    KPI,
    UNREVIEWED_MARK,
    UNREVIEWED_NOTE,
    OutlineItem,
    Plan,
    Programme,
    Target,
)

MEDIA_TYPE = "text/markdown; charset=utf-8"
SUFFIX = ".md"


def render(plan: Plan) -> bytes:
    title = f"{plan.ministry or ''}中程施政計畫（{plan.start_year}–{plan.end_year}年度）"
    lines = [f"# {title}", "", f"## {plan.section_titles.outline}", ""]
    for heading in plan.outline:
        lines += _outline(heading, depth=0)
    lines += ["", f"## {plan.section_titles.kpis}", ""]
    for goal in plan.goals:
        lines += [f"### 關鍵策略目標 {goal.number}：{goal.name}", ""]
        for kpi in plan.kpis_of(goal):
            lines += _kpi(plan, kpi)
    if any(target.direction_unreviewed for kpi in plan.kpis for target in kpi.targets):
        lines += [f"{UNREVIEWED_MARK} {UNREVIEWED_NOTE}", ""]
    lines += ["評估體制代號：", ""]
    lines += [f"{code}. {meaning}" for code, meaning in plan.evaluation_mechanisms.items()]
    lines += ["", f"## {plan.section_titles.programmes}", ""]
    lines += [
        "| 施政綱要 | 重要計畫項目 | 計畫期程 | 計畫類別 | 與KPI關聯 |",
        "|---|---|---|---|---|",
    ]
    lines += [_programme_row(plan, programme) for programme in plan.programmes]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _outline(item: OutlineItem, depth: int) -> list[str]:
    lines = [f"{'  ' * depth}- {item.label}{item.text}"]
    for child in item.items:
        lines += _outline(child, depth + 1)
    return lines


def _kpi(plan: Plan, kpi: KPI) -> list[str]:
    lines = [
        f"#### {kpi.code} {kpi.name}",
        "",
        f"- 評估體制：{kpi.evaluation_mechanism}（{plan.evaluation_mechanisms.get(kpi.evaluation_mechanism, '')}）",
        f"- 評估方式：{kpi.evaluation_method}",
        f"- 衡量標準：{kpi.measurement_standard}",
    ]
    lines += [_target(target) for target in kpi.targets]
    programmes = plan.programmes_of(kpi)
    if programmes:
        lines.append(f"- 重要計畫：{'、'.join(programme.name for programme in programmes)}")
    return [*lines, ""]


def _target(target: Target) -> str:
    """``- 109年度目標值：8%以下（以下，越低越好；方向來源：目標值文字）``, marked if a guess."""
    note = f"；{target.note}" if target.note else ""
    mark = UNREVIEWED_MARK if target.direction_unreviewed else ""
    return (
        f"- {target.year}年度目標值：{target.text}（{target.direction.zh}，{target.direction.reading}"
        f"；方向來源：{target.direction_source.zh}{note}）{mark}"
    )


def _programme_row(plan: Plan, programme: Programme) -> str:
    links = "、".join(f"{code} {plan.kpi(code).name}" for code in programme.kpis) or "無"
    cells = [
        programme.outline_heading,
        programme.name,
        str(programme.period),
        programme.category.value,
        links,
    ]
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"
