"""Query limits come from the environment, and a bad value fails loudly."""

from __future__ import annotations

import pytest

from yardstick.metrics.engines.limits import (
    DEFAULT_MEMORY_LIMIT,
    DEFAULT_TIME_LIMIT,
    MEMORY_LIMIT_VARIABLE,
    TIME_LIMIT_VARIABLE,
    Limits,
    limits_from_environment,
)
from yardstick.metrics.errors import SettingError


def test_without_settings_the_defaults_apply(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(TIME_LIMIT_VARIABLE, raising=False)
    monkeypatch.delenv(MEMORY_LIMIT_VARIABLE, raising=False)
    assert limits_from_environment() == Limits(DEFAULT_TIME_LIMIT, DEFAULT_MEMORY_LIMIT)


def test_settings_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TIME_LIMIT_VARIABLE, "2.5")
    monkeypatch.setenv(MEMORY_LIMIT_VARIABLE, "512MiB")
    assert limits_from_environment() == Limits(2.5, "512MiB")


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        (TIME_LIMIT_VARIABLE, "0"),
        (TIME_LIMIT_VARIABLE, "-1"),
        (TIME_LIMIT_VARIABLE, "inf"),
        (TIME_LIMIT_VARIABLE, "ten"),
        (MEMORY_LIMIT_VARIABLE, "lots"),
        (MEMORY_LIMIT_VARIABLE, "1GB'; SET x = 1"),
    ],
)
def test_a_bad_setting_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingError, match=variable):
        limits_from_environment()
