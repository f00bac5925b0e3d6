"""The plan browser's pages as plain data: 施政綱要 ↔ 關鍵策略目標 ↔ KPI ↔ 重要計畫, linked both ways.

Everything here is the plan's own content (public); values and lights are added by
:mod:`yardstick.web.plans.lights` for those who may see them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from yardstick.metrics.bundle import PlanBundle
from yardstick.plan.model import (
    KPI,
    Direction,
    DirectionSource,
    OutlineItem,
    Plan,
    Programme,
    Target,
)
from yardstick.plan.review import unreviewed_directions
from yardstick.plan.targets import name_word

SOURCE_LABELS: dict[DirectionSource, Promise] = {
    DirectionSource.WORDING: _("stated in the target"),
    DirectionSource.NAME: _("suggested by the KPI's name, not reviewed"),
    DirectionSource.DEFAULT: _("the default, not reviewed"),
    DirectionSource.REVIEWED: _("reviewed"),
}


@dataclass(frozen=True)
class TargetShown:
    """A target as people read it: 50.5日, 以下 (越低越好), where the direction comes from."""

    year: int
    text: str
    direction: str  # 以上 or 以下
    higher_is_better: bool
    source: Promise
    guessed: bool
    note: str | None


@dataclass(frozen=True)
class Link:
    """A link inside the plan: its anchor on the browser page and what it says."""

    anchor: str
    label: str
    number: int | None = None  # a programme's number (its page), a goal's number
    code: str | None = None  # a KPI's code (its page)


@dataclass(frozen=True)
class KpiEntry:
    code: str
    anchor: str
    name: str
    goal: Link
    evaluation_mechanism: str
    evaluation_method: str
    measurement_standard: str
    defined: bool
    targets: tuple[TargetShown, ...]
    programmes: tuple[Link, ...]


@dataclass(frozen=True)
class GoalEntry:
    number: int
    anchor: str
    name: str
    outline: Link | None
    kpis: tuple[KpiEntry, ...]


@dataclass(frozen=True)
class OutlineEntry:
    label: str  # 一、 / （一） / １、 as printed
    text: str
    level: int
    anchor: str
    goals: tuple[Link, ...]
    programmes: tuple[Link, ...]
    items: tuple[OutlineEntry, ...]


@dataclass(frozen=True)
class ProgrammeEntry:
    number: int
    anchor: str
    name: str
    outline: Link | None
    start_year: int
    end_year: int
    category: str
    kpis: tuple[Link, ...]


@dataclass(frozen=True)
class GuessedTarget:
    """A target whose direction was guessed on import, listed for review."""

    kpi: Link
    target: TargetShown
    word: str | None  # the word of the name that suggested 以下 (日數, 降低 …)


@dataclass(frozen=True)
class PlanBrowser:
    code: str
    ministry: str
    start_year: int
    end_year: int
    version: int
    section_titles: tuple[str, str, str]
    outline: tuple[OutlineEntry, ...]
    goals: tuple[GoalEntry, ...]
    programmes: tuple[ProgrammeEntry, ...]
    guessed: tuple[GuessedTarget, ...]
    undefined: int  # KPIs without a metric definition yet


def target_shown(target: Target) -> TargetShown:
    return TargetShown(
        target.year,
        target.text,
        target.direction.zh,
        target.direction is Direction.AT_LEAST,
        SOURCE_LABELS[target.direction_source],
        target.direction_unreviewed,
        target.note,
    )


def kpi_anchor(code: str) -> str:
    return f"kpi-{code}"


def programme_anchor(number: int) -> str:
    return f"programme-{number}"


def kpi_link(kpi: KPI) -> Link:
    return Link(kpi_anchor(kpi.code), f"{kpi.code} {kpi.name}", code=kpi.code)


def programme_link(number: int, programme: Programme) -> Link:
    return Link(programme_anchor(number), programme.name, number=number)


class OutlineIndex:
    """The outline's anchors by position, and which goal and programme sits under which item."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.by_path: dict[str, Link] = {}  # a goal's outline_item (一/一, 五/) → its item
        self.by_heading: dict[str, Link] = {}  # a programme's outline_heading → its heading
        for i, heading in enumerate(plan.outline, start=1):
            anchor = f"outline-{i}"
            self.by_heading.setdefault(heading.text, Link(anchor, heading.label + heading.text))
            for j, item in enumerate(heading.items, start=1):
                if item.level == 2:
                    path = f"{heading.number}/{item.number or ''}"
                    label = f"{heading.label}{item.label}{item.text}"
                    self.by_path.setdefault(path, Link(f"{anchor}-{j}", label))

    def entries(self, numbers: dict[int, Programme]) -> tuple[OutlineEntry, ...]:
        return tuple(
            self._entry(heading, f"outline-{i}", numbers)
            for i, heading in enumerate(self.plan.outline, start=1)
        )

    def _entry(
        self, item: OutlineItem, anchor: str, numbers: dict[int, Programme], path: str = ""
    ) -> OutlineEntry:
        if item.level == 1:
            path = f"{item.number}/"
        goals = tuple(
            Link(f"goal-{goal.number}", goal.name, number=goal.number)
            for goal in self.plan.goals
            if item.level == 2 and goal.outline_item == f"{path}{item.number or ''}"
        )
        programmes = tuple(
            programme_link(n, p)
            for n, p in numbers.items()
            if item.level == 1 and p.outline_heading == item.text
        )
        items = tuple(
            self._entry(child, f"{anchor}-{j}", numbers, path)
            for j, child in enumerate(item.items, start=1)
        )
        return OutlineEntry(item.label, item.text, item.level, anchor, goals, programmes, items)


