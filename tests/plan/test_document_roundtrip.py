"""Property: any plan written in the published layout reads back as the same plan."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yardstick.calendar import YearRange
from yardstick.plan import (
    KPI,
    Direction,
    DirectionSource,
    OutlineItem,
    Plan,
    Programme,
    ProgrammeCategory,
    StrategicGoal,
    Target,
    parse_document,
)
from yardstick.plan.document_render import render_document
from yardstick.plan.targets import LOWER_IS_BETTER_NAMES

CHINESE_NUMBERS = "一二三四五六七八九十"
FULL_WIDTH_DIGITS = "１２３４５６７８９"
# Text that cannot be mistaken for an outline label, a link separator or "無".
ALPHABET = "測試計畫目標指標推動提升強化落實資源效率司法行政執行品質服務民眾安全，。「」ABCxyz"
WORDS = {"以下": Direction.AT_MOST, "以內": Direction.AT_MOST, "以上": Direction.AT_LEAST, "": None}
UNITS = ["人", "%", "件", "日", "公斤", "人次"]

texts = st.text(alphabet=ALPHABET, min_size=1, max_size=20).map(str.strip).filter(bool)


def unique_texts(count: int) -> st.SearchStrategy[list[str]]:
    return st.lists(texts, min_size=count, max_size=count, unique=True)


@st.composite
def outlines(draw: st.DrawFn) -> list[OutlineItem]:
    heading_count = draw(st.integers(1, 4))
    pool = iter(draw(unique_texts(heading_count * 10)))
    headings = []
    for h in range(heading_count):
        heading = OutlineItem(level=1, number=CHINESE_NUMBERS[h], text=next(pool))
        direct = draw(st.integers(0, 2))
        heading.items += [
            OutlineItem(level=3, number=FULL_WIDTH_DIGITS[i], text=next(pool))
            for i in range(direct)
        ]
        for s in range(draw(st.integers(0, 2))):
            unnumbered = s == 0 and direct == 0 and draw(st.booleans())
            sub = OutlineItem(
                level=2, number=None if unnumbered else CHINESE_NUMBERS[s], text=next(pool)
            )
            sub.items = [
                OutlineItem(level=3, number=FULL_WIDTH_DIGITS[i], text=next(pool))
                for i in range(draw(st.integers(0, 2)))
            ]
            heading.items.append(sub)
        headings.append(heading)
    return headings


@st.composite
def targets(draw: st.DrawFn, year: int, name: str) -> Target:
    value = draw(st.one_of(st.integers(0, 99_999), st.decimals(0, 999, places=2).map(float)))
    unit = draw(st.sampled_from(UNITS))
    word = draw(st.sampled_from(list(WORDS)))
    number = f"{value:,}" if isinstance(value, int) else f"{value:g}"
    direction, source = _direction(WORDS[word], name)
    return Target(
        year=year,
        text=f"{number}{unit}{word}",
        value=float(value),
        unit=unit,
        direction=direction,
        direction_source=source,
    )


def _direction(said: Direction | None, name: str) -> tuple[Direction, DirectionSource]:
    """What the import reads: the wording, else the name's suggestion, else the default."""
    if said is not None:
        return said, DirectionSource.WORDING
    if any(word in name for word in LOWER_IS_BETTER_NAMES):
        return Direction.AT_MOST, DirectionSource.NAME
    return Direction.AT_LEAST, DirectionSource.DEFAULT


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    outline = draw(outlines())
    subs = [(h, s) for h in outline for s in h.items if s.level == 2]
    goal_count = draw(st.integers(1, 4))
    names = draw(
        unique_texts(goal_count + 8).filter(
            lambda names: not set(names) & {i.text for h in outline for i in _walk(h)}
        )
    )
    goals = []
    for g in range(goal_count):
        if subs and draw(st.booleans()):
            heading, sub = subs.pop(0)
            goals.append(
                StrategicGoal(
                    number=g + 1, name=sub.text, outline_item=f"{heading.number}/{sub.number or ''}"
                )
            )
        else:
            goals.append(StrategicGoal(number=g + 1, name=names.pop()))
    last_year = draw(st.integers(100, 130))
    years = list(range(last_year - draw(st.integers(0, 1)), last_year + 1))
    mechanisms = {code: draw(texts) for code in range(1, draw(st.integers(1, 5)) + 1)}
    kpi_names = draw(unique_texts(goal_count * 3).filter(lambda ns: not set(ns) & set(names)))
    # Some names say lower is better (辦案日數, 降低…率): their unworded targets read as at most.
    kpi_names = [name + draw(st.sampled_from(["", "", "日數", "降低"])) for name in kpi_names]
    kpis = [
        KPI(
            goal=goal.number,
            number=k + 1,
            name=(name := kpi_names.pop()),
            evaluation_mechanism=draw(st.sampled_from(sorted(mechanisms))),
            evaluation_method=draw(st.sampled_from(["統計數據", "問卷調查"])),
            measurement_standard=draw(texts) + draw(st.sampled_from(["", "註：" + "專家審查"])),
            targets=[draw(targets(year, name)) for year in years],
        )
        for goal in goals
        for k in range(draw(st.integers(1, 3)))
    ]
    programmes = [draw(programmes_of(outline, kpis)) for _ in range(draw(st.integers(0, 6)))]
    return Plan(
        ministry="測試部",
        start_year=last_year - 3,
        end_year=last_year,
        outline=outline,
        goals=goals,
        kpis=kpis,
        evaluation_mechanisms=mechanisms,
        programmes=programmes,
    )


@st.composite
def programmes_of(draw: st.DrawFn, outline: list[OutlineItem], kpis: list[KPI]) -> Programme:
    start = draw(st.integers(95, 120))
    return Programme(
        outline_heading=draw(st.sampled_from([h.text for h in outline])),
        name=draw(texts),
        start_year=start,
        end_year=start + draw(st.integers(0, 9)),
        category=draw(st.sampled_from(list(ProgrammeCategory))),
        kpis=draw(st.lists(st.sampled_from([k.code for k in kpis]), unique=True, max_size=3)),
    )


def _walk(item: OutlineItem) -> list[OutlineItem]:
    return [item, *(descendant for child in item.items for descendant in _walk(child))]


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(plans())
def test_parse_of_render_is_the_same_plan(plan: Plan) -> None:
    text = render_document(plan)
    assert (
        parse_document(
            text, ministry=plan.ministry, period=str(YearRange(plan.start_year, plan.end_year))
        )
        == plan
    )


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(plans())
def test_it_survives_crlf_bom_and_leading_spaces(plan: Plan) -> None:
    messy = "\ufeff" + "\r\n".join(" " + line for line in render_document(plan).split("\n"))
    assert (
        parse_document(messy, ministry=plan.ministry, period=f"{plan.start_year}-{plan.end_year}")
        == plan
    )
