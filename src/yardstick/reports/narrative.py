"""A short narrative per KPI, generated from the figures (e.g. "較108年度提升2.10個百分點，未達目標值")."""

from __future__ import annotations

from yardstick.assess.plan_year import KpiYear
from yardstick.plan.model import Direction
from yardstick.plan.rating import Light


def narrative(item: KpiYear, year: int) -> str:
    """One or two sentences in Traditional Chinese stating what the figures say, nothing more."""
    assessment, trend = item.assessment, item.trend
    if assessment.actual is None:
        return f"{year}年度無法計算實際值（{assessment.reason}），列為白燈。"
    parts = [f"{year}年度實際值為{assessment.shown}"]
    if trend.change_text:
        parts.append(f"較{year - 1}年度{trend.change_text}")
    target = assessment.target
    if target is None:
        parts.append("本計畫未訂該年度目標值")
        return "，".join(parts) + "。"
    word = "以上" if target.direction is Direction.AT_LEAST else "以下"
    verdict = "已達" if assessment.met else "未達"
    achieved = (
        f"（達成度{assessment.achievement * 100:.1f}%）"
        if assessment.achievement is not None
        else ""
    )
    parts.append(
        f"{verdict}目標值{target.text}{'' if target.text.endswith(word) else word}{achieved}"
    )
    sentence = "，".join(parts) + f"，列為{assessment.light.zh}。"
    if assessment.light is Light.YELLOW:
        sentence += "差距不大，宜持續追蹤。"
    elif assessment.light is Light.RED and trend.will_reach is False:
        sentence += "依歷年趨勢推估仍難於目標年度達成，宜檢討策略。"
    return sentence
