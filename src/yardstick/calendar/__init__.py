"""ROC (民國) years, Gregorian years and the periods plans and records use."""

from yardstick.calendar.roc import (
    ROC_EPOCH_OFFSET,
    PeriodError,
    RocMonth,
    YearRange,
    gregorian_to_roc,
    normalize_digits,
    parse_roc_month,
    parse_year_range,
    roc_to_gregorian,
)

__all__ = [
    "ROC_EPOCH_OFFSET",
    "PeriodError",
    "RocMonth",
    "YearRange",
    "gregorian_to_roc",
    "normalize_digits",
    "parse_roc_month",
    "parse_year_range",
    "roc_to_gregorian",
]
