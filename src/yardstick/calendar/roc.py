"""ROC ↔ Gregorian years and period parsing.

民國 (ROC) year 1 is Gregorian 1912, so ROC 106 is 2017: ``gregorian = roc + 1911``.
Plans and records write periods as ``106-109`` (a range of ROC years, both ends included),
``106-106`` (a single year) or ``97年1月`` (a month). Full-width digits and dashes, as
Taiwanese office software often exports them, are accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from yardstick.errors import YardstickError

ROC_EPOCH_OFFSET = 1911
"""Gregorian year = ROC year + 1911 (民國元年 = 1912)."""

_MAX_ROC_YEAR = 300  # Gregorian 2211: anything later is a typo, not a plan year.

_FULL_WIDTH = str.maketrans(
    "０１２３４５６７８９－—–～〜．，　",
    "0123456789---~~., ",
)


class PeriodError(YardstickError, ValueError):
    """A period or year that cannot be understood, with the text that was given."""

    def __init__(self, text: str, reason: str) -> None:
        super().__init__(f"invalid period {text!r}: {reason}")
        self.text = text
        self.reason = reason


def normalize_digits(text: str) -> str:
    """Full-width digits, dashes and spaces → ASCII (``１０６－１０９`` → ``106-109``)."""
    return text.translate(_FULL_WIDTH)


def roc_to_gregorian(roc_year: int) -> int:
    """民國 year → Gregorian year (106 → 2017)."""
    _check_roc_year(roc_year, str(roc_year))
    return roc_year + ROC_EPOCH_OFFSET


def gregorian_to_roc(year: int) -> int:
    """Gregorian year → 民國 year (2017 → 106). Years before 1912 have no ROC year."""
    roc = year - ROC_EPOCH_OFFSET
    if roc < 1:
        raise PeriodError(str(year), "years before 1912 have no ROC (民國) year")
    return roc


def _check_roc_year(roc_year: int, text: str) -> None:
    if not 1 <= roc_year <= _MAX_ROC_YEAR:
        raise PeriodError(text, f"ROC year {roc_year} is outside 1–{_MAX_ROC_YEAR}")


@dataclass(frozen=True, order=True)
class YearRange:
    """An inclusive range of ROC years, e.g. a programme's 計畫期程 ``106-109``."""

    start: int
    end: int

    def __post_init__(self) -> None:
        _check_roc_year(self.start, str(self))
        _check_roc_year(self.end, str(self))
        if self.end < self.start:
            raise PeriodError(str(self), f"ends ({self.end}) before it starts ({self.start})")

    def __str__(self) -> str:
        return f"{self.start}-{self.end}"

    @property
    def years(self) -> list[int]:
        """Every ROC year in the range, in order."""
        return list(range(self.start, self.end + 1))

    def __contains__(self, roc_year: object) -> bool:
        return isinstance(roc_year, int) and self.start <= roc_year <= self.end

    @property
    def gregorian(self) -> tuple[int, int]:
        """The same range in Gregorian years."""
        return self.start + ROC_EPOCH_OFFSET, self.end + ROC_EPOCH_OFFSET


# Digits are 0-9 (full-width ones are normalised first), not \d: that admits every script's
# digits, which int() reads, so '١٠٦' would pass for 106.
_YEAR_RANGE = re.compile(r"^\s*([0-9]{1,3})\s*(?:年)?\s*(?:-|~|至|到)\s*([0-9]{1,3})\s*(?:年)?\s*$")
_SINGLE_YEAR = re.compile(r"^\s*([0-9]{1,3})\s*(?:年度?)?\s*$")


def parse_year_range(text: str) -> YearRange:
    """Parse ``106-109``, ``98-107``, ``106-106`` or ``106`` (full-width digits allowed)."""
    normal = normalize_digits(text)
    match = _YEAR_RANGE.match(normal)
    if match:
        start, end = int(match.group(1)), int(match.group(2))
        if end < start:
            raise PeriodError(text, f"ends ({end}) before it starts ({start})")
        return YearRange(start, end)
    single = _SINGLE_YEAR.match(normal)
    if single:
        year = int(single.group(1))
        return YearRange(year, year)
    raise PeriodError(text, "expected ROC years like '106-109' or '106'")


@dataclass(frozen=True, order=True)
class RocMonth:
    """A month in ROC reckoning, e.g. ``97年1月`` (January 2008)."""

    year: int
    month: int

    def __post_init__(self) -> None:
        _check_roc_year(self.year, str(self))
        if not 1 <= self.month <= 12:
            raise PeriodError(str(self), f"month {self.month} is outside 1–12")

    def __str__(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def first_day(self) -> date:
        """The first Gregorian day of the month."""
        return date(self.year + ROC_EPOCH_OFFSET, self.month, 1)


_ROC_MONTH = re.compile(r"^\s*(?:民國)?\s*([0-9]{1,3})\s*(?:年|-|/|\.)\s*([0-9]{1,2})\s*月?\s*$")


def parse_roc_month(text: str) -> RocMonth:
    """Parse ``97年1月``, ``民國97年1月``, ``97-01`` or ``97/1``."""
    match = _ROC_MONTH.match(normalize_digits(text))
    if not match:
        raise PeriodError(text, "expected an ROC month like '97年1月' or '109-09'")
    return RocMonth(int(match.group(1)), int(match.group(2)))
