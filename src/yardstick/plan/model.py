"""The plan model: a medium-term plan (中程施政計畫) as plain, validated data.

A :class:`Plan` holds the policy outline (施政綱要), the strategic goals (關鍵策略目標), the KPIs
(關鍵績效指標) with their targets (目標值), the evaluation mechanisms (評估體制) and the major
programmes (重要計畫). It knows nothing of documents or files: :mod:`yardstick.plan.document`
reads the published layout, :mod:`yardstick.plan.yamlio` reads and writes ``plan.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from yardstick.calendar import YearRange, roc_to_gregorian
from yardstick.plan.rating import RatingScheme

MAX_NUMBER = 999
"""Goal, KPI and 評估體制 numbers are small: a plan has a handful of each."""

MAX_TARGET_DIGITS = 15
"""A target is a printed figure (4,000人, 87.11%); 15 digits is what a float holds exactly."""

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Characters no plan text holds (tab and line ends aside); Excel refuses most of them."""


def control_character_in(text: str) -> str | None:
    """The first control character of ``text`` as ``U+000B``, or None."""
    found = CONTROL_CHARACTERS.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


def _refuse_control_characters(value: object) -> None:
    if isinstance(value, str):
        if (code := control_character_in(value)) is not None:
            raise ValueError(f"the control character {code} has no place in plan text")
    elif isinstance(value, list):
        for item in value:
            _refuse_control_characters(item)
    elif isinstance(value, dict):
        for item in value.values():
            _refuse_control_characters(item)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, validate_assignment=True)

    @field_validator("*")
    @classmethod
    def _printable(cls, value: object) -> object:
        """Text that every export can write: no control characters (XLSX cannot hold them)."""
        _refuse_control_characters(value)
        return value


class Direction(StrEnum):
    """Which way a target points: 以上 (at least) or 以下 / 以內 / 不超過 (at most)."""

    AT_LEAST = "at_least"
    AT_MOST = "at_most"

    @property
    def zh(self) -> str:
        """As users read it: 以上 or 以下 (the codes are plan.yaml's, not theirs)."""
        return "以上" if self is Direction.AT_LEAST else "以下"

    @property
    def reading(self) -> str:
        """越高越好 (higher is better) or 越低越好 (lower is better)."""
        return "越高越好" if self is Direction.AT_LEAST else "越低越好"


class DirectionSource(StrEnum):
    """Where a target's direction comes from."""

    WORDING = "wording"  # the target text says it (以下, 以上, 不超過 …)
    NAME = "name"  # suggested by the KPI's name (日數, 降低 …): "at most", to be reviewed
    DEFAULT = "default"  # nothing said: "at least" by convention, to be reviewed
    REVIEWED = "reviewed"  # set by a reviewer in plan.yaml, with a note saying why

    @property
    def zh(self) -> str:
        """As users read it."""
        return _SOURCE_WORDS[self]

    @property
    def is_guess(self) -> bool:
        """True when neither the document's wording nor a reviewer said the direction."""
        return self in (DirectionSource.NAME, DirectionSource.DEFAULT)


UNREVIEWED_MARK = "※"
"""Beside a target, or a light, whose direction is a guess nobody reviewed."""
UNREVIEWED_NOTE = (
    "方向未經複核：目標值文字未載明以上或以下，方向係依預設（以上，越高越好）"
    "或依指標名稱推定（以下，越低越好），尚待複核。"
)
"""The footnote that explains the mark, wherever it is shown."""

_SOURCE_WORDS = {
    DirectionSource.WORDING: "目標值文字",
    DirectionSource.NAME: "依指標名稱推定，未經複核",
    DirectionSource.DEFAULT: "預設，未經複核",
    DirectionSource.REVIEWED: "已複核",
}


class ProgrammeCategory(StrEnum):
    """計畫類別: the four categories of the Executive Yuan's plan guidelines."""

    PUBLIC_CONSTRUCTION = "公共建設"
    SCIENCE_TECHNOLOGY = "科技發展"
    SOCIAL_DEVELOPMENT = "社會發展"
    OTHER = "其它"


