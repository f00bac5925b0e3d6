"""Target values (目標值) as printed: ``4,000人``, ``8%以下``, ``50.5日``, ``87.11%``.

The direction comes from the wording: 以下 / 以內 / 不超過 / 不高於 / 低於 … mean *at most*,
以上 / 不低於 / 不少於 / 至少 … mean *at least*. With no such word the KPI's name may suggest
it — 日數, 天數, 時間, 降低, 減少, 縮短, 超收 say lower is better, so *at most*, marked as
suggested by the name — and otherwise it defaults to *at least*, marked as a default. Both are
guesses for a reviewer to confirm in plan.yaml (檢察官辦案日數 50.5日 is lower-is-better, and
its wording does not say so).

A value is digits 0–9 (full-width ０–９ too), at most :data:`MAX_TARGET_DIGITS` of them: a
figure of 400 digits would read as infinity, and one of 5,000 is past what Python converts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from yardstick.calendar import normalize_digits
from yardstick.plan.model import MAX_TARGET_DIGITS, Direction, DirectionSource

AT_MOST_WORDS = ("不超過", "不高於", "不多於", "以下", "以內", "以内", "低於", "至多", "最多")
AT_LEAST_WORDS = ("不低於", "不少於", "以上", "至少", "最少", "高於")
LOWER_IS_BETTER_NAMES = ("日數", "天數", "時間", "降低", "減少", "縮短", "超收")
"""Words in a KPI's name that say a smaller figure is better (days taken, overcrowding …)."""

_WORDS = "|".join(sorted(AT_MOST_WORDS + AT_LEAST_WORDS, key=len, reverse=True))
# The value is ASCII digits (after full-width ones are normalised); the unit holds no digit of
# any script (\d is Unicode-wide), so '5٣人' is refused rather than read as a unit '٣人'.
_TARGET = re.compile(
    rf"^(?P<before>{_WORDS})?\s*(?P<value>[-+]?[0-9][0-9,]*(?:\.[0-9]+)?)\s*"
    rf"(?P<unit>[^\d\s]*?)\s*(?P<after>{_WORDS})?$"
)
_THOUSANDS = re.compile(r"^[-+]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$|^[-+]?[0-9]+(\.[0-9]+)?$")


@dataclass(frozen=True)
class ParsedTarget:
    """What a target text says: its value, unit and direction."""

    value: float
    unit: str
    direction: Direction
    direction_source: DirectionSource


class TargetTextError(ValueError):
    """A target text that is not a number with a unit and an optional direction word.

    The message says what is wrong, in words that complete "expected a target …".
    """


def parse_target_text(text: str) -> ParsedTarget:
    """Parse a printed target such as ``8%以下`` into value, unit and direction."""
    normal = normalize_digits(text).replace("％", "%").strip()
    match = _TARGET.match(normal)
    if not match or not _THOUSANDS.match(match.group("value")):
        raise TargetTextError("a number (digits 0–9) with its unit")
    if match.group("before") and match.group("after"):
        raise TargetTextError("one direction word, not two")
    word = match.group("before") or match.group("after")
    value = _value(match.group("value"))
    unit = match.group("unit")
    if any(word in unit for word in AT_MOST_WORDS + AT_LEAST_WORDS):
        raise TargetTextError("the direction word before the number or after its unit")
    if word is None:
        return ParsedTarget(value, unit, Direction.AT_LEAST, DirectionSource.DEFAULT)
    direction = Direction.AT_MOST if word in AT_MOST_WORDS else Direction.AT_LEAST
    return ParsedTarget(value, unit, direction, DirectionSource.WORDING)


def _value(digits: str) -> float:
    count = len(re.sub(r"[^0-9]", "", digits))
    if count > MAX_TARGET_DIGITS:
        raise TargetTextError(f"a figure of at most {MAX_TARGET_DIGITS} digits, not {count}")
    return float(digits.replace(",", ""))


def suggested_by_name(parsed: ParsedTarget, kpi_name: str) -> ParsedTarget:
    """A defaulted direction that the KPI's name contradicts becomes *at most*, "by the name"."""
    if parsed.direction_source is not DirectionSource.DEFAULT or name_word(kpi_name) is None:
        return parsed
    return replace(parsed, direction=Direction.AT_MOST, direction_source=DirectionSource.NAME)


def name_word(kpi_name: str) -> str | None:
    """The word of the name that suggests *at most*, if any (for telling the user why)."""
    return next((word for word in LOWER_IS_BETTER_NAMES if word in kpi_name), None)
