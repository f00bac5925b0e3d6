import pytest

from yardstick.calendar import (
    PeriodError,
    RocMonth,
    YearRange,
    gregorian_to_roc,
    parse_roc_month,
    parse_year_range,
    roc_to_gregorian,
)


@pytest.mark.parametrize(("roc", "gregorian"), [(1, 1912), (97, 2008), (106, 2017), (109, 2020)])
def test_it_converts_between_roc_and_gregorian(roc: int, gregorian: int) -> None:
    assert roc_to_gregorian(roc) == gregorian
    assert gregorian_to_roc(gregorian) == roc


def test_it_rejects_years_before_the_republic() -> None:
    with pytest.raises(PeriodError, match="before 1912"):
        gregorian_to_roc(1911)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("106-109", 106, 109),
        ("98-107", 98, 107),
        ("106-106", 106, 106),
        ("106", 106, 106),
        ("１０６－１０９", 106, 109),
        (" 105 - 113 ", 105, 113),
        ("106年至109年", 106, 109),
    ],
)
def test_it_parses_year_ranges(text: str, start: int, end: int) -> None:
    assert parse_year_range(text) == YearRange(start, end)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("109-106", "ends \\(106\\) before it starts \\(109\\)"),
        ("abc", "expected ROC years"),
        ("", "expected ROC years"),
        ("0-5", "outside"),
        ("106-109-110", "expected ROC years"),
        ("١٠٦-١٠٩", "expected ROC years"),  # Arabic-Indic digits: int() reads them, we do not
        ("10⁶-109", "expected ROC years"),
    ],
)
def test_it_rejects_nonsense_periods(text: str, reason: str) -> None:
    with pytest.raises(PeriodError, match=reason):
        parse_year_range(text)


def test_a_year_range_lists_its_years_and_gregorian_span() -> None:
    period = YearRange(106, 109)
    assert period.years == [106, 107, 108, 109]
    assert 108 in period and 110 not in period
    assert period.gregorian == (2017, 2020)
    assert str(period) == "106-109"


@pytest.mark.parametrize(
    ("text", "year", "month"),
    [("97年1月", 97, 1), ("民國97年1月", 97, 1), ("109-09", 109, 9), ("９７年１２月", 97, 12)],
)
def test_it_parses_roc_months(text: str, year: int, month: int) -> None:
    parsed = parse_roc_month(text)
    assert parsed == RocMonth(year, month)


def test_a_roc_month_knows_its_first_gregorian_day() -> None:
    assert parse_roc_month("97年1月").first_day.isoformat() == "2008-01-01"


@pytest.mark.parametrize("text", ["97年13月", "97年0月", "abc", "年1月", "٩٧年١月"])
def test_it_rejects_nonsense_months(text: str) -> None:
    with pytest.raises(PeriodError):
        parse_roc_month(text)