class OutlineItem(_Model):
    """An item of the policy outline (施政綱要).

    Level 1 is a heading (``一、``), level 2 a sub-heading (``（一）``), level 3 a numbered item
    (``１、``). ``number`` is the label as printed, without its punctuation (``一``, ``（一）`` →
    ``一``, ``１``); ``None`` for an unnumbered sub-heading such as the line under 五、.
    """

    level: int = Field(ge=1, le=3)
    number: str | None
    text: str
    items: list[OutlineItem] = Field(default_factory=list)

    @property
    def label(self) -> str:
        """The number as the document prints it: ``一、``, ``（一）``, ``１、`` or ``""``."""
        if self.number is None:
            return ""
        return f"（{self.number}）" if self.level == 2 else f"{self.number}、"


class Target(_Model):
    """A target value (目標值) of a KPI for one ROC year, e.g. ``8%以下``."""

    year: int = Field(description="ROC year the target is for (民國)")
    text: str = Field(description="the target as printed, e.g. '4,000人'")
    value: float = Field(
        allow_inf_nan=False,
        gt=-(10**MAX_TARGET_DIGITS),
        lt=10**MAX_TARGET_DIGITS,
        description=f"a finite figure of at most {MAX_TARGET_DIGITS} digits",
    )
    unit: str
    direction: Direction
    direction_source: DirectionSource
    note: str | None = None

    @field_validator("year")
    @classmethod
    def _year_is_an_roc_year(cls, year: int) -> int:
        roc_to_gregorian(year)  # raises PeriodError (a ValueError) outside 1–300
        return year

    @property
    def direction_unreviewed(self) -> bool:
        """The direction is a guess (the default, or suggested by the name) nobody confirmed."""
        return self.direction_source.is_guess

    @model_validator(mode="after")
    def _reviewed_needs_note(self) -> Target:
        if self.direction_source is DirectionSource.REVIEWED and not self.note:
            raise ValueError("a reviewed direction needs a note saying why")
        return self


class KPI(_Model):
    """A key performance indicator (關鍵績效指標), numbered within its goal (e.g. ``8-1``)."""

    goal: int = Field(ge=1, le=MAX_NUMBER, description="number of its strategic goal")
    number: int = Field(ge=1, le=MAX_NUMBER, description="its number within the goal")
    name: str
    evaluation_mechanism: int = Field(
        ge=1, le=MAX_NUMBER, description="評估體制 code, meaning in Plan.evaluation_mechanisms"
    )
    evaluation_method: str = Field(description="評估方式, e.g. 統計數據")
    measurement_standard: str = Field(description="衡量標準, in full, with any embedded 註")
    targets: list[Target] = Field(default_factory=list)

    @property
    def code(self) -> str:
        """``goal-number``, e.g. ``1-3``."""
        return f"{self.goal}-{self.number}"

    def target_for(self, year: int) -> Target | None:
        """The target for an ROC year, if the plan sets one."""
        return next((target for target in self.targets if target.year == year), None)

    @property
    def note(self) -> str | None:
        """The 註 embedded in the measurement standard, if any.

        ``…註：text`` gives the text after ``註：``; ``…【註】…【註】text`` (a marker in the
        formula, then the note) gives the text after the last ``【註】``.
        """
        for marker in _NOTE_MARKERS:
            if marker in self.measurement_standard:
                return self.measurement_standard.rsplit(marker, 1)[1].strip() or None
        return None


_NOTE_MARKERS = ("註：", "【註】")


class StrategicGoal(_Model):
    """A strategic goal (關鍵策略目標).

    ``outline_item`` is the path of the outline item it comes from where the names match
    (e.g. ``一/一`` for 一、（一）; ``五/`` for the unnumbered sub-heading under 五、).
    """

    number: int = Field(ge=1, le=MAX_NUMBER)
    name: str
    outline_item: str | None = None