def numbered_programmes(plan: Plan) -> dict[int, Programme]:
    """Programmes by their number on the site (1, 2, … in the plan's order)."""
    return dict(enumerate(plan.programmes, start=1))


def plan_browser(code: str, version: int, bundle: PlanBundle) -> PlanBrowser:
    plan = bundle.plan
    outline = OutlineIndex(plan)
    numbers = numbered_programmes(plan)
    goals = tuple(_goal_entry(plan, bundle, outline, numbers, goal.number) for goal in plan.goals)
    titles = plan.section_titles
    return PlanBrowser(
        code,
        plan.ministry or "",
        plan.start_year,
        plan.end_year,
        version,
        (titles.outline, titles.kpis, titles.programmes),
        outline.entries(numbers),
        goals,
        tuple(_programme_entry(plan, outline, n, p) for n, p in numbers.items()),
        tuple(
            GuessedTarget(kpi_link(kpi), target_shown(target), name_word(kpi.name))
            for kpi, target in unreviewed_directions(plan)
        ),
        sum(1 for kpi in plan.kpis if kpi.code not in bundle.definitions),
    )


def _goal_entry(
    plan: Plan,
    bundle: PlanBundle,
    outline: OutlineIndex,
    numbers: dict[int, Programme],
    number: int,
) -> GoalEntry:
    goal = plan.goal(number)
    link = Link(f"goal-{goal.number}", goal.name, number=goal.number)
    kpis = tuple(
        KpiEntry(
            kpi.code,
            kpi_anchor(kpi.code),
            kpi.name,
            link,
            plan.evaluation_mechanisms.get(kpi.evaluation_mechanism, str(kpi.evaluation_mechanism)),
            kpi.evaluation_method,
            kpi.measurement_standard,
            kpi.code in bundle.definitions,
            tuple(target_shown(t) for t in kpi.targets),
            tuple(programme_link(n, p) for n, p in numbers.items() if kpi.code in p.kpis),
        )
        for kpi in plan.kpis_of(goal)
    )
    place = outline.by_path.get(goal.outline_item) if goal.outline_item is not None else None
    return GoalEntry(goal.number, link.anchor, goal.name, place, kpis)


def _programme_entry(
    plan: Plan, outline: OutlineIndex, number: int, programme: Programme
) -> ProgrammeEntry:
    return ProgrammeEntry(
        number,
        programme_anchor(number),
        programme.name,
        outline.by_heading.get(programme.outline_heading),
        programme.start_year,
        programme.end_year,
        programme.category.value,
        tuple(kpi_link(plan.kpi(code)) for code in programme.kpis),
    )
