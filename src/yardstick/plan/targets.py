"""Target values (目標值) as printed: ``4,000人``, ``8%以下``, ``50.5日``, ``87.11%``.

The direction comes from the wording: 以下 / 以內 / 不超過 / 不高於 / 低於 … mean *at most*,
以上 / 不低於 / 不少於 / 至少 … mean *at least*; with no such word the direction defaults to
*at least* and is marked as a default, for a reviewer to confirm in plan.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from yardstick.calendar import normalize_digits
from yardstick.plan.model import Direction, DirectionSource

AT_MOST_WORDS = ("不超過", "不高於", "不多於", "以下", "以內", "以内", "低於", "至多", "最多")
AT_LEAST_WORDS = ("不低於", "不少於", "以上", "至少", "最少", "高於")

_WORDS = "|".join(sorted(AT_MOST_WORDS + AT_LEAST_WORDS, key=len, reverse=True))
_TARGET = re.compile(
    rf"^(?P<before>{_WORDS})?\s*(?P<value>[-+]?\d[\d,]*(?:\.\d+)?)\s*"
    rf"(?P<unit>[^\d\s]*?)\s*(?P<after>{_WORDS})?$"
)
_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$|^[-+]?\d+(\.\d+)?$")


@dataclass(frozen=True)
class ParsedTarget:
    """What a target text says: its value, unit and direction."""

    value: float
    unit: str
    direction: Direction
    direction_source: DirectionSource


class TargetTextError(ValueError):
    """A target text that is not a number with a unit and an optional direction word."""


def parse_target_text(text: str) -> ParsedTarget:
    """Parse a printed target such as ``8%以下`` into value, unit and direction."""
    normal = normalize_digits(text).replace("％", "%").strip()
    match = _TARGET.match(normal)
    if not match or not _THOUSANDS.match(match.group("value")):
        raise TargetTextError(f"not a target value with unit: {text!r}")
    if match.group("before") and match.group("after"):
        raise TargetTextError(f"two direction words in {text!r}")
    word = match.group("before") or match.group("after")
    value = float(match.group("value").replace(",", ""))
    unit = match.group("unit")
    if any(word in unit for word in AT_MOST_WORDS + AT_LEAST_WORDS):
        raise TargetTextError(f"direction words out of place in {text!r}")
    if word is None:
        return ParsedTarget(value, unit, Direction.AT_LEAST, DirectionSource.DEFAULT)
    direction = Direction.AT_MOST if word in AT_MOST_WORDS else Direction.AT_LEAST
    return ParsedTarget(value, unit, direction, DirectionSource.WORDING)