class Programme(_Model):
    """A major programme (重要計畫) with its period (計畫期程), category and linked KPIs."""

    outline_heading: str = Field(description="the level-1 outline heading it sits under (施政綱要)")
    name: str
    start_year: int = Field(description="first ROC year of 計畫期程")
    end_year: int = Field(description="last ROC year of 計畫期程")
    category: ProgrammeCategory
    kpis: list[str] = Field(default_factory=list, description="codes of linked KPIs; [] for 無")

    @model_validator(mode="after")
    def _period_is_valid(self) -> Programme:
        YearRange(self.start_year, self.end_year)
        return self

    @property
    def period(self) -> YearRange:
        """計畫期程 as a year range."""
        return YearRange(self.start_year, self.end_year)


class SectionTitles(_Model):
    """The three section titles as printed (kept so that nothing of the document is lost)."""

    outline: str = "壹、施政綱要"
    kpis: str = "貳、關鍵績效指標"
    programmes: str = "參、未來四年重要計畫"


class Plan(_Model):
    """A medium-term plan (中程施政計畫)."""

    ministry: str | None = None
    start_year: int = Field(description="first ROC year of the plan")
    end_year: int = Field(description="last ROC year of the plan")
    section_titles: SectionTitles = Field(default_factory=SectionTitles)
    outline: list[OutlineItem]
    goals: list[StrategicGoal]
    kpis: list[KPI]
    evaluation_mechanisms_intro: str = "評估體制之數字代號意義如下："
    evaluation_mechanisms: dict[int, str]
    programmes: list[Programme]
    rating: RatingScheme = Field(default_factory=RatingScheme, description="燈號 thresholds")

    @model_validator(mode="after")
    def _references_resolve(self) -> Plan:
        YearRange(self.start_year, self.end_year)
        goal_numbers = {goal.number for goal in self.goals}
        codes = {kpi.code for kpi in self.kpis}
        if len(codes) != len(self.kpis):
            raise ValueError(f"KPI codes repeat: {_repeated(kpi.code for kpi in self.kpis)}")
        for kpi in self.kpis:
            if kpi.goal not in goal_numbers:
                raise ValueError(f"KPI {kpi.code} names goal {kpi.goal}, which the plan lacks")
            if (
                self.evaluation_mechanisms
                and kpi.evaluation_mechanism not in self.evaluation_mechanisms
            ):
                raise ValueError(
                    f"KPI {kpi.code} has evaluation mechanism {kpi.evaluation_mechanism}, "
                    f"not one of {sorted(self.evaluation_mechanisms)}"
                )
        for programme in self.programmes:
            unknown = [code for code in programme.kpis if code not in codes]
            if unknown:
                raise ValueError(f"programme {programme.name!r} links unknown KPIs {unknown}")
        return self

    @property
    def period(self) -> YearRange:
        """The plan's ROC years."""
        return YearRange(self.start_year, self.end_year)

    def kpi(self, code: str) -> KPI:
        """The KPI with this code (``8-1``); KeyError if none."""
        for kpi in self.kpis:
            if kpi.code == code:
                return kpi
        raise KeyError(code)

    def goal(self, number: int) -> StrategicGoal:
        """The strategic goal with this number; KeyError if none."""
        for goal in self.goals:
            if goal.number == number:
                return goal
        raise KeyError(number)

    def kpis_of(self, goal: StrategicGoal) -> list[KPI]:
        """The goal's KPIs, in plan order."""
        return [kpi for kpi in self.kpis if kpi.goal == goal.number]

    def programmes_of(self, kpi: KPI) -> list[Programme]:
        """The programmes linked to a KPI."""
        return [programme for programme in self.programmes if kpi.code in programme.kpis]


def _repeated(codes: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    repeated: set[str] = set()
    for code in codes:
        (repeated if code in seen else seen).add(code)
    return sorted(repeated)
